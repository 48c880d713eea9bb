"""Spans of days that place a record in a reporting period, for the received-period lock (报送期锁定).

A record's `locking_spans(changed)` names the spans a write touches (`changed` is None for an insert or
a delete, else the changed column keys); a span is locked when it lies wholly inside a
received, un-reopened period. A day is a one-day span; a monthly report is its month; yearly figures
are their year, so only a locked *year* locks them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Collection
from datetime import date
from datetime import datetime

Span = tuple[date, date]
Changed = Collection[str] | None  # None: the whole record (insert or delete)

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def day_span(day: date | datetime | None) -> tuple[Span, ...]:
    if day is None:
        return ()
    if isinstance(day, datetime):
        day = day.date()
    return ((day, day),)


def month_span(year: int, month: int) -> Span:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def year_span(year: int | None) -> tuple[Span, ...]:
    return () if year is None else ((date(year, 1, 1), date(year, 12, 31)),)


def period_code_span(code: str) -> Span | None:
    """The days of a stored period code (2026-11, 2026Q4, 2026); None for a code that is not one."""
    code = (code or "").strip()
    if m := _MONTH.match(code):
        month = int(m.group(2))
        return month_span(int(m.group(1)), month) if 1 <= month <= 12 else None
    if m := _QUARTER.match(code):
        first = 3 * int(m.group(2)) - 2
        return date(int(m.group(1)), first, 1), month_span(int(m.group(1)), first + 2)[1]
    if m := _YEAR.match(code):
        return year_span(int(m.group(1)))[0]
    return None


def period_code_label(code: str) -> str:
    """2026年第四季度 / 2026年11月 / 2026年度 for a stored period code."""
    code = (code or "").strip()
    if m := _MONTH.match(code):
        return f"{m.group(1)}年{int(m.group(2))}月"
    if m := _QUARTER.match(code):
        return f"{m.group(1)}年第{'一二三四'[int(m.group(2)) - 1]}季度"
    return f"{code}年度" if _YEAR.match(code) else code


def touches(changed: Changed, columns: Collection[str]) -> bool:
    """True for an insert/delete, or when one of `columns` changed."""
    return changed is None or any(c in changed for c in columns)
