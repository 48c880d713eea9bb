"""Reading a backup file: what it is, unpacking it to a temp file, hashing it, counting its records."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage.file_checks import connect_readonly
from lvqi_desktop.storage.live_file import fsync_handle

GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 1 << 20


def file_kind(path: Path) -> str:
    """'gzip', 'sqlite' or 'other' from the first bytes of a file."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    return "sqlite" if head == SQLITE_MAGIC else "other"


def _reader(raw_fh: BinaryIO) -> BinaryIO:
    gz = raw_fh.read(2) == GZIP_MAGIC
    raw_fh.seek(0)
    return gzip.GzipFile(fileobj=raw_fh) if gz else raw_fh  # type: ignore[return-value]


def digest_of(path: Path, progress: Progress = NO_PROGRESS) -> str:
    """SHA-256 of the database bytes in a backup (decompressed when it is gzip), read from the disk."""
    digest = hashlib.sha256()
    with open(path, "rb") as raw_fh:
        fh = _reader(raw_fh)
        while chunk := fh.read(CHUNK):
            progress.raise_if_cancelled()
            digest.update(chunk)
    return digest.hexdigest()


def unpack(backup: Path, target: Path, progress: Progress = NO_PROGRESS) -> None:
    """Write the database inside `backup` (gzip or plain) to the new file `target`, fsynced.

    Raises DatabaseRefused when it is neither; a truncated or corrupt gzip raises OSError/EOFError/zlib.error.
    """
    if file_kind(backup) == "other":
        raise DatabaseRefused(f"文件“{backup}”不是吕企台账的备份（既不是压缩备份，也不是 SQLite 数据库）。")
    total = backup.stat().st_size
    try:
        with open(backup, "rb") as raw_fh, open(target, "wb") as out:
            src = _reader(raw_fh)
            while chunk := src.read(CHUNK):
                progress.raise_if_cancelled()
                out.write(chunk)
                progress.update(min(raw_fh.tell(), total), total, "正在解压备份…")
            out.flush()
            fsync_handle(out)
    except BaseException:
        atomic_files.discard(target)
        raise


@dataclass(frozen=True)
class RecordCounts:
    """How many records a database holds: current and archived enterprises, and rows per table."""

    enterprises: int
    archived_enterprises: int
    tables: dict[str, int]


# Reference data, identity and bookkeeping: not "records" a user would count.
_NOT_RECORDS = {"county", "township", "industry_section", "size_class_rule", "alembic_version", "app_meta",
                "setting", "office", "operator"}


def read_counts(db: Path) -> RecordCounts:
    """Count the records in a database file, opened read-only."""
    conn = connect_readonly(db)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        tables = {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])
                  for n in names if n not in _NOT_RECORDS}
        current = archived = 0
        if "enterprise" in names:
            current, archived = conn.execute(
                "SELECT count(*) - count(archived_at), count(archived_at) FROM enterprise").fetchone()
    finally:
        conn.close()
    return RecordCounts(int(current), int(archived), tables)
