"""Restore: the round trip, undoing a restore, refusals that change nothing, older and unreadable files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from lvqi_desktop import clock
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.database import make_engine
from tests.conftest import make_uscc
from tests.conftest import migrate_to
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import execute
from tests.storage.db_damage import gzip_file
from tests.storage.db_damage import scalar
from tests.storage.db_damage import sha
from tests.storage.db_damage import unpacked


def add_enterprises(services, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=9000 + i), name=f"恢复测试企业{i}有限公司",
                                                  township_code="141102001", industry_section="C"))


def names(services) -> list[str]:
    return sorted(r.name for r in services.enterprises.list_rows())


def snapshot_of(data_dir) -> tuple[str, list[str]]:
    """The live file's bytes (with its -wal) and the backups folder, to prove nothing changed."""
    wal = Path(str(data_dir.database) + "-wal")
    digest = sha(data_dir.database) + (sha(wal) if wal.exists() else "")
    return digest, sorted(p.name for p in data_dir.backups.iterdir())


def test_restore_round_trip_and_the_restore_can_itself_be_undone(services) -> None:
    add_enterprises(services, 3)
    backup_a = services.backups.backup("manual").path
    add_enterprises(services, 2, start=3)
    first = services.enterprises.list_rows()[0]
    draft = services.enterprises.draft(first.id)
    draft.name = "改过名字的企业有限公司"
    services.enterprises.save(draft, first.id)
    after_edits = names(services)

    result = services.backups.restore(backup_a, confirmed=True)
    assert result.services_stale and result.enterprises == 3
    restored = build_services(services.data_dir, result.database)
    assert names(restored) == [f"恢复测试企业{i}有限公司" for i in range(3)]
    assert result.safety_backup is not None and "before-restore" in result.safety_backup.name
    assert "如需撤销这次恢复" in result.message()
    assert scalar(services.data_dir.database, "PRAGMA integrity_check") == "ok"

    undo = restored.backups.restore(result.safety_backup, confirmed=True)
    assert names(build_services(services.data_dir, undo.database)) == after_edits
    undo.database.dispose()
    result.database.dispose()


def test_the_restored_history_gains_a_record_of_the_restore(services) -> None:
    add_enterprises(services, 1)
    made = services.backups.backup("manual")
    result = services.backups.restore(made.path, confirmed=True)
    restored = build_services(services.data_dir, result.database)
    rows = restored.history.list()
    assert rows[0].action == "restore_backup"
    assert made.path.name in rows[0].summary and rows[0].operator == "测试员"
    result.database.dispose()


def test_without_confirmation_nothing_happens(services) -> None:
    made = services.backups.backup("manual").path
    before = snapshot_of(services.data_dir)
    with pytest.raises(LvqiError, match="必须先确认"):
        services.backups.restore(made, confirmed=False)
    assert snapshot_of(services.data_dir) == before


def _not_sqlite(tmp: Path, good: Path) -> Path:
    bad = tmp / "lvqi-20261126-080000-manual.sqlite3.gz"
    bad.write_text("这是一个文本文件，不是备份", encoding="utf-8")
    return bad


def _gzip_of_text(tmp: Path, good: Path) -> Path:
    bad = tmp / "notes.sqlite3.gz"
    bad.write_bytes(gzip.compress("并不是数据库".encode() * 100))
    return bad


def _truncated_gzip(tmp: Path, good: Path) -> Path:
    bad = tmp / "cut.sqlite3.gz"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return bad


def _damaged_pages(tmp: Path, good: Path) -> Path:
    plain = unpacked(good, tmp / "plain.sqlite3")
    corrupt_pages(plain, first=5, count=8)
    return gzip_file(plain, tmp / "damaged.sqlite3.gz")


def _newer_program(tmp: Path, good: Path) -> Path:
    plain = unpacked(good, tmp / "plain.sqlite3")
    execute(plain, "UPDATE app_meta SET value='9.0.0' WHERE key='min_program_version'")
    return gzip_file(plain, tmp / "newer.sqlite3.gz")


def _newer_schema(tmp: Path, good: Path) -> Path:
    plain = unpacked(good, tmp / "plain.sqlite3")
    execute(plain, "UPDATE alembic_version SET version_num='9999_future'")
    return gzip_file(plain, tmp / "future.sqlite3.gz")


@pytest.mark.parametrize(("make_bad", "phrase"), [
    (_not_sqlite, "不是吕企台账的备份"),
    (_gzip_of_text, "不是吕企台账的备份"),
    (_truncated_gzip, "已损坏（无法解压"),
    (_damaged_pages, "已损坏"),
    (_newer_program, "需要 9.0.0 或更高版本"),
    (_newer_schema, "结构版本（9999_future）比本程序新"),
])
def test_a_bad_backup_is_refused_and_nothing_changes(services, tmp_path, make_bad, phrase: str) -> None:
    add_enterprises(services, 4)
    good = services.backups.backup("manual").path
    bad = make_bad(tmp_path, good)
    before = snapshot_of(services.data_dir)
    with pytest.raises(DatabaseRefused) as refused:
        services.backups.restore(bad, confirmed=True)
    assert phrase in str(refused.value)
    assert "当前数据没有任何改动" in str(refused.value)
    assert snapshot_of(services.data_dir) == before
    assert not any(p.name.endswith(".part") for p in services.data_dir.root.iterdir())
    assert services.enterprises.counts() == (4, 0)


def test_an_older_backup_is_migrated_when_restored(services, tmp_path) -> None:
    old = tmp_path / "old.sqlite3"
    migrate_to(make_engine(old), "0001")
    services.data_dir.backups.mkdir()
    backup = gzip_file(old, services.data_dir.backups / "lvqi-20250101-080000-manual.sqlite3.gz")
    result = services.backups.restore(backup, confirmed=True)
    assert scalar(services.data_dir.database, "SELECT version_num FROM alembic_version") == migrate.head_revision()
    assert any(b.reason == "before-migration" for b in services.backups.list_backups())
    result.database.dispose()


def test_an_unreadable_live_file_is_moved_aside_not_backed_up(services, tmp_path) -> None:
    add_enterprises(services, 2)
    good = services.backups.backup("manual").path
    services.db.dispose()
    for side in ("-wal", "-shm"):
        Path(str(services.data_dir.database) + side).unlink(missing_ok=True)
    services.data_dir.database.write_bytes(b"garbage " * 1000)
    offline = BackupService(services.data_dir, None)  # what the CLI uses when the database will not open
    result = offline.restore(good, confirmed=True)
    assert result.safety_backup is None and result.quarantined is not None
    assert (result.quarantined / "lvqi.sqlite3").read_bytes() == b"garbage " * 1000
    assert result.enterprises == 2 and "原来已损坏的数据库已原样移到" in result.message()
    result.database.dispose()


def test_a_plain_copy_from_a_stick_restores_too(services, tmp_path) -> None:
    add_enterprises(services, 2)
    copy = services.backups.copy_to(tmp_path / "副本.sqlite3").path
    add_enterprises(services, 1, start=2)
    result = services.backups.restore(copy, confirmed=True)
    assert result.enterprises == 2
    assert result.backup_created_at is not None and result.backup_created_at <= clock.now()
    result.database.dispose()
