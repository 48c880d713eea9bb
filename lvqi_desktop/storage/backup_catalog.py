"""What each backup holds (schema, record counts), read from a decompressed temp copy and cached."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zlib
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage.backup_names import BackupFile
from lvqi_desktop.storage.backup_names import list_backup_files
from lvqi_desktop.storage.backup_reading import RecordCounts
from lvqi_desktop.storage.backup_reading import read_counts
from lvqi_desktop.storage.backup_reading import unpack
from lvqi_desktop.storage.file_checks import QUICK
from lvqi_desktop.storage.file_checks import read_facts
from lvqi_desktop.storage.file_checks import run_check

INDEX_NAME = ".index.json"
_INDEX_VERSION = 2  # 2: entries read before backups were quick-checked are read again


@dataclass(frozen=True)
class BackupDetails:
    """A backup file with what is inside it; `unreadable` says why it could not be read."""

    file: BackupFile
    revision: str | None = None
    min_program_version: str | None = None
    counts: RecordCounts | None = None
    unreadable: str | None = None


def details_of_database(backup: BackupFile, db: Path) -> BackupDetails:
    """Facts and counts of an unpacked database file (read-only)."""
    try:
        facts = read_facts(db)
        counts = read_counts(db)
    except sqlite3.DatabaseError as exc:
        return BackupDetails(backup, unreadable=f"无法读取（{exc}）")
    return BackupDetails(backup, facts.revision, facts.min_program_version, counts)


def read_details(backup: BackupFile, work_dir: Path, progress: Progress = NO_PROGRESS) -> BackupDetails:
    """Unpack `backup` into a temp file in `work_dir`, read it, delete the temp file."""
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = work_dir / f".lvqi-read-{os.getpid()}-{backup.path.name}.part"
    try:
        unpack(backup.path, tmp, progress)
        finding = run_check(tmp, QUICK, progress, private=True)  # a damaged page is never listed as usable
        if finding is not None:
            return BackupDetails(backup, unreadable=f"完整性检查未通过（{finding[:120]}），不能用来恢复")
        return details_of_database(backup, tmp)
    except DatabaseRefused:
        return BackupDetails(backup, unreadable="不是吕企台账的备份文件")
    except (OSError, EOFError, zlib.error) as exc:
        return BackupDetails(backup, unreadable=f"文件已损坏，无法解压（{exc}）")
    finally:
        atomic_files.discard(tmp)


def _key(backup: BackupFile) -> str:
    try:
        st = backup.path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _load_index(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _INDEX_VERSION:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _save_index(folder: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Best effort: the index only saves time, so failing to write it is not an error."""
    if not os.access(folder, os.W_OK):  # a read-only folder: not even a temp file to clean up
        return
    try:
        with atomic_files.replacing(folder / INDEX_NAME, temp=folder / f".{INDEX_NAME}.{os.getpid()}.tmp") as tmp:
            tmp.write_text(json.dumps({"version": _INDEX_VERSION, "entries": entries}, ensure_ascii=False),
                           encoding="utf-8")
    except OSError:
        pass


def _to_entry(backup: BackupFile, details: BackupDetails) -> dict[str, Any]:
    return {"key": _key(backup), "revision": details.revision, "min_program_version": details.min_program_version,
            "counts": asdict(details.counts) if details.counts else None, "unreadable": details.unreadable}


def _from_entry(backup: BackupFile, entry: dict[str, Any]) -> BackupDetails | None:
    try:
        if entry["key"] != _key(backup):
            return None
        counts = RecordCounts(**entry["counts"]) if entry["counts"] else None
        return BackupDetails(backup, entry["revision"], entry["min_program_version"], counts, entry["unreadable"])
    except (KeyError, TypeError):
        return None


def remember(folder: Path, details: BackupDetails) -> None:
    """Record a new backup's details (read from its snapshot) so listing it costs nothing."""
    entries = _load_index(folder)
    entries[details.file.path.name] = _to_entry(details.file, details)
    _save_index(folder, entries)


def describe_folder(folder: Path, progress: Progress = NO_PROGRESS) -> list[BackupDetails]:
    """Every backup in `folder`, newest first, with its details (cached in .index.json by size and mtime)."""
    backups = list_backup_files(folder)
    entries = _load_index(folder)
    # a read-only folder (a write-protected stick): unpack in the system's temp folder, or every backup would
    # look damaged
    work_dir = folder if os.access(folder, os.W_OK) else Path(tempfile.gettempdir())
    result: list[BackupDetails] = []
    changed = False
    for n, backup in enumerate(backups):
        progress.raise_if_cancelled()
        progress.update(n, len(backups), "正在读取备份内容…")
        cached = _from_entry(backup, entries[backup.path.name]) if backup.path.name in entries else None
        if cached is None:
            cached = read_details(backup, work_dir, NO_PROGRESS)
            entries[backup.path.name] = _to_entry(backup, cached)
            changed = True
        result.append(cached)
    names = {b.path.name for b in backups}
    if changed or set(entries) - names:
        _save_index(folder, {k: v for k, v in entries.items() if k in names})
    progress.update(len(backups), len(backups), "")
    return result
