"""Queries over the pool reference data, cultivation records and their timelines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import extract
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Township
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.pools import ListingVenue
from lvqi_desktop.models.pools import Pool
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.models.pools import PoolStatus
from lvqi_desktop.models.pools import PoolTier
from lvqi_desktop.models.pools import PoolTransition
from lvqi_desktop.models.pools import StatusDef
from lvqi_desktop.models.pools import TierDef
from lvqi_desktop.models.pools import VenueDef
from lvqi_desktop.storage.repositories.rows import AnyRow

RECORD_COLUMNS = (
    CultivationRecord.id, CultivationRecord.uuid, CultivationRecord.enterprise_id, CultivationRecord.pool,
    CultivationRecord.tier, CultivationRecord.status, CultivationRecord.status_reason, CultivationRecord.rule_set,
    CultivationRecord.entered_on, CultivationRecord.status_on, CultivationRecord.recognized_on,
    CultivationRecord.valid_until, CultivationRecord.document_no, CultivationRecord.prerequisite_valid_until,
    CultivationRecord.info_updated_on, CultivationRecord.completed_on, CultivationRecord.county_review_on,
    CultivationRecord.city_review_on, CultivationRecord.subsidy_fen, CultivationRecord.listing_venue,
    CultivationRecord.listed_on, CultivationRecord.target_tier, CultivationRecord.target_year,
    CultivationRecord.responsible_person, CultivationRecord.last_follow_up_on, CultivationRecord.archived_at,
    CultivationRecord.override_reason,
    Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.township_code,
    Township.name.label("township_name"), Enterprise.industry_section, Enterprise.above_scale_since,
)



@dataclass(frozen=True)
class RecordFilter:
    """What a pool page or the CLI asks for; empty values mean 'any'."""

    pool: str = ""
    tier: str = ""
    status: str = ""
    township_code: str = ""
    industry_section: str = ""
    entered_year: int | None = None
    county_code: str = ""
    enterprise_id: int | None = None
    record_id: int | None = None  # one record, archived or not
    archived: bool = False


# a filter's text fields and the column each must equal when given (empty: any)
_MATCHED_WHEN_GIVEN: tuple[tuple[str, InstrumentedAttribute[Any]], ...] = (
    ("pool", CultivationRecord.pool), ("tier", CultivationRecord.tier), ("status", CultivationRecord.status),
    ("township_code", Enterprise.township_code), ("industry_section", Enterprise.industry_section),
    ("county_code", Enterprise.county_code))


class PoolRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reference data
    def catalog(self) -> PoolCatalog:
        s = self.session
        pools: dict[str, PoolDef] = {}
        tiers = s.scalars(select(PoolTier).order_by(PoolTier.pool_code, PoolTier.seq)).all()
        statuses = s.scalars(select(PoolStatus).order_by(PoolStatus.pool_code, PoolStatus.seq)).all()
        moves = s.scalars(select(PoolTransition)).all()
        for p in s.scalars(select(Pool).order_by(Pool.seq)):
            pools[p.code] = PoolDef(
                p.code, p.name, p.initial_status, p.annual_update_due, p.annual_update_remind_days,
                {t.code: TierDef(t.code, t.seq, t.name, t.name_2026, t.valid_years, t.prerequisite)
                 for t in tiers if t.pool_code == p.code},
                {x.code: StatusDef(x.code, x.seq, x.name, x.holds_title, x.needs_reason, x.needs_month,
                                   x.needs_recognition, x.needs_completion, x.terminal)
                 for x in statuses if x.pool_code == p.code},
                frozenset((m.from_status, m.to_status) for m in moves if m.pool_code == p.code))
        venues = {v.code: VenueDef(v.code, v.name, v.board_name, v.listed)
                  for v in s.scalars(select(ListingVenue).order_by(ListingVenue.seq))}
        return PoolCatalog(pools, venues)

    def venue(self, code: str) -> ListingVenue | None:
        return self.session.get(ListingVenue, code)

    # ---- records
    def get(self, record_id: int) -> CultivationRecord | None:
        return self.session.get(CultivationRecord, record_id)

    def get_many(self, ids: Sequence[int]) -> list[CultivationRecord]:
        found = self.session.scalars(select(CultivationRecord).where(CultivationRecord.id.in_(ids))).all()
        return sorted(found, key=lambda r: list(ids).index(r.id))

    def add(self, record: CultivationRecord) -> None:
        self.session.add(record)

    def add_event(self, event: CultivationEvent) -> None:
        self.session.add(event)

    def current(self, enterprise_id: int, pool: str, exclude_id: int | None = None) -> CultivationRecord | None:
        stmt = select(CultivationRecord).where(CultivationRecord.enterprise_id == enterprise_id,
                                               CultivationRecord.pool == pool,
                                               CultivationRecord.archived_at.is_(None))
        if exclude_id is not None:
            stmt = stmt.where(CultivationRecord.id != exclude_id)
        return self.session.scalars(stmt).first()

    def rows(self, f: RecordFilter) -> Sequence[AnyRow]:
        stmt = (select(*RECORD_COLUMNS).join(Enterprise, Enterprise.id == CultivationRecord.enterprise_id)
                .outerjoin(Township, Township.code == Enterprise.township_code))
        if f.record_id is not None:
            return self.session.execute(stmt.where(CultivationRecord.id == f.record_id)).all()
        stmt = stmt.where(CultivationRecord.archived_at.is_not(None) if f.archived
                          else CultivationRecord.archived_at.is_(None))
        for field, column in _MATCHED_WHEN_GIVEN:
            if value := getattr(f, field):
                stmt = stmt.where(column == value)
        if f.enterprise_id is not None:
            stmt = stmt.where(CultivationRecord.enterprise_id == f.enterprise_id)
        if f.entered_year is not None:
            stmt = stmt.where(extract("year", CultivationRecord.entered_on) == f.entered_year)
        return self.session.execute(stmt.order_by(CultivationRecord.id)).all()

    def reminder_rows(self, county_code: str = "") -> Sequence[AnyRow]:
        r = CultivationRecord
        stmt = (select(r.id, r.enterprise_id, Enterprise.name, r.pool, r.tier, r.status, r.valid_until,
                       r.info_updated_on, r.last_follow_up_on, r.entered_on, Enterprise.county_code)
                .join(Enterprise, Enterprise.id == r.enterprise_id)
                .where(r.archived_at.is_(None), Enterprise.archived_at.is_(None)))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        return self.session.execute(stmt).all()

    def events(self, record_id: int) -> Sequence[CultivationEvent]:
        stmt = select(CultivationEvent).where(CultivationEvent.record_id == record_id)
        return self.session.scalars(stmt.order_by(CultivationEvent.id)).all()

