"""Queries over incubation bases: reference data, bases, level timeline, tenants and yearly figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Township
from lvqi_desktop.models.bases import BaseKind
from lvqi_desktop.models.bases import BaseLevel
from lvqi_desktop.models.bases import BaseLevelEvent
from lvqi_desktop.models.bases import BaseLevelTransition
from lvqi_desktop.models.bases import BaseTenant
from lvqi_desktop.models.bases import BaseYear
from lvqi_desktop.models.bases import IncubationBase
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.pools import PoolStatus
from lvqi_desktop.storage.repositories.rows import AnyRow

SRDI_POOL = "srdi"


class BaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reference data
    def kinds(self) -> Sequence[BaseKind]:
        return self.session.scalars(select(BaseKind).order_by(BaseKind.seq)).all()

    def levels(self) -> Sequence[BaseLevel]:
        return self.session.scalars(select(BaseLevel).order_by(BaseLevel.seq)).all()

    def transitions(self) -> set[tuple[str, str]]:
        return {(t.from_level, t.to_level) for t in self.session.scalars(select(BaseLevelTransition))}

    # ---- bases
    def get(self, base_id: int) -> IncubationBase | None:
        return self.session.get(IncubationBase, base_id)

    def add(self, obj: object) -> None:
        self.session.add(obj)

    def same_name(self, county_code: str, name: str, exclude_id: int | None) -> IncubationBase | None:
        stmt = select(IncubationBase).where(IncubationBase.county_code == county_code, IncubationBase.name == name,
                                            IncubationBase.archived_at.is_(None))
        if exclude_id is not None:
            stmt = stmt.where(IncubationBase.id != exclude_id)
        return self.session.scalars(stmt).first()

    def base_rows(self, county_code: str, archived: bool | None, base_id: int | None = None) -> Sequence[AnyRow]:
        b = IncubationBase
        current = (select(func.count(BaseTenant.id)).where(
            BaseTenant.base_id == b.id, BaseTenant.archived_at.is_(None), BaseTenant.moved_out_on.is_(None))
            .correlate(b).scalar_subquery())
        stmt = (select(b, Township.name.label("township_name"), current.label("current_tenants"))
                .outerjoin(Township, Township.code == b.township_code))
        if base_id is not None:
            return self.session.execute(stmt.where(b.id == base_id)).all()
        if archived is not None:
            stmt = stmt.where(b.archived_at.is_not(None) if archived else b.archived_at.is_(None))
        if county_code:
            stmt = stmt.where(b.county_code == county_code)
        return self.session.execute(stmt.order_by(b.county_code, b.name)).all()

    # ---- timeline
    def events(self, base_id: int) -> Sequence[BaseLevelEvent]:
        stmt = select(BaseLevelEvent).where(BaseLevelEvent.base_id == base_id, BaseLevelEvent.archived_at.is_(None))
        return self.session.scalars(stmt.order_by(BaseLevelEvent.id)).all()

    # ---- tenants
    def tenant(self, tenant_id: int) -> BaseTenant | None:
        return self.session.get(BaseTenant, tenant_id)

    def current_tenant(self, base_id: int, enterprise_id: int) -> BaseTenant | None:
        stmt = select(BaseTenant).where(BaseTenant.base_id == base_id, BaseTenant.enterprise_id == enterprise_id,
                                        BaseTenant.archived_at.is_(None), BaseTenant.moved_out_on.is_(None))
        return self.session.scalars(stmt).first()

    def tenant_rows(self, base_id: int) -> Sequence[AnyRow]:
        t = BaseTenant
        stmt = (select(t.id, t.uuid, t.base_id, t.enterprise_id, t.moved_in_on, t.moved_out_on, t.move_out_reason,
                       t.notes, Enterprise.name, Enterprise.uscc, Enterprise.above_scale,
                       Enterprise.archived_at.label("enterprise_archived_at"))
                .join(Enterprise, Enterprise.id == t.enterprise_id)
                .where(t.base_id == base_id, t.archived_at.is_(None)))
        return self.session.execute(stmt.order_by(t.moved_out_on.is_not(None), t.moved_in_on, t.id)).all()

    def tenants_in_year(self, base_ids: Sequence[int], year: int) -> Sequence[AnyRow]:
        """(base_id, enterprise_id, moved_in_on) of every tenant in a base at some time during `year`."""
        t = BaseTenant
        start, end = date(year, 1, 1), date(year, 12, 31)
        stmt = (select(t.base_id, t.enterprise_id, t.moved_in_on)
                .where(t.base_id.in_(list(base_ids)), t.archived_at.is_(None), t.moved_in_on <= end,
                       or_(t.moved_out_on.is_(None), t.moved_out_on >= start)))
        return self.session.execute(stmt).all()

    def above_scale_ids(self, enterprise_ids: Sequence[int], year: int) -> set[int]:
        """Enterprises in 规上 statistics by the end of `year` (Enterprise.above_scale, entered by December)."""
        e = Enterprise
        stmt = select(e.id).where(e.id.in_(list(enterprise_ids)), e.above_scale.is_(True),
                                  or_(e.above_scale_since.is_(None), e.above_scale_since <= f"{year:04d}-12"))
        return set(self.session.scalars(stmt))

    def srdi_ids(self, enterprise_ids: Sequence[int], year: int) -> set[int]:
        """Enterprises holding a 专精特新 tier title (a status that holds the title) recognised by the end of `year`."""
        r = CultivationRecord
        stmt = (select(r.enterprise_id)
                .join(PoolStatus, and_(PoolStatus.pool_code == r.pool, PoolStatus.code == r.status))
                .where(r.enterprise_id.in_(list(enterprise_ids)), r.pool == SRDI_POOL, r.archived_at.is_(None),
                       r.tier.is_not(None), PoolStatus.holds_title.is_(True),
                       or_(r.recognized_on.is_(None), r.recognized_on <= date(year, 12, 31))))
        return set(self.session.scalars(stmt))

    # ---- years
    def years(self, base_id: int) -> Sequence[BaseYear]:
        stmt = select(BaseYear).where(BaseYear.base_id == base_id, BaseYear.archived_at.is_(None))
        return self.session.scalars(stmt.order_by(BaseYear.year)).all()

    def year(self, base_id: int, year: int) -> BaseYear | None:
        stmt = select(BaseYear).where(BaseYear.base_id == base_id, BaseYear.year == year)
        return self.session.scalars(stmt).first()

    def years_of(self, base_ids: Sequence[int], year: int) -> dict[int, BaseYear]:
        stmt = select(BaseYear).where(BaseYear.base_id.in_(list(base_ids)), BaseYear.year == year,
                                      BaseYear.archived_at.is_(None))
        return {y.base_id: y for y in self.session.scalars(stmt)}

