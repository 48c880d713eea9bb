"""Start-up and weekly checks: quick_check after an unclean exit, the failure path, recovery, full check."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc
from tests.storage.db_damage import checkpoint
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import gzip_file
from tests.storage.db_damage import sha
from tests.storage.db_damage import unpacked

T0 = datetime(2026, 11, 26, 9, 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def add_enterprises(services, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=11000 + i), name=f"检查测试企业{i}有限公司",
                                                  township_code="141102001", industry_section="C"))


def damage_live(services) -> str:
    """Close the database, fold the -wal in and overwrite pages; returns the damaged file's digest."""
    services.db.dispose()
    checkpoint(services.data_dir.database)
    corrupt_pages(services.data_dir.database, first=5, count=10)
    return sha(services.data_dir.database)


def test_a_clean_start_runs_no_check(services) -> None:
    report = HealthService(services.data_dir).check_at_start(unclean_exit=False)
    assert report.ok and report.check == "none"


def test_after_an_unclean_exit_a_good_file_passes_quick_check(services) -> None:
    health = HealthService(services.data_dir)
    assert health.begin_session() is False
    unclean = HealthService(services.data_dir).begin_session()  # the next start finds the marker
    report = health.check_at_start(unclean)
    assert unclean and report.ok and report.check == "quick_check"
    health.end_session_clean()
    assert HealthService(services.data_dir).begin_session() is False


def test_a_damaged_file_is_not_opened_for_editing_and_the_newest_good_backup_is_offered(services,
                                                                                        tmp_path) -> None:
    clock = Clock()
    backups = BackupService(services.data_dir, services.db, clock)
    add_enterprises(services, 3)
    good = backups.backup("manual")
    clock.now += timedelta(hours=1)
    newer_but_damaged = services.data_dir.backups / "lvqi-20261126-100000-manual.sqlite3.gz"
    plain = unpacked(good.path, tmp_path / "plain.sqlite3")
    corrupt_pages(plain, first=5, count=8)
    gzip_file(plain, newer_but_damaged)
    add_enterprises(services, 2, start=3)
    damaged_digest = damage_live(services)

    health = HealthService(services.data_dir, clock=clock)
    report = health.check_at_start(unclean_exit=True)
    assert not report.ok and report.check == "quick_check" and report.finding
    assert "现在不能编辑数据" in report.explanation
    assert str(services.data_dir.quarantine) in report.explanation
    assert report.newest_good_backup is not None and report.newest_good_backup.path == good.path
    assert "企业 3 家" in report.explanation
    assert sha(services.data_dir.database) == damaged_digest  # a check never writes

    result = health.recover(report.newest_good_backup.path)
    assert result.quarantined is not None and result.safety_backup is None
    assert sha(result.quarantined / "lvqi.sqlite3") == damaged_digest  # kept aside untouched
    restored = build_services(services.data_dir, result.database)
    assert restored.enterprises.counts() == (3, 0)
    assert HealthService(services.data_dir).check_at_start(unclean_exit=True).ok
    result.database.dispose()


def test_without_any_good_backup_the_explanation_says_what_to_do(services) -> None:
    damage_live(services)
    report = HealthService(services.data_dir).check_at_start(unclean_exit=True)
    assert not report.ok and report.newest_good_backup is None
    assert "没有找到完好的备份" in report.explanation


def test_the_full_check_runs_weekly_and_records_its_date(services) -> None:
    clock = Clock()
    health = HealthService(services.data_dir, services.db, clock)
    assert health.full_check_due()
    report = health.run_full_check()
    assert report.ok and report.check == "integrity_check"
    clock.now += timedelta(days=6, hours=23)
    assert not health.full_check_due()
    clock.now += timedelta(hours=1)
    assert health.full_check_due()


def test_the_full_check_reports_damage(services) -> None:
    damage_live(services)
    report = HealthService(services.data_dir).run_full_check()
    assert not report.ok and report.check == "integrity_check"


def test_no_database_yet_needs_no_check(tmp_path: Path) -> None:
    assert HealthService(DataDir(tmp_path / "new")).check_at_start(unclean_exit=True).ok
