"""A full disk: every command says the disk is full and how much to free (never "damaged"), nothing is
written, no traceback and no row data appears anywhere, and the log is the owner's only.

Where the machine allows it (root with mount rights) a real 4 MB tmpfs is filled; SQLite's own "disk
full" (`PRAGMA max_page_count`) is used everywhere else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from lvqi_desktop.errors import DiskFull
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc

ROOT = Path(__file__).parents[2]


def lvqi(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lvqi_desktop.cli", "--data-dir", str(data), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.name == "nt" or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                         capture_output=True).returncode:
        pytest.skip("a small tmpfs cannot be mounted here (needs root with mount rights)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_called_full_not_damaged_and_nothing_is_lost(small_disk: Path) -> None:
    data = small_disk / "data"
    assert lvqi(data, "init", "--county", "141102", "--preparer", "张三").returncode == 0
    before = (data / "lvqi.sqlite3").read_bytes()
    filler = fill(small_disk)
    for command in (["enterprise", "list"], ["check"]):
        done = lvqi(data, *command)
        assert done.returncode == 1
        assert "磁盘已满" in done.stderr and "请腾出至少" in done.stderr and "已损坏" not in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    filler.unlink()
    assert (data / "lvqi.sqlite3").read_bytes() == before
    assert lvqi(data, "enterprise", "list").returncode == 0


def test_a_bulk_write_that_fills_the_disk_rolls_back_and_prints_no_rows(small_disk: Path) -> None:
    data = small_disk / "data"
    assert lvqi(data, "init", "--county", "141102", "--preparer", "张三").returncode == 0
    fill(small_disk).write_bytes(b"\0" * (2 << 20))  # about 2 MB left for the database to grow into
    done = lvqi(data, "demo", "--enterprises", "20000")
    assert done.returncode == 1 and "磁盘已满" in done.stderr
    assert "Traceback" not in done.stderr and "有限公司" not in done.stderr and "1" * 3 not in done.stderr
    (small_disk / "filler").unlink()
    listed = lvqi(data, "enterprise", "list", "--format", "json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["count"] == 0


def _disk_fills_after(services, pages: int) -> None:
    """SQLite's own SQLITE_FULL ("database or disk is full") once the file reaches `pages` pages."""
    engine = services.db.engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _limit(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")


def test_a_save_on_a_full_disk_says_so_and_keeps_every_earlier_record(services) -> None:
    used = services.db.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
    _disk_fills_after(services, used + 2)
    saved = 0
    with pytest.raises(DiskFull) as full:
        for i in range(2000):
            services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=i), name=f"吕梁满盘{i}号有限公司",
                                                      contact_phone="13912345678", address="离石区" + "长" * 150))
            saved += 1
    message = str(full.value)
    assert "磁盘已满" in message and "没有写入任何数据" in message and "请腾出至少" in message
    assert "13912345678" not in message and "满盘" not in message
    assert full.value.__cause__ is None and full.value.__suppress_context__
    assert len(services.enterprises.list_rows()) == saved


def test_the_log_is_owner_only_and_an_unexpected_error_logs_no_row_data(tmp_path: Path, capsys) -> None:
    from lvqi_desktop.cli import main
    from lvqi_desktop.storage.database import make_engine

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--county", "141102", "--preparer", "张三"]) == 0
    engine = make_engine(data / "lvqi.sqlite3")
    with engine.begin() as conn:  # a trigger makes the next insert fail in a way nobody foresaw
        conn.exec_driver_sql("CREATE TRIGGER boom BEFORE INSERT ON enterprise BEGIN SELECT RAISE(ABORT, 'boom'); END")
    engine.dispose()
    capsys.readouterr()
    code = main(["--data-dir", str(data), "enterprise", "add", "--uscc", make_uscc(seed=5), "--name", "吕梁秘密有限公司",
                 "--phone", "13987654321"])
    err = capsys.readouterr().err
    assert code == 1 and "程序内部出错" in err and "Traceback" not in err
    log = data / "logs" / "lvqi.log"
    text = log.read_text(encoding="utf-8")
    assert "boom" in text and "吕梁秘密" not in text and "13987654321" not in text
    if os.name != "nt":
        assert log.stat().st_mode & 0o777 == 0o600 and (data / "logs").stat().st_mode & 0o777 == 0o700
