"""Files Windows holds: antivirus scanning a new file, an old backup open in 7-Zip (issue 20, items 1–2).

Runs under tests/windows_sharing.py's rules whatever the command line says.
"""

from __future__ import annotations

import time
from datetime import datetime
from datetime import timedelta

import pytest

from lvqi_desktop import __version__
from lvqi_desktop import atomic_files
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.storage.database import make_engine
from lvqi_desktop.storage.opening import open_database
from tests.conftest import migrate_to
from tests.windows_sharing import windows_sharing

START = datetime(2026, 11, 26, 9, 0)


@pytest.fixture
def rules():
    with windows_sharing() as found:
        yield found


def test_a_new_file_held_for_a_moment_is_replaced_after_a_retry(tmp_path, rules) -> None:
    final = tmp_path / "报表.xlsx"
    with atomic_files.replacing(final) as temp:
        temp.write_bytes(b"new")
    assert final.read_bytes() == b"new"
    assert rules.refused == 1  # the "scan" of the fresh temp file was met and waited out
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]


def test_a_file_held_open_is_given_up_on_within_two_seconds_and_the_temp_removed(tmp_path, rules) -> None:
    final = tmp_path / "回执.lvqi-receipt"
    final.write_bytes(b"old")
    with open(final, "rb"):
        started = time.monotonic()
        with pytest.raises(PermissionError), atomic_files.replacing(final) as temp:
            temp.write_bytes(b"new")
        assert time.monotonic() - started < 2
    assert final.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["回执.lvqi-receipt"]


def test_a_backup_survives_antivirus_scanning_its_new_files(services, rules) -> None:
    made = BackupService(services.data_dir, services.db, lambda: START).backup("manual")
    assert made.path.exists() and rules.refused > 0
    assert [p.name for p in services.data_dir.backups.iterdir() if p.name.endswith(".part")] == []


def test_the_backup_before_an_upgrade_survives_antivirus(data_dir, rules) -> None:
    data_dir.root.mkdir(parents=True)
    migrate_to(make_engine(data_dir.database), "0001")
    upgraded = open_database(data_dir, __version__, clock=lambda: START)
    upgraded.dispose()
    assert [p.name for p in data_dir.backups.iterdir()] == ["lvqi-20261126-090000-before-migration.sqlite3.gz"]


def test_an_old_backup_held_open_is_skipped_and_deleted_by_a_later_backup(services, rules) -> None:
    now = [START]
    backups = BackupService(services.data_dir, services.db, lambda: now[0])
    first = backups.backup("manual").path
    for _ in range(9):  # ten backups: the eleventh lets the first go (keep_last=10)
        now[0] += timedelta(minutes=1)
        backups.backup("manual")
    now[0] += timedelta(minutes=1)
    with open(first, "rb"):  # 7-Zip, a virus scan or `lvqi backups` in another console reading it
        made = backups.backup("manual")
    assert made.path.exists() and first.exists()
    assert made.pruned == []
    assert "1 份较旧的备份暂时无法删除" in made.rotation_note
    now[0] += timedelta(minutes=1)
    later = backups.backup("manual")
    assert not first.exists() and first in later.pruned and later.rotation_note == ""
