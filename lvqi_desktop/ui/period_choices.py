"""Drop-down entries for reporting periods (month, quarter, year), newest first, never in the future."""

from __future__ import annotations

from datetime import date

QUARTER_NAMES = "一二三四"


def month_choices(today: date, count: int = 36) -> list[tuple[str, str]]:
    """('2026-11', '2026年11月'), then the months before it."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append((f"{year}-{month:02d}", f"{year}年{month}月"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found


def quarter_choices(today: date, count: int = 12) -> list[tuple[str, str]]:
    """('2026Q4', '2026年第四季度'), then the quarters before it."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        found.append((f"{year}Q{quarter}", f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return found


def year_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    return [(str(y), f"{y}年度") for y in range(today.year, today.year - count, -1)]


PERIOD_KINDS = {"month": ("月度", month_choices), "quarter": ("季度", quarter_choices), "year": ("年度", year_choices)}
