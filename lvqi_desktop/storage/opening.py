"""Opening the database at start-up: refuse what we cannot use, back up, then migrate."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import text

from lvqi_desktop import clock
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import DiskFull
from lvqi_desktop.errors import StorageRefused
from lvqi_desktop.errors import is_disk_full
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.backups import create_backup
from lvqi_desktop.storage.database import make_engine
from lvqi_desktop.storage.file_checks import RefusalTexts
from lvqi_desktop.storage.file_checks import inspect_file
from lvqi_desktop.storage.schema import MIN_PROGRAM_VERSION
from lvqi_desktop.storage.schema import MIN_VERSION_KEY
from lvqi_desktop.storage.storage_guard import Detector
from lvqi_desktop.storage.storage_guard import check_location

log = logging.getLogger(__name__)


def ensure_writable(folder: Path) -> None:
    """Create the folder if needed and prove a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-", delete=True):
            pass
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull.at(folder) from exc
        raise StorageRefused(
            f"数据文件夹“{folder}”无法写入（{exc.strerror or exc}）。"
            "请换一个有写入权限的本地文件夹（用 --data-dir 指定），或请管理员开放权限。") from exc


def is_writable(folder: Path) -> bool:
    """True when a file can be created in the folder (False for a read-only folder or drive)."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-", delete=True):
            return True
    except OSError:
        return False


def is_read_only(data_dir: DataDir) -> bool:
    """True when the existing data folder, or its database file, cannot be written (never for a server)."""
    if data_dir.server or not data_dir.root.is_dir():
        return False
    db = data_dir.database
    return not is_writable(data_dir.root) or (db.exists() and not os.access(db, os.W_OK))


READ_ONLY_NOTICE = "数据以只读方式打开：可以查看、导出和拷贝副本，不能修改。"


def open_read_only(data_dir: DataDir, program_version: str) -> Engine:
    """An engine that cannot write, for a read-only folder or file (or when asked): no migration, no backup,
    no -wal/-shm when the folder refuses them. Refuses a missing, empty or outdated database."""
    db = data_dir.database
    if not db.exists() or db.stat().st_size == 0:
        raise DatabaseRefused(f"数据文件夹“{data_dir.root}”是只读的，其中没有可读取的数据库（{db.name}）。"
                              "请用 --data-dir 指定有数据的文件夹，或把数据文件夹复制到可写的位置后再运行。")
    revision = _inspect_existing(db, program_version)
    if revision != migrate.head_revision():
        raise DatabaseRefused(f"数据库“{db}”需要先升级结构才能由本版本打开，而数据文件夹是只读的，不能升级。"
                              "请把数据文件夹复制到可写的位置（或开放写入权限）后再运行；原文件没有被改动。")
    return make_engine(db, read_only=True, immutable=not is_writable(data_dir.root))


def owner_only(root: Path) -> None:
    """Personal data stays the owner's (PIPL): the data folder is closed to other local users, and every file
    or folder this program creates from now on (backups, logs, stored packages, copies) is owner-only.
    POSIX only; on Windows the per-user profile folder's ACL already does this."""
    if os.name == "nt":
        return
    os.umask(0o077)
    os.chmod(root, 0o700)


OPENING_TEXTS = RefusalTexts(
    not_sqlite="文件“{path}”不是吕企台账的数据库（不是 SQLite 文件），程序没有改动它。"
               "请检查数据文件夹，或用 --data-dir 指定正确的文件夹。",
    damaged="数据库文件“{path}”已损坏，无法读取（{detail}）。程序没有改动它，请从备份恢复。",
    newer_program="此数据库由更新版本的吕企台账写入，需要 {needed} 或更高版本才能打开"
                  "（当前程序版本 {version}）。程序没有改动它，请先升级程序。",
    newer_schema="此数据库的结构版本（{revision}）比本程序新，请升级吕企台账后再打开。程序没有改动它。",
)


def _inspect_existing(db: Path, program_version: str) -> str | None:
    """Refuse a file that is not SQLite, is damaged, or needs a newer program; return its revision."""
    return inspect_file(db, program_version, OPENING_TEXTS, allow_empty=True).revision


def _record_min_version(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO app_meta(key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
                     {"k": MIN_VERSION_KEY, "v": MIN_PROGRAM_VERSION})


def open_database(data_dir: DataDir, program_version: str, *, detect: Detector | None = None,
                  clock: Callable[[], datetime] = clock.now) -> Engine:
    """An engine on the data dir's database at the head schema; backs up before any migration.

    Refuses a network or removable drive before touching anything (`detect` is injectable for tests).
    """
    check_location(data_dir.root, detect)
    ensure_writable(data_dir.root)
    owner_only(data_dir.root)
    db = data_dir.database
    existed = db.exists() and db.stat().st_size > 0
    if db.exists() and not existed and any(data_dir.backups.glob("lvqi-*.sqlite3*")):
        raise DatabaseRefused(f"数据库文件“{db}”是空的（0 字节），而备份文件夹中有备份：数据丢失了，不是新装的程序。"
                              "程序没有改动它。请从最新的备份恢复（图形界面启动时会提供；命令行：lvqi backups 查看，"
                              "lvqi restore 文件名 --yes 恢复）。")
    revision = _inspect_existing(db, program_version) if existed else None
    head = migrate.head_revision()
    if revision != head:
        if existed:
            backup = create_backup(db, data_dir.backups, "before-migration", clock())  # rotated by the next backup
            log.info("backup before migration: %s", backup.path)
        engine = make_engine(db)
        migrate.upgrade_to_head(engine)
        _record_min_version(engine)
    else:
        engine = make_engine(db)
    if os.name != "nt":
        os.chmod(db, 0o600)
    return engine
