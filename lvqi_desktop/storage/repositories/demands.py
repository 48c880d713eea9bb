"""Queries over the demand ledger: numbering, filtered lists, the status board and KPI aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Demand
from lvqi_desktop.models import DemandEvent
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Helper
from lvqi_desktop.models import Visit
from lvqi_desktop.models.demands import CLOSED_STATUSES
from lvqi_desktop.models.demands import OPEN_STATUSES
from lvqi_desktop.models.targets import Target
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.repositories.rows import AnySelect


@dataclass(frozen=True)
class DemandFilter:
    """What the ledger page or the CLI asks for; empty values mean 'any'."""

    statuses: tuple[str, ...] = ()
    category: str = ""
    unit: str = ""  # matches the responsible unit or a co-unit
    overdue: bool | None = None
    age_bucket: str = ""  # le7 | d8_30 | gt30 | overdue (open cases only)
    enterprise_id: int | None = None
    search: str = ""  # number, enterprise name or description
    received_from: date | None = None
    received_to: date | None = None
    archived: bool = False
    county_code: str = ""  # the enterprise's county (the city edition's 县区 filter)


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(Demand.status.in_(OPEN_STATUSES), Demand.due_on.is_not(None), Demand.due_on < today)


def _age_condition(bucket: str, today: date) -> ColumnElement[bool]:
    if bucket == "overdue":
        return _overdue(today)
    week, month = today - timedelta(days=7), today - timedelta(days=30)
    ranges = {"le7": Demand.received_on >= week,
              "d8_30": and_(Demand.received_on < week, Demand.received_on >= month),
              "gt30": Demand.received_on < month}
    return and_(Demand.status.in_(OPEN_STATUSES), ~_overdue(today), ranges[bucket])


LIST_COLUMNS = (
    Demand.id, Demand.uuid, Demand.number, Demand.enterprise_id, Enterprise.name.label("enterprise_name"),
    Enterprise.uscc, Demand.source, Demand.category, Demand.description, Demand.urgency, Demand.received_on,
    Demand.status, Demand.responsible_unit, Demand.co_units, Demand.due_on, Demand.closed_on,
    Demand.first_closed_on, Demand.reopen_count, Demand.satisfaction, Demand.result, Demand.visit_id,
    Demand.helper_id, Helper.name.label("helper_name"), Demand.archived_at, Enterprise.county_code,
)


class DemandRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    def get(self, demand_id: int) -> Demand | None:
        return self.session.get(Demand, demand_id)

    def by_number(self, number: str) -> Demand | None:
        return self.session.scalars(select(Demand).where(Demand.number == number)).first()

    def next_seq(self, office_code: str, year: int) -> int:
        """The next free sequence number for the office and year (archived numbers are never reused)."""
        stmt = select(func.max(Demand.seq)).where(Demand.office_code == office_code, Demand.year == year)
        return (self.session.scalar(stmt) or 0) + 1

    def events(self, demand_id: int) -> Sequence[DemandEvent]:
        stmt = select(DemandEvent).where(DemandEvent.demand_id == demand_id)
        return self.session.scalars(stmt.order_by(DemandEvent.id)).all()

    def _filtered(self, stmt: AnySelect, f: DemandFilter, today: date) -> AnySelect:
        stmt = stmt.where(Demand.archived_at.is_not(None) if f.archived else Demand.archived_at.is_(None))
        if f.statuses:
            stmt = stmt.where(Demand.status.in_(f.statuses))
        if f.category:
            stmt = stmt.where(Demand.category == f.category)
        if f.unit:
            stmt = stmt.where(or_(Demand.responsible_unit == f.unit, Demand.co_units.like(f"%{f.unit}%")))
        if f.overdue is not None:
            stmt = stmt.where(_overdue(today) if f.overdue else ~_overdue(today))
        if f.age_bucket:
            stmt = stmt.where(_age_condition(f.age_bucket, today))
        if f.enterprise_id is not None:
            stmt = stmt.where(Demand.enterprise_id == f.enterprise_id)
        if f.county_code:
            stmt = stmt.where(Enterprise.county_code == f.county_code)
        if f.received_from is not None:
            stmt = stmt.where(Demand.received_on >= f.received_from)
        if f.received_to is not None:
            stmt = stmt.where(Demand.received_on <= f.received_to)
        for term in f.search.split():
            like = f"%{term}%"
            stmt = stmt.where(or_(Demand.number.like(like), Enterprise.name.like(like),
                                  Demand.description.like(like)))
        return stmt

    def rows(self, f: DemandFilter, today: date) -> Sequence[AnyRow]:
        stmt = (select(*LIST_COLUMNS).join(Enterprise, Enterprise.id == Demand.enterprise_id)
                .outerjoin(Helper, Helper.id == Demand.helper_id))
        stmt = self._filtered(stmt, f, today)
        return self.session.execute(stmt.order_by(Demand.received_on.desc(), Demand.id.desc())).all()

    def board(self, today: date, county_code: str = "") -> Sequence[AnyRow]:
        """Per status: total, and open cases split into ≤7 d, 8–30 d, > 30 d (not overdue) and overdue;
        only the demands of one county's enterprises when `county_code` is given."""
        week, month = today - timedelta(days=7), today - timedelta(days=30)
        overdue = _overdue(today)
        open_not_late = and_(Demand.status.in_(OPEN_STATUSES), ~overdue)

        def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
            return func.sum(case((cond, 1), else_=0))

        stmt = (select(Demand.status, func.count().label("total"),
                       count_if(and_(open_not_late, Demand.received_on >= week)).label("le7"),
                       count_if(and_(open_not_late, Demand.received_on < week,
                                     Demand.received_on >= month)).label("d8_30"),
                       count_if(and_(open_not_late, Demand.received_on < month)).label("gt30"),
                       count_if(overdue).label("overdue"))
                .where(Demand.archived_at.is_(None)).group_by(Demand.status))
        if county_code:
            stmt = stmt.join(Enterprise, Enterprise.id == Demand.enterprise_id).where(
                Enterprise.county_code == county_code)
        return self.session.execute(stmt).all()

    def flow_counts(self, start: date, end: date, county_code: str = "") -> AnyRow:
        """Received, closed (by current closing date, still closed), resolved, explained and on-time closings;
        of one county's enterprises when `county_code` is given."""
        closed = and_(Demand.status.in_(CLOSED_STATUSES), Demand.closed_on >= start, Demand.closed_on <= end)
        on_time = and_(closed, or_(Demand.due_on.is_(None), Demand.first_closed_on <= Demand.due_on))

        def count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
            return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

        stmt = select(
            count_if(and_(Demand.received_on >= start, Demand.received_on <= end)).label("received"),
            count_if(closed).label("closed"),
            count_if(and_(closed, Demand.closing_kind == "resolved")).label("resolved"),
            count_if(and_(closed, Demand.closing_kind == "explained")).label("explained"),
            count_if(on_time).label("closed_on_time"),
            count_if(and_(closed, Demand.reopen_count > 0)).label("closed_after_reopen"),
        ).where(Demand.archived_at.is_(None), or_(Demand.received_on.between(start, end), closed))
        return self.session.execute(_of_county(stmt, Demand.enterprise_id, county_code)).one()

    def latest_follow_ups(self, start: date, end: date, county_code: str = "") -> Sequence[str]:
        """The last satisfaction recorded in the period for each demand followed up in it."""
        last = (select(DemandEvent.demand_id, func.max(DemandEvent.id).label("event_id"))
                .where(DemandEvent.kind == "follow_up", DemandEvent.archived_at.is_(None),
                       DemandEvent.happened_on >= start, DemandEvent.happened_on <= end)
                .group_by(DemandEvent.demand_id).subquery())
        stmt = (select(DemandEvent.satisfaction).join(last, last.c.event_id == DemandEvent.id)
                .join(Demand, Demand.id == DemandEvent.demand_id).where(Demand.archived_at.is_(None)))
        return [s or "" for s in self.session.scalars(_of_county(stmt, Demand.enterprise_id, county_code))]

    def served_enterprises(self, start: date, end: date, county_code: str = "") -> int:
        """Distinct enterprises visited, or with a demand received, in the period (of one county if given)."""
        visited = _of_county(select(Visit.enterprise_id).where(Visit.archived_at.is_(None),
                                                               Visit.visited_on.between(start, end)),
                             Visit.enterprise_id, county_code)
        raised = _of_county(select(Demand.enterprise_id).where(Demand.archived_at.is_(None),
                                                               Demand.received_on.between(start, end)),
                            Demand.enterprise_id, county_code)
        union = visited.union(raised).subquery()
        return int(self.session.scalar(select(func.count()).select_from(union)) or 0)

    def served_target(self, scope: str, year: int) -> int | None:
        """The office's 服务企业数 target for the year from the targets table, if one was entered."""
        stmt = select(Target.value).where(Target.scope == scope, Target.metric == "enterprises_served",
                                          Target.year == year, Target.archived_at.is_(None))
        return self.session.scalar(stmt)


def _of_county(stmt: Any, enterprise_id: Any, county_code: str) -> Any:
    """`stmt` limited to the enterprises of one county (unchanged when `county_code` is '')."""
    if not county_code:
        return stmt
    return stmt.where(enterprise_id.in_(select(Enterprise.id).where(Enterprise.county_code == county_code)))
