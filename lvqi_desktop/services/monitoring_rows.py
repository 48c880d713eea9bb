"""What the monitoring service hands to the faces: plain rows, settings, months and due dates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import month_period
from lvqi_desktop.validation.workdays import next_working_day

SMALL_MICRO = ("3", "4")
SAMPLE_MIN_SHARE = 0.8  # MIIT: a county's sample is at least 80 % small and micro firms
SETTINGS_KEY = "monitoring_settings"
STATUS_LABELS = {"on_time": "按时报送", "late": "逾期报送", "overdue": "逾期未报", "open": "未报（未到期）"}


class NeedsConfirmation(ValidationFailed):
    """Values far from the firm's recent months, or implausibly large: saved only when confirmed (`confirmed=True`)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues)
        self.args = ("以下数值与本企业近几个月相差超过50%或大得不合常理，请核对；确认无误后勾选“已核实”再保存：" +
                     "；".join(i.message for i in issues),)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class MonitoringSettings:
    due_day: int = 10  # reports are due on this day of the following month
    pass_on_time_rate: float = 0.9  # 考核合格: on-time rate at least this …
    pass_max_corrections: int = 3  # … and at most this many corrections in the year
    fee_fen: int = 100_000  # 信息采集费 per qualified statistician and year (分; 1,000 元)

    def to_text(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @staticmethod
    def from_text(text: str | None) -> MonitoringSettings:
        if not text:
            return MonitoringSettings()
        raw = json.loads(text)
        known = {k: raw[k] for k in MonitoringSettings.__dataclass_fields__ if k in raw}
        return MonitoringSettings(**known)


def month_code(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(code: str, months: int) -> str:
    year, month = int(code[:4]), int(code[5:7])
    n = year * 12 + month - 1 + months
    return month_code(n // 12, n % 12 + 1)


def month_of_code(code: str) -> Period:
    return month_period(int(code[:4]), int(code[5:7]))


def due_date(code: str, due_day: int) -> date:
    """The month's report is due on `due_day` of the next month, moved past a holiday to the next working day."""
    nxt = month_of_code(shift_month(code, 1))
    return next_working_day(date(nxt.year, nxt.number, min(due_day, nxt.end.day)))


def months_in(period: Period) -> list[str]:
    first = month_code(period.start.year, period.start.month)
    last = month_code(period.end.year, period.end.month)
    out = [first]
    while out[-1] != last:
        out.append(shift_month(out[-1], 1))
    return out


def expected_in(monitored_from: date, monitored_to: date | None, code: str) -> bool:
    """A firm owes a month's report when it was in the sample at any time in that month."""
    p = month_of_code(code)
    return monitored_from <= p.end and (monitored_to is None or monitored_to >= p.start)


@dataclass(frozen=True)
class SampleRow:
    enterprise_id: int
    uscc: str
    name: str
    size_class: str | None
    monitored_from: date
    monitored_to: date | None
    note: str
    county_code: str = ""  # the enterprise's county


@dataclass(frozen=True)
class SampleCheck:
    """The sample on a day: how many firms, how many small or micro, and MIIT's 80 % rule."""

    total: int
    small_micro: int

    @property
    def share(self) -> float | None:
        return self.small_micro / self.total if self.total else None

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.small_micro >= SAMPLE_MIN_SHARE * self.total

    @property
    def message(self) -> str:
        if not self.total:
            return "监测样本中还没有企业。请在“运行监测”中把企业加入样本。"
        text = f"监测样本 {self.total:,} 家，其中小型、微型企业 {self.small_micro:,} 家，占 {self.small_micro / self.total * 100:.1f}%"
        if self.ok:
            return text + "，符合工信部“小微企业不低于80%”的要求。"
        return text + "，低于工信部要求的80%，请增加小微企业样本。"


@dataclass
class ReportDraft:
    """One firm's month as typed: values by field key (text, or numbers/lists from the CLI and import)."""

    enterprise_id: int
    period: str
    values: dict[str, object] = field(default_factory=dict)
    received_on: date | None = None  # default: today
    version: int | None = None  # the report's version the grid or form read (0: it saw none); None: not checked


@dataclass
class ImportOutcome:
    """What importing one firm's month would do (or did): new / update / unchanged / confirm / error."""

    status: str
    issues: list[Issue] = field(default_factory=list)  # blocking Issues (field = form key, "period", "enterprise")
    warnings: list[Issue] = field(default_factory=list)  # ±50 % Issues
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (form key, old text, new text) of an update


@dataclass(frozen=True)
class SavedReport:
    report_id: int
    enterprise_id: int
    period: str
    updated: bool  # a second report for the month: an update (history kept)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GridRow:
    """One monitored firm in a month's grid: the values as editable text, and the report's state."""

    enterprise_id: int
    uscc: str
    name: str
    size_class: str | None
    values: dict[str, str]
    report_id: int | None
    received_on: date | None
    status: str  # on_time · late · overdue · open
    confirmed: bool
    warnings: str
    yoy: dict[str, float | None]  # field key → growth over last year's same month (no typed YoY)
    county_code: str = ""  # the enterprise's county
    version: int = 0  # the report's version (0: not reported yet): a save is refused if it changed meanwhile

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class FirmMonth:
    """One firm's month for the per-firm form: its values as editable text, and the figures to compare with."""

    enterprise_id: int
    uscc: str
    name: str
    period: str
    report_id: int | None
    values: dict[str, str]
    last_month: dict[str, str]  # last month's report as text (its year-to-date figures for reference)
    last_year: dict[str, str]  # last year's same month as text
    yoy: dict[str, float | None]  # field key → growth over last year's same month (computed, never typed)
    version: int = 0  # the report's version (0: not reported yet): a save is refused if it changed meanwhile


@dataclass(frozen=True)
class CompletenessRow:
    enterprise_id: int
    uscc: str
    name: str
    received_on: date | None
    status: str
    county_code: str = ""  # the enterprise's county

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def received(self) -> bool:
        return self.status in ("on_time", "late")


@dataclass(frozen=True)
class Completeness:
    period: str
    due_on: date
    rows: tuple[CompletenessRow, ...]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(r.received for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(r.status == "on_time" for r in self.rows)

    @property
    def missing(self) -> tuple[CompletenessRow, ...]:
        return tuple(r for r in self.rows if not r.received)

    @property
    def received_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


@dataclass(frozen=True)
class StatisticianRow:
    id: int
    enterprise_id: int
    enterprise_name: str
    uscc: str
    name: str
    phone: str
    since: date
    until: date | None
    county_code: str = ""  # the enterprise's county


@dataclass(frozen=True)
class AssessmentRow:
    """统计人员年度考核: months owed while in post, on time, corrections, and the result with the fee."""

    statistician: StatisticianRow
    year: int
    expected: int
    on_time: int
    corrections: int
    qualified: bool
    fee_id: int | None
    fee_fen: int | None  # recorded in the ledger, or what a qualified person is due
    paid: bool
    paid_on: date | None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def result_label(self) -> str:
        return "合格" if self.qualified else ("无应报月份" if not self.expected else "不合格")
