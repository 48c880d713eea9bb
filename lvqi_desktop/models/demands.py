"""企业诉求: a demand's case record, its lifecycle table and its append-only progress log."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop import clock
from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.locking import Changed
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import day_span

DEMAND_CATEGORIES = {
    "finance": "融资", "labour": "用工", "land": "用地/厂房", "approval": "审批/证照",
    "policy": "政策兑现", "utilities": "要素保障(水电气暖)", "market": "市场/订单", "arrears": "账款拖欠",
    "tax": "税费", "env_safety": "环保/安全生产", "tech_talent": "科技/人才", "other": "其他",
}
DEMAND_SOURCES = {
    "visit": "包联走访", "team": "入企服务工作组", "hotline": "12345转办", "platform": "政企平台",
    "forum": "座谈会/恳谈会", "self": "企业自报", "superior": "上级交办",
}
VISIT_SOURCES = frozenset({"visit", "team"})  # 包联走访 / 入企服务工作组: raised at a visit, linked to it (visit_id)
DEMAND_URGENCIES = {"immediate": "即办(咨询)", "urgent": "紧急", "normal": "一般", "complex": "复杂(需会商)"}
DEMAND_STATUSES = {
    "pending": "待受理", "assigned": "已交办", "in_progress": "办理中", "resolved": "已办结",
    "explained": "已解释(无法解决)", "signed_off": "已销号",
}
CLOSED_STATUSES = frozenset({"resolved", "explained", "signed_off"})
# The states an Excel ledger's old demand may be brought in at (销号 is done in the program after 回访),
# and the words county sheets use for them.
IMPORT_DEMAND_STATUSES = {"pending": "待受理", "assigned": "已交办", "in_progress": "办理中", "resolved": "已办结",
                          "explained": "已解释"}
IMPORT_STATUS_WORDS = {"未受理": "pending", "未办理": "pending", "已转办": "assigned", "交办": "assigned",
                       "正在办理": "in_progress", "在办": "in_progress", "未办结": "in_progress",
                       "办理中(未办结)": "in_progress", "办结": "resolved", "已解决": "resolved",
                       "已完成": "resolved", "是": "resolved", "否": "in_progress",
                       "已解释(无法解决)": "explained", "无法解决": "explained", "已答复": "explained"}
OPEN_STATUSES = frozenset({"pending", "assigned", "in_progress"})
SATISFACTIONS = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
SATISFIED = frozenset({"satisfied", "basically"})

# action → (label, statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[str, frozenset[str], str | None]] = {
    "assign": ("交办", frozenset({"pending", "assigned", "in_progress"}), "assigned"),
    "start": ("开始办理", frozenset({"assigned"}), "in_progress"),
    "progress": ("记录进展", frozenset({"assigned", "in_progress"}), None),
    "resolve": ("办结", frozenset({"assigned", "in_progress"}), "resolved"),
    "explain": ("解释(无法解决)", frozenset({"assigned", "in_progress"}), "explained"),
    "follow_up": ("回访", frozenset({"resolved", "explained"}), None),  # 不满意 → in_progress
    "reopen": ("重新办理", frozenset({"resolved", "explained"}), "in_progress"),
    "sign_off": ("销号", frozenset({"resolved", "explained"}), "signed_off"),
    "edit": ("修改", frozenset({"pending", "assigned", "in_progress"}), None),
}
EVENT_KINDS = {"create": "登记", "archive": "归档", **{k: v[0] for k, v in TRANSITIONS.items()}}

AGE_BUCKETS = {"le7": "≤7天", "d8_30": "8–30天", "gt30": ">30天", "overdue": "逾期"}


def age_bucket(age_days: int, overdue: bool) -> str:
    """The board bucket of an open case: overdue first, then by days since received."""
    if overdue:
        return "overdue"
    if age_days <= 7:
        return "le7"
    return "d8_30" if age_days <= 30 else "gt30"


def demand_number(office_code: str, year: int, seq: int) -> str:
    return f"{office_code}-{year}-{seq:04d}"


# Columns that later handling changes; each such change is logged as a dated DemandEvent.
DEMAND_PROGRESS_COLUMNS = frozenset({
    "status", "assigned_on", "responsible_unit", "co_units", "unit_contact", "due_on", "result", "closing_kind",
    "closed_on", "first_closed_on", "reopen_count", "satisfaction", "followed_up_on", "followed_up_by",
    "signed_off_on", "helper_id"})


class Demand(EditedInForms, TravellingRecord, Base):
    """One demand from one enterprise, tracked from receipt to sign-off."""

    __tablename__ = "demand"
    __table_args__ = (
        UniqueConstraint("office_code", "year", "seq", name="uq_demand_office_year_seq"),
        Index("ix_demand_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_code: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("helper.id"), index=True)  # 包联领导
    source: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(12), index=True)
    description: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")  # 企业诉求/建议
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    assigned_on: Mapped[date | None] = mapped_column(Date)
    responsible_unit: Mapped[str] = mapped_column(String(100), default="", index=True)
    co_units: Mapped[str] = mapped_column(String(300), default="")  # separated by "、"
    unit_contact: Mapped[str] = mapped_column(String(100), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    closing_kind: Mapped[str | None] = mapped_column(String(10))  # 'resolved' or 'explained'
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)  # latest closing
    first_closed_on: Mapped[date | None] = mapped_column(Date)  # "on time" is judged on this
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    satisfaction: Mapped[str | None] = mapped_column(String(12))  # latest follow-up
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    followed_up_by: Mapped[str] = mapped_column(String(40), default="")
    signed_off_on: Mapped[date | None] = mapped_column(Date)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Due date passed and not closed."""
        return not self.is_closed and self.due_on is not None and today > self.due_on

    @property
    def closed_on_time(self) -> bool | None:
        """Judged on the first closing; None while never closed."""
        if self.first_closed_on is None:
            return None
        return self.due_on is None or self.first_closed_on <= self.due_on

    locking_field = "received_on"  # where a form shows the locked-period refusal

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """The registration belongs to the period it was received in; handling it later (assign, close,
        follow up) is dated by its progress-log rows (DemandEvent), not by the registration."""
        if changed is not None and not set(changed) - DEMAND_PROGRESS_COLUMNS:
            return ()
        return day_span(self.received_on)


class DemandEvent(TravellingRecord, Base):
    """One line of a demand's progress log; rows are only ever added."""

    __tablename__ = "demand_event"
    __table_args__ = (Index("ix_demand_event_kind_day", "kind", "happened_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    happened_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str | None] = mapped_column(String(12))
    operator: Mapped[str] = mapped_column(String(40), default="")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A progress-log row belongs to the period of the day it happened."""
        return day_span(self.happened_on)
