"""Period codes: months, quarters, years; bad and future periods refused in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.validation.period import month_of
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.period import quarter_of

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("text", "code", "label", "start", "end"), [
    ("2026-11", "2026-11", "2026年11月", date(2026, 11, 1), date(2026, 11, 30)),
    ("2026-2", "2026-02", "2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", "2024-02", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026Q4", "2026Q4", "2026年第四季度", date(2026, 10, 1), date(2026, 12, 31)),
    ("２０２６q1", "2026Q1", "2026年第一季度", date(2026, 1, 1), date(2026, 3, 31)),
    (" 2025 ", "2025", "2025年度", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_forms(text, code, label, start, end) -> None:
    p = parse_period(text, TODAY)
    assert (p.code, p.label, p.start, p.end) == (code, label, start, end)


@pytest.mark.parametrize(("text", "message"), [
    ("", "无法识别"), ("2026Q0", "无法识别"), ("2026-00", "月份应在 1–12 之间"), ("1999", "年份过早"),
    ("2026-12", "期别“2026年12月”尚未开始（今天是 2026-11-26），不能统计未来的期别"), ("2027Q1", "尚未开始"),
])
def test_refused(text, message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_period(text, TODAY)
    assert message in str(refused.value) and refused.value.issues[0].field == "period"


def test_containing_periods() -> None:
    assert month_of(TODAY).code == "2026-11" and quarter_of(TODAY).code == "2026Q4"
    assert quarter_of(date(2026, 3, 31)).end == date(2026, 3, 31)
