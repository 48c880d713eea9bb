"""Backup file names (lvqi-20261126-193000-manual.sqlite3.gz): making, parsing, listing a folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REASONS: dict[str, str] = {
    "startup": "启动时自动备份",
    "before-migration": "升级数据库前",
    "before-import": "导入前",
    "before-merge": "合并前",
    "before-restore": "恢复前",
    "manual": "手动备份",
    "offsite": "拷出的副本",
}
_LEGACY_REASONS = {"before-upgrade": "before-migration"}  # the foundation's plain copies
_NAME = re.compile(r"^lvqi-(\d{8}-\d{6})-([a-z]+(?:-[a-z]+)*)(?:-(\d+))?\.sqlite3(\.gz)?$")


@dataclass(frozen=True)
class BackupFile:
    """One backup file found on disk, described by its name."""

    path: Path
    created_at: datetime
    reason: str
    size: int
    seq: int = 1  # 2, 3 … for a second backup within the same second

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")


def newest_first_key(backup: BackupFile) -> tuple[datetime, int, str]:
    """Sort key: sort with reverse=True for newest first."""
    return backup.created_at, backup.seq, backup.path.name


def backup_name(when: datetime, reason: str, seq: int = 1, compressed: bool = True) -> str:
    suffix = f"-{seq}" if seq > 1 else ""
    return f"lvqi-{when:%Y%m%d-%H%M%S}-{reason}{suffix}.sqlite3" + (".gz" if compressed else "")


def parse_backup_name(name: str) -> tuple[datetime, str, int] | None:
    """(time, reason, sequence number) from a backup file name, or None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        when = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    reason = _LEGACY_REASONS.get(match.group(2), match.group(2))
    return when, reason, int(match.group(3) or 1)


def backup_file(path: Path) -> BackupFile | None:
    """A BackupFile for a path whose name parses, else None."""
    parsed = parse_backup_name(path.name)
    if parsed is None or not path.is_file():
        return None
    return BackupFile(path, parsed[0], parsed[1], path.stat().st_size, parsed[2])


def list_backup_files(folder: Path) -> list[BackupFile]:
    """The backup files in `folder`, newest first; other files are ignored."""
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for entry in os.scandir(folder):
        parsed = parse_backup_name(entry.name)
        if parsed is None or not entry.is_file():
            continue
        found.append(BackupFile(Path(entry.path), parsed[0], parsed[1], entry.stat().st_size, parsed[2]))
    found.sort(key=newest_first_key, reverse=True)
    return found


def unique_target(folder: Path, when: datetime, reason: str, compressed: bool = True) -> Path:
    seq = 1
    while True:
        candidate = folder / backup_name(when, reason, seq, compressed)
        if not candidate.exists():
            return candidate
        seq += 1
