"""Queries over helpers, service teams and assignments, including the coverage-matrix aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Helper
from lvqi_desktop.models import HelperAssignment
from lvqi_desktop.models import ServiceTeam
from lvqi_desktop.models import ServiceTeamMember
from lvqi_desktop.models import Visit
from lvqi_desktop.models.visits import VisitParticipant
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.repositories.rows import AnySelect


class HelperRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    def get(self, helper_id: int) -> Helper | None:
        return self.session.get(Helper, helper_id)

    def helpers(self, *, active_only: bool = False, archived: bool = False, search: str = "") -> Sequence[Helper]:
        stmt = select(Helper).where(Helper.archived_at.is_not(None) if archived else Helper.archived_at.is_(None))
        if active_only:
            stmt = stmt.where(Helper.active.is_(True))
        if search:
            term = f"%{search}%"
            stmt = stmt.where(or_(Helper.name.like(term), Helper.unit.like(term), Helper.post.like(term)))
        return self.session.scalars(stmt.order_by(Helper.level, Helper.name, Helper.id)).all()

    def helper_names(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        return dict(self.session.execute(select(Helper.id, Helper.name).where(Helper.id.in_(ids))).all())

    def assignment_counts(self, day: date) -> dict[int, int]:
        """Enterprises each helper is currently assigned to."""
        stmt = (select(HelperAssignment.helper_id, func.count(func.distinct(HelperAssignment.enterprise_id)))
                .where(*_active_on(day), HelperAssignment.helper_id.is_not(None))
                .group_by(HelperAssignment.helper_id))
        return {helper_id: n for helper_id, n in self.session.execute(stmt) if helper_id is not None}

    # ---- teams
    def team(self, team_id: int) -> ServiceTeam | None:
        return self.session.get(ServiceTeam, team_id)

    def teams(self) -> Sequence[ServiceTeam]:
        stmt = select(ServiceTeam).where(ServiceTeam.archived_at.is_(None)).order_by(ServiceTeam.name)
        return self.session.scalars(stmt).all()

    def members(self, team_id: int) -> Sequence[ServiceTeamMember]:
        stmt = select(ServiceTeamMember).where(ServiceTeamMember.team_id == team_id,
                                               ServiceTeamMember.archived_at.is_(None))
        return self.session.scalars(stmt.order_by(ServiceTeamMember.id)).all()

    def team_names(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        stmt = select(ServiceTeam.id, ServiceTeam.name).where(ServiceTeam.id.in_(ids))
        return dict(self.session.execute(stmt).all())

    # ---- assignments
    def assignment(self, assignment_id: int) -> HelperAssignment | None:
        return self.session.get(HelperAssignment, assignment_id)

    def assignments_of_enterprise(self, enterprise_id: int) -> Sequence[HelperAssignment]:
        stmt = select(HelperAssignment).where(HelperAssignment.enterprise_id == enterprise_id,
                                              HelperAssignment.archived_at.is_(None))
        return self.session.scalars(stmt.order_by(HelperAssignment.from_date, HelperAssignment.id)).all()

    def assignment_rows(self, *, enterprise_id: int | None = None, helper_id: int | None = None,
                        active_on: date | None = None, county_code: str = "") -> Sequence[AnyRow]:
        """Assignments with holder and enterprise names; all history unless `active_on` is given;
        only those of one county's enterprises when `county_code` is given."""
        stmt = _assignment_select().where(HelperAssignment.archived_at.is_(None))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        if enterprise_id is not None:
            stmt = stmt.where(HelperAssignment.enterprise_id == enterprise_id)
        if helper_id is not None:
            stmt = stmt.where(HelperAssignment.helper_id == helper_id)
        if active_on is not None:
            stmt = stmt.where(*_active_on(active_on))
        return self.session.execute(stmt.order_by(HelperAssignment.enterprise_id, HelperAssignment.from_date,
                                                  HelperAssignment.id)).all()

    def holder_counties(self) -> Sequence[AnyRow]:
        """Distinct (helper_id, team_id, county_code) of every assignment, history included: the counties
        whose enterprises a helper or team holds or has held (helpers themselves carry no county)."""
        stmt = (select(HelperAssignment.helper_id, HelperAssignment.team_id, Enterprise.county_code)
                .join(Enterprise, Enterprise.id == HelperAssignment.enterprise_id)
                .where(HelperAssignment.archived_at.is_(None)).distinct())
        return self.session.execute(stmt).all()

    def visit_counts(self, day: date, since: date, month_start: date) -> dict[int, AnyRow]:
        """Assignment id → (visits since `since`, since `month_start`, last visit up to `day`) for assignments
        active on `day`: a helper's own visits to the enterprise, or a team's visits recorded under it, made on or
        after the assignment's start. A helper (or team) holding two assignments with one enterprise has each
        visit counted once, under the latest assignment started by the visit's day."""
        counted = (func.sum(case((Visit.visited_on >= since, 1), else_=0)).label("quarter"),
                   func.sum(case((Visit.visited_on >= month_start, 1), else_=0)).label("month"),
                   func.max(Visit.visited_on).label("last"))
        visits = and_(Visit.enterprise_id == HelperAssignment.enterprise_id, Visit.archived_at.is_(None),
                      Visit.visited_on <= day, Visit.visited_on >= HelperAssignment.from_date)
        later = aliased(HelperAssignment)
        taken_later = (select(later.id).where(
            later.enterprise_id == HelperAssignment.enterprise_id, later.archived_at.is_(None),
            or_(and_(later.helper_id.is_not(None), later.helper_id == HelperAssignment.helper_id),
                and_(later.helper_id.is_(None), HelperAssignment.helper_id.is_(None),
                     later.team_id == HelperAssignment.team_id)),
            later.from_date <= Visit.visited_on, or_(later.to_date.is_(None), later.to_date >= Visit.visited_on),
            or_(later.from_date > HelperAssignment.from_date,
                and_(later.from_date == HelperAssignment.from_date, later.id > HelperAssignment.id))).exists())
        by_helper = (select(HelperAssignment.id, *counted).join(Visit, visits)
                     .join(VisitParticipant, and_(VisitParticipant.visit_id == Visit.id,
                                                  VisitParticipant.helper_id == HelperAssignment.helper_id,
                                                  VisitParticipant.archived_at.is_(None)))
                     .where(*_active_on(day), ~taken_later).group_by(HelperAssignment.id))
        by_team = (select(HelperAssignment.id, *counted).join(Visit, and_(visits, Visit.team_id == HelperAssignment.team_id))
                   .where(*_active_on(day), HelperAssignment.helper_id.is_(None), ~taken_later)
                   .group_by(HelperAssignment.id))
        found = {r.id: r for r in self.session.execute(by_helper)}
        found.update((r.id, r) for r in self.session.execute(by_team))
        return found


def _active_on(day: date) -> tuple[ColumnElement[bool], ...]:
    return (HelperAssignment.archived_at.is_(None), HelperAssignment.from_date <= day,
            or_(HelperAssignment.to_date.is_(None), HelperAssignment.to_date >= day))


def _assignment_select() -> AnySelect:
    team = aliased(ServiceTeam)
    return (select(HelperAssignment.id, HelperAssignment.enterprise_id, Enterprise.name.label("enterprise_name"),
                   Enterprise.uscc, Enterprise.county_code, HelperAssignment.helper_id, Helper.name.label("helper_name"),
                   Helper.post.label("helper_post"), Helper.level.label("helper_level"),
                   HelperAssignment.team_id, team.name.label("team_name"), HelperAssignment.role,
                   HelperAssignment.from_date, HelperAssignment.to_date, HelperAssignment.cadence_visits,
                   HelperAssignment.cadence_months, HelperAssignment.remarks, HelperAssignment.version)
            .join(Enterprise, Enterprise.id == HelperAssignment.enterprise_id)
            .outerjoin(Helper, Helper.id == HelperAssignment.helper_id)
            .outerjoin(team, team.id == HelperAssignment.team_id))
