"""Durable file operations on the live database: fsync, replace it by a restored file, move it aside."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from lvqi_desktop import atomic_files
from lvqi_desktop.atomic_files import fsync_dir

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
ASIDE_SUFFIX = ".replaced"


def fsync_handle(fh: BinaryIO) -> None:
    """fsync an open file if it is a real one (an injected test writer may not be)."""
    try:
        fileno = fh.fileno()
    except (AttributeError, OSError, ValueError):
        return
    os.fsync(fileno)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def side_files(db: Path) -> list[Path]:
    return [db.with_name(db.name + suffix) for suffix in SIDE_SUFFIXES]


def checkpoint(db: Path) -> bool:
    """Fold the -wal file into the database; False when another connection kept it from finishing."""
    if not db.exists():
        return True
    conn = sqlite3.connect(db, timeout=5)
    try:
        busy: int = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        conn.close()
    return busy == 0


def replace_live_database(new_file: Path, live: Path) -> None:
    """Put `new_file` in place of `live` atomically; its old -wal/-shm/-journal never meet the new file.

    Every connection to `live` must be closed first. A kill at any moment leaves either the old
    database or the new one, each whole.
    """
    fsync_file(new_file)
    moved: list[tuple[Path, Path]] = []
    for side in side_files(live):
        aside = side.with_name(side.name + ASIDE_SUFFIX)
        atomic_files.remove(aside)
        if side.exists():
            atomic_files.replace(side, aside)
            moved.append((side, aside))
    try:
        atomic_files.replace(new_file, live)
    except BaseException:
        for side, aside in moved:
            atomic_files.replace(aside, side)
        raise
    fsync_dir(live.parent)
    for _side, aside in moved:
        atomic_files.discard(aside)


def quarantine(live: Path, folder: Path, now: datetime, why: str) -> Path:
    """Move the database and its side files, untouched, into a new dated sub-folder of `folder`."""
    target = folder / f"{now:%Y%m%d-%H%M%S}"
    seq = 1
    while target.exists():
        seq += 1
        target = folder / f"{now:%Y%m%d-%H%M%S}-{seq}"
    target.mkdir(parents=True)
    for path in [live, *side_files(live)]:
        if path.exists():
            atomic_files.replace(path, target / path.name)
    (target / "说明.txt").write_text(
        f"{now:%Y-%m-%d %H:%M:%S} 吕企台账把这个数据库文件移到这里，原样保存，没有改动。\n原因：{why}\n"
        "如需技术人员尝试修复，请把整个文件夹交给他们；不要把这些文件直接复制回数据文件夹。\n",
        encoding="utf-8")
    fsync_dir(folder)
    return target
