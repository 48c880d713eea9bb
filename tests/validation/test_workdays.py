"""The working-day calendar: holidays, 调休 Saturdays, deadlines moved past a holiday, weekdays where it has no data."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.services.exchange.service import package_deadline
from lvqi_desktop.services.monitoring_rows import due_date
from lvqi_desktop.validation.period import quarter_period
from lvqi_desktop.validation.workdays import add_working_days
from lvqi_desktop.validation.workdays import covers
from lvqi_desktop.validation.workdays import demand_due
from lvqi_desktop.validation.workdays import is_working_day
from lvqi_desktop.validation.workdays import next_working_day
from lvqi_desktop.validation.workdays import uncovered_note


def test_national_day_is_off_and_the_make_up_saturday_is_a_working_day() -> None:
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 10))  # a Saturday worked in exchange (调休)
    assert is_working_day(date(2026, 2, 14))  # the Saturday before 春节 2026
    assert not is_working_day(date(2026, 2, 17))  # 春节, a Tuesday


def test_a_deadline_on_a_rest_day_moves_to_the_next_working_day() -> None:
    assert next_working_day(date(2026, 10, 2)) == date(2026, 10, 8)
    assert next_working_day(date(2026, 11, 10)) == date(2026, 11, 10)  # a Tuesday stays
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_the_default_demand_deadline_counts_ten_working_days_across_the_holiday() -> None:
    # received on Monday 28 Sep 2026: 29, 30 Sep, then 8, 9, 10 (Sat, 调休), 12–16 Oct
    assert demand_due(date(2026, 9, 28)) == date(2026, 10, 16)


def test_the_monitoring_due_day_moves_past_the_holiday() -> None:
    assert due_date("2026-09", 10) == date(2026, 10, 10)  # the 调休 Saturday is a working day
    assert due_date("2026-09", 5) == date(2026, 10, 8)  # 5 Oct is in the National Day holiday
    assert due_date("2026-10", 10) == date(2026, 11, 10)


def test_a_package_due_on_a_rest_day_is_due_on_the_next_working_day() -> None:
    # Q4 2025 ends 31 Dec; + 10 days = Saturday 10 Jan 2026, a rest day
    assert package_deadline(quarter_period(2025, 4)) == date(2026, 1, 12)
    # Q1 2026 ends 31 Mar; + 10 days = Friday 10 Apr, a working day
    assert package_deadline(quarter_period(2026, 1)) == date(2026, 4, 10)
    # Q2 2026 ends 30 Jun; + 10 days = Friday 10 Jul
    assert package_deadline(quarter_period(2026, 2)) == date(2026, 7, 10)
    # Q3 2026 ends 30 Sep; + 10 days = Saturday 10 Oct, a make-up working day
    assert package_deadline(quarter_period(2026, 3)) == date(2026, 10, 10)


def test_a_year_the_calendar_does_not_know_uses_weekdays_and_warns() -> None:
    year = next(y for y in range(2026, 2100) if not covers(y))
    first_monday = next(date(year, 1, d) for d in range(1, 8) if date(year, 1, d).weekday() == 0)
    saturday = date(first_monday.year, 1, first_monday.day + 5)
    assert is_working_day(first_monday) and not is_working_day(saturday)
    assert next_working_day(saturday) == date(year, 1, first_monday.day + 7)
    note = uncovered_note([date(2026, 5, 1), saturday])
    assert f"{year}年" in note and "周一至周五" in note and "2026年" not in note
    assert uncovered_note([date(2026, 5, 1), None]) == ""


def test_the_demand_form_states_the_rule_and_warns_for_an_uncovered_year(qtbot) -> None:
    from lvqi_desktop.services.demands import DemandService
    from lvqi_desktop.ui.demands.fields import DemandFields

    known = DemandFields(DemandService.choices(), default_due=date(2026, 10, 16))
    qtbot.addWidget(known)
    assert "第10个工作日" in known.calendar_note.text() and "尚未收录" not in known.calendar_note.text()
    year = next(y for y in range(2026, 2100) if not covers(y))
    later = DemandFields(DemandService.choices(), default_due=date(year, 3, 1))
    qtbot.addWidget(later)
    assert f"{year}年的法定节假日和调休安排尚未收录" in later.calendar_note.text()
