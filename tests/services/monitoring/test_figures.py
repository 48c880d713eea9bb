"""Computed figures against hand-counted fixtures: completeness, YoY and growth share, answers, sample check,
the assessment rule at its threshold, the fee ledger, and the form definition's round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from lvqi_desktop.paths import resource
from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.services.monitoring_stats import month_summary
from lvqi_desktop.validation.monitoring_form import DEFAULT_FORM
from lvqi_desktop.validation.monitoring_form import default_form
from lvqi_desktop.validation.monitoring_form import parse_form


def test_form_definition_round_trip() -> None:
    with open(resource(DEFAULT_FORM), encoding="utf-8") as fh:
        raw = json.load(fh)
    form = parse_form(raw)
    assert form.to_json() == raw
    assert parse_form(json.loads(json.dumps(form.to_json(), ensure_ascii=False))) == form
    assert form == default_form()
    keys = [f.key for f in form.fields]
    for needed in ("revenue", "revenue_ytd", "cost_ytd", "profit_ytd", "tax_ytd", "export_ytd", "employees",
                   "electricity", "receivables", "finished_goods", "domestic_orders", "export_orders",
                   "operation_status", "working_capital", "labour", "hiring_need", "raw_material_cost",
                   "labour_cost", "difficulties", "remarks"):
        assert needed in keys
    assert form.field("labour").choices == ("短缺", "平衡", "富余")
    assert not any("yoy" in k or "同比" in f.label for k, f in form.by_key.items())  # YoY is never typed


@pytest.mark.parametrize("broken, words", [
    ({"version": "x", "fields": [{"key": "a", "label": "A", "kind": "float"}]}, "unknown kind"),
    ({"version": "x", "fields": [{"key": "a", "label": "A", "kind": "choice"}]}, "needs choices"),
    ({"version": "x", "fields": [{"key": "a", "label": "A", "kind": "text"}] * 2}, "appears twice"),
    ({"fields": [{"key": "a", "label": "A", "kind": "text"}]}, "needs a version"),
])
def test_a_broken_definition_is_refused(broken, words) -> None:
    with pytest.raises(ValueError, match=words):
        parse_form(broken)


@pytest.fixture
def october(mon, monitored):
    """Four firms owe 2026-10; three report it (two on time, one late); two also reported 2025-10."""
    a, b = monitored("3", name="甲"), monitored("4", name="乙")
    c, d = monitored("2", name="丙"), monitored("3", name="丁")
    save = mon.save_report
    save(ReportDraft(a, "2025-10", {"revenue_ytd": "800", "profit_ytd": "100"}, date(2025, 11, 5)))
    save(ReportDraft(b, "2025-10", {"revenue_ytd": "200", "profit_ytd": "-10"}, date(2025, 11, 5)))
    save(ReportDraft(a, "2026-10", {"revenue_ytd": "1000", "profit_ytd": "80", "domestic_orders": "增加",
                                    "difficulties": ["招工难", "融资难融资贵"]}, date(2026, 11, 5)))
    save(ReportDraft(b, "2026-10", {"revenue_ytd": "300", "profit_ytd": "20", "domestic_orders": "减少",
                                    "difficulties": "招工难"}, date(2026, 11, 10)))
    save(ReportDraft(c, "2026-10", {"revenue_ytd": "500", "domestic_orders": "增加"}, date(2026, 11, 11)))
    return a, b, c, d


def test_completeness_and_timeliness_by_hand(mon, october) -> None:
    a, b, c, d = october
    done = mon.completeness("2026-10")
    assert (done.expected, done.received, done.on_time) == (4, 3, 2)
    assert done.due_on == date(2026, 11, 10)
    status = {r.enterprise_id: r.status_label for r in done.rows}
    assert status == {a: "按时报送", b: "按时报送", c: "逾期报送", d: "逾期未报"}
    assert [r.enterprise_id for r in mon.missing_now().missing] == [d]
    mon.set_settings(replace(mon.settings(), due_day=5))  # the due day is a setting
    assert mon.completeness("2026-10").on_time == 1
    # November: not due yet, nobody reported; firms that joined later are not expected earlier
    assert {r.status for r in mon.completeness("2026-11").rows} == {"open"}


def test_summary_yoy_growth_share_and_answers_by_hand(mon, october) -> None:
    s = month_summary(mon, "2026-10")
    assert (s.expected, s.received) == (4, 3)
    ind = {i.field.key: i for i in s.indicators}
    revenue, profit = ind["revenue_ytd"], ind["profit_ytd"]
    assert (revenue.total, revenue.firms, revenue.matched_firms) == (1_800_000_000, 3, 2)
    assert (revenue.matched_current, revenue.matched_last_year) == (1_300_000_000, 1_000_000_000)
    assert revenue.yoy == pytest.approx(0.3) and revenue.grew_share == 1.0
    assert (profit.total, profit.firms, profit.matched_current, profit.matched_last_year) == (
        100_000_000, 2, 100_000_000, 90_000_000)
    assert profit.yoy == pytest.approx(10 / 90) and profit.grew == 1 and profit.grew_share == 0.5
    answers = {(a.field.key, a.option): a for a in s.answers}
    assert answers[("domestic_orders", "增加")].count == 2
    assert answers[("domestic_orders", "增加")].share == pytest.approx(2 / 3)
    assert answers[("domestic_orders", "持平")].count == 0
    assert answers[("difficulties", "招工难")].share == pytest.approx(2 / 3)
    assert answers[("difficulties", "融资难融资贵")].count == 1
    assert answers[("labour", "短缺")].answered == 0 and answers[("labour", "短缺")].share is None


def test_sample_check_at_eighty_percent(mon, monitored) -> None:
    assert not mon.sample_check().ok and "还没有企业" in mon.sample_check().message
    for size in ("3", "4", "3", "2"):
        monitored(size)
    check = mon.sample_check()
    assert (check.total, check.small_micro, check.ok) == (4, 3, False)
    assert "占 75.0%" in check.message and "低于工信部要求的80%" in check.message
    monitored("4")
    assert mon.sample_check().ok and "符合" in mon.sample_check().message
    late = monitored("2", since=date(2026, 11, 20))
    assert mon.sample_check(date(2026, 11, 1)).ok and not mon.sample_check().ok  # 4 of 6 today
    mon.leave_sample(late, date(2026, 11, 21))
    assert mon.sample_check(date(2026, 11, 22)).ok


def _year_of_reports(mon, eid: int, late_months: set[int]) -> None:
    for m in range(1, 11):
        nxt = date(2026, m + 1, 5) if m not in late_months else date(2026, m + 1, 20)
        mon.save_report(ReportDraft(eid, f"2026-{m:02d}", {"revenue": "100"}, nxt))


def test_assessment_rule_at_its_threshold(mon, monitored) -> None:
    x, y = monitored(since=date(2026, 1, 1), name="甲"), monitored(since=date(2026, 1, 1), name="乙")
    sx = mon.add_statistician(x, "张三", "13800000001", date(2025, 6, 1))
    sy = mon.add_statistician(y, "李四", "13800000002", date(2026, 1, 1))
    _year_of_reports(mon, x, {10})  # 9 of 10 on time: exactly the 90 % threshold
    _year_of_reports(mon, y, {9, 10})  # 8 of 10
    for revenue in ("101", "102", "103"):  # three corrections: still allowed
        mon.save_report(ReportDraft(x, "2026-03", {"revenue": revenue}))
    rows = {r.statistician.id: r for r in mon.assessment(2026)}
    assert (rows[sx.id].expected, rows[sx.id].on_time, rows[sx.id].corrections) == (10, 9, 3)
    assert rows[sx.id].qualified and rows[sx.id].result_label == "合格" and rows[sx.id].fee_fen == 100_000
    assert (rows[sy.id].on_time, rows[sy.id].qualified, rows[sy.id].fee_fen) == (8, False, None)
    mon.save_report(ReportDraft(x, "2026-03", {"revenue": "104"}))  # the fourth correction
    assert not {r.statistician.id: r for r in mon.assessment(2026)}[sx.id].qualified
    mon.set_settings(replace(mon.settings(), pass_max_corrections=4, pass_on_time_rate=0.8))
    rows = {r.statistician.id: r for r in mon.assessment(2026)}
    assert rows[sx.id].qualified and rows[sy.id].qualified


def test_fee_ledger_records_qualified_statisticians_and_payment(mon, monitored) -> None:
    x = monitored(since=date(2026, 1, 1))
    sx = mon.add_statistician(x, "张三", "", date(2026, 1, 1))
    _year_of_reports(mon, x, set())
    assert mon.record_fees(2026) == 1 and mon.record_fees(2026) == 0  # once per person and year
    row = mon.assessment(2026)[0]
    assert row.fee_id is not None and not row.paid
    mon.mark_fee_paid(sx.id, 2026, date(2026, 11, 26))
    row = mon.assessment(2026)[0]
    assert row.paid and row.paid_on == date(2026, 11, 26)


def test_a_statistician_needs_a_name_and_a_monitored_firm(services, mon, add_firm, monitored) -> None:
    from lvqi_desktop.errors import ValidationFailed
    with pytest.raises(ValidationFailed, match="请填写统计人员姓名"):
        mon.add_statistician(monitored(), " ", "", date(2026, 1, 1))
    with pytest.raises(ValidationFailed, match="不在运行监测样本中"):
        mon.add_statistician(add_firm(), "王五", "", date(2026, 1, 1))
    assert mon.statisticians() == []
