"""Which backups to keep: the last N, one a day for a month, one a month for a year, under a size cap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lvqi_desktop.storage.backup_names import BackupFile, list_backup_files, newest_first_key

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


def prune(folder: Path, now: datetime, policy: RotationPolicy, protect: frozenset[Path] = frozenset()) -> list[Path]:
    """Delete the backups in `folder` the policy lets go; returns what was deleted."""
    found = list_backup_files(folder)
    wanted = {p.resolve() for p in protect}
    protected = frozenset(b.path for b in found if b.path.resolve() in wanted)
    deleted = []
    for b in choose_deletions(found, now, policy, protected):
        try:
            b.path.unlink()
        except FileNotFoundError:
            continue
        deleted.append(b.path)
    return deleted
