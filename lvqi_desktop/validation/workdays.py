"""Working days on China's official calendar (statutory holidays, 调休 make-up Saturdays); weekdays where it has no data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import timedelta
from functools import lru_cache

import chinese_calendar

DEMAND_WORKING_DAYS = 10  # the default 办理时限: ten working days after the day a demand is registered or assigned
WORKDAY_RULE = f"默认为第{DEMAND_WORKING_DAYS}个工作日；落在节假日的顺延至其后第一个工作日（按国务院节假日和调休安排）。"
_LONGEST_REST = 20  # no holiday run is longer; a guard against an endless search


@lru_cache(maxsize=64)
def covers(year: int) -> bool:
    """Whether the calendar library knows this year's holidays and make-up days (they are announced each November)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """A working day by the State Council's arrangement; Monday–Friday in a year the calendar does not cover."""
    if not covers(day.year):
        return day.weekday() < 5
    return bool(chinese_calendar.is_workday(day))


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it (a deadline on a rest day moves)."""
    for _ in range(_LONGEST_REST):
        if is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself is not counted)."""
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day


def demand_due(start: date) -> date:
    """The default 办理时限 of a demand registered or assigned on `start`."""
    return add_working_days(start, DEMAND_WORKING_DAYS)


def uncovered_note(days: Iterable[date | None]) -> str:
    """A warning for the years among `days` whose holidays the calendar does not know yet; '' when all are known."""
    years = sorted({d.year for d in days if d is not None and not covers(d.year)})
    if not years:
        return ""
    named = "、".join(f"{y}年" for y in years)
    return (f"{named}的法定节假日和调休安排尚未收录，期限暂按周一至周五为工作日计算；"
            "国务院办公厅公布安排后，请升级本程序并核对期限。")
