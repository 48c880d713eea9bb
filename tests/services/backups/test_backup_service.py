"""BackupService on a fake clock: start-up backups, rotation, listing with counts, copies off the laptop."""

from __future__ import annotations

import errno
import io
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import NotFound
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc
from tests.storage.db_damage import execute

START = datetime(2026, 11, 26, 9, 0)


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def add_enterprises(services, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=7000 + i), name=f"服务测试企业{i}有限公司",
                                                  township_code="141102001", industry_section="C"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backups(services, clock) -> BackupService:
    return BackupService(services.data_dir, services.db, clock)


def test_the_start_up_backup_runs_only_when_the_last_is_a_day_old(backups: BackupService, clock: Clock) -> None:
    assert backups.last_backup_age() is None
    first = backups.backup_if_due()
    assert first is not None and first.reason == "startup"
    clock.advance(hours=23)
    assert backups.backup_if_due() is None
    assert backups.last_backup_age() == timedelta(hours=23)
    clock.advance(hours=1)
    assert backups.backup_if_due() is not None
    assert "最近一次备份：2026-11-27 09:00" in backups.describe_last_backup()


def test_each_backup_rotates_the_folder(backups: BackupService, clock: Clock) -> None:
    for _ in range(12):
        backups.backup("manual")
        clock.advance(minutes=1)
    names = [b.file_name for b in backups.list_backups()]
    assert len(names) == 10
    assert names[0] == "lvqi-20261126-091100-manual.sqlite3.gz"
    assert names[-1] == "lvqi-20261126-090200-manual.sqlite3.gz"


def test_the_size_cap_setting_is_used(backups: BackupService) -> None:
    assert backups.max_total_bytes() == 2 * 1024**3
    backups.set_max_total_mb(500)
    assert backups.policy().max_total_bytes == 500 * 1024 * 1024
    with pytest.raises(Exception, match="不能小于 100 MB"):
        backups.set_max_total_mb(10)


def test_the_list_shows_date_size_kind_and_record_counts(services, backups: BackupService, clock: Clock) -> None:
    add_enterprises(services, 3)
    backups.backup("before-import")
    clock.advance(minutes=5)
    add_enterprises(services, 2, start=3)
    services.enterprises.archive(services.enterprises.list_rows()[0].id, "测试")
    backups.backup("manual")
    newest, older = backups.list_backups()
    assert (newest.reason, newest.reason_label, newest.enterprises, newest.archived_enterprises) == \
        ("manual", "手动备份", 4, 1)
    assert (older.reason_label, older.enterprises, older.created_at) == ("导入前", 3, START)
    assert newest.counts["enterprise"] == 5 and newest.size_bytes == newest.path.stat().st_size
    assert newest.usable and "企业 4 家（另有已归档 1 家）" in newest.summary()


def test_listing_reads_backups_it_has_not_seen_and_flags_bad_ones(services, backups: BackupService) -> None:
    add_enterprises(services, 2)
    made = backups.backup("manual")
    (services.data_dir.backups / ".index.json").unlink()  # as if copied in from elsewhere
    (services.data_dir.backups / "lvqi-20260101-080000-manual.sqlite3.gz").write_bytes(b"\x1f\x8b broken")
    listed = {b.file_name: b for b in backups.list_backups()}
    assert listed[made.path.name].enterprises == 2
    broken = listed["lvqi-20260101-080000-manual.sqlite3.gz"]
    assert not broken.usable and "不能用来恢复" in (broken.problem or "")


def test_a_backup_from_a_newer_program_is_listed_as_not_restorable(services, backups: BackupService,
                                                                   tmp_path: Path) -> None:
    execute(services.data_dir.database, "UPDATE app_meta SET value='9.0.0' WHERE key='min_program_version'")
    backups.backup("manual")
    assert "需要吕企台账 9.0.0 或更高版本" in (backups.list_backups()[0].problem or "")


def test_a_full_disk_fails_with_a_clear_message_and_leaves_nothing(services) -> None:
    class Full(io.FileIO):
        def write(self, data) -> int:  # type: ignore[override]
            raise OSError(errno.ENOSPC, "No space left on device")

    service = BackupService(services.data_dir, services.db, opener=lambda p: Full(p, "w"))
    with pytest.raises(BackupFailed, match="磁盘空间不足.*当前数据库没有任何改动"):
        service.backup("manual")
    assert list(services.data_dir.backups.iterdir()) == []


def test_copy_off_the_laptop_records_the_date_and_the_weekly_reminder(services, backups: BackupService,
                                                                      clock: Clock, tmp_path: Path) -> None:
    assert backups.offsite_reminder() is None  # nothing to lose yet
    add_enterprises(services, 1)
    assert "还没有把数据拷出过这台电脑" in (backups.offsite_reminder() or "")
    stick = tmp_path / "usb"
    stick.mkdir()
    copy = backups.copy_to(stick)
    assert copy.path.parent == stick and copy.compressed
    assert backups.last_offsite_copy() == START.replace(microsecond=0)
    assert backups.offsite_reminder() is None
    clock.advance(days=6, hours=23)
    assert backups.offsite_reminder() is None
    clock.advance(hours=1)
    assert "上次把数据拷出这台电脑是 2026-11-26（7 天前）" in (backups.offsite_reminder() or "")
    assert backups.offsite_status() == "最近一次拷出本机：2026-11-26（7 天前）。"


def test_find_backup_takes_a_path_or_a_name_in_the_folder(services, backups: BackupService) -> None:
    made = backups.backup("manual")
    assert backups.find_backup(made.path.name) == made.path
    assert backups.find_backup(str(made.path)) == made.path.resolve()
    with pytest.raises(NotFound, match="lvqi backups"):
        backups.find_backup("lvqi-19990101-000000-manual.sqlite3.gz")


def test_the_settings_page_text_says_where_and_why(backups: BackupService, services) -> None:
    text = backups.location_text()
    assert str(services.data_dir.root) in text and "必须放在这台电脑自己的硬盘上" in text
