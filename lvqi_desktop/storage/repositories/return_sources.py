"""Queries only the returns need: register and pool rows with the extra fields a return prints, follow-ups by case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Demand
from lvqi_desktop.models import DemandEvent
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import IndustrySection
from lvqi_desktop.models import Township
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.storage.repositories.pools import RECORD_COLUMNS
from lvqi_desktop.storage.repositories.rows import AnyRow


class ReturnSourceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def above_scale_enterprises(self, county_code: str, last_month: str) -> Sequence[AnyRow]:
        """Current 规上（四上） enterprises that entered statistics by `last_month` (YYYY-MM), by township and name."""
        e = Enterprise
        stmt = (select(e.id, e.uscc, e.name, e.county_code, Township.name.label("township_name"),
                       e.industry_section, IndustrySection.name.label("section_name"), e.four_above_category,
                       e.above_scale_since, e.size_class, e.legal_representative, e.contact_phone, e.latest_year,
                       e.latest_revenue_fen, e.latest_employees)
                .outerjoin(Township, Township.code == e.township_code)
                .outerjoin(IndustrySection, IndustrySection.code == e.industry_section)
                .where(e.archived_at.is_(None), e.above_scale.is_(True), e.business_status == "active")
                .where((e.above_scale_since.is_(None)) | (e.above_scale_since <= last_month)))
        if county_code:
            stmt = stmt.where(e.county_code == county_code)
        return self.session.execute(stmt.order_by(e.county_code, Township.code, e.name_key)).all()

    def pool_rows(self, pool: str, county_code: str, entered_by: date) -> Sequence[AnyRow]:
        """Records of `pool` entered by `entered_by`, archived or not, with the firm's latest figures and notes."""
        r = CultivationRecord
        stmt = (select(*RECORD_COLUMNS, r.notes, r.status_on.label("status_date"),
                       IndustrySection.name.label("section_name"), Enterprise.latest_year,
                       Enterprise.latest_revenue_fen, Enterprise.latest_employees)
                .join(Enterprise, Enterprise.id == r.enterprise_id)
                .outerjoin(Township, Township.code == Enterprise.township_code)
                .outerjoin(IndustrySection, IndustrySection.code == Enterprise.industry_section)
                .where(r.pool == pool, r.entered_on <= entered_by))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        return self.session.execute(stmt.order_by(Township.code, Enterprise.name_key, r.id)).all()

    def pool_timelines(self, pool: str, county_code: str, by: date) -> Sequence[AnyRow]:
        """Timeline rows (record_id, kind, effective_on, happened_at, to_tier, to_status) of `pool`'s records made
        or effective by `by`, in the order they happened."""
        e, r = CultivationEvent, CultivationRecord
        stmt = (select(e.record_id, e.kind, e.effective_on, e.happened_at, e.to_tier, e.to_status)
                .join(r, r.id == e.record_id)
                .where(r.pool == pool, r.entered_on <= by, e.archived_at.is_(None)))
        if county_code:
            stmt = stmt.join(Enterprise, Enterprise.id == r.enterprise_id).where(Enterprise.county_code == county_code)
        return self.session.execute(stmt.order_by(e.record_id, e.id)).all()

    def enterprise_counties(self) -> Sequence[AnyRow]:
        """(enterprise id, county code) of every enterprise, archived or not: how the city splits records by county."""
        return self.session.execute(select(Enterprise.id, Enterprise.county_code)).all()

    def latest_follow_ups_by_demand(self, start: date, end: date) -> dict[int, str]:
        """Demand id → its last satisfaction recorded in the period (the KPI's rule, kept per case)."""
        stmt = (select(DemandEvent.demand_id, DemandEvent.id, DemandEvent.satisfaction)
                .join(Demand, Demand.id == DemandEvent.demand_id)
                .where(DemandEvent.kind == "follow_up", DemandEvent.archived_at.is_(None),
                       DemandEvent.happened_on >= start, DemandEvent.happened_on <= end,
                       Demand.archived_at.is_(None))
                .order_by(DemandEvent.demand_id, DemandEvent.id))
        return {demand_id: satisfaction or "" for demand_id, _id, satisfaction in self.session.execute(stmt)}

