"""Checks for a visit (入企服务记录): date not in the future nor before the enterprise existed, who went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.text import clean_line


@dataclass
class VisitDraft:
    """A visit as entered; `demands` are raised from it in the same transaction."""

    enterprise_id: int | None = None
    visited_on: date | None = None
    channel: str = "visit"
    campaign: str = ""
    helper_ids: list[int] = field(default_factory=list)
    team_id: int | None = None
    visitors: str = ""
    policies_explained: str = ""
    firm_reported: str = ""
    remarks: str = ""
    demands: list[DemandDraft] = field(default_factory=list)
    version: int | None = None  # the stored visit's version when the form read it; None: not checked


def check_visit(draft: VisitDraft, registered_on: date | None, campaigns: Sequence[str],
                today: date) -> list[Issue]:
    """Issues with the visit itself; `registered_on` is the enterprise's founding date if known."""
    issues: list[Issue] = []
    if draft.enterprise_id is None:
        issues.append(Issue("enterprise_id", "请选择走访的企业"))
    if draft.visited_on is None:
        issues.append(Issue("visited_on", "请填写走访日期"))
    elif draft.visited_on > today:
        issues.append(Issue("visited_on", f"走访日期 {draft.visited_on.isoformat()} 晚于今天"
                                          f"（{today.isoformat()}），不能登记未来的走访"))
    elif registered_on is not None and draft.visited_on < registered_on:
        issues.append(Issue("visited_on", f"走访日期 {draft.visited_on.isoformat()} 早于企业成立日期"
                                          f"（{registered_on.isoformat()}），请核对"))
    if draft.channel not in VISIT_CHANNELS:
        issues.append(Issue("channel", "服务方式应为 走访、电话、视频、座谈 或 现场办公"))
    campaign = clean_line(draft.campaign)
    if campaign and campaign not in campaigns:
        issues.append(Issue("campaign", f"专项活动“{campaign}”不在活动列表中，请从列表选择或先在设置中添加"))
    if not draft.helper_ids and draft.team_id is None and not clean_line(draft.visitors):
        issues.append(Issue("visitors", "请填写走访人员（选择帮扶干部、工作组，或填写姓名）"))
    if len(clean_line(draft.visitors)) > 200:
        issues.append(Issue("visitors", "走访人员不能超过200个字"))
    return issues
