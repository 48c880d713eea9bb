"""A pool record as it stood on a day: tier, status, since when, and whether it had been moved out — from its timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from lvqi_desktop.storage.repositories.rows import AnyRow

LEAVING_STATUSES = frozenset({"withdrawn", "revoked", "expired"})  # 退库 / 撤销 / 到期: the firm left the pool
_MOVES = {"archive": True, "restore": False}
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class TimelineStep:
    """One dated timeline row of a record (CultivationEvent) as the returns read it."""

    kind: str
    on: date  # effective day, else the day it was made
    to_tier: str | None
    to_status: str | None


class RecordAt:
    """A pool row seen as at a day: `tier`, `status`, `status_date` and `archived_on` from the timeline; the rest
    (names, dates of titles, notes) as stored."""

    __slots__ = ("_row", "tier", "status", "status_date", "archived_on")

    def __init__(self, row: AnyRow, tier: str | None, status: str, status_date: date, archived_on: date | None) -> None:
        self._row = row
        self.tier, self.status, self.status_date, self.archived_on = tier, status, status_date, archived_on

    def __getattr__(self, name: str) -> Any:  # the stored row's columns (untyped SQL results)
        return getattr(self._row, name)


def record_at(row: AnyRow, steps: Sequence[TimelineStep], day: date) -> RecordAt:
    """The record as at `day`: the last tier and status its timeline reached by then, and whether it had been moved
    out. Without a dated state in its timeline (bulk inserted) the record is taken as stored, its status dated by
    its status date or entry date."""
    archived = row.archived_at
    moved_out = archived.date() if archived is not None and archived.date() <= day else None
    tier, status, since = row.tier, row.status, row.status_date or row.entered_on
    known = [s for s in steps if s.on <= day]
    if any(s.kind in _MOVES for s in steps):
        moved_out = None  # the timeline tells
    seen = ""
    for step in known:
        if step.kind in _MOVES:
            moved_out = step.on if _MOVES[step.kind] else None
        if not step.to_status:
            continue
        if step.to_status != seen or step.kind == "enter":
            since = step.on
        seen, status, tier = step.to_status, step.to_status, step.to_tier
    return RecordAt(row, tier, status, since, moved_out)


def ended_by(terminal: frozenset[str], r: RecordAt, day: date) -> bool:
    """Out of the pool by `day`: moved out, or in a leaving (退库/撤销/到期) or final (已入统 …) status since then."""
    if r.archived_on is not None and r.archived_on <= day:
        return True
    return (r.status in LEAVING_STATUSES or r.status in terminal) and r.status_date <= day


def in_pool_during(terminal: frozenset[str], r: RecordAt, start: date) -> bool:
    """In the pool at some time in the period: not out of it before `start` (the record is known by the end)."""
    return not ended_by(terminal, r, start - _ONE_DAY)


def left_in(terminal: frozenset[str], r: RecordAt, start: date, end: date) -> bool:
    """Left the pool within the period: in it when the period began (or entered since), then moved out, or
    退库/撤销/到期 dated in the period (a firm that had left before and is only moved out now is not counted)."""
    if not in_pool_during(terminal, r, start):
        return False
    if r.archived_on is not None and start <= r.archived_on <= end:
        return True
    return r.status in LEAVING_STATUSES and start <= r.status_date <= end


def finished_in(terminal: frozenset[str], r: RecordAt, start: date, end: date) -> bool:
    """Completed its cultivation within the period (已入统, 奖补兑现 …), not moved out."""
    return (r.archived_on is None and r.status in terminal and r.status not in LEAVING_STATUSES
            and start <= r.status_date <= end)

