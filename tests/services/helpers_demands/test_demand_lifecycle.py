"""Every lifecycle step of a demand, allowed and refused; refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

import pytest

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import TRANSITIONS
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.demands import DemandFilter
from lvqi_desktop.services.demands import TransitionDraft

RECEIVED = date(2026, 11, 2)
DUE = date(2026, 11, 20)

# The step that is valid for each action, as far as its fields go.
GOOD_STEP = {
    "assign": TransitionDraft("assign", date(2026, 11, 3), responsible_unit="区金融办", co_units="区税务局、区人社局",
                              due_on=DUE),
    "start": TransitionDraft("start", date(2026, 11, 4)),
    "progress": TransitionDraft("progress", date(2026, 11, 5), note="已约银行对接"),
    "resolve": TransitionDraft("resolve", date(2026, 11, 10), result="银行已放贷200万元"),
    "explain": TransitionDraft("explain", date(2026, 11, 10), result="不符合贴息条件，已向企业解释"),
    "follow_up": TransitionDraft("follow_up", date(2026, 11, 12), satisfaction="satisfied", followed_up_by="李四"),
    "reopen": TransitionDraft("reopen", date(2026, 11, 12), note="企业反映贷款未到账"),
    "sign_off": TransitionDraft("sign_off", date(2026, 11, 13)),
}
# How to reach each status from a fresh demand.
PATH = {
    "pending": [],
    "assigned": ["assign"],
    "in_progress": ["assign", "start"],
    "resolved": ["assign", "start", "resolve"],
    "explained": ["assign", "start", "explain"],
    "signed_off": ["assign", "start", "resolve", "follow_up", "sign_off"],
}
EXPECTED = {"assign": "assigned", "start": "in_progress", "resolve": "resolved", "explain": "explained",
            "reopen": "in_progress", "sign_off": "signed_off"}


def bring_to(act, status: str, enterprise_id: int | None = None) -> int:
    enterprise_id = enterprise_id or act.enterprise("吕梁恒信机械有限公司", seed=11)
    demand_id = act.demand(enterprise_id, RECEIVED)
    for action in PATH[status]:
        act.demands.transition(demand_id, GOOD_STEP[action])
    return demand_id


def snapshot(act, demand_id: int) -> tuple:
    detail = act.demands.detail(demand_id)
    return detail.row, len(detail.events)


@contextmanager
def refused_unchanged(act, demand_id: int, match: str | None = None) -> Iterator[pytest.ExceptionInfo]:
    """What is done inside is refused (ValidationFailed), and the demand and its log stay as they were."""
    before = snapshot(act, demand_id)
    with pytest.raises(ValidationFailed, match=match) as refused:
        yield refused
    assert snapshot(act, demand_id) == before


@pytest.mark.parametrize("status", list(PATH))
@pytest.mark.parametrize("action", [a for a in TRANSITIONS if a != "edit"])
def test_every_step_from_every_status(act, status: str, action: str) -> None:
    demand_id = bring_to(act, status)
    before_row, before_events = snapshot(act, demand_id)
    allowed = status in TRANSITIONS[action][1]
    if action == "sign_off" and status in ("resolved", "explained"):
        allowed = False  # needs a follow-up first
    if not allowed:
        with pytest.raises(ValidationFailed) as refused:
            act.demands.transition(demand_id, GOOD_STEP[action])
        assert "不能" in str(refused.value)
        assert snapshot(act, demand_id) == (before_row, before_events)
        return
    row = act.demands.transition(demand_id, GOOD_STEP[action])
    assert row.status == EXPECTED.get(action, status)
    events = act.demands.detail(demand_id).events
    assert len(events) == before_events + 1
    assert events[-1].kind == action and events[-1].from_status == status and events[-1].to_status == row.status


def test_refused_step_names_the_status(act) -> None:
    demand_id = bring_to(act, "pending")
    with pytest.raises(ValidationFailed) as refused:
        act.demands.resolve(demand_id, "已解决", on=date(2026, 11, 10))
    assert str(refused.value) == "诉求 141102-2026-0001 当前状态为“待受理”，不能办结"


def test_close_without_result_is_refused(act) -> None:
    demand_id = bring_to(act, "in_progress")
    with refused_unchanged(act, demand_id) as refused:
        act.demands.resolve(demand_id, "   ", on=date(2026, 11, 10))
    assert refused.value.issues[0].field == "result"
    assert refused.value.issues[0].message == "办结必须填写办理结果"
    with refused_unchanged(act, demand_id, match="请填写解释说明"):
        act.demands.explain(demand_id, "", on=date(2026, 11, 10))


def test_satisfaction_on_open_demand_is_refused(act) -> None:
    demand_id = bring_to(act, "in_progress")
    with refused_unchanged(act, demand_id) as refused:
        act.demands.follow_up(demand_id, "satisfied", on=date(2026, 11, 10))
    assert refused.value.issues[0].message == "诉求 141102-2026-0001 尚未办结（当前状态：办理中），不能登记回访满意度"


def test_due_date_before_received_is_refused(act) -> None:
    e = act.enterprise("吕梁恒信机械有限公司", seed=11)
    draft = DemandDraft(e, "visit", "finance", "贷款难", received_on=RECEIVED, due_on=date(2026, 11, 1))
    with pytest.raises(ValidationFailed) as refused:
        act.demands.register(draft)
    assert refused.value.issues[0].message == "办理时限 2026-11-01 早于受理日期 2026-11-02，请核对"
    assert act.demands.list_demands() == []
    demand_id = act.demand(e, RECEIVED)
    with pytest.raises(ValidationFailed, match="早于受理日期"):
        act.demands.assign(demand_id, "区金融办", date(2026, 10, 30), on=date(2026, 11, 3))
    assert act.demands.detail(demand_id).row.status == "pending"


def test_step_dated_in_future_or_before_receipt_is_refused(act) -> None:
    demand_id = bring_to(act, "assigned")
    with pytest.raises(ValidationFailed, match="晚于今天"):
        act.demands.start(demand_id, on=date(2026, 11, 27))
    with pytest.raises(ValidationFailed, match="早于受理日期"):
        act.demands.start(demand_id, on=date(2026, 11, 1))


def test_reopen_needs_a_reason_and_is_logged(act) -> None:
    demand_id = bring_to(act, "resolved")
    with pytest.raises(ValidationFailed, match="重新办理必须说明理由"):
        act.demands.reopen(demand_id, " ", on=date(2026, 11, 12))
    row = act.demands.reopen(demand_id, "企业反映贷款未到账", on=date(2026, 11, 12))
    assert (row.status, row.reopen_count, row.closed_on, row.first_closed_on) == (
        "in_progress", 1, None, date(2026, 11, 10))
    last = act.demands.detail(demand_id).events[-1]
    assert last.kind == "reopen" and "企业反映贷款未到账" in last.note and last.operator == "测试员"


def test_unsatisfied_sends_it_back_and_on_time_stays_on_first_closing(act) -> None:
    demand_id = bring_to(act, "resolved")  # first closed 11-10, due 11-20
    row = act.demands.follow_up(demand_id, "unsatisfied", on=date(2026, 11, 12))
    assert (row.status, row.reopen_count, row.satisfaction) == ("in_progress", 1, "unsatisfied")
    act.today[0] = date(2026, 11, 26)
    row = act.demands.resolve(demand_id, "贷款已到账", on=date(2026, 11, 25))  # after the due date
    assert row.closed_on == date(2026, 11, 25) and row.first_closed_on == date(2026, 11, 10)
    assert row.closed_on_time is True and row.satisfaction is None
    with pytest.raises(ValidationFailed, match="尚未回访"):
        act.demands.sign_off(demand_id, on=date(2026, 11, 25))
    act.demands.follow_up(demand_id, "basically", on=date(2026, 11, 26))
    assert act.demands.sign_off(demand_id, on=date(2026, 11, 26)).status == "signed_off"


def test_follow_up_before_closing_date_is_refused(act) -> None:
    demand_id = bring_to(act, "resolved")
    with pytest.raises(ValidationFailed, match="回访日期早于办结日期"):
        act.demands.follow_up(demand_id, "satisfied", on=date(2026, 11, 9))


def test_closed_case_cannot_be_edited_silently(act) -> None:
    demand_id = bring_to(act, "resolved")
    draft = act.demands.draft(demand_id)
    draft.description = "改过的描述"
    with pytest.raises(ValidationFailed) as refused:
        act.demands.update(demand_id, draft)
    assert "不能直接修改" in str(refused.value) and "重新办理" in str(refused.value)
    assert act.demands.detail(demand_id).row.description == "流动资金紧张，需要贷款支持"
    act.demands.reopen(demand_id, "描述有误", on=date(2026, 11, 12))
    with pytest.raises(EditConflict):  # the form read before the reopen is stale: opened again after it
        act.demands.update(demand_id, draft)
    act.demands.update(demand_id, replace(act.demands.draft(demand_id), description="改过的描述"))
    detail = act.demands.detail(demand_id)
    assert detail.row.description == "改过的描述"
    assert detail.events[-1].kind == "edit" and "问题描述" in detail.events[-1].note


def test_overdue_and_age_bucket(act) -> None:
    demand_id = bring_to(act, "in_progress")  # received 11-02, due 11-20, today 11-26
    row = act.demands.detail(demand_id).row
    assert row.overdue and row.age_bucket == "overdue" and row.age_days == 24
    assert [r.id for r in act.demands.list_demands(DemandFilter(overdue=True))] == [demand_id]
    act.demands.resolve(demand_id, "已解决", on=date(2026, 11, 25))
    row = act.demands.detail(demand_id).row
    assert not row.overdue and row.age_bucket == "" and row.closed_on_time is False
    assert act.demands.list_demands(DemandFilter(overdue=True)) == []


def test_numbering_per_office_and_year(act) -> None:
    e = act.enterprise("吕梁恒信机械有限公司", seed=11)
    numbers = [act.demands.register(DemandDraft(e, "visit", "labour", f"缺工{i}", received_on=day)).number
               for i, day in enumerate([date(2026, 1, 5), date(2026, 3, 1), date(2025, 12, 30), date(2026, 11, 1)])]
    assert numbers == ["141102-2026-0001", "141102-2026-0002", "141102-2025-0001", "141102-2026-0003"]
    act.demands.archive(act.demands.find_id("141102-2026-0003"), "重复登记")
    again = act.demands.register(DemandDraft(e, "visit", "labour", "缺工", received_on=date(2026, 11, 2)))
    assert again.number == "141102-2026-0004"  # archived numbers are never reused
    with pytest.raises(ValidationFailed, match="归档诉求必须说明理由"):
        act.demands.archive(again.id, "")


def test_register_refuses_bad_fields_with_chinese_messages(act) -> None:
    draft = DemandDraft(None, "nope", "", "", urgency="x", received_on=date(2026, 12, 1))
    with pytest.raises(ValidationFailed) as refused:
        act.demands.register(draft)
    fields = {i.field for i in refused.value.issues}
    assert fields == {"enterprise_id", "source", "category", "urgency", "description", "received_on"}
    assert act.demands.list_demands() == []


def test_board_buckets(act) -> None:
    e = act.enterprise("吕梁恒信机械有限公司", seed=11)
    fresh = act.demand(e, date(2026, 11, 20))  # 6 days
    act.demand(e, date(2026, 11, 1))  # 25 days
    act.demand(e, date(2026, 9, 1))  # 86 days
    late = act.demand(e, date(2026, 10, 1))
    act.demands.assign(late, "区工信局", date(2026, 10, 15), on=date(2026, 10, 2))
    act.demands.assign(fresh, "区工信局", date(2026, 12, 15), on=date(2026, 11, 21))
    board = {r.status: r for r in act.demands.board()}
    assert list(board) == list(DEMAND_STATUSES)
    pending, assigned = board["pending"], board["assigned"]
    assert (pending.total, pending.le7, pending.d8_30, pending.gt30, pending.overdue) == (2, 0, 1, 1, 0)
    assert (assigned.total, assigned.le7, assigned.d8_30, assigned.gt30, assigned.overdue) == (2, 1, 0, 0, 1)
    assert [r.id for r in act.demands.list_demands(DemandFilter(age_bucket="le7"))] == [fresh]


def test_handover_sheet(act) -> None:
    demand_id = bring_to(act, "pending")
    with pytest.raises(Exception, match="尚未交办"):
        act.demands.handover_sheet(demand_id)
    act.demands.transition(demand_id, GOOD_STEP["assign"])
    sheet = act.demands.handover_sheet(demand_id)
    assert (sheet.title, sheet.number, sheet.responsible_unit, sheet.co_units, sheet.due_on) == (
        "企业诉求交办单", "141102-2026-0001", "区金融办", ("区税务局", "区人社局"), DUE)
    assert sheet.enterprise_contact == "王经理 13800000000" and sheet.category == "融资"
    assert "责任单位签收人" in sheet.signature_lines


def test_a_deadline_on_a_rest_day_moves_to_the_next_working_day_and_the_log_says_so(act) -> None:
    e = act.enterprise("吕梁恒信机械有限公司", seed=12)
    demand_id = act.demand(e, RECEIVED)
    act.demands.assign(demand_id, "区金融办", date(2026, 11, 8), on=date(2026, 11, 3))  # a Sunday
    detail = act.demands.detail(demand_id)
    assert detail.row.due_on == date(2026, 11, 9)
    assert any("2026-11-08 为休息日，顺延" in e.note for e in detail.events)
    act.demands.resolve(demand_id, "已协调解决", on=date(2026, 11, 9))
    assert act.demands.detail(demand_id).row.closed_on_time  # closed on the moved deadline: on time
