"""Backups of the city's server database: `lvqi backup --out` runs pg_dump, `--record` registers IT's own dump,
and every clerk sees the last one (or a reminder), never a local figure."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from lvqi_desktop.cli import main
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.server_backups import ServerBackupService
from lvqi_desktop.storage.server_dump import find_tool
from tests.conftest import open_services


@pytest.fixture
def city_root(tmp_path: Path, pg_url: str) -> DataDir:
    """The city edition on the test server, set up, with a local data folder of its own."""
    data_dir = DataDir(tmp_path / "clerk1", pg_url)
    s = open_services(data_dir)
    s.office.set_up("city", None, "吕梁市中小企业服务中心", "张三")
    s.db.dispose()
    return data_dir


def lvqi(data_dir: DataDir, *args: str) -> int:
    return main(["--data-dir", str(data_dir.root), "--database", data_dir.server or "", "--operator", "张三", *args])


@pytest.mark.postgresql
def test_backup_out_runs_pg_dump_and_every_clerk_sees_it(city_root: DataDir, tmp_path: Path, capsys) -> None:
    other = open_services(DataDir(tmp_path / "clerk2", city_root.server))  # a colleague's computer
    try:
        assert "还没有登记过备份" in other.backups.describe_last_backup()
        assert "没有服务器数据库的备份记录" in (other.backups.offsite_reminder() or "")
        folder = tmp_path / "服务器备份"
        folder.mkdir()
        assert lvqi(city_root, "backup", "--out", str(folder), "--format", "json") == 0
        made = json.loads(capsys.readouterr().out)
        dump = folder / made["file"]
        assert dump.read_bytes()[:5] == b"PGDMP" and made["size_bytes"] == dump.stat().st_size
        login = make_url(city_root.server or "").username  # on the server the login role is the operator
        assert made["made_here"] is True and made["operator"] == login
        listed = subprocess.run([str(find_tool("pg_restore")), "--list", str(dump)], capture_output=True, text=True,
                                check=True).stdout
        assert "TABLE public enterprise" in listed and "TABLE DATA public change_record" in listed
        seen = other.backups.describe_last_backup()
        assert made["file"] in seen and "本程序运行 pg_dump" in seen and "0 分钟前" in seen
        assert other.backups.offsite_reminder() is None
        assert not city_root.backups.exists() and not city_root.database.exists()  # nothing local was made
    finally:
        other.db.dispose()


@pytest.mark.postgresql
def test_record_registers_it_s_dump_and_refuses_a_file_that_is_not_one(city_root: DataDir, tmp_path: Path,
                                                                        capsys) -> None:
    not_a_dump = tmp_path / "lvqi-20261205.sql"
    not_a_dump.write_text("-- plain SQL\n", encoding="utf-8")
    assert lvqi(city_root, "backup", "--record", str(not_a_dump)) == 1
    assert "不是 pg_dump 的自定义格式备份" in capsys.readouterr().err
    assert lvqi(city_root, "backup", "--record", str(tmp_path / "missing.dump")) == 1
    assert "读不到备份文件" in capsys.readouterr().err
    dump = tmp_path / "lvqi-20261205.dump"
    subprocess.run([str(find_tool("pg_dump")), "--format=custom", f"--file={dump}",
                    f"--dbname={city_root.server}"], check=True, capture_output=True)
    assert lvqi(city_root, "backup", "--record", str(dump)) == 0
    assert "已登记：lvqi-20261205.dump" in capsys.readouterr().out
    assert lvqi(city_root, "backups", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)["server_backup"]
    assert listed["file"] == "lvqi-20261205.dump" and listed["size_bytes"] == dump.stat().st_size
    assert listed["made_here"] is False
    s = open_services(city_root)
    try:
        assert "lvqi-20261205.dump" in s.backups.describe_last_backup() and "信息科登记" in s.backups.describe_last_backup()
    finally:
        s.db.dispose()


@pytest.mark.postgresql
def test_two_days_without_a_recorded_backup_is_a_reminder(city_root: DataDir, tmp_path: Path) -> None:
    now = [datetime(2027, 3, 1, 2, 30)]
    s = open_services(city_root)
    try:
        server = ServerBackupService(city_root, s.db, now=lambda: now[0])
        dump = tmp_path / "lvqi.dump"
        dump.write_bytes(b"PGDMP" + bytes(100))
        server.record(dump)
        assert server.reminder() is None and server.status_text() == "服务器备份：0 分钟前"
        now[0] += timedelta(days=3)
        assert "上次登记备份是 2027-03-01（3 天前）" in (server.reminder() or "")
        assert server.status_text() == "服务器备份：3 天前"
    finally:
        s.db.dispose()


def test_record_on_a_local_file_is_refused(services, capsys) -> None:
    services.db.dispose()
    assert main(["--data-dir", str(services.data_dir.root), "backup", "--record", "x.dump"]) == 1
    assert "只用于数据库在服务器上的市中心版" in capsys.readouterr().err
