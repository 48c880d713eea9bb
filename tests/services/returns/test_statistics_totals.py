"""Totals of the statistics returns against a hand count of the fixture (and the KPI service's figures)."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.services.pools import RecordDraft


def lines_of(doc, kind=DATA):
    return [line.values for line in doc.lines if line.kind == kind]


def test_demand_summary_by_category_and_unit(activity) -> None:
    doc = activity.returns.build(["demand_summary"], "2026Q4")[0]
    rows = {(v[0], v[1]): v[2:] for v in lines_of(doc)}
    # received, closed, on time, overdue, followed up, satisfied, on-time rate, satisfaction rate
    # 融资: received A B G I; closed A B F (G reopened, I back in progress); on time A F; overdue I (due 10-31);
    # followed up A 满意, B 基本满意, I 不满意
    assert rows[("按诉求类别", "融资")] == (4, 3, 2, 1, 3, 2, 2 / 3, 2 / 3)
    assert rows[("按诉求类别", "用工")] == (2, 2, 2, 0, 1, 1, 1.0, 1.0)  # C D
    assert rows[("按诉求类别", "用地/厂房")] == (1, 0, 0, 1, 0, 0, None, None)  # E, overdue
    assert rows[("按责任单位", "区工信局")] == rows[("按诉求类别", "融资")]
    subtotals = lines_of(doc, SUBTOTAL)
    assert len(subtotals) == 2 and subtotals[0][2:] == subtotals[1][2:]
    k = activity.kpi.kpis("2026Q4")
    assert subtotals[0][2:8] == (k.received, k.closed, k.closed_on_time, 2, k.followed_up, k.satisfied)
    assert subtotals[0][2:8] == (7, 5, 4, 2, 4, 3)  # overdue: E (due 11-15) and I (due 10-31); G is due 11-30
    for column in range(2, 8):  # every group adds up to its subtotal
        assert sum(v[column] for v in lines_of(doc) if v[0] == "按诉求类别") == subtotals[0][column]
        assert sum(v[column] for v in lines_of(doc) if v[0] == "按责任单位") == subtotals[1][column]


def test_visit_summary_by_channel_and_campaign(activity) -> None:
    doc = activity.returns.build(["visit_summary"], "2026Q4")[0]
    rows = {(v[0], v[1]): v[2:] for v in lines_of(doc)}
    assert rows[("按服务方式", "走访")] == (1, 1, 0) and rows[("按服务方式", "电话")] == (1, 1, 0)
    assert rows[("按服务方式", "视频")] == (0, 0, 0)
    assert rows[("按活动", "服务月")] == (2, 2, 0)
    subtotals = lines_of(doc, SUBTOTAL)
    assert [s[2:] for s in subtotals] == [(2, 2, 0), (2, 2, 0)]
    k = activity.kpi.kpis("2026Q4")
    assert f"本期服务企业（走访或受理诉求的企业，去重）{k.enterprises_served:,} 家" in doc.footnotes[0]
    assert k.enterprises_served == 4  # E1 E2 E3 (demands) + E5 (visit); E1 also visited


def test_helper_ledger_counts_visits_against_cadence(activity) -> None:
    doc = activity.returns.build(["helper_ledger"], "2026Q4")[0]
    (line,) = lines_of(doc)
    assert line[0] == "张三" and line[4] == "吕梁统计测试1有限公司"
    assert line[8:11] == (2, 1, "未达到")  # Oct + Nov required at 1 a month (as of 11-26); one visit 10-08
    assert line[12:14] == (4, 2)  # A B G I received from E1 in Q4; A (signed off) and B (resolved) closed
    assert doc.totals.values[8:10] == (2, 1)


def test_helper_ledger_closed_count(activity) -> None:
    doc = activity.returns.build(["helper_ledger"], "2026Q4")[0]
    rows = activity.demands.list_demands()
    e1 = [d for d in rows if d.enterprise_name == "吕梁统计测试1有限公司" and date(2026, 10, 1) <= d.received_on]
    assert lines_of(doc)[0][13] == sum(d.status in ("resolved", "explained", "signed_off") for d in e1)


def test_pool_summary_against_a_hand_count(office, fixed_clock) -> None:
    fixed_clock.set(date(2026, 11, 20))  # the 退库 is dated on the day it is recorded, before the returns' TODAY
    o = office
    firms = [o.enterprise(f"吕梁培育测试{i}有限公司") for i in range(1, 6)]
    pools = o.services.cultivation.pools
    pools.add_to_pool(firms[0], RecordDraft(pool="srdi", tier="innovative_sme", entered_on="2026-10-08"))
    pools.add_to_pool(firms[1], RecordDraft(pool="srdi", tier="innovative_sme", status="valid",
                                            entered_on="2025-05-01", recognized_on="2026-11-02",
                                            document_no="晋工信〔2026〕1号"))
    pools.add_to_pool(firms[2], RecordDraft(pool="srdi", tier="srdi_provincial", entered_on="2025-03-01"))
    pools.add_to_pool(firms[3], RecordDraft(pool="scale_up", entered_on="2026-10-15"))
    left = pools.add_to_pool(firms[4], RecordDraft(pool="scale_up", entered_on="2025-01-10"))
    pools.change_status(left, "withdrawn", "经营困难，企业申请退出", status_reason="经营困难")
    o.services.cultivation.targets.save_target("141102", "tier:innovative_sme", 2026, "4")
    doc = o.returns.build(["pool_summary"], "2026Q4")[0]
    rows = {(v[0], v[1]): v[2:] for v in lines_of(doc)}
    # 2026Q4 is under the 2026 rules: the first tier is named 科技和创新型中小企业 throughout the return
    assert rows[("专精特新梯度培育库", "科技和创新型中小企业")][:5] == (2, 1, 1, 1, 0)
    assert rows[("专精特新梯度培育库", "省级专精特新中小企业")][:5] == (1, 0, 0, 0, 0)
    assert rows[("小升规培育库", "全部")][:5] == (1, None, 1, 0, 1)
    target, achieved, rate = rows[("专精特新梯度培育库", "科技和创新型中小企业")][5:]
    assert target == 4 and achieved is not None and rate == achieved / 4
    assert doc.totals.kind == TOTAL and doc.totals.values[2:7] == (4, 1, 2, 1, 1)
    assert any("工信部企业〔2026〕2号" in note for note in doc.footnotes)
