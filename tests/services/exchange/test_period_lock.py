"""A period the city has received is locked in the county: writes dated inside it are refused until reopened."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from lvqi_desktop import clock
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.storage import period_lock
from lvqi_desktop.validation.enterprise import YearDraft
from lvqi_desktop.validation.pools import RecordDraft
from tests.conftest import make_uscc
from tests.services.exchange.conftest import make_city
from tests.services.exchange.conftest import make_county
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

HOW = "该期已由市中心接收并锁定；如需修改，请先在“数据报送”页重新打开该期（需填写原因）"


@pytest.fixture
def county(services):
    return fix_today(services)  # today 2026-11-26


def firm(s, seed: int = 1, **kw) -> int:
    return s.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=seed), name=f"吕梁锁定测试{seed}号有限公司",
                                              registered_on="2015-03-01", **kw)).id


def lock(s, period: str) -> None:
    """What importing the city's accepted receipt does (the receipt round trip is tested below)."""
    with s.db.unit_of_work() as uow:
        period_lock.lock_period(uow.session, period, "00000000-0000-0000-0000-000000000000", clock.now())
        uow.commit()


def count(s, table: str) -> int:
    conn = sqlite3.connect(s.data_dir.database)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def refused(fn, *where: str) -> str:
    with pytest.raises(ValidationFailed) as err:
        fn()
    text = str(err.value)
    assert HOW in text, text
    for w in where:
        assert w in text, text
    return text


def test_visits_in_a_locked_quarter_are_refused_until_reopened(county):
    s, eid, zhang = county, firm(county), helper(county, "张建国")
    old = s.visits.log_visit(VisitDraft(eid, date(2026, 8, 10), helper_ids=[zhang])).visit_id
    lock(s, "2026Q3")
    before = (count(s, "visit"), count(s, "visit_participant"), count(s, "change_record"))
    refused(lambda: s.visits.log_visit(VisitDraft(eid, date(2026, 9, 1), helper_ids=[zhang])),
            "入企走访（2026-09-01）", "2026年第三季度（2026Q3）")
    refused(lambda: s.visits.archive_visit(old, "录错了"), "2026-08-10")
    assert (count(s, "visit"), count(s, "visit_participant"), count(s, "change_record")) == before
    assert len(s.visits.list_visits()) == 1
    s.visits.log_visit(VisitDraft(eid, date(2026, 10, 5), helper_ids=[zhang]))  # Q4 is open
    s.exchange.reopen_period("2026Q3", "补录漏登的走访")
    s.visits.log_visit(VisitDraft(eid, date(2026, 9, 1), helper_ids=[zhang]))
    assert len(s.visits.list_visits()) == 3


def test_demands_registered_in_a_locked_month_keep_their_registration_but_can_be_handled_later(county):
    s, eid = county, firm(county)
    old = s.demands.register(DemandDraft(enterprise_id=eid, source="visit", category="finance",
                                         description="流动资金紧张", received_on=date(2026, 9, 5))).id
    lock(s, "2026-09")
    before = (count(s, "demand"), count(s, "demand_event"))
    refused(lambda: s.demands.register(DemandDraft(enterprise_id=eid, source="visit", category="labour",
                                                   description="招工难", received_on=date(2026, 9, 20))),
            "企业诉求", "2026年9月（2026-09）")
    draft = s.demands.draft(old)
    draft.description = "流动资金紧张，需贷款200万元"
    refused(lambda: s.demands.update(old, draft), "2026-09-05")
    refused(lambda: s.demands.assign(old, "区工信局", date(2026, 10, 20), on=date(2026, 9, 28)),
            "诉求办理记录（2026-09-28）")
    assert (count(s, "demand"), count(s, "demand_event")) == before
    s.demands.assign(old, "区工信局", date(2026, 11, 30), on=date(2026, 11, 2))  # handled in an open month
    assert s.demands.detail(old).row.status != "pending"
    s.exchange.reopen_period("2026-09", "市中心要求补充诉求描述")
    draft = s.demands.draft(old)  # opened again: the assignment above changed the demand
    draft.description = "流动资金紧张，需贷款200万元"
    s.demands.update(old, draft)


def test_pool_entries_and_timeline_rows_in_a_locked_quarter_are_refused(county):
    s, eid = county, firm(county)
    s.pools = s.cultivation.pools
    rec = s.pools.add_to_pool(eid, RecordDraft(pool="scale_up", entered_on="2026-08-01"))
    lock(s, "2026Q3")
    before = (count(s, "cultivation_record"), count(s, "cultivation_event"))
    refused(lambda: s.pools.add_to_pool(firm(s, 2), RecordDraft(pool="scale_up", entered_on="2026-09-01")),
            "培育记录", "2026Q3")
    refused(lambda: s.pools.record_follow_up(rec, on="2026-09-15", note="电话回访"), "培育记录变更（2026-09-15）")
    refused(lambda: s.pools.archive_record(rec, "重复录入"), "2026-08-01")
    assert (count(s, "cultivation_record"), count(s, "cultivation_event")) == before
    s.pools.record_follow_up(rec, on="2026-11-20", note="上门走访")  # dated in Q4: fine
    s.exchange.reopen_period("2026Q3", "补录回访")
    s.pools.record_follow_up(rec, on="2026-09-15", note="电话回访")


def test_monitoring_reports_for_months_in_a_locked_quarter_are_refused(county):
    s, eid = county, firm(county, years=[YearDraft(2025, revenue="3000", employees="50")])
    s.monitoring = MonitoringService(s.db, s.office_county, lambda: date(2026, 11, 26))
    s.monitoring.add_to_sample(eid, date(2026, 1, 1))
    s.monitoring.save_report(ReportDraft(eid, "2026-08", {"revenue_ytd": "100"}, date(2026, 9, 5)))
    lock(s, "2026Q3")
    before = (count(s, "monitoring_report"), count(s, "change_record"))
    refused(lambda: s.monitoring.save_report(ReportDraft(eid, "2026-08", {"revenue_ytd": "110"}, date(2026, 11, 5))),
            "运行监测月报", "2026年8月", "2026Q3")
    refused(lambda: s.monitoring.save_report(ReportDraft(eid, "2026-09", {"revenue_ytd": "120"}, date(2026, 10, 5))),
            "2026年9月")
    assert (count(s, "monitoring_report"), count(s, "change_record")) == before
    s.monitoring.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "130"}, date(2026, 11, 5)))
    s.exchange.reopen_period("2026Q3", "企业更正8月数据")
    s.monitoring.save_report(ReportDraft(eid, "2026-08", {"revenue_ytd": "110"}, date(2026, 11, 5)))
    assert s.monitoring.report_values(eid, "2026-08")["revenue_ytd"] == 110 * 10_000 * 100  # 110 万元 in 分


def test_yearly_figures_are_locked_by_a_year_period_only(county):
    s = county
    eid = firm(s, years=[YearDraft(2025, revenue="1200", employees="30")])
    lock(s, "2026Q3")  # a quarter does not lock a year's figures
    draft = s.enterprises.draft(eid)
    draft.years = [YearDraft(2025, revenue="1300", employees="30")]
    s.enterprises.save(draft, eid)
    lock(s, "2025")
    before = count(s, "enterprise_year")
    draft = s.enterprises.draft(eid)  # the form opened again after that save
    draft.years = [YearDraft(2025, revenue="1400", employees="30")]
    refused(lambda: s.enterprises.save(draft, eid), "企业年度数据", "2025年度（2025）")
    draft.years = [YearDraft(2025, revenue="1300", employees="30"), YearDraft(2024, revenue="900")]
    s.enterprises.save(draft, eid)  # 2024 is not locked, 2025 unchanged
    assert count(s, "enterprise_year") == before + 1
    assert s.enterprises.draft(eid).years[-1].revenue in ("1300", "1300.00", "1,300.00")


def test_undo_of_a_change_in_a_locked_period_is_refused_and_changes_nothing(county):
    s, eid = county, firm(county)
    s.demands.register(DemandDraft(enterprise_id=eid, source="visit", category="finance",
                                   description="流动资金紧张", received_on=date(2026, 9, 5)))
    lock(s, "2026Q3")
    before = (count(s, "change_record"), [(d.number, d.status) for d in s.demands.list_demands()])
    refused(s.undo.undo, "2026-09-05")
    assert (count(s, "change_record"), [(d.number, d.status) for d in s.demands.list_demands()]) == before
    assert s.undo.undo_label() is not None  # still there: it can be undone after reopening
    s.exchange.reopen_period("2026Q3", "登记重复")
    s.undo.undo()
    assert s.demands.list_demands() == []


def test_the_city_edition_never_locks(tmp_path):
    city = make_city(tmp_path / "city")
    lock(city, "2026Q3")
    with city.db.unit_of_work() as uow:
        assert period_lock.locks_in_force(uow.session) == ()
    city.db.dispose()


def test_an_accepted_receipt_locks_the_period_for_real(tmp_path):
    county = make_county(tmp_path / "county", enterprises=4)
    city = make_city(tmp_path / "city")
    usb = tmp_path / "usb"
    usb.mkdir()
    x, cx = county.exchange, city.exchange
    made = x.export_package("2026Q3", usb, with_returns=False)
    cx.apply(cx.dry_run([made.path]))
    x.import_receipt(cx.write_receipt(made.manifest.package_uuid, "accepted", [], usb))
    eid = county.enterprises.list_rows()[0].id
    refused(lambda: county.visits.log_visit(VisitDraft(eid, date(2026, 9, 30), visitors="王五")), "2026Q3")
    county.visits.log_visit(VisitDraft(eid, date(2026, 10, 1), visitors="王五"))
    county.db.dispose()
    city.db.dispose()


def test_entering_statistics_in_a_locked_month_is_refused_but_other_edits_are_not(county):
    s = county
    eid = firm(s, seed=5)
    lock(s, "2026Q3")
    draft = s.enterprises.draft(eid)
    draft.remarks = "电话已更新"  # the register itself is not dated: allowed
    s.enterprises.save(draft, eid)
    draft = s.enterprises.draft(eid)
    draft.above_scale, draft.above_scale_since = True, "2026-08"
    refused(lambda: s.enterprises.save(draft, eid), "2026年第三季度（2026Q3）")
    assert s.enterprises.draft(eid).above_scale_since in ("", None)
    draft.above_scale_since = "2026-10"  # Q4 is open
    s.enterprises.save(draft, eid)
    assert s.enterprises.draft(eid).above_scale_since == "2026-10"


def test_base_tenants_moving_in_or_out_in_a_locked_quarter_are_refused(county):
    from lvqi_desktop.services.bases import BaseDraft
    from lvqi_desktop.services.bases import BaseService

    s = county
    bases = BaseService(s.db, s.office_county, lambda: date(2026, 11, 26))
    base = bases.save_base(BaseDraft(name="离石区电商产业园", kind="ecommerce", operator_name="运营公司",
                                     operator_type="民营企业", address="滨河北路1号"))
    early, late = firm(s, seed=6), firm(s, seed=7)
    bases.add_tenant(base, early, date(2026, 7, 1))
    lock(s, "2026Q3")
    before = count(s, "base_tenant")
    refused(lambda: bases.add_tenant(base, late, date(2026, 8, 15)), "2026-08-15")
    assert count(s, "base_tenant") == before
    (tenant,) = bases.tenants(base)
    refused(lambda: bases.move_out_tenant(tenant.id, date(2026, 9, 30), "迁出"), "2026-09-30")
    bases.move_out_tenant(tenant.id, date(2026, 10, 8), "迁出")  # Q4 is open
    bases.add_tenant(base, late, date(2026, 10, 9))
    assert count(s, "base_tenant") == before + 1
