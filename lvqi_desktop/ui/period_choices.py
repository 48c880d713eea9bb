"""Drop-down entries for reporting periods (month, quarter, year), newest first, never in the future."""

from __future__ import annotations

from datetime import date

QUARTER_NAMES = "一二三四"


def _counting_back(year: int, number: int, per_year: int, count: int) -> list[tuple[int, int]]:
    """(year, number) of `count` periods, the `number`-th of `year` (1 to `per_year`) first, then those before it."""
    found = []
    for _ in range(count):
        found.append((year, number))
        year, number = (year - 1, per_year) if number == 1 else (year, number - 1)
    return found


def month_choices(today: date, count: int = 36) -> list[tuple[str, str]]:
    """('2026-11', '2026年11月'), then the months before it."""
    return [(f"{y}-{m:02d}", f"{y}年{m}月") for y, m in _counting_back(today.year, today.month, 12, count)]


def quarter_choices(today: date, count: int = 12) -> list[tuple[str, str]]:
    """('2026Q4', '2026年第四季度'), then the quarters before it."""
    return [(f"{y}Q{q}", f"{y}年第{QUARTER_NAMES[q - 1]}季度")
            for y, q in _counting_back(today.year, (today.month - 1) // 3 + 1, 4, count)]


def year_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    return [(str(y), f"{y}年度") for y in range(today.year, today.year - count, -1)]


PERIOD_KINDS = {"month": ("月度", month_choices), "quarter": ("季度", quarter_choices), "year": ("年度", year_choices)}
