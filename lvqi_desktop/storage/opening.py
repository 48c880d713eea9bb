"""Opening the database at start-up: refuse what we cannot use, back up, then migrate."""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text

from lvqi_desktop.errors import DatabaseRefused, StorageRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.backup_copy import copy_database
from lvqi_desktop.storage.database import looks_like_sqlite, make_engine
from lvqi_desktop.storage.schema import MIN_PROGRAM_VERSION, MIN_VERSION_KEY, version_tuple

log = logging.getLogger(__name__)


def ensure_writable(folder: Path) -> None:
    """Create the folder if needed and prove a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-", delete=True):
            pass
    except OSError as exc:
        raise StorageRefused(
            f"数据文件夹“{folder}”无法写入（{exc.strerror or exc}）。"
            "请换一个有写入权限的本地文件夹（用 --data-dir 指定），或请管理员开放权限。") from exc


def _inspect_existing(db: Path, program_version: str) -> str | None:
    """Refuse a file that is not SQLite, is damaged, or needs a newer program; return its revision."""
    if not looks_like_sqlite(db):
        raise DatabaseRefused(f"文件“{db}”不是吕企台账的数据库（不是 SQLite 文件），程序没有改动它。"
                              "请检查数据文件夹，或用 --data-dir 指定正确的文件夹。")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            needed = None
            if "app_meta" in tables:
                row = conn.execute("SELECT value FROM app_meta WHERE key=?", (MIN_VERSION_KEY,)).fetchone()
                needed = row[0] if row else None
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"数据库文件“{db}”已损坏，无法读取（{exc}）。程序没有改动它，"
                              "请从备份恢复。") from exc
    if needed and version_tuple(needed) > version_tuple(program_version):
        raise DatabaseRefused(f"此数据库由更新版本的吕企台账写入，需要 {needed} 或更高版本才能打开"
                              f"（当前程序版本 {program_version}）。程序没有改动它，请先升级程序。")
    if revision and revision not in migrate.known_revisions():
        raise DatabaseRefused(f"此数据库的结构版本（{revision}）比本程序新，请升级吕企台账后再打开。"
                              "程序没有改动它。")
    return revision


def _record_min_version(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO app_meta(key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
                     {"k": MIN_VERSION_KEY, "v": MIN_PROGRAM_VERSION})


def open_database(data_dir: DataDir, program_version: str) -> Engine:
    """An engine on the data dir's database at the head schema; backs up before any migration."""
    ensure_writable(data_dir.root)
    db = data_dir.database
    existed = db.exists() and db.stat().st_size > 0
    revision = _inspect_existing(db, program_version) if existed else None
    head = migrate.head_revision()
    if revision != head:
        if existed:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = data_dir.backups / f"lvqi-{stamp}-before-upgrade.sqlite3"
            copy_database(db, target)
            log.info("backup before migration: %s", target)
        engine = make_engine(db)
        migrate.upgrade_to_head(engine)
        _record_min_version(engine)
    else:
        engine = make_engine(db)
    if os.name != "nt":
        os.chmod(db, 0o600)
    return engine
