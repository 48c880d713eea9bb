"""Backup rotation on a fake clock: exactly which backups are kept and which are deleted."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop.storage.backup_names import BackupFile
from lvqi_desktop.storage.backup_names import backup_name
from lvqi_desktop.storage.backup_rotation import RotationPolicy
from lvqi_desktop.storage.backup_rotation import choose_deletions
from lvqi_desktop.storage.backup_rotation import prune

NOW = datetime(2026, 11, 26, 19, 30)
MB = 1024 * 1024


def backup(when: datetime, size: int = MB, seq: int = 1) -> BackupFile:
    return BackupFile(Path(backup_name(when, "startup", seq)), when, "startup", size, seq)


DEFAULT = RotationPolicy()


def kept(backups: list[BackupFile], policy: RotationPolicy = DEFAULT) -> list[BackupFile]:
    gone = {b.path for b in choose_deletions(backups, NOW, policy)}
    return [b for b in backups if b.path not in gone]


def test_a_daily_backup_for_400_days_keeps_30_days_and_one_per_month_for_a_year() -> None:
    backups = [backup(datetime.combine(NOW.date() - timedelta(days=k), datetime.min.time()).replace(hour=2))
               for k in range(400)]
    days = {b.created_at.date() for b in kept(backups)}
    last_30 = {NOW.date() - timedelta(days=k) for k in range(30)}  # 2026-10-28 … 2026-11-26
    month_ends = {date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
                  date(2026, 5, 31), date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30)}
    assert days == last_30 | month_ends
    assert len(days) == 40


def test_many_backups_in_one_day_keep_the_last_ten() -> None:
    backups = [backup(NOW - timedelta(minutes=i)) for i in range(15)]
    deleted = choose_deletions(backups, NOW, RotationPolicy())
    assert deleted == list(reversed(backups[10:]))  # the five oldest, oldest first


def test_the_last_ten_are_kept_however_old_they_are() -> None:
    backups = [backup(NOW - timedelta(days=100 * k)) for k in range(12)]
    assert kept(backups) == backups[:10]


def test_same_second_backups_order_by_their_sequence_number() -> None:
    backups = [backup(NOW, seq=s) for s in (1, 2, 3)]
    assert choose_deletions(backups, NOW, RotationPolicy(keep_last=1, daily_days=0, monthly_months=0)) == \
        [backups[0], backups[1]]


def test_the_size_cap_deletes_oldest_first_beyond_the_keep_rules() -> None:
    backups = [backup(NOW - timedelta(days=k), size=300 * MB) for k in range(20)]
    policy = RotationPolicy(max_total_bytes=2048 * MB)
    assert kept(backups, policy) == backups[:6]  # 6 × 300 MB fit under 2 GB, 7 do not
    assert choose_deletions(backups, NOW, policy) == list(reversed(backups[6:]))


def test_the_newest_backup_stays_even_when_it_alone_exceeds_the_cap() -> None:
    backups = [backup(NOW - timedelta(hours=k), size=3 * 1024 * MB) for k in range(3)]
    assert kept(backups, RotationPolicy(max_total_bytes=2 * 1024 * MB)) == backups[:1]


def test_prune_deletes_only_backup_files(tmp_path: Path) -> None:
    names = [backup_name(NOW - timedelta(days=400 + k), "manual") for k in range(4)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "readme.txt").write_text("mine")
    (tmp_path / ".index.json").write_text("{}")
    deleted = prune(tmp_path, NOW, RotationPolicy(keep_last=2)).deleted
    assert [p.name for p in deleted] == [names[3], names[2]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".index.json", "readme.txt", names[0], names[1]])


def test_the_backup_being_restored_is_never_deleted() -> None:
    backups = [backup(NOW - timedelta(minutes=i)) for i in range(12)]
    deleted = choose_deletions(backups, NOW, DEFAULT, protect=frozenset({backups[11].path}))
    assert deleted == [backups[10]]
