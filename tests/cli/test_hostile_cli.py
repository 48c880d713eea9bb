"""Issue 19 at the command line: an unregistered operator, a second CLI writer, bytes a GBK terminal sends,
and text with invisible characters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.startup import writer_lock
from tests.conftest import make_uscc

ROOT = Path(__file__).parents[2]


def test_an_unregistered_operator_is_refused_and_nothing_is_written(county_cli) -> None:
    ran = county_cli("enterprise", "add", "--uscc", make_uscc(seed=1), "--name", "吕梁甲有限公司", operator="路人甲")
    assert ran.code == 1
    assert "操作员“路人甲”没有登记" in ran.err and "张三" in ran.err and "设置" in ran.err
    assert county_cli.count() == 0


def test_a_second_cli_writer_is_told_another_command_holds_the_folder(county_cli) -> None:
    lock = writer_lock(DataDir(county_cli.root))
    lock.acquire_or_refuse()  # as a running `lvqi demo` does
    try:
        ran = county_cli("enterprise", "add", "--uscc", make_uscc(seed=2), "--name", "吕梁乙有限公司")
    finally:
        lock.release()
    assert ran.code == 1
    assert "另一个命令行命令正在写入" in ran.err and "图形界面" not in ran.err


@pytest.mark.skipif(os.name == "nt", reason="Windows passes the command line as UTF-16")
def test_gbk_bytes_in_the_arguments_get_a_message_not_a_traceback(county_cli) -> None:
    name = "吕梁丙有限公司".encode("gbk")
    done = subprocess.run([sys.executable, "-m", "lvqi_desktop.cli", "--data-dir", str(county_cli.root), "enterprise",
                           "add", "--uscc", make_uscc(seed=3), "--name", name], capture_output=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}, timeout=120)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "Traceback" not in err
    assert "第8个命令行参数" in err and "UTF-8" in err
    assert county_cli.count() == 0


def test_invisible_characters_typed_at_the_cli_are_removed_and_reported(county_cli) -> None:
    ran = county_cli("enterprise", "add", "--uscc", make_uscc(seed=4), "--name", "吕梁\u202e丁\x1b有限公司",
                     "--format", "json")
    assert ran.code == 0, ran.err
    assert ran.json()["name"] == "吕梁丁有限公司"
    assert "看不见的字符" in ran.err


def test_check_finds_invisible_characters_an_older_version_stored_and_repair_removes_them(county_cli) -> None:
    import sqlite3

    assert county_cli("enterprise", "add", "--uscc", make_uscc(seed=5), "--name", "吕梁戊有限公司").code == 0
    conn = sqlite3.connect(county_cli.database)
    with conn:  # as an older version stored it: a zero-width space and an escape inside the name
        conn.execute("UPDATE enterprise SET name='吕梁\u200b戊\x1b有限公司', name_key='吕梁\u200b戊\x1b有限公司'")
    conn.close()
    found = county_cli("check")
    assert found.code == 1 and "2 处文字含看不见的字符" in found.err and "lvqi check --repair" in found.err
    repaired = county_cli("check", "--repair")
    assert repaired.code == 0, repaired.err
    assert "已去除 4 个看不见的字符" in repaired.err
    assert county_cli("check").code == 0
    listed = county_cli("enterprise", "list", "--search", "吕梁戊", "--format", "json").json()
    assert [i["name"] for i in listed["items"]] == ["吕梁戊有限公司"]


def test_the_next_backup_sweeps_what_killed_backups_and_restores_left_behind(county_cli, tmp_path) -> None:
    backups = county_cli.root / "backups"
    backups.mkdir(exist_ok=True)
    left = [backups / ".lvqi-20261205-101500-manual.sqlite3.raw.part",
            backups / ".lvqi-20261205-101500-manual.sqlite3.raw.part-journal",
            county_cli.root / ".lvqi-restore-20261205-101500-0a1b2c3d.sqlite3.part",
            county_cli.root / ".lvqi-restore-20261205-101500-0a1b2c3d.sqlite3.part-wal",
            county_cli.root / ".lvqi-restore-20261205-101500-0a1b2c3d.sqlite3.part-shm"]
    probe = tmp_path / "probe"  # the file system's clock, which is what the sweep compares with
    probe.write_bytes(b"")
    hours_ago = probe.stat().st_mtime - 3 * 3600
    for path in left:
        path.write_bytes(b"\0" * 1024)
        os.utime(path, (hours_ago, hours_ago))
    assert county_cli("backup").code == 0
    assert not [p.name for p in left if p.exists()]


def test_a_backup_with_a_damaged_page_is_not_listed_as_usable(county_cli, tmp_path) -> None:
    import gzip

    from tests.storage.db_damage import corrupt_pages

    assert county_cli("demo", "--enterprises", "300", "--seed", "7").code == 0
    made = county_cli("backup", "--format", "json").json()
    path = county_cli.root / "backups" / made["file"]
    raw = tmp_path / "raw.sqlite3"
    raw.write_bytes(gzip.decompress(path.read_bytes()))
    corrupt_pages(raw, first=8, count=3)  # page 1 intact: the file opens, the counts may even read
    stat = path.stat()
    path.write_bytes(gzip.compress(raw.read_bytes()))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    listed = county_cli("backups", "--format", "json").json()
    [item] = [i for i in listed["items"] if i["file"] == made["file"]]
    assert item["usable"] is False and "完整性检查未通过" in str(item)


def test_an_emptied_database_is_refused_and_the_backup_offered(county_cli) -> None:
    assert county_cli("enterprise", "add", "--uscc", make_uscc(seed=61), "--name", "清空前有限公司").code == 0
    made = county_cli("backup", "--format", "json").json()
    county_cli.database.write_bytes(b"")  # a 0-byte file while backups/ holds the data
    for name in ("lvqi.sqlite3-wal", "lvqi.sqlite3-shm"):
        (county_cli.root / name).unlink(missing_ok=True)
    refused = county_cli("enterprise", "list")
    assert refused.code == 1
    assert "0 字节" in refused.err and "lvqi restore" in refused.err and "Traceback" not in refused.err
    assert county_cli.database.stat().st_size == 0  # not silently re-created empty
    listed = county_cli("backups")
    assert listed.code == 0 and made["file"] in listed.out
