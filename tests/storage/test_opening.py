"""Opening the database: refusals that must leave the file untouched, and migration at start-up."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import StorageRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.opening import open_database


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_altered(data_dir: DataDir, sql: str) -> None:
    """A new database, changed behind the program's back by `sql` (written through into the file itself)."""
    open_database(data_dir, "0.1.0").dispose()
    conn = sqlite3.connect(data_dir.database)
    conn.execute(sql)
    conn.commit()
    conn.execute("pragma wal_checkpoint(TRUNCATE)")
    conn.close()


def assert_refused_untouched(data_dir: DataDir, reason: str) -> None:
    """Opening the database is refused saying `reason`, and the file is left byte for byte as it was."""
    before = digest(data_dir.database)
    with pytest.raises(DatabaseRefused, match=reason):
        open_database(data_dir, "0.1.0")
    assert digest(data_dir.database) == before


def test_fresh_dir_gets_a_migrated_database_with_reference_data(data_dir: DataDir) -> None:
    engine = open_database(data_dir, "0.1.0")
    engine.dispose()
    conn = sqlite3.connect(data_dir.database)
    assert conn.execute("select count(*) from county").fetchone() == (13,)
    assert conn.execute("select count(*) from township").fetchone() == (154,)
    assert conn.execute("select count(*) from industry_section").fetchone() == (20,)
    assert conn.execute("select count(*) from size_class_rule").fetchone() == (16,)
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
    conn.close()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(data_dir: DataDir) -> None:
    data_dir.root.mkdir(parents=True)
    data_dir.database.write_text("这不是数据库" * 100, encoding="utf-8")
    assert_refused_untouched(data_dir, "不是 SQLite 文件")


def test_a_database_from_a_newer_program_is_refused_naming_the_version(data_dir: DataDir) -> None:
    database_altered(data_dir, "update app_meta set value='9.2.0' where key='min_program_version'")
    assert_refused_untouched(data_dir, "需要 9.2.0 或更高版本")


def test_an_unknown_schema_revision_is_refused(data_dir: DataDir) -> None:
    database_altered(data_dir, "update alembic_version set version_num='9999_future'")
    with pytest.raises(DatabaseRefused, match="比本程序新"):
        open_database(data_dir, "0.1.0")


def test_a_data_dir_that_cannot_be_written_is_refused(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageRefused, match="无法写入"):
        open_database(DataDir(blocker / "data"), "0.1.0")
