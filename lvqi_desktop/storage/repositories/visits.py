"""Queries over visits and their participants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Helper
from lvqi_desktop.models import ServiceTeam
from lvqi_desktop.models import Visit
from lvqi_desktop.models import VisitParticipant
from lvqi_desktop.storage.repositories.rows import AnyRow


class VisitRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, visit: Visit) -> None:
        self.session.add(visit)

    def get(self, visit_id: int) -> Visit | None:
        return self.session.get(Visit, visit_id)

    def visit_on(self, enterprise_id: int, day: date) -> int | None:
        """The id of the enterprise's (first current) visit on `day`, if there is one."""
        stmt = (select(Visit.id).where(Visit.enterprise_id == enterprise_id, Visit.visited_on == day,
                                       Visit.archived_at.is_(None)).order_by(Visit.id).limit(1))
        return self.session.scalar(stmt)

    def rows(self, *, start: date | None = None, end: date | None = None, enterprise_id: int | None = None,
             helper_id: int | None = None, county_code: str = "") -> Sequence[AnyRow]:
        stmt = (select(Visit.id, Visit.uuid, Visit.visited_on, Visit.enterprise_id, Enterprise.county_code,
                       Enterprise.name.label("enterprise_name"), Enterprise.uscc, Visit.channel, Visit.campaign,
                       Visit.team_id, ServiceTeam.name.label("team_name"), Visit.visitors,
                       Visit.policies_explained, Visit.firm_reported)
                .join(Enterprise, Enterprise.id == Visit.enterprise_id)
                .outerjoin(ServiceTeam, ServiceTeam.id == Visit.team_id)
                .where(Visit.archived_at.is_(None)))
        if start is not None:
            stmt = stmt.where(Visit.visited_on >= start)
        if end is not None:
            stmt = stmt.where(Visit.visited_on <= end)
        if enterprise_id is not None:
            stmt = stmt.where(Visit.enterprise_id == enterprise_id)
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        if helper_id is not None:
            stmt = stmt.where(Visit.id.in_(select(VisitParticipant.visit_id).where(
                VisitParticipant.helper_id == helper_id, VisitParticipant.archived_at.is_(None))))
        return self.session.execute(stmt.order_by(Visit.visited_on.desc(), Visit.id.desc())).all()

    def participant_names(self, visit_ids: Sequence[int]) -> dict[int, list[str]]:
        """Helper names per visit, for the visits asked about (chunked to stay under SQLite's limits)."""
        names: dict[int, list[str]] = defaultdict(list)
        ids = list(visit_ids)
        for i in range(0, len(ids), 900):
            stmt = (select(VisitParticipant.visit_id, Helper.name)
                    .join(Helper, Helper.id == VisitParticipant.helper_id)
                    .where(VisitParticipant.visit_id.in_(ids[i:i + 900]), VisitParticipant.archived_at.is_(None))
                    .order_by(VisitParticipant.id))
            for visit_id, name in self.session.execute(stmt):
                names[visit_id].append(name)
        return names
