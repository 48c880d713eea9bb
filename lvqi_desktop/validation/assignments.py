"""Checks for helpers and their assignments to enterprises (包联): dates, roles, overlaps, cadence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.models.helpers import ASSIGNMENT_ROLES
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.validation.enterprise import check_phone
from lvqi_desktop.validation.text import clean_line

MAX_CADENCE_VISITS = 31
MAX_CADENCE_MONTHS = 12


@dataclass
class HelperDraft:
    """A helper as entered in a form or on the command line."""

    name: str = ""
    post: str = ""
    unit: str = ""
    level: str = "county"
    phone: str = ""
    active: bool = True
    remarks: str = ""


@dataclass
class AssignmentDraft:
    """One pairing of an enterprise with a helper and/or a service team."""

    enterprise_id: int | None = None
    helper_id: int | None = None
    team_id: int | None = None
    role: str = "helper"
    from_date: date | None = None
    to_date: date | None = None
    cadence_visits: int = 1
    cadence_months: int = 1
    remarks: str = ""


@dataclass(frozen=True)
class AssignmentSpan:
    """An existing assignment of the same enterprise, as the overlap check needs it."""

    id: int
    role: str
    helper_id: int | None
    team_id: int | None
    holder_name: str
    from_date: date
    to_date: date | None


def check_helper(draft: HelperDraft) -> list[Issue]:
    issues: list[Issue] = []
    name = clean_line(draft.name)
    if not name:
        issues.append(Issue("name", "请填写帮扶干部姓名"))
    elif len(name) > 40:
        issues.append(Issue("name", "姓名不能超过40个字"))
    if draft.level not in HELPER_LEVELS:
        issues.append(Issue("level", "级别应为“市级”或“县级”"))
    for field_name, label, limit in (("post", "职务", 60), ("unit", "单位", 100)):
        if len(clean_line(getattr(draft, field_name))) > limit:
            issues.append(Issue(field_name, f"{label}不能超过{limit}个字"))
    phone_issues: list[Issue] = []
    check_phone(draft.phone, phone_issues)
    issues += [Issue("phone", i.message, i.blocking) for i in phone_issues]
    return issues


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def _span_text(span: AssignmentSpan) -> str:
    return f"{span.from_date.isoformat()} 至 {span.to_date.isoformat() if span.to_date else '今'}"


def check_assignment(draft: AssignmentDraft, others: Sequence[AssignmentSpan]) -> list[Issue]:
    """Every issue with an assignment, given the enterprise's other (non-archived) assignments."""
    issues: list[Issue] = []
    if draft.enterprise_id is None:
        issues.append(Issue("enterprise_id", "请选择包联的企业"))
    if draft.helper_id is None and draft.team_id is None:
        issues.append(Issue("helper_id", "请选择帮扶干部或入企服务工作组"))
    if draft.role not in ASSIGNMENT_ROLES:
        issues.append(Issue("role", "包联角色应为“包联领导”或“帮扶干部”"))
    elif draft.role == "lead" and draft.helper_id is None:
        issues.append(Issue("helper_id", "包联领导必须是一名帮扶干部（不能只选工作组）"))
    if draft.from_date is None:
        issues.append(Issue("from_date", "请填写包联开始日期"))
    elif draft.to_date is not None and draft.to_date < draft.from_date:
        issues.append(Issue("to_date", f"包联结束日期（{draft.to_date.isoformat()}）早于开始日期"
                                       f"（{draft.from_date.isoformat()}），请核对"))
    if not 1 <= draft.cadence_visits <= MAX_CADENCE_VISITS:
        issues.append(Issue("cadence_visits", f"联系频次应为每期 1–{MAX_CADENCE_VISITS} 次"))
    if not 1 <= draft.cadence_months <= MAX_CADENCE_MONTHS:
        issues.append(Issue("cadence_months", f"联系周期应为 1–{MAX_CADENCE_MONTHS} 个月"))
    if issues or draft.from_date is None:
        return issues
    for span in others:
        if not _overlaps(draft.from_date, draft.to_date, span.from_date, span.to_date):
            continue
        if draft.role == "lead" and span.role == "lead":
            issues.append(Issue("role", f"该企业在 {_span_text(span)} 已有包联领导“{span.holder_name}”，"
                                        "同一时间只能有一名包联领导。请先结束原包联，或使用“更换”。"))
        elif span.helper_id is not None and span.helper_id == draft.helper_id:
            issues.append(Issue("helper_id", f"“{span.holder_name}”在 {_span_text(span)} 已包联该企业，"
                                             "不能重复登记"))
        elif draft.helper_id is None and span.team_id is not None and span.team_id == draft.team_id:
            issues.append(Issue("team_id", f"工作组“{span.holder_name}”在 {_span_text(span)} 已包联该企业，"
                                           "不能重复登记"))
    return issues
