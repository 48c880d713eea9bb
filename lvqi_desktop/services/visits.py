"""入企服务记录: log visits (optionally raising demands in the same transaction), list them, edit campaigns."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.errors import require
from lvqi_desktop.models import Visit
from lvqi_desktop.models import VisitParticipant
from lvqi_desktop.models.visits import CAMPAIGNS_SETTING
from lvqi_desktop.models.visits import DEFAULT_CAMPAIGNS
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.services.demands import raise_demand
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.helper_rows import LoggedVisit
from lvqi_desktop.services.helper_rows import VisitRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.text import clean_line
from lvqi_desktop.validation.visits import VisitDraft
from lvqi_desktop.validation.visits import check_visit

__all__ = ["DemandDraft", "VisitDraft", "VisitService"]


def _campaigns(uow: UnitOfWork) -> list[str]:
    raw = uow.office.setting(CAMPAIGNS_SETTING)
    return list(json.loads(raw)) if raw else list(DEFAULT_CAMPAIGNS)


def new_visit(draft: VisitDraft) -> Visit:
    """The visit a checked draft describes, with the helpers who went (each once); not yet added."""
    visit = Visit(enterprise_id=draft.enterprise_id, visited_on=draft.visited_on, channel=draft.channel,
                  campaign=clean_line(draft.campaign), team_id=draft.team_id, visitors=clean_line(draft.visitors),
                  policies_explained=draft.policies_explained.strip(), firm_reported=draft.firm_reported.strip(),
                  remarks=draft.remarks.strip())
    visit.participants = [VisitParticipant(helper_id=h) for h in dict.fromkeys(draft.helper_ids)]
    return visit


class VisitService:
    def __init__(self, db: Database, office_code: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_code = office_code
        self._today = today

    # ---- pick-lists
    @staticmethod
    def channels() -> dict[str, str]:
        return dict(VISIT_CHANNELS)

    def campaigns(self) -> list[str]:
        """The editable list of campaigns (服务月, “三进四送”, 志愿服务, 政策宣讲 at first)."""
        with self._db.unit_of_work() as uow:
            return _campaigns(uow)

    def set_campaigns(self, names: Sequence[str]) -> list[str]:
        """Replace the campaign list (visits keep the name they were logged with)."""
        cleaned = list(dict.fromkeys(clean_line(n) for n in names if clean_line(n)))
        if any(len(n) > 40 for n in cleaned):
            raise ValidationFailed([Issue("campaigns", "活动名称不能超过40个字")])
        with self._db.unit_of_work() as uow:
            uow.office.set_setting(CAMPAIGNS_SETTING, json.dumps(cleaned, ensure_ascii=False))
            uow.commit()
        return cleaned

    # ---- reading
    def list_visits(self, period: str | Period | None = None, *, enterprise_id: int | None = None,
                    helper_id: int | None = None, county_code: str = "") -> list[VisitRow]:
        """Visits, newest first; `period` like 2026-11 / 2026Q4 / 2026 (ValidationFailed if bad);
        `county_code` keeps the visits to that county's enterprises (the city edition's 县区 filter)."""
        if isinstance(period, str):
            period = parse_period(period, self._today())
        with self._db.unit_of_work() as uow:
            rows = uow.visits.rows(start=period.start if period else None, end=period.end if period else None,
                                   enterprise_id=enterprise_id, helper_id=helper_id, county_code=county_code)
            names = uow.visits.participant_names([r.id for r in rows])
        return [VisitRow(r.id, r.visited_on, r.enterprise_id, r.enterprise_name, r.uscc, r.channel, r.campaign,
                         r.team_id, r.team_name or "", r.visitors, tuple(names.get(r.id, ())),
                         r.policies_explained, r.firm_reported, r.county_code) for r in rows]

    # ---- writing
    def issues_of(self, uow: UnitOfWork, draft: VisitDraft) -> list[Issue]:
        enterprise = uow.enterprises.get(draft.enterprise_id) if draft.enterprise_id is not None else None
        issues = check_visit(draft, enterprise.registered_on if enterprise else None, _campaigns(uow), self._today())
        if draft.enterprise_id is not None and (enterprise is None or enterprise.is_archived):
            issues.append(Issue("enterprise_id", "所选企业不存在或已归档"))
        for helper_id in draft.helper_ids:
            if uow.helpers.get(helper_id) is None:
                issues.append(Issue("helper_ids", f"找不到编号为 {helper_id} 的帮扶干部"))
        if draft.team_id is not None and uow.helpers.team(draft.team_id) is None:
            issues.append(Issue("team_id", f"找不到编号为 {draft.team_id} 的工作组"))
        return issues

    def check(self, draft: VisitDraft) -> list[Issue]:
        """Issues with the visit itself (the demands are checked when logged)."""
        with self._db.unit_of_work() as uow:
            return self.issues_of(uow, draft)

    def log_visit(self, draft: VisitDraft) -> LoggedVisit:
        """Record a visit and the demands raised on it, all or nothing.

        Each raised demand takes the visit's enterprise, and its date when none is given; issues with
        demand i carry fields prefixed "demands.i.".
        """
        with self._db.unit_of_work() as uow:
            refuse_blocking(self.issues_of(uow, draft))
            visit = new_visit(draft)
            uow.visits.add(visit)
            uow.flush()
            demands = []
            for i, demand in enumerate(draft.demands):
                demand.enterprise_id = draft.enterprise_id
                demand.received_on = demand.received_on or draft.visited_on
                demands.append(raise_demand(uow, demand, self._office_code(), self._today(), visit.id,
                                            field_prefix=f"demands.{i}."))
            uow.commit()
            return LoggedVisit(visit.id, [d.id for d in demands], [d.number for d in demands])

    def draft_of(self, visit_id: int) -> VisitDraft:
        """A current visit as the form edits it (without demands: those are edited on 企业诉求)."""
        with self._db.unit_of_work() as uow:
            visit = self._current(uow, visit_id)
            return VisitDraft(visit.enterprise_id, visit.visited_on, visit.channel, visit.campaign or "",
                              [p.helper_id for p in visit.participants if p.archived_at is None], visit.team_id,
                              visit.visitors or "", visit.policies_explained or "", visit.firm_reported or "",
                              visit.remarks or "", version=visit.version)

    def update_visit(self, visit_id: int, draft: VisitDraft) -> None:
        """Correct a visit; the change history keeps every old value. Demands raised on it are not touched."""
        with self._db.unit_of_work() as uow:
            visit = self._current(uow, visit_id)
            claim_for_save(uow, visit, draft.version)
            kept_campaign = clean_line(draft.campaign) == (visit.campaign or "")  # since dropped from the list
            issues = [i for i in self.issues_of(uow, draft) if not (kept_campaign and i.field == "campaign")]
            refuse_blocking(issues)
            fresh = new_visit(draft)
            for name in ("enterprise_id", "visited_on", "channel", "campaign", "team_id", "visitors",
                         "policies_explained", "firm_reported", "remarks"):
                if getattr(visit, name) != getattr(fresh, name):
                    setattr(visit, name, getattr(fresh, name))
            wanted = {p.helper_id for p in fresh.participants}
            for p in visit.participants:
                if (p.archived_at is None) != (p.helper_id in wanted):
                    p.archived_at = None if p.helper_id in wanted else clock.now()
            had = {p.helper_id for p in visit.participants}
            visit.participants += [VisitParticipant(helper_id=h) for h in dict.fromkeys(draft.helper_ids) if h not in had]
            firm = uow.enterprises.get(visit.enterprise_id)
            uow.label_action(f"修改走访记录：{firm.name if firm else ''} {visit.visited_on.isoformat()}")
            uow.commit()

    @staticmethod
    def _current(uow: UnitOfWork, visit_id: int) -> Visit:
        visit = uow.visits.get(visit_id)
        if visit is None or visit.archived_at is not None:
            raise NotFound(f"找不到编号为 {visit_id} 的走访记录（可能已归档）。")
        return visit

    def archive_visit(self, visit_id: int, reason: str = "") -> None:
        """Withdraw a visit logged by mistake (kept, never deleted); demands it raised stay."""
        with self._db.unit_of_work() as uow:
            require(uow.visits.get(visit_id), f"找不到编号为 {visit_id} 的走访记录。").archive(reason.strip())
            uow.commit()
