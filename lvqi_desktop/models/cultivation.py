"""Cultivation records (one enterprise in one pool) and their timeline of changes."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from lvqi_desktop import clock
from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.enterprise import Enterprise
from lvqi_desktop.models.locking import Changed
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import day_span
from lvqi_desktop.models.locking import touches

_ENTRY_COLUMNS = ("enterprise_id", "pool", "entered_on", "archived_at")


class CultivationRecord(EditedInForms, TravellingRecord, Base):
    """An enterprise in a pool: tier, status, title dates, targets and follow-up (入库 / 培育记录)."""

    __tablename__ = "cultivation_record"
    __table_args__ = (
        Index("ix_cultivation_record_pool_status", "pool", "status"),
        # Backstop for the service's check: one current record per enterprise and pool.
        Index("uq_cultivation_record_current", "enterprise_id", "pool", unique=True,
              sqlite_where=text("archived_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    pool: Mapped[str] = mapped_column(ForeignKey("pool.code"))
    tier: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    status_reason: Mapped[str] = mapped_column(String(200), default="")  # 退库 / 撤销 reason
    rule_set: Mapped[str | None] = mapped_column(String(10))  # tier_rule_set.code the record is assessed under
    entered_on: Mapped[date] = mapped_column(Date)
    status_on: Mapped[date | None] = mapped_column(Date)
    recognized_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(60), default="")
    prerequisite_valid_until: Mapped[date | None] = mapped_column(Date)  # e.g. 省级专精特新 for a 小巨人
    override_reason: Mapped[str] = mapped_column(String(200), default="")
    info_updated_on: Mapped[date | None] = mapped_column(Date)  # last annual information update
    completed_on: Mapped[date | None] = mapped_column(Date)  # 股改: registered as 股份有限公司
    county_review_on: Mapped[date | None] = mapped_column(Date)  # 县级初审
    city_review_on: Mapped[date | None] = mapped_column(Date)  # 市级复核
    subsidy_fen: Mapped[int | None] = mapped_column(BigInteger)
    listing_venue: Mapped[str | None] = mapped_column(ForeignKey("listing_venue.code"))
    listed_on: Mapped[date | None] = mapped_column(Date)
    target_tier: Mapped[str | None] = mapped_column(String(30))
    target_year: Mapped[int | None] = mapped_column(Integer)
    responsible_person: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    last_follow_up_on: Mapped[date | None] = mapped_column(Date)

    enterprise: Mapped[Enterprise] = relationship()
    events: Mapped[list[CultivationEvent]] = relationship(
        back_populates="record", order_by="CultivationEvent.id", cascade="save-update, merge")

    locking_field = "entered_on"  # where a form shows the locked-period refusal

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """Entering (or removing) the record belongs to the period it entered the pool in; status and tier
        changes are dated by their timeline rows (CultivationEvent.effective_on)."""
        return day_span(self.entered_on) if touches(changed, _ENTRY_COLUMNS) else ()


class CultivationEvent(TravellingRecord, Base):
    """One timeline row of a record: who, when, what changed (tier/status from → to), and a note."""

    __tablename__ = "cultivation_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("cultivation_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # enter, status, tier, edit, follow_up, archive, restore
    happened_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    effective_on: Mapped[date | None] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(40), default="")
    from_tier: Mapped[str | None] = mapped_column(String(30))
    to_tier: Mapped[str | None] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")  # what else changed, in Chinese
    note: Mapped[str] = mapped_column(Text, default="")

    record: Mapped[CultivationRecord] = relationship(back_populates="events")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A timeline row belongs to the period of its effective date (or of the day it was made)."""
        return day_span(self.effective_on or self.happened_at)
