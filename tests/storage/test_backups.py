"""Making backups: online backup API, single-file journal, integrity check, gzip, atomic rename, failures."""

from __future__ import annotations

import errno
import io
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import datetime
from pathlib import Path

import pytest

from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.storage.backup_names import list_backup_files
from lvqi_desktop.storage.backup_names import parse_backup_name
from lvqi_desktop.storage.backup_reading import file_kind
from lvqi_desktop.storage.backup_reading import read_counts
from lvqi_desktop.storage.backup_reading import unpack
from lvqi_desktop.storage.backups import create_backup
from lvqi_desktop.storage.backups import export_copy
from lvqi_desktop.storage.backups import remove_stale_parts
from tests.conftest import make_uscc
from tests.storage.db_damage import checkpoint
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import scalar
from tests.storage.db_damage import sha
from tests.storage.db_damage import unpacked

NOW = datetime(2026, 11, 26, 19, 30, 0)


def add_enterprises(services, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=5000 + i), name=f"备份测试企业{i}有限公司",
                                                  township_code="141102001", industry_section="C"))


class FullDisk(io.FileIO):
    """A file that runs out of space after `room` bytes, like a full USB stick."""

    room = 4096

    def write(self, data) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.room:
            super().write(bytes(data)[: max(0, self.room - self.tell())])
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def full_disk_opener(path: Path) -> FullDisk:
    return FullDisk(path, "w")


class CancelAtOnce:
    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def raise_if_cancelled(self) -> None:
        raise Cancelled()


def test_backup_is_a_compressed_verified_single_file_with_the_data_still_in_the_wal(services, tmp_path) -> None:
    add_enterprises(services, 3)
    live = services.data_dir.database
    assert Path(str(live) + "-wal").stat().st_size > 0  # committed rows may sit only in the -wal
    made = create_backup(live, tmp_path / "bk", "manual", NOW)
    assert made.path.name == "lvqi-20261126-193000-manual.sqlite3.gz"
    assert file_kind(made.path) == "gzip"
    assert [p.name for p in (tmp_path / "bk").iterdir()] == [made.path.name]  # no temp files left
    db = unpacked(made.path, tmp_path / "plain.sqlite3")
    assert scalar(db, "PRAGMA journal_mode") == "delete"
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    assert read_counts(db).enterprises == 3


def test_two_backups_in_one_second_get_numbered_and_list_newest_first(services, tmp_path) -> None:
    first = create_backup(services.data_dir.database, tmp_path, "manual", NOW)
    second = create_backup(services.data_dir.database, tmp_path, "manual", NOW)
    assert second.path.name == "lvqi-20261126-193000-manual-2.sqlite3.gz"
    assert [b.path for b in list_backup_files(tmp_path)] == [second.path, first.path]
    assert parse_backup_name("lvqi-20261126-193000-before-restore.sqlite3.gz") == (NOW, "before-restore", 1)
    assert parse_backup_name("lvqi-20261126-193000-before-upgrade.sqlite3") == (NOW, "before-migration", 1)
    assert parse_backup_name("notes.txt") is None


def test_a_full_disk_leaves_no_partial_file_and_the_live_database_untouched(services, tmp_path) -> None:
    add_enterprises(services, 5)
    live = services.data_dir.database
    wal = Path(str(live) + "-wal")
    before = (sha(live), sha(wal))
    folder = tmp_path / "bk"
    with pytest.raises(BackupFailed) as failed:
        create_backup(live, folder, "manual", NOW, opener=full_disk_opener)
    assert "磁盘空间不足" in str(failed.value)
    assert "未写完的备份文件已删除，当前数据库没有任何改动" in str(failed.value)
    assert list(folder.iterdir()) == []
    assert (sha(live), sha(wal)) == before
    assert services.enterprises.counts() == (5, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE and SIGXFSZ are POSIX")
def test_a_file_size_limit_in_a_real_process_fails_cleanly(services, tmp_path) -> None:
    add_enterprises(services, 5)
    live = services.data_dir.database
    checkpoint(live)
    before = sha(live)
    folder = tmp_path / "bk"
    limit = live.stat().st_size // 3  # too small for the snapshot SQLite writes
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from datetime import datetime
        from pathlib import Path
        from lvqi_desktop.errors import BackupFailed
        from lvqi_desktop.storage.backups import create_backup
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        try:
            create_backup(Path({str(live)!r}), Path({str(folder)!r}), "manual", datetime(2026, 11, 26, 19, 30))
        except BackupFailed as exc:
            print(exc)
            sys.exit(3)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 3, done.stderr
    assert "磁盘空间不足" in done.stdout
    assert list(folder.iterdir()) == []
    assert sha(live) == before


def test_a_damaged_database_gives_no_backup(services, tmp_path) -> None:
    add_enterprises(services, 20)
    services.db.dispose()
    checkpoint(services.data_dir.database)
    copy = tmp_path / "damaged.sqlite3"
    copy.write_bytes(services.data_dir.database.read_bytes())
    corrupt_pages(copy, first=5, count=8)
    folder = tmp_path / "bk"
    with pytest.raises(DatabaseRefused):
        create_backup(copy, folder, "manual", NOW)
    assert list(folder.iterdir()) == []


def test_cancelling_a_backup_leaves_nothing(services, tmp_path) -> None:
    folder = tmp_path / "bk"
    with pytest.raises(Cancelled):
        create_backup(services.data_dir.database, folder, "manual", NOW, progress=CancelAtOnce())
    assert list(folder.iterdir()) == []


def test_copy_to_a_folder_is_compressed_and_to_a_sqlite3_name_is_plain(services, tmp_path) -> None:
    add_enterprises(services, 2)
    stick = tmp_path / "usb"
    stick.mkdir()
    work = services.data_dir.backups
    gz = export_copy(services.data_dir.database, stick, work, NOW)
    assert gz == stick / "lvqi-20261126-193000-offsite.sqlite3.gz"
    plain = export_copy(services.data_dir.database, stick / "台账副本.sqlite3", work, NOW)
    assert file_kind(plain) == "sqlite"
    assert scalar(plain, "PRAGMA journal_mode") == "delete"
    assert read_counts(plain).enterprises == 2
    assert sorted(p.name for p in stick.iterdir()) == sorted([gz.name, plain.name])
    assert not any(p.name.endswith(".part") for p in work.iterdir())


def test_a_copy_that_reads_back_differently_is_deleted(services, tmp_path) -> None:
    class FlipsAByte(io.FileIO):
        def write(self, data) -> int:  # type: ignore[override]
            data = bytearray(data)
            if self.tell() <= 5000 < self.tell() + len(data):
                data[5000 - self.tell()] ^= 0xFF
            return super().write(data)

    stick = tmp_path / "usb"
    stick.mkdir()
    with pytest.raises(BackupFailed, match="读回校验不一致"):
        export_copy(services.data_dir.database, stick / "copy.sqlite3", tmp_path / "work", NOW,
                    opener=lambda p: FlipsAByte(p, "w"))
    assert list(stick.iterdir()) == []


def test_a_missing_destination_folder_is_refused(services, tmp_path) -> None:
    with pytest.raises(BackupFailed, match="不存在，请先插好 U 盘"):
        export_copy(services.data_dir.database, tmp_path / "no-stick", tmp_path / "work", NOW)


def test_unpack_refuses_a_file_that_is_not_a_backup(tmp_path) -> None:
    bogus = tmp_path / "lvqi-20261126-193000-manual.sqlite3.gz"
    bogus.write_text("这不是备份", encoding="utf-8")
    with pytest.raises(DatabaseRefused, match="不是吕企台账的备份"):
        unpack(bogus, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_only_old_temp_files_are_swept(tmp_path) -> None:
    old, fresh, mine = tmp_path / ".lvqi-a.part", tmp_path / ".lvqi-b.part", tmp_path / "notes.part"
    for p in (old, fresh, mine):
        p.write_text("x")
    disk_now = mine.stat().st_mtime  # ages are the folder's own: a held or moved program clock does not count
    os.utime(old, (disk_now - 7200, disk_now - 7200))
    os.utime(fresh, (disk_now - 60, disk_now - 60))
    remove_stale_parts(tmp_path, datetime(2041, 1, 1))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lvqi-b.part", "notes.part"]


def test_a_backup_taken_while_another_connection_writes_is_consistent(services, tmp_path) -> None:
    live = services.data_dir.database
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        conn = sqlite3.connect(live, timeout=10)
        n = 0
        while not stop.is_set():
            conn.execute("INSERT INTO setting(key, value) VALUES (?, '1')", (f"load.{n}",))
            conn.commit()
            n += 1
        conn.close()
        written.append(n)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made = [create_backup(live, tmp_path / "bk", "manual", NOW) for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    counts = []
    for i, m in enumerate(made):
        db = unpacked(m.path, tmp_path / f"plain{i}.sqlite3")
        assert scalar(db, "PRAGMA integrity_check") == "ok"
        counts.append(scalar(db, "SELECT count(*) FROM setting WHERE key LIKE 'load.%'"))
    assert counts == sorted(counts) and counts[-1] <= written[0]
