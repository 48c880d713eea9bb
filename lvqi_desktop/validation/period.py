"""Reporting periods: parse 2026-11 (month), 2026Q4 (quarter), 2026 (year) in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.validation.text import to_halfwidth

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER_NAMES = "一二三四"
FORMAT_HINT = "期别格式应为 2026-11（月）、2026Q4（季度）或 2026（年度）"


@dataclass(frozen=True)
class Period:
    """A month, quarter or year with inclusive first and last days."""

    kind: str  # 'month' | 'quarter' | 'year'
    year: int
    number: int  # month 1–12, quarter 1–4, or 0 for a year
    start: date
    end: date

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}Q{self.number}" if self.kind == "quarter" else str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{_QUARTER_NAMES[self.number - 1]}季度"
        return f"{self.year}年度"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    first_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_next - timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    return Period("month", year, month, date(year, month, 1), _month_end(year, month))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * quarter - 2
    return Period("quarter", year, quarter, date(year, first, 1), _month_end(year, first + 2))


def year_period(year: int) -> Period:
    return Period("year", year, 0, date(year, 1, 1), date(year, 12, 31))


def month_of(day: date) -> Period:
    return month_period(day.year, day.month)


def quarter_of(day: date) -> Period:
    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed([Issue("period", message)])


def parse_period(text: str, today: date) -> Period:
    """The period a code names; ValidationFailed for bad text or a period that has not begun."""
    raw = to_halfwidth(text or "").strip()
    if m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise _refuse(f"期别“{raw}”的月份应在 1–12 之间")
        period = month_period(year, month)
    elif m := _QUARTER.match(raw):
        period = quarter_period(int(m.group(1)), int(m.group(2)))
    elif m := _YEAR.match(raw):
        period = year_period(int(m.group(1)))
    else:
        raise _refuse(f"期别“{raw[:20]}”无法识别。{FORMAT_HINT}")
    if period.year < 2000:
        raise _refuse(f"期别“{raw}”的年份过早，请核对")
    if period.start > today:
        raise _refuse(f"期别“{period.label}”尚未开始（今天是 {today.isoformat()}），不能统计未来的期别")
    return period
