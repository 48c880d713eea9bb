"""Checks for a demand (企业诉求) and for each step of its lifecycle; nothing here touches storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import SATISFACTIONS
from lvqi_desktop.models.demands import SATISFIED
from lvqi_desktop.models.demands import TRANSITIONS
from lvqi_desktop.models.demands import Demand
from lvqi_desktop.validation.text import clean_line

DESCRIPTION_MAX = 2000
UNIT_MAX = 100


@dataclass
class DemandDraft:
    """A demand as registered (or edited while open); due date and units are optional here."""

    enterprise_id: int | None = None
    source: str = "visit"
    category: str = ""
    description: str = ""
    suggestion: str = ""
    urgency: str = "normal"
    received_on: date | None = None
    helper_id: int | None = None
    responsible_unit: str = ""
    co_units: str = ""
    unit_contact: str = ""
    due_on: date | None = None
    version: int | None = None  # the stored demand's version when the form read it; None: not checked


@dataclass
class TransitionDraft:
    """One step of the lifecycle; which fields matter depends on `action` (see models.demands.TRANSITIONS)."""

    action: str
    on: date | None = None  # the day it happened; None means today
    note: str = ""  # progress note, or the reason for reopening
    result: str = ""  # 办理结果 (resolve) or the explanation (explain)
    responsible_unit: str = ""
    co_units: str = ""
    unit_contact: str = ""
    due_on: date | None = None
    satisfaction: str = ""
    followed_up_by: str = ""


def _choice(value: str, table: dict[str, str], field_name: str, label: str, issues: list[Issue]) -> None:
    if value not in table:
        issues.append(Issue(field_name, f"请选择{label}（{'、'.join(table.values())}）"))


def check_due(received_on: date | None, due_on: date | None) -> list[Issue]:
    if received_on is not None and due_on is not None and due_on < received_on:
        return [Issue("due_on", f"办理时限 {due_on.isoformat()} 早于受理日期 {received_on.isoformat()}，请核对")]
    return []


def check_demand(draft: DemandDraft, today: date) -> list[Issue]:
    """Every issue with a demand's registration fields."""
    issues: list[Issue] = []
    if draft.enterprise_id is None:
        issues.append(Issue("enterprise_id", "请选择提出诉求的企业"))
    _choice(draft.source, DEMAND_SOURCES, "source", "诉求来源", issues)
    _choice(draft.category, DEMAND_CATEGORIES, "category", "诉求类别", issues)
    _choice(draft.urgency, DEMAND_URGENCIES, "urgency", "紧急程度", issues)
    description = draft.description.strip()
    if not description:
        issues.append(Issue("description", "请填写问题描述"))
    elif len(description) > DESCRIPTION_MAX:
        issues.append(Issue("description", f"问题描述不能超过{DESCRIPTION_MAX}个字"))
    if draft.received_on is None:
        issues.append(Issue("received_on", "请填写受理日期"))
    elif draft.received_on > today:
        issues.append(Issue("received_on", f"受理日期 {draft.received_on.isoformat()} 晚于今天，请核对"))
    if len(clean_line(draft.responsible_unit)) > UNIT_MAX:
        issues.append(Issue("responsible_unit", f"责任单位不能超过{UNIT_MAX}个字"))
    issues += check_due(draft.received_on, draft.due_on)
    return issues


def refusal(demand: Demand, action: str) -> Issue | None:
    """The issue when `action` is not allowed from the demand's status (the transition table decides)."""
    if action not in TRANSITIONS:
        return Issue("action", f"未知的操作“{action}”")
    label, sources, _ = TRANSITIONS[action]
    if demand.archived_at is not None:
        return Issue("action", f"诉求 {demand.number} 已归档，不能再{label}")
    if demand.status in sources:
        return None
    status = DEMAND_STATUSES.get(demand.status, demand.status)
    if action == "follow_up":
        return Issue("satisfaction", f"诉求 {demand.number} 尚未办结（当前状态：{status}），不能登记回访满意度")
    if action == "edit":
        return Issue("action", f"诉求 {demand.number} 已{status}，不能直接修改。如需修改，请先“重新办理”并说明理由")
    return Issue("action", f"诉求 {demand.number} 当前状态为“{status}”，不能{label}")


def _step_fields(demand: Demand, t: TransitionDraft, on: date) -> list[Issue]:
    issues: list[Issue] = []
    if t.action == "assign":
        if not clean_line(t.responsible_unit):
            issues.append(Issue("responsible_unit", "交办必须填写责任单位"))
        elif len(clean_line(t.responsible_unit)) > UNIT_MAX:
            issues.append(Issue("responsible_unit", f"责任单位不能超过{UNIT_MAX}个字"))
        if t.due_on is None:
            issues.append(Issue("due_on", "交办必须填写办理时限"))
        issues += check_due(demand.received_on, t.due_on)
    elif t.action == "resolve" and not t.result.strip():
        issues.append(Issue("result", "办结必须填写办理结果"))
    elif t.action == "explain" and not t.result.strip():
        issues.append(Issue("result", "请填写解释说明（无法解决的原因及向企业解释的情况）"))
    elif t.action in ("progress", "reopen") and not t.note.strip():
        what = "重新办理必须说明理由" if t.action == "reopen" else "请填写办理进展"
        issues.append(Issue("note", what))
    elif t.action == "follow_up":
        if t.satisfaction not in SATISFACTIONS:
            issues.append(Issue("satisfaction", "请选择回访满意度（满意、基本满意、不满意）"))
        if demand.closed_on is not None and on < demand.closed_on:
            issues.append(Issue("on", f"回访日期早于办结日期 {demand.closed_on.isoformat()}"))
    elif t.action == "sign_off":
        followed = demand.followed_up_on is not None and demand.closed_on is not None \
            and demand.followed_up_on >= demand.closed_on
        if not followed or demand.satisfaction not in SATISFIED:
            issues.append(Issue("action", f"诉求 {demand.number} 办结后尚未回访（或回访不满意），不能销号"))
    return issues


def check_transition(demand: Demand, t: TransitionDraft, today: date) -> list[Issue]:
    """Every issue with taking step `t` on `demand` today; empty means it may go ahead."""
    refused = refusal(demand, t.action)
    if refused is not None:
        return [refused]
    on = t.on or today
    issues: list[Issue] = []
    if on > today:
        issues.append(Issue("on", f"日期 {on.isoformat()} 晚于今天，不能登记未来的办理情况"))
    elif on < demand.received_on:
        issues.append(Issue("on", f"日期 {on.isoformat()} 早于受理日期 {demand.received_on.isoformat()}"))
    return issues + _step_fields(demand, t, on)
