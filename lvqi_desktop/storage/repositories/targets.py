"""Queries for targets and the counts their progress is measured by."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy import distinct
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.targets import Target
from lvqi_desktop.models.visits import Visit
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.repositories.rows import AnySelect


class TargetRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def targets(self, scopes: Sequence[str] | None = None, year: int | None = None) -> Sequence[Target]:
        stmt = select(Target).where(Target.archived_at.is_(None))
        if scopes is not None:
            stmt = stmt.where(Target.scope.in_(scopes))
        if year is not None:
            stmt = stmt.where(Target.year == year)
        return self.session.scalars(stmt.order_by(Target.scope, Target.year, Target.metric)).all()

    def get(self, target_id: int) -> Target | None:
        return self.session.get(Target, target_id)

    def find(self, scope: str, metric: str, year: int) -> Target | None:
        stmt = select(Target).where(Target.scope == scope, Target.metric == metric, Target.year == year)
        return self.session.scalars(stmt).first()

    def by_uuid(self, uuid: str) -> Target | None:
        return self.session.scalars(select(Target).where(Target.uuid == uuid)).first()

    def add(self, target: Target) -> None:
        self.session.add(target)

    # ---- what progress is measured by
    @staticmethod
    def _in_county(stmt: AnySelect, county: str) -> AnySelect:
        return stmt.where(Enterprise.county_code == county) if county else stmt

    def _records(self, pool: str, county: str, *cols: object, only: ColumnElement[bool] | None = None) -> Sequence[AnyRow]:
        stmt = (select(*cols).join(Enterprise, Enterprise.id == CultivationRecord.enterprise_id)  # type: ignore[call-overload]
                .where(CultivationRecord.pool == pool, CultivationRecord.archived_at.is_(None),
                       Enterprise.archived_at.is_(None)))
        if only is not None:
            stmt = stmt.where(only)
        return self.session.execute(self._in_county(stmt, county)).all()

    def srdi_titles(self, county: str = "") -> Sequence[AnyRow]:
        r = CultivationRecord
        return self._records("srdi", county, r.enterprise_id, r.tier, r.status, r.recognized_on, r.valid_until,
                             r.prerequisite_valid_until)

    def srdi_titles_by_county(self) -> Sequence[AnyRow]:
        """srdi_titles('') with each firm's county first: one read that the city splits by county. Only the
        titles that can hold a tier (target_progress.holders: recognised, or carrying a 省级专精特新 validity)."""
        r = CultivationRecord
        return self._records("srdi", "", Enterprise.county_code, r.enterprise_id, r.tier, r.status, r.recognized_on,
                             r.valid_until, r.prerequisite_valid_until,
                             only=r.recognized_on.is_not(None) | r.prerequisite_valid_until.is_not(None))

    def listings(self, county: str = "") -> Sequence[AnyRow]:
        r = CultivationRecord
        return self._records("listing_reserve", county, r.enterprise_id, r.listing_venue, r.listed_on)

    def share_reforms_completed(self, year: int, county: str = "") -> int:
        rows = self._records("share_reform", county, CultivationRecord.completed_on)
        return sum(1 for (done,) in rows if done is not None and done.year == year)

    def entered_statistics(self, year: int, county: str = "") -> int:
        stmt = select(func.count()).select_from(Enterprise).where(
            Enterprise.archived_at.is_(None), Enterprise.above_scale.is_(True),
            Enterprise.above_scale_since.like(f"{year:04d}-%"))
        return self.session.scalar(self._in_county(stmt, county)) or 0

    def enterprises_served(self, year: int, county: str = "") -> int:
        stmt = (select(func.count(distinct(Visit.enterprise_id))).join(Enterprise, Enterprise.id == Visit.enterprise_id)
                .where(Visit.archived_at.is_(None), Visit.visited_on >= date(year, 1, 1),
                       Visit.visited_on <= date(year, 12, 31)))
        return self.session.scalar(self._in_county(stmt, county)) or 0

