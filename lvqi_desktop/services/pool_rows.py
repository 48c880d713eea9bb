"""Plain rows the pool pages, the check table, reminders and the progress view show."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from lvqi_desktop.validation.above_scale import Readiness
from lvqi_desktop.validation.pools import RecordDraft
from lvqi_desktop.validation.tier_rules import TierAssessment

EVENT_KINDS = {"enter": "入库", "status": "状态变更", "tier": "层级变更", "edit": "修改", "follow_up": "跟进",
               "archive": "移出培育库", "restore": "恢复"}


@dataclass(frozen=True, slots=True)
class PoolRecordRow:
    """One line of a pool page."""

    id: int
    uuid: str
    enterprise_id: int
    uscc: str
    name: str
    county_code: str
    township_code: str | None
    township_name: str
    industry_section: str
    pool: str
    pool_label: str
    tier: str | None
    tier_label: str
    status: str
    status_label: str
    status_reason: str
    rule_set: str | None
    rule_set_label: str
    entered_on: date
    status_on: date | None
    recognized_on: date | None
    valid_until: date | None
    document_no: str
    listing_venue: str | None
    listing_venue_label: str
    target_tier_label: str
    target_year: int | None
    responsible_person: str
    last_follow_up_on: date | None
    above_scale_since: str | None
    archived: bool
    scale_line: str = ""  # 小升规: the latest revenue against the 规上 line of the firm's industry, in words


@dataclass(frozen=True)
class RecordDetail:
    """What the record editor opens: the editable draft, its row, and the statuses it may move to."""

    row: PoolRecordRow
    draft: RecordDraft
    next_statuses: list[tuple[str, str]]  # (code, label)
    tiers: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One change of a record: when, who, what (from → to), and the note."""

    id: int
    happened_at: datetime
    effective_on: date | None
    operator: str
    kind: str
    kind_label: str
    from_tier_label: str
    to_tier_label: str
    from_status_label: str
    to_status_label: str
    detail: str
    note: str

    @property
    def summary(self) -> str:
        parts = []
        if self.from_tier_label != self.to_tier_label and self.to_tier_label:
            parts.append(f"{self.from_tier_label or '—'} → {self.to_tier_label}")
        if self.from_status_label != self.to_status_label and self.to_status_label:
            parts.append(f"{self.from_status_label or '—'} → {self.to_status_label}")
        return "；".join(parts + ([self.detail] if self.detail else []))


@dataclass(frozen=True)
class GapReport:
    """The gap report beside the record editor: conditions (or 规上 readiness) for one target tier."""

    enterprise_id: int
    enterprise_name: str
    pool: str
    tier: str | None
    tier_label: str
    rule_set: str | None
    rule_set_label: str
    rule_set_document: str
    as_of: date
    assessment: TierAssessment | None = None
    readiness: Readiness | None = None
    notes: list[str] = field(default_factory=list)


CHECK_OUTCOMES = {"meets": "已符合", "missing_data": "缺少数据", "not_met": "尚不符合",
                  "no_conditions": "条件未录入"}


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One line of 检查全部: a firm, the tier it is checked for, and the outcome."""

    enterprise_id: int
    uscc: str
    name: str
    county_code: str
    township_name: str
    record_id: int | None
    pool: str
    pool_label: str
    current_label: str  # tier and status now, or 未入库
    target_tier: str | None
    target_label: str
    rule_set: str | None
    outcome: str
    met: int
    not_met: int
    unknown: int
    missing: str
    score: str
    message: str

    @property
    def outcome_label(self) -> str:
        return CHECK_OUTCOMES.get(self.outcome, self.outcome)


REMINDER_KINDS = {"title_expiring": "称号即将到期", "annual_update": "年度信息待更新",
                  "no_follow_up": "超过90天未跟进", "above_line_not_entered": "已达规上标准未入统",
                  "incomplete": "资料待补充"}


@dataclass(frozen=True, slots=True)
class ReminderRow:
    """One item for the start page; `due_on` sorts them, `days` is negative when overdue."""

    kind: str
    enterprise_id: int
    name: str
    record_id: int | None
    due_on: date | None
    days: int | None
    message: str
    county_code: str = ""  # the enterprise's county (shown in the city edition)

    @property
    def kind_label(self) -> str:
        return REMINDER_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class TargetRow:
    id: int
    scope: str
    scope_label: str
    metric: str
    metric_label: str
    unit: str
    year: int
    value: int
    source: str


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """Target, achieved, gap and percentage for one metric and year (achieved None: no data source)."""

    target_id: int
    scope: str
    scope_label: str
    metric: str
    metric_label: str
    unit: str
    year: int
    target: int
    achieved: float | None
    as_of: date
    note: str
    reference: bool = False  # the city plan's target shown in a county edition: 全市目标（参考）, never judged
    source: str = ""  # 依据: a document, or 市中心下达（回执 …） for a target the city allocated
    version: int = 0  # the stored target's version: 修改目标 is refused if another clerk saved it meanwhile

    @property
    def gap(self) -> float | None:
        return None if self.achieved is None else max(0.0, self.target - self.achieved)

    @property
    def percent(self) -> float | None:
        if self.achieved is None or not self.target:
            return None
        return round(self.achieved * 100.0 / self.target, 1)
