"""Visits, assignments with history, and the coverage matrix's behind flags."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.helpers import AssignmentDraft
from lvqi_desktop.services.helpers import TeamDraft
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.visits import VisitDraft


def visit(enterprise_id: int, day: date, helpers: list[int], **kw) -> VisitDraft:
    return VisitDraft(enterprise_id=enterprise_id, visited_on=day, helper_ids=helpers, **kw)


def test_visit_in_the_future_is_refused(act) -> None:
    e, h = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三")
    with pytest.raises(ValidationFailed) as refused:
        act.visits.log_visit(visit(e, date(2026, 11, 27), [h]))
    assert refused.value.issues[0].message == "走访日期 2026-11-27 晚于今天（2026-11-26），不能登记未来的走访"
    assert act.visits.list_visits() == []


def test_visit_before_the_enterprise_registered_is_refused(act) -> None:
    e, h = act.enterprise("吕梁新创科技有限公司", registered_on="2026-06-01", seed=2), act.helper("张三")
    with pytest.raises(ValidationFailed) as refused:
        act.visits.log_visit(visit(e, date(2026, 5, 31), [h]))
    assert refused.value.issues[0].message == "走访日期 2026-05-31 早于企业成立日期（2026-06-01），请核对"
    assert act.visits.list_visits() == []


def test_visit_needs_someone_who_went_and_a_known_campaign(act) -> None:
    e = act.enterprise("吕梁晋源煤机有限公司", seed=1)
    with pytest.raises(ValidationFailed) as refused:
        act.visits.log_visit(visit(e, date(2026, 11, 2), [], channel="fax", campaign="不存在的活动"))
    assert {i.field for i in refused.value.issues} == {"visitors", "channel", "campaign"}
    act.visits.set_campaigns(["服务月", "优化营商环境专项行动"])
    logged = act.visits.log_visit(visit(e, date(2026, 11, 2), [], visitors="王五", campaign="优化营商环境专项行动"))
    assert act.visits.list_visits("2026-11")[0].who_went == "王五" and logged.demand_ids == []


def test_visit_raises_demands_in_the_same_transaction(act) -> None:
    e, h = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三")
    good = DemandDraft(category="labour", description="缺技术工人")
    logged = act.visits.log_visit(visit(e, date(2026, 11, 20), [h], channel="onsite", campaign="服务月",
                                        policies_explained="稳岗补贴", firm_reported="缺工", demands=[good]))
    assert logged.demand_numbers == ["141102-2026-0001"]
    row = act.demands.list_demands()[0]
    assert (row.visit_id, row.enterprise_id, row.received_on, row.status) == (logged.visit_id, e,
                                                                              date(2026, 11, 20), "pending")
    # a bad demand refuses the whole visit
    bad = DemandDraft(category="", description="")
    with pytest.raises(ValidationFailed) as refused:
        act.visits.log_visit(visit(e, date(2026, 11, 21), [h], demands=[DemandDraft(category="tax", description="x"),
                                                                       bad]))
    assert {i.field for i in refused.value.issues} == {"demands.1.category", "demands.1.description"}
    assert len(act.visits.list_visits()) == 1 and len(act.demands.list_demands()) == 1


def test_visit_list_by_period(act) -> None:
    e, h = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三")
    for day in (date(2026, 9, 30), date(2026, 10, 1), date(2026, 11, 26)):
        act.visits.log_visit(visit(e, day, [h]))
    assert [v.visited_on for v in act.visits.list_visits("2026Q4")] == [date(2026, 11, 26), date(2026, 10, 1)]
    assert len(act.visits.list_visits("2026-09")) == 1 and len(act.visits.list_visits("2026")) == 3
    assert act.visits.list_visits("2026-11", helper_id=h)[0].helper_names == ("张三",)
    with pytest.raises(ValidationFailed, match="尚未开始"):
        act.visits.list_visits("2026-12")


def test_assignment_ending_before_it_starts_is_refused(act) -> None:
    e, h = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三")
    with pytest.raises(ValidationFailed) as refused:
        act.helpers.assign(AssignmentDraft(e, h, role="lead", from_date=date(2026, 3, 1), to_date=date(2026, 2, 1)))
    assert refused.value.issues[0].message == "包联结束日期（2026-02-01）早于开始日期（2026-03-01），请核对"
    assert act.helpers.assignments() == []


def test_overlapping_lead_leaders_are_refused(act) -> None:
    e, zhang, li = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三"), act.helper("李四")
    act.helpers.assign(AssignmentDraft(e, zhang, role="lead", from_date=date(2026, 1, 1)))
    with pytest.raises(ValidationFailed) as refused:
        act.helpers.assign(AssignmentDraft(e, li, role="lead", from_date=date(2026, 6, 1)))
    assert refused.value.issues[0].message == ("该企业在 2026-01-01 至 今 已有包联领导“张三”，同一时间只能有一名包联领导。"
                                               "请先结束原包联，或使用“更换”。")
    assert len(act.helpers.assignments()) == 1
    # several helpers beside the lead are fine, but not the same helper twice
    act.helpers.assign(AssignmentDraft(e, li, role="helper", from_date=date(2026, 6, 1)))
    with pytest.raises(ValidationFailed, match="不能重复登记"):
        act.helpers.assign(AssignmentDraft(e, li, role="helper", from_date=date(2026, 7, 1)))
    wang = act.helper("王五")
    act.helpers.assign(AssignmentDraft(e, wang, role="helper", from_date=date(2026, 6, 1)))
    assert len(act.helpers.assignments(enterprise_id=e, current_only=True)) == 3


def test_reassign_keeps_the_old_assignment_as_history(act) -> None:
    e, zhang, li = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三"), act.helper("李四")
    old = act.helpers.assign(AssignmentDraft(e, zhang, role="lead", from_date=date(2026, 1, 1), cadence_visits=2))
    new = act.helpers.reassign(old, date(2026, 7, 1), helper_id=li)
    rows = {r.id: r for r in act.helpers.assignments(enterprise_id=e)}
    assert (rows[old].to_date, rows[old].active, rows[old].helper_name) == (date(2026, 6, 30), False, "张三")
    assert (rows[new].from_date, rows[new].active, rows[new].helper_name, rows[new].cadence_visits) == (
        date(2026, 7, 1), True, "李四", 2)
    with pytest.raises(ValidationFailed, match="应晚于原包联开始日期"):
        act.helpers.reassign(new, date(2026, 7, 1), helper_id=zhang)


def test_helper_validation_and_archive(act) -> None:
    with pytest.raises(ValidationFailed) as refused:
        act.helpers.save_helper(HelperDraft(name="", level="province", phone="123"))
    assert {i.field for i in refused.value.issues} == {"name", "level", "phone"}
    e, h = act.enterprise("吕梁晋源煤机有限公司", seed=1), act.helper("张三", level="city", post="副市长")
    a = act.helpers.assign(AssignmentDraft(e, h, role="lead", from_date=date(2026, 1, 1)))
    assert act.helpers.list_helpers()[0].enterprise_count == 1
    act.helpers.archive_helper(h, "调离")
    assert act.helpers.list_helpers() == [] and act.helpers.list_helpers(archived=True)[0].name == "张三"
    assert act.helpers.assignments(enterprise_id=e)[0].to_date == date(2026, 11, 26)
    with pytest.raises(ValidationFailed, match="已停用"):
        act.helpers.reassign(a, date(2026, 11, 26), helper_id=h)


def test_coverage_matrix_behind_flags(act) -> None:
    """Today 2026-11-26: second month of Q4 → a monthly cadence needs 1 this month and 2 this quarter."""
    zhang, li = act.helper("张三"), act.helper("李四")
    on_track, no_month, short_q, quarterly = (act.enterprise(n, seed=i) for i, n in enumerate(
        ["吕梁甲公司", "吕梁乙公司", "吕梁丙公司", "吕梁丁公司"]))
    for e in (on_track, no_month, short_q):
        act.helpers.assign(AssignmentDraft(e, zhang, role="lead", from_date=date(2026, 1, 1)))
    act.helpers.assign(AssignmentDraft(quarterly, li, role="lead", from_date=date(2026, 1, 1), cadence_months=3))
    team = act.helpers.save_team(TeamDraft("入企服务一组", zhang, [(zhang, "leader"), (li, "member")]))
    act.helpers.assign(AssignmentDraft(on_track, None, team, role="helper", from_date=date(2026, 10, 15)))
    act.visits.log_visit(visit(on_track, date(2026, 10, 8), [zhang]))
    act.visits.log_visit(visit(on_track, date(2026, 11, 3), [zhang], team_id=team))
    act.visits.log_visit(visit(no_month, date(2026, 10, 8), [zhang]))
    act.visits.log_visit(visit(no_month, date(2026, 10, 20), [zhang]))
    act.visits.log_visit(visit(short_q, date(2026, 11, 5), [zhang]))
    act.visits.log_visit(visit(short_q, date(2026, 9, 29), [zhang]))  # last quarter: does not count
    act.visits.log_visit(visit(quarterly, date(2026, 11, 5), [zhang]))  # zhang went, not li: not li's visit
    rows = {(r.holder, r.enterprise_name): r for r in act.helpers.coverage()}
    r = rows[("张三", "吕梁甲公司")]
    assert (r.month_visits, r.required_month, r.quarter_visits, r.required_quarter, r.behind) == (1, 1, 2, 2, False)
    r = rows[("张三", "吕梁乙公司")]
    assert (r.month_visits, r.quarter_visits, r.behind_month, r.behind_quarter) == (0, 2, True, False)
    r = rows[("张三", "吕梁丙公司")]
    assert (r.month_visits, r.quarter_visits, r.behind_month, r.behind_quarter) == (1, 1, False, True)
    assert r.last_visit_on == date(2026, 11, 5)
    r = rows[("李四", "吕梁丁公司")]  # 1 visit per 3 months: nothing due until the quarter's last month
    assert (r.required_month, r.required_quarter, r.quarter_visits, r.behind) == (0, 0, 0, False)
    r = rows[("入企服务一组", "吕梁甲公司")]  # from 10-15: two months elapsed → 2 required, 1 team visit
    assert (r.quarter_visits, r.required_quarter, r.behind) == (1, 2, True)
    assert {(r.holder, r.enterprise_name) for r in act.helpers.coverage(behind_only=True)} == {
        ("张三", "吕梁乙公司"), ("张三", "吕梁丙公司"), ("入企服务一组", "吕梁甲公司")}
    act.today[0] = date(2026, 12, 1)  # quarter's last month: the quarterly cadence is now due
    assert next(r for r in act.helpers.coverage() if r.holder == "李四").behind_quarter is True
