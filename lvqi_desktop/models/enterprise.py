"""The enterprise register: one row per enterprise, and its yearly figures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.locking import Changed
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import period_code_span
from lvqi_desktop.models.locking import touches
from lvqi_desktop.models.locking import year_span


class Enterprise(EditedInForms, TravellingRecord, Base):
    """One registered enterprise; its USCC is unique within a county (the city may see it twice)."""

    __tablename__ = "enterprise"
    __table_args__ = (
        UniqueConstraint("county_code", "uscc", name="uq_enterprise_county_uscc"),
        # Covering index: a search keystroke scans this instead of the wide table rows.
        Index("ix_enterprise_search", "archived_at", "search_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18))
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), index=True)  # folded, for duplicate detection
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")  # "lv liang …": the sort key (search_keys)
    search_key: Mapped[str] = mapped_column(Text, default="")  # name | initials | pinyin | uscc, lower case
    former_names: Mapped[str] = mapped_column(Text, default="")
    township_code: Mapped[str | None] = mapped_column(ForeignKey("township.code"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    legal_representative: Mapped[str] = mapped_column(String(40), default="")
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    registered_on: Mapped[date | None] = mapped_column(Date)
    ownership_type: Mapped[str | None] = mapped_column(String(20))
    industry_section: Mapped[str | None] = mapped_column(ForeignKey("industry_section.code"), index=True)
    industry_class: Mapped[str] = mapped_column(String(4), default="")
    size_group: Mapped[str | None] = mapped_column(String(20))  # chosen when the section is ambiguous
    size_class: Mapped[str | None] = mapped_column(String(1), index=True)  # effective class, derived
    size_class_override: Mapped[str | None] = mapped_column(String(1))
    size_class_override_reason: Mapped[str] = mapped_column(String(200), default="")
    main_products: Mapped[str] = mapped_column(Text, default="")
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    above_scale_since: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM it entered statistics
    four_above_category: Mapped[str | None] = mapped_column(String(20))
    high_tech_cert_no: Mapped[str] = mapped_column(String(40), default="")
    high_tech_valid_until: Mapped[date | None] = mapped_column(Date)
    business_status: Mapped[str] = mapped_column(String(20), default="active")
    moved_to_county: Mapped[str | None] = mapped_column(String(6))
    merged_into_uuid: Mapped[str | None] = mapped_column(String(36))
    remarks: Mapped[str] = mapped_column(Text, default="")
    # 资料待补充: what an import took the record without, one "<field>\t<what to complete>" line each
    incomplete: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Derived from the newest yearly figures on every save, so the register lists without a join.
    latest_year: Mapped[int | None] = mapped_column(Integer)
    latest_revenue_fen: Mapped[int | None] = mapped_column(BigInteger)
    latest_employees: Mapped[int | None] = mapped_column(Integer)

    years: Mapped[list[EnterpriseYear]] = relationship(
        back_populates="enterprise", order_by="EnterpriseYear.year", cascade="save-update, merge")

    def incomplete_marks(self) -> dict[str, str]:
        """资料待补充: field (or years.Y.field) → what is missing or doubtful."""
        return parse_marks(self.incomplete)

    def settle_marks(self, values: dict[str, object]) -> None:
        """Before a form save writes `values`: a 资料待补充 mark whose fact the clerk has now entered or changed is
        cleared (a form save has passed every check, so a fact it holds is no longer missing)."""
        marks = parse_marks(self.incomplete)
        for key in [k for k in marks if k in values]:
            if values[key] not in (None, "") and values[key] != getattr(self, key, None):
                del marks[key]
        self.incomplete = marks_text(marks)

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """The register is not dated, but the month a firm entered statistics (入统年月) counts in that
        month's 小升规 figures: setting or changing it touches that month."""
        if not touches(changed, ("above_scale_since",)):
            return ()
        span = period_code_span(self.above_scale_since or "")
        return (span,) if span is not None else ()


def parse_marks(text: str | None) -> dict[str, str]:
    """The stored 资料待补充 lines as field → message."""
    marks: dict[str, str] = {}
    for line in (text or "").splitlines():
        key, _, message = line.partition("\t")
        if key:
            marks[key] = message
    return marks


# Firms in USCC order, archived_at included (not a partial index: the planner would read that one for every query
# on current firms, in USCC order): 各县对比's count of USCCs held by two counties groups them as it reads the index
# (a million firms on the server: 0.6 s instead of hashing them in 1.5 s). Migration 0014.
Index("ix_enterprise_uscc_county", Enterprise.uscc, Enterprise.county_code, Enterprise.archived_at)
# Each firm's county in id order (not the whole row): the per-county counts of visits and demands look the firms
# up here or merge with it, a read of 30 MB instead of the 500 MB register (各县对比 on a million firms). Migration 0015.
Index("ix_enterprise_id_county", Enterprise.id, Enterprise.county_code)


def marks_text(marks: dict[str, str]) -> str:
    """field → message as the stored lines ('' when nothing is missing)."""
    return "\n".join(f"{k}\t{m}" for k, m in marks.items())


class EnterpriseYear(TravellingRecord, Base):
    """One year's figures for one enterprise; money in integer 分, counts in persons or items."""

    __tablename__ = "enterprise_year"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", name="uq_enterprise_year_enterprise_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revenue_fen: Mapped[int | None] = mapped_column(BigInteger)
    main_revenue_fen: Mapped[int | None] = mapped_column(BigInteger)
    net_profit_fen: Mapped[int | None] = mapped_column(BigInteger)
    total_assets_fen: Mapped[int | None] = mapped_column(BigInteger)
    total_liabilities_fen: Mapped[int | None] = mapped_column(BigInteger)
    employees: Mapped[int | None] = mapped_column(Integer)
    rd_expense_fen: Mapped[int | None] = mapped_column(BigInteger)
    rd_staff: Mapped[int | None] = mapped_column(Integer)
    ip_class1: Mapped[int | None] = mapped_column(Integer)
    ip_class2: Mapped[int | None] = mapped_column(Integer)

    enterprise: Mapped[Enterprise] = relationship(back_populates="years")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """Yearly figures belong to their year: only a received year period locks them."""
        return year_span(self.year)
