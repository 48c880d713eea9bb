"""The 汇总表's and the start page's pool counts in SQL: each record's state on a day from its timeline, then counted.

The state follows services/pool_state.record_at and the counts services/returns/pool_summary.count_pool; the rules
(which statuses end the cultivation, hold a title, leave the pool) come from the caller. tests/services/returns/
test_pool_counts_sql.py holds them equal to the Python counting on tricky timelines, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import Date
from sqlalchemy import String
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import null
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import type_coerce
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.storage.id_sequences import server_setting_off
from lvqi_desktop.storage.portable_sql import day_of

MOVES = ("archive", "restore")
DONE_DAYS = {"recognized": CultivationRecord.recognized_on, "completed": CultivationRecord.completed_on,
             "listed": CultivationRecord.listed_on}


@dataclass(frozen=True)
class PoolRules:
    """What the counting needs to know of a pool: the statuses that leave it, end the cultivation or hold a
    title, and what `recognized` counts ('recognized', 'completed', 'listed': that date in the period;
    'above_scale': status `entered` with 入统年月 in the period)."""

    leaving: Collection[str]
    terminal: Collection[str]
    held: Collection[str]
    done: str


@dataclass(frozen=True)
class PoolCountRow:
    """The counts of one pool's records of one county in one tier; `kept`: the records the city total keeps (one
    per USCC)."""

    pool: str
    county_code: str
    tier: str | None
    kept: bool
    first: int  # the lowest record id of the group: the order count_pool meets the tiers in
    in_pool: int
    held: int
    entered: int
    recognized: int
    left: int


def _sum_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _within(day: Any, start: date, end: date) -> ColumnElement[bool]:
    return and_(day.is_not(None), day >= start, day <= end)


class PoolCounts:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _firm_columns(r: type[CultivationRecord], rules: Mapping[str, PoolRules], joined: bool,
                      dedup: bool) -> tuple[Any, Any, Any]:
        """(county, 入统年月, kept) of a record's firm: from the joined register, or, when nothing is split by
        county, the 入统年月 alone looked up for the records of the pools counting it (no scan of a million firms)."""
        if not joined:
            since = select(Enterprise.above_scale_since).where(Enterprise.id == r.enterprise_id).scalar_subquery()
            counted = [code for code, rule in rules.items() if rule.done == "above_scale"]
            return literal(""), case((r.pool.in_(counted), since), else_=null()), literal(True)
        kept: Any = literal(True)
        county = func.coalesce(Enterprise.county_code, "")
        if dedup:
            firm = func.coalesce(func.nullif(Enterprise.uscc, ""), literal("#") + cast(r.enterprise_id, String))
            kept = func.first_value(r.enterprise_id).over(partition_by=(r.pool, firm),
                                                          order_by=(county, r.id)) == r.enterprise_id
        return county, Enterprise.above_scale_since, kept

    @staticmethod
    def _timeline(pools: Mapping[str, PoolRules], county_code: str, day: date) -> tuple[Any, Any]:
        """Per record of `pools` (of `county_code`) entered by `day`, from its timeline: (status, tier and status
        date of the last status step known by `day`; the day it was moved out, when its timeline has moves)."""
        e, r = CultivationEvent, CultivationRecord
        on = func.coalesce(e.effective_on, day_of(e.happened_at)).label("on")
        steps = select(e.id, e.record_id, e.kind, e.to_tier, e.to_status, on).where(e.archived_at.is_(None))
        if county_code:  # the city reads every timeline: the records not counted drop out when joined (_states)
            steps = (steps.join(r, r.id == e.record_id).join(Enterprise, Enterprise.id == r.enterprise_id)
                     .where(r.pool.in_(list(pools)), r.entered_on <= day, Enterprise.county_code == county_code))
        s = steps.subquery("steps")
        # the status steps known by `day`: the last one gives status and tier, the last that changed the status
        # (or re-entered) gives the status date; LAG over the known steps is LAG over all (they come first)
        order = (s.c.on, s.c.id)  # one window, one sort
        known = (select(s.c.record_id, s.c.kind, s.c.on, s.c.to_tier, s.c.to_status,
                        func.lag(s.c.to_status).over(partition_by=s.c.record_id, order_by=order).label("prev"),
                        func.lead(s.c.id).over(partition_by=s.c.record_id, order_by=order).label("next"))
                 .where(s.c.to_status != "", s.c.on <= day).subquery("known"))
        started = or_(known.c.kind == "enter", known.c.prev.is_(None), known.c.prev != known.c.to_status)
        final = known.c.next.is_(None)
        status = (select(known.c.record_id,
                         func.max(case((final, known.c.to_status))).label("status"),
                         func.max(case((final, known.c.to_tier))).label("tier"),
                         func.max(case((started, known.c.on))).label("since"))
                  .group_by(known.c.record_id).subquery("status"))
        # any move (archive/restore) in the timeline overrides the stored archived_at; the last known one tells
        last = func.row_number().over(partition_by=s.c.record_id,
                                      order_by=(case((s.c.on <= day, 0), else_=1), s.c.on.desc(), s.c.id.desc()))
        moves = select(s.c.record_id, s.c.kind, s.c.on, last.label("rn")).where(s.c.kind.in_(MOVES)).subquery("moves")
        moved = (select(moves.c.record_id,
                        func.max(case((and_(moves.c.rn == 1, moves.c.kind == "archive", moves.c.on <= day),
                                       moves.c.on))).label("out"))
                 .group_by(moves.c.record_id).subquery("moved"))
        return status, moved

    def _states(self, pools: Mapping[str, PoolRules], county_code: str, day: date, by_county: bool, dedup: bool) -> Any:
        """One row per record of `pools` entered by `day`: its tier, status, status date and moved-out day as at
        `day` by its timeline (pool_state.record_at), with the stored dates counted and the firm's county;
        `kept` (with `dedup`): the firm's first record of its pool by county then id under its USCC (one_per_firm)."""
        r = CultivationRecord
        status, moved = self._timeline(pools, county_code, day)
        stored_out = day_of(r.archived_at)
        has_status = status.c.status.is_not(None)
        county, above_scale, kept = self._firm_columns(r, pools, by_county or dedup or bool(county_code), dedup)
        stmt = (select(r.id, r.pool, county.label("county_code"),
                       case((has_status, status.c.tier), else_=r.tier).label("tier"),
                       func.coalesce(status.c.status, r.status).label("status"),
                       case((has_status, status.c.since),
                            else_=func.coalesce(r.status_on, r.entered_on)).label("since"),
                       case((moved.c.record_id.is_not(None), moved.c.out),
                            else_=case((stored_out <= day, stored_out), else_=null())).label("out"),
                       kept.label("kept"), r.entered_on, r.recognized_on, r.completed_on, r.listed_on,
                       above_scale.label("above_scale_since"))
                .outerjoin(status, status.c.record_id == r.id)
                .outerjoin(moved, moved.c.record_id == r.id)
                .where(r.pool.in_(list(pools)), r.entered_on <= day))
        if county_code or by_county or dedup:
            stmt = stmt.join(Enterprise, Enterprise.id == r.enterprise_id)
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        return stmt.subquery("state")

    def counts(self, rules: Mapping[str, PoolRules], county_code: str, day: date, start: date, end: date,
               by_county: bool = True, dedup: bool = False) -> list[PoolCountRow]:
        """Counts per pool (those of `rules`), county ('' for none), tier and `kept` of the records (of
        `county_code`, '' for all) entered by `day`, each as at `day`: in_pool (not ended by `end`) and of them
        held, entered, recognized and left in start..end — count_pool's measures. Without `dedup` all are kept;
        without `by_county` (and `county_code`) all are under county ''."""
        t = self._states(rules, county_code, day, by_county, dedup)
        since, out = type_coerce(t.c.since, Date), type_coerce(t.c.out, Date)

        def of_pool(each: Callable[[PoolRules], ColumnElement[bool]]) -> ColumnElement[bool]:
            return or_(*(and_(t.c.pool == code, each(rule)) for code, rule in rules.items()))

        def ended(by: date) -> ColumnElement[bool]:
            return or_(and_(out.is_not(None), out <= by),
                       and_(of_pool(lambda p: t.c.status.in_([*p.leaving, *p.terminal])), since <= by))

        in_pool = ~ended(end)
        leaving = of_pool(lambda p: t.c.status.in_(list(p.leaving)))
        left = and_(~ended(start - timedelta(days=1)), or_(_within(out, start, end),
                                                           and_(leaving, _within(since, start, end))))
        months = (f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}")

        def done(p: PoolRules) -> ColumnElement[bool]:
            if p.done == "above_scale":
                return and_(t.c.status == "entered", t.c.above_scale_since >= months[0],
                            t.c.above_scale_since <= months[1])
            return _within(t.c[DONE_DAYS[p.done].key], start, end)

        stmt = (select(t.c.pool, t.c.county_code, t.c.tier, t.c.kept, func.min(t.c.id), _sum_if(in_pool),
                       _sum_if(and_(in_pool, of_pool(lambda p: t.c.status.in_(list(p.held))))),
                       _sum_if(_within(t.c.entered_on, start, end)), _sum_if(of_pool(done)), _sum_if(left))
                .group_by(t.c.pool, t.c.county_code, t.c.tier, t.c.kept))
        server_setting_off(self.session, "jit")  # JIT-compiling these CASEs took 3 s of 4 (1M firms)
        return [PoolCountRow(pool, county or "", tier, bool(kept), first, int(a), int(b), int(c), int(d), int(f))
                for pool, county, tier, kept, first, a, b, c, d, f in self.session.execute(stmt)]
