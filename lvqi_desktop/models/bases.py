"""小微企业双创基地 (incubation bases): kinds and levels as editable data, bases, level timeline, tenants, years."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
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
from lvqi_desktop.models.locking import year_span


class BaseKind(Base):
    """A kind of base (电商产业园, 扶贫车间 …), seeded from incubation_bases.json; the office may add more."""

    __tablename__ = "base_kind"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))


class BaseLevel(Base):
    """A step of the level lifecycle (培育 → 申报市级 → 市级 → 申报省级 → 省级, 撤销)."""

    __tablename__ = "base_level"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(20))
    recognized: Mapped[bool] = mapped_column(Boolean, default=False)  # 市级 / 省级: needs date and document
    applied: Mapped[bool] = mapped_column(Boolean, default=False)  # 申报…: needs the date it was filed
    needs_reason: Mapped[bool] = mapped_column(Boolean, default=False)  # 撤销


class BaseLevelTransition(Base):
    """One allowed level change."""

    __tablename__ = "base_level_transition"
    from_level: Mapped[str] = mapped_column(ForeignKey("base_level.code"), primary_key=True)
    to_level: Mapped[str] = mapped_column(ForeignKey("base_level.code"), primary_key=True)


class IncubationBase(EditedInForms, TravellingRecord, Base):
    """One base: who runs it, where, how big, its level with dates and documents, what it offers."""

    __tablename__ = "incubation_base"
    __table_args__ = (Index("ix_incubation_base_county_level", "county_code", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(ForeignKey("base_kind.code"))
    operator_name: Mapped[str] = mapped_column(String(100), default="")  # 运营主体
    operator_type: Mapped[str] = mapped_column(String(20), default="")  # 运营主体性质
    address: Mapped[str] = mapped_column(String(200), default="")
    township_code: Mapped[str | None] = mapped_column(ForeignKey("township.code"))
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    opened_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(ForeignKey("base_level.code"))
    level_on: Mapped[date | None] = mapped_column(Date)  # date the current level took effect
    city_applied_on: Mapped[date | None] = mapped_column(Date)
    city_recognized_on: Mapped[date | None] = mapped_column(Date)
    city_document_no: Mapped[str] = mapped_column(String(60), default="")
    provincial_applied_on: Mapped[date | None] = mapped_column(Date)
    provincial_recognized_on: Mapped[date | None] = mapped_column(Date)
    provincial_document_no: Mapped[str] = mapped_column(String(60), default="")
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")
    services_offered: Mapped[str] = mapped_column(Text, default="")  # 提供的服务
    shared_facilities: Mapped[str] = mapped_column(Text, default="")  # 共享设施
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    tenants: Mapped[list[BaseTenant]] = relationship(back_populates="base", order_by="BaseTenant.id",
                                                     cascade="save-update, merge")


class BaseLevelEvent(TravellingRecord, Base):
    """One level change of a base: from → to, effective date, document number, who and why."""

    __tablename__ = "base_level_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_base.id"), index=True)
    from_level: Mapped[str | None] = mapped_column(String(20))
    to_level: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date | None] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(60), default="")
    happened_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    operator: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A level change belongs to the period of its effective date (or of the day it was made)."""
        return day_span(self.effective_on or self.happened_at)


class BaseTenant(TravellingRecord, Base):
    """An enterprise of the register in a base, from move-in to move-out."""

    __tablename__ = "base_tenant"
    __table_args__ = (
        Index("uq_base_tenant_current", "base_id", "enterprise_id", unique=True,
              sqlite_where=text("archived_at IS NULL AND moved_out_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_base.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    moved_in_on: Mapped[date] = mapped_column(Date)
    moved_out_on: Mapped[date | None] = mapped_column(Date)
    move_out_reason: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    base: Mapped[IncubationBase] = relationship(back_populates="tenants")
    enterprise: Mapped[Enterprise] = relationship()

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A move-in and a move-out belong to the periods of their dates (they count in that year's tenants)."""
        spans: tuple[Span, ...] = ()
        if touches(changed, ("moved_in_on", "base_id", "enterprise_id")):
            spans += day_span(self.moved_in_on)
        if touches(changed, ("moved_out_on", "move_out_reason")):
            spans += day_span(self.moved_out_on)
        return spans

    @property
    def name(self) -> str:  # what the change history calls the row
        return self.enterprise.name if self.enterprise is not None else ""


class BaseYear(TravellingRecord, Base):
    """A base's typed figures for one year (the 规上 / 专精特新 counts are derived, never stored)."""

    __tablename__ = "base_year"
    __table_args__ = (UniqueConstraint("base_id", "year", name="uq_base_year_base_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_base.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    tenants: Mapped[int | None] = mapped_column(Integer)  # 入驻企业（户）
    new_tenants: Mapped[int | None] = mapped_column(Integer)  # 当年新入驻（户）
    jobs: Mapped[int | None] = mapped_column(Integer)  # 带动就业（人）
    notes: Mapped[str] = mapped_column(Text, default="")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A base's yearly figures belong to their year: only a received year period locks them."""
        return year_span(self.year)


# What the change history (修改记录) calls each field of the base tables.
_DOCS = {"city_applied_on": "申报市级日期", "city_recognized_on": "市级认定日期", "city_document_no": "市级认定文号",
         "provincial_applied_on": "申报省级日期", "provincial_recognized_on": "省级认定日期",
         "provincial_document_no": "省级认定文号"}
BASE_FIELD_LABELS: dict[str, dict[str, str]] = {
    "incubation_base": {
        "county_code": "所属县（市、区）", "name": "基地名称", "kind": "基地类型", "operator_name": "运营主体",
        "operator_type": "运营主体性质", "address": "地址", "township_code": "乡镇（街道）",
        "floor_area_m2": "建筑面积（平方米）", "opened_on": "投入运营日期", "level": "认定层级",
        "level_on": "层级生效日期", **_DOCS, "revoked_on": "撤销日期", "revoke_reason": "撤销原因",
        "services_offered": "提供的服务", "shared_facilities": "共享设施", "contact_person": "联系人",
        "contact_phone": "联系电话", "notes": "备注"},
    "base_level_event": {"base_id": "所属基地", "from_level": "原层级", "to_level": "新层级", "effective_on": "生效日期",
                         "document_no": "文号", "happened_at": "记录时间", "operator": "操作员", "note": "说明"},
    "base_tenant": {"base_id": "所属基地", "enterprise_id": "入驻企业", "moved_in_on": "入驻日期",
                    "moved_out_on": "迁出日期", "move_out_reason": "迁出原因", "notes": "备注"},
    "base_year": {"base_id": "所属基地", "year": "年度", "tenants": "入驻企业（户）", "new_tenants": "当年新入驻（户）",
                  "jobs": "带动就业（人）", "notes": "备注"},
}
