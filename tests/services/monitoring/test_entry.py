"""Entry of monthly reports: the checks, the update with history, the month grid."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import NeedsConfirmation
from lvqi_desktop.services.monitoring import ReportDraft
from tests.conftest import open_services
from tests.services.monitoring.conftest import TODAY


def _counts(services) -> tuple[int, int]:
    with services.db.unit_of_work() as uow:
        return (uow.session.scalar(select(func.count()).select_from(MonitoringReport)),
                uow.session.scalar(select(func.count()).select_from(ChangeRecord)))


def _refused(services, call, *words: str) -> str:
    before = _counts(services)
    with pytest.raises(ValidationFailed) as err:
        call()
    message = str(err.value)
    for w in words:
        assert w in message, message
    assert _counts(services) == before
    return message


def test_a_report_is_stored_exactly_and_read_back(mon, monitored) -> None:
    eid = monitored()
    saved = mon.save_report(ReportDraft(eid, "2026-10", {
        "revenue": "123.456789", "revenue_ytd": "1,000.01", "profit_ytd": "-5", "employees": "88",
        "domestic_orders": "增加", "difficulties": "招工难、融资难融资贵", "remarks": " 正常 "}))
    assert not saved.updated
    values = mon.report_values(eid, "2026-10")
    assert values == {"revenue": 123456789, "revenue_ytd": 1000010000, "profit_ytd": -5000000, "employees": 88,
                      "domestic_orders": "增加", "difficulties": ["招工难", "融资难融资贵"], "remarks": "正常"}


@pytest.mark.parametrize("values, words", [
    ({"revenue": "-1"}, ("营业收入（本月）不能为负数",)),
    ({"employees": "-3"}, ("从业人员期末人数不能为负数",)),
    ({"domestic_orders": "很好"}, ("国内订单只能填“增加/持平/减少”之一", "很好")),
    ({"difficulties": "没钱"}, ("主要困难中“没钱”不在可选项内",)),
    ({"revenue": "abc"}, ("不是数字",)),
    ({"no_such": "1"}, ("表中没有“no_such”这一项",)),
    ({}, ("没有填写任何数值",)),
])
def test_bad_values_are_refused_and_nothing_changes(services, mon, monitored, values, words) -> None:
    eid = monitored()
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-10", values)), *words)


def test_future_and_running_months_are_refused(services, mon, monitored) -> None:
    eid = monitored()
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-12", {"revenue": "1"})), "尚未开始")
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-11", {"revenue": "1"})), "2026年11月尚未结束")


def test_a_month_before_the_firm_joined_is_refused(services, mon, monitored) -> None:
    eid = monitored(since=date(2026, 6, 15))
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-05", {"revenue": "1"})),
             "2026-06-15 才纳入监测样本", "2026年5月")
    mon.save_report(ReportDraft(eid, "2026-06", {"revenue": "1"}))  # the month it joined is owed


def test_a_firm_outside_the_sample_is_refused(services, mon, add_firm) -> None:
    eid = add_firm()
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "1"})), "不在运行监测样本中")


def test_year_to_date_below_last_months_is_refused(services, mon, monitored) -> None:
    eid = monitored()
    mon.save_report(ReportDraft(eid, "2026-09", {"revenue_ytd": "900"}))
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "800"})),
             "营业收入（本年累计） 800.00 万元低于上月累计 900.00 万元")
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "950"}))
    mon.save_report(ReportDraft(eid, "2026-01", {"revenue_ytd": "10"}))  # January starts a new year


def test_values_far_from_recent_months_need_confirmation(services, mon, monitored) -> None:
    eid = monitored()
    for month, revenue in (("2026-07", "100"), ("2026-08", "110"), ("2026-09", "90")):
        mon.save_report(ReportDraft(eid, month, {"revenue": revenue}))
    draft = ReportDraft(eid, "2026-10", {"revenue": "151"})
    before = _counts(services)
    with pytest.raises(NeedsConfirmation) as err:
        mon.save_report(draft)
    assert "营业收入（本月） 151.00 万元与近3个月平均 100.00 万元相差超过50%" in str(err.value)
    assert _counts(services) == before
    saved = mon.save_report(draft, confirmed=True)
    assert saved.warnings and "相差超过50%" in saved.warnings[0]
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "150"}))  # within ±50 %: no question asked


def test_a_second_report_is_an_update_with_history(services, mon, monitored) -> None:
    eid = monitored()
    first = mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "100"}), )
    second = mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "120"}))
    assert second.updated and second.report_id == first.report_id
    assert mon.report_values(eid, "2026-10") == {"revenue": 120000000}
    with services.db.unit_of_work() as uow:
        report = uow.session.get(MonitoringReport, first.report_id)
        assert report.corrections == 1 and report.received_on == date(2026, 11, 26)
        changes = uow.session.scalars(select(ChangeRecord).where(ChangeRecord.table_name == "monitoring_report",
                                                                 ChangeRecord.record_id == first.report_id)).all()
        assert len(changes) == 2 and "100000000" in changes[1].changes and "120000000" in changes[1].changes


def test_the_month_grid_lists_every_owed_firm_and_saves_in_bulk(services, mon, monitored) -> None:
    a, b = monitored(name="甲公司"), monitored(name="乙公司")
    monitored(since=date(2026, 11, 1), name="丙公司")  # joined after October: not in October's grid
    mon.save_report(ReportDraft(a, "2025-10", {"revenue_ytd": "800"}))
    rows = mon.month_grid("2026-10")
    assert [r.name for r in rows] == ["乙公司", "甲公司"] or {r.name for r in rows} == {"甲公司", "乙公司"}
    assert all(r.status == "overdue" and r.report_id is None for r in rows)
    mon.save_reports("2026-10", [ReportDraft(a, "2026-10", {"revenue_ytd": "1000"}),
                                 ReportDraft(b, "2026-10", {"revenue_ytd": "500", "labour": "短缺"})])
    rows = {r.enterprise_id: r for r in mon.month_grid("2026-10")}
    assert rows[a].values["revenue_ytd"] == "1000" and rows[a].status == "late"
    assert rows[a].yoy["revenue_ytd"] == pytest.approx(0.25)  # computed from 2025-10, never typed
    assert rows[b].yoy["revenue_ytd"] is None and rows[b].values["labour"] == "短缺"


def test_a_bad_row_in_a_bulk_save_saves_nothing(services, mon, monitored) -> None:
    a, b = monitored(name="甲公司"), monitored(name="乙公司")
    _refused(services, lambda: mon.save_reports("2026-10", [ReportDraft(a, "2026-10", {"revenue": "1"}),
                                                            ReportDraft(b, "2026-10", {"revenue": "-1"})]),
             "乙公司：营业收入（本月）不能为负数")


def test_a_month_above_its_own_year_to_date_is_refused(services, mon, monitored) -> None:
    eid = monitored()
    _refused(services, lambda: mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "500", "revenue_ytd": "300"})),
             "营业收入（本月） 500.00 万元大于营业收入（本年累计） 300.00 万元", "本年累计已含本月")
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "300", "revenue_ytd": "300"}))  # January-like: equal


def test_an_implausible_sum_needs_confirmation(services, mon, monitored) -> None:
    eid = monitored()
    with pytest.raises(NeedsConfirmation) as asked:
        mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "99999999999"}))
    assert "营业收入（本年累计） 99,999,999,999.00 万元（约 10,000,000 亿元）超过一千亿元" in str(asked.value.issues)
    assert _counts(services)[0] == 0
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "99999999999"}), confirmed=True)
    assert mon.report_values(eid, "2026-10") == {"revenue_ytd": 99999999999 * 1_000_000}


def test_the_change_history_of_a_report_and_the_sample_reads_in_chinese(services, mon, monitored) -> None:
    eid = monitored(name="吕梁监测可读有限公司")
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "380", "domestic_orders": "增加"}))
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue": "390.5", "domestic_orders": "增加"}))
    [update] = [r for r in services.history.list(table="monitoring_report") if r.action == "update"]
    changes = {(c.label, c.old_text, c.new_text) for c in update.changes}
    assert ("营业收入（本月）（万元）", "380", "390.5") in changes
    assert not [c for c in update.changes if c.field == "values"]  # no raw JSON
    [joined] = services.history.list(table="monitored_firm")
    assert ("企业", "（空）", "吕梁监测可读有限公司") in {(c.label, c.old_text, c.new_text) for c in joined.changes}
    assert ("纳入监测日期", "（空）", "2025-01-01") in {(c.label, c.old_text, c.new_text) for c in joined.changes}


def test_a_month_changed_by_another_clerk_after_the_form_read_it_is_refused(services, mon, monitored) -> None:
    firm = monitored(name="乙公司")
    mon.save_reports("2026-10", [ReportDraft(firm, "2026-10", {"revenue_ytd": "100"})])
    services.office.add_operator("王五")
    other = open_services(services.data_dir)
    try:
        other.office.use_operator("王五")
        wang = MonitoringService(other.db, other.office_county, lambda: TODAY)
        mine, his = mon.firm_month(firm, "2026-10"), wang.firm_month(firm, "2026-10")  # both open the form
        assert mine.version == his.version > 0
        wang.save_reports("2026-10", [ReportDraft(firm, "2026-10", {"revenue_ytd": "200"}, version=his.version)])
        with pytest.raises(EditConflict, match="乙公司 2026年10月：该记录已被 王五 于"):
            mon.save_reports("2026-10", [ReportDraft(firm, "2026-10", {"revenue_ytd": "300"}, version=mine.version)])
        assert mon.report_values(firm, "2026-10")["revenue_ytd"] == 200_000_000  # 王五's 200 万元 stands
        mon.save_reports("2026-10", [ReportDraft(firm, "2026-10", {"revenue_ytd": "300"})])  # an import: not checked
        assert wang.firm_month(firm, "2026-10").values["revenue_ytd"] == "300"
    finally:
        other.close()
