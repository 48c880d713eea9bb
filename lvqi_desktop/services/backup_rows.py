"""What the backup service hands to the faces: backups as listed, a backup made, a copy made, a restore."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from lvqi_desktop.storage.backup_catalog import BackupDetails
from lvqi_desktop.storage.file_checks import FileFacts
from lvqi_desktop.storage.file_checks import too_new
from lvqi_desktop.storage.unit_of_work import Database

TABLE_LABELS = {"enterprise": "企业", "enterprise_year": "企业年度数据", "helper": "帮扶干部", "visit": "走访记录",
                "demand": "企业诉求", "change_record": "修改记录"}


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024**3:.2f} GB"


def age_text(age: timedelta) -> str:
    seconds = max(age.total_seconds(), 0)
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时前"
    return f"{int(seconds // 86400)} 天前"


@dataclass(frozen=True)
class BackupInfo:
    """One backup as "从备份恢复…" lists it; `problem` (Chinese) is set when it cannot be restored."""

    path: Path
    created_at: datetime
    reason: str
    reason_label: str
    size_bytes: int
    enterprises: int | None
    archived_enterprises: int | None
    counts: dict[str, int]
    schema_revision: str | None
    problem: str | None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def usable(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        """"2026-11-26 19:30 手动备份，企业 65000 家，12.3 MB"."""
        what = f"企业 {self.enterprises} 家" if self.enterprises is not None else "内容未知"
        if self.archived_enterprises:
            what += f"（另有已归档 {self.archived_enterprises} 家）"
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.reason_label}，{what}，{size_text(self.size_bytes)}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file_name, "path": str(self.path), "created_at": self.created_at.isoformat(),
                "reason": self.reason, "reason_label": self.reason_label, "size_bytes": self.size_bytes,
                "enterprises": self.enterprises, "archived_enterprises": self.archived_enterprises,
                "counts": self.counts, "schema_revision": self.schema_revision, "usable": self.usable,
                "problem": self.problem}


def info_from_details(details: BackupDetails, program_version: str) -> BackupInfo:
    b, counts = details.file, details.counts
    problem = details.unreadable and f"备份文件{details.unreadable}，不能用来恢复"
    if problem is None:
        verdict = too_new(FileFacts(details.revision, details.min_program_version, frozenset()), program_version)
        if verdict == "program":
            problem = f"需要吕企台账 {details.min_program_version} 或更高版本才能恢复"
        elif verdict == "schema":
            problem = f"结构版本（{details.revision}）比本程序新，请先升级程序"
    return BackupInfo(b.path, b.created_at, b.reason, b.reason_label, b.size, counts.enterprises if counts else None,
                      counts.archived_enterprises if counts else None, dict(counts.tables) if counts else {},
                      details.revision, problem)


@dataclass(frozen=True)
class BackupMade:
    """A backup just written (and verified); `pruned` are the old ones rotation deleted, `rotation_note` says
    which it could not delete now."""

    path: Path
    created_at: datetime
    reason: str
    size_bytes: int
    seconds: float
    pruned: list[Path] = field(default_factory=list)
    rotation_note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "file": self.path.name, "created_at": self.created_at.isoformat(),
                "reason": self.reason, "size_bytes": self.size_bytes, "seconds": round(self.seconds, 3),
                "pruned": [p.name for p in self.pruned], "rotation_note": self.rotation_note}


@dataclass(frozen=True)
class OffsiteCopy:
    """A copy written outside the data dir (a USB stick) and verified by reading it back."""

    path: Path
    created_at: datetime
    size_bytes: int
    compressed: bool
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "created_at": self.created_at.isoformat(), "size_bytes": self.size_bytes,
                "compressed": self.compressed, "verified": True, "seconds": round(self.seconds, 3)}


@dataclass
class RestoreResult:
    """A finished restore. The old engine is closed: the caller must rebuild its services on `database`."""

    restored_from: Path
    backup_created_at: datetime | None
    enterprises: int
    archived_enterprises: int
    safety_backup: Path | None  # restore this one to undo the restore
    quarantined: Path | None  # where an unreadable current database was moved, untouched
    database: Database
    services_stale: bool = True

    def message(self) -> str:
        when = f"（{self.backup_created_at:%Y-%m-%d %H:%M} 的备份）" if self.backup_created_at else ""
        text = f"已从“{self.restored_from.name}”{when}恢复，现有企业 {self.enterprises} 家。"
        if self.safety_backup is not None:
            text += f"恢复前的数据已备份为“{self.safety_backup.name}”，如需撤销这次恢复，请从它恢复。"
        if self.quarantined is not None:
            text += f"原来已损坏的数据库已原样移到“{self.quarantined}”。"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"restored_from": str(self.restored_from),
                "backup_created_at": self.backup_created_at.isoformat() if self.backup_created_at else None,
                "enterprises": self.enterprises, "archived_enterprises": self.archived_enterprises,
                "safety_backup": str(self.safety_backup) if self.safety_backup else None,
                "quarantined": str(self.quarantined) if self.quarantined else None, "message": self.message()}


@dataclass(frozen=True)
class ServerBackup:
    """A pg_dump of the city's server database, recorded in that database so every clerk's start page shows it:
    made by the program (`lvqi backup --out`) or made by IT's own schedule and recorded (`lvqi backup --record`)."""

    recorded_at: datetime
    file_name: str
    size_bytes: int
    operator: str
    made_here: bool  # the program ran pg_dump itself

    def summary(self, now: datetime) -> str:
        """"2026-12-05 02:30（1 天前，pg_dump 文件 lvqi-20261205.dump，1.2 GB）"."""
        return (f"{self.recorded_at:%Y-%m-%d %H:%M}（{age_text(now - self.recorded_at)}，pg_dump 文件 "
                f"{self.file_name}，{size_text(self.size_bytes)}）")

    def to_json(self) -> dict[str, Any]:
        return {"recorded_at": self.recorded_at.isoformat(timespec="seconds"), "file": self.file_name,
                "size_bytes": self.size_bytes, "operator": self.operator, "made_here": self.made_here}

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @staticmethod
    def from_json_text(raw: str | None) -> ServerBackup | None:
        """The recorded backup, or None when nothing (or nothing readable) is recorded."""
        try:
            value = json.loads(raw) if raw else None
            if not isinstance(value, dict):
                return None
            return ServerBackup(datetime.fromisoformat(str(value["recorded_at"])), str(value["file"]),
                                int(value["size_bytes"]), str(value.get("operator", "")),
                                bool(value.get("made_here", False)))
        except (KeyError, TypeError, ValueError):
            return None
