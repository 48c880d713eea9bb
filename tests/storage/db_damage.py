"""Test helpers that damage or age a database file on purpose (copies only, never a user's data)."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
from pathlib import Path

PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checkpoint(db: Path) -> None:
    """Fold the -wal into the file so the file alone holds everything."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def corrupt_pages(db: Path, first: int = 4, count: int = 6) -> None:
    """Overwrite whole pages (1-based page numbers, page 1 kept) with garbage."""
    with open(db, "r+b") as fh:
        fh.seek((first - 1) * PAGE)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(PAGE * count)))


def execute(db: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, params)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def scalar(db: Path, sql: str) -> object:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def gzip_file(source: Path, target: Path) -> Path:
    target.write_bytes(gzip.compress(source.read_bytes()))
    return target


def unpacked(backup: Path, target: Path) -> Path:
    target.write_bytes(gzip.decompress(backup.read_bytes()))
    return target
