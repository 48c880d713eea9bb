"""Which backups to keep: the last N, one a day for a month, one a month for a year, under a size cap."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from pathlib import Path

from lvqi_desktop import atomic_files
from lvqi_desktop.storage.backup_names import BackupFile
from lvqi_desktop.storage.backup_names import list_backup_files
from lvqi_desktop.storage.backup_names import newest_first_key

log = logging.getLogger(__name__)

DEFAULT_MAX_TOTAL_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class RotationPolicy:
    keep_last: int = 10
    daily_days: int = 30  # the newest backup of each of the last 30 calendar days (today included)
    monthly_months: int = 12  # the newest backup of each of the last 12 calendar months (this one included)
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES  # then the oldest go first; the newest always stays


def _month_index(when: datetime) -> int:
    return when.year * 12 + when.month - 1


def choose_deletions(backups: Sequence[BackupFile], now: datetime, policy: RotationPolicy,
                     protect: frozenset[Path] = frozenset()) -> list[BackupFile]:
    """The backups the policy lets go, oldest first; never one in `protect` (e.g. the one being restored).

    Pure: decides on names, times and sizes only.
    """
    ordered = sorted(backups, key=newest_first_key, reverse=True)
    keep: set[Path] = {b.path for b in ordered[:policy.keep_last]}
    days_seen: set[object] = set()
    months_seen: set[int] = set()
    for b in ordered:
        day, month = b.created_at.date(), _month_index(b.created_at)
        if (now.date() - day).days < policy.daily_days and day not in days_seen:
            days_seen.add(day)
            keep.add(b.path)
        if _month_index(now) - month < policy.monthly_months and month not in months_seen:
            months_seen.add(month)
            keep.add(b.path)
    kept = [b for b in ordered if b.path in keep]
    total = sum(b.size for b in kept)
    for b in reversed(kept[1:]):  # over the cap: oldest first, never the newest
        if total <= policy.max_total_bytes:
            break
        keep.discard(b.path)
        total -= b.size
    return [b for b in reversed(ordered) if b.path not in keep and b.path not in protect]


@dataclass(frozen=True)
class Pruned:
    """What one rotation did: `deleted`, and `held` — old backups another program has open, left for next time."""

    deleted: list[Path] = field(default_factory=list)
    held: list[Path] = field(default_factory=list)

    def note(self) -> str:
        """One sentence for the clerk when some old backups could not be deleted now ("" otherwise)."""
        if not self.held:
            return ""
        return (f"有 {len(self.held)} 份较旧的备份暂时无法删除（可能正被压缩软件、杀毒软件或另一个窗口打开），"
                "新备份不受影响；下次备份时会再删除。")


def prune(folder: Path, now: datetime, policy: RotationPolicy, protect: frozenset[Path] = frozenset()) -> Pruned:
    """Delete the backups in `folder` the policy lets go; one that cannot be deleted now is skipped, not an error.

    A skipped one is still surplus to the policy, so the next rotation tries it again.
    """
    found = list_backup_files(folder)
    wanted = {p.resolve() for p in protect}
    protected = frozenset(b.path for b in found if b.path.resolve() in wanted)
    result = Pruned()
    for b in choose_deletions(found, now, policy, protected):
        if not b.path.exists():
            continue
        (result.deleted if atomic_files.discard(b.path) else result.held).append(b.path)
    if result.held:
        log.warning("rotation kept %d backup(s) another program holds: %s", len(result.held),
                    ", ".join(p.name for p in result.held))
    return result
