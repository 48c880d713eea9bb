"""包联帮扶: helpers, service teams, assignments with history, and the coverage matrix."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.errors import require
from lvqi_desktop.models import Helper
from lvqi_desktop.models import HelperAssignment
from lvqi_desktop.models import ServiceTeam
from lvqi_desktop.models import ServiceTeamMember
from lvqi_desktop.models.helpers import TEAM_ROLES
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.helper_rows import AssignmentRow
from lvqi_desktop.services.helper_rows import CoverageRow
from lvqi_desktop.services.helper_rows import HelperRow
from lvqi_desktop.services.helper_rows import TeamMemberRow
from lvqi_desktop.services.helper_rows import TeamRow
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import AssignmentSpan
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.assignments import check_assignment
from lvqi_desktop.validation.assignments import check_helper
from lvqi_desktop.validation.period import quarter_of
from lvqi_desktop.validation.text import clean_line

__all__ = ["AssignmentDraft", "HelperDraft", "HelperService", "TeamDraft"]


@dataclass
class TeamDraft:
    """A service team as entered: name, leader and members as (helper id, role) pairs."""

    name: str = ""
    leader_id: int | None = None
    members: list[tuple[int, str]] = field(default_factory=list)
    remarks: str = ""


def _months_between(first: date, last: date) -> int:
    """Calendar months from `first`'s month to `last`'s month, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _assignment_row(r: AnyRow, today: date) -> AssignmentRow:
    active = r.from_date <= today and (r.to_date is None or r.to_date >= today)
    return AssignmentRow(
        r.id, r.enterprise_id, r.enterprise_name, r.uscc, r.helper_id, r.helper_name or "",
        r.helper_post or "", r.team_id, r.team_name or "", r.role, r.from_date, r.to_date,
        r.cadence_visits, r.cadence_months, active, r.county_code or "", r.version)


def _joined(codes: set[str]) -> str:
    return ",".join(sorted(c for c in codes if c))


def _holder_counties(uow: UnitOfWork) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Counties per helper id and per team id, from the enterprises they hold or have held."""
    helpers: dict[int, set[str]] = {}
    teams: dict[int, set[str]] = {}
    for helper_id, team_id, county in uow.helpers.holder_counties():
        if helper_id is not None:
            helpers.setdefault(helper_id, set()).add(county)
        if team_id is not None:
            teams.setdefault(team_id, set()).add(county)
    return helpers, teams


class HelperService:
    def __init__(self, db: Database, today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._today = today

    # ---- helpers
    def list_helpers(self, *, active_only: bool = False, archived: bool = False, search: str = "",
                     county_code: str = "") -> list[HelperRow]:
        """Helpers; with `county_code` only those who hold or have held an enterprise of that county
        (a helper has no county of their own, so one without any assignment is listed under no county)."""
        with self._db.unit_of_work() as uow:
            counts = uow.helpers.assignment_counts(self._today())
            counties, _teams = _holder_counties(uow)
            found = uow.helpers.helpers(active_only=active_only, archived=archived, search=search.strip())
            return [HelperRow(h.id, h.name, h.post, h.unit, h.level, h.phone, h.active, h.is_archived,
                              counts.get(h.id, 0), _joined(counties.get(h.id, set())))
                    for h in found if not county_code or county_code in counties.get(h.id, ())]

    def helper_draft(self, helper_id: int) -> HelperDraft:
        with self._db.unit_of_work() as uow:
            h = self._helper(uow, helper_id)
            return HelperDraft(h.name, h.post, h.unit, h.level, h.phone, h.active, h.remarks)

    def save_helper(self, draft: HelperDraft, helper_id: int | None = None) -> int:
        """Insert (id None) or update a helper; ValidationFailed lists every problem."""
        refuse_blocking(check_helper(draft))
        with self._db.unit_of_work() as uow:
            h = Helper() if helper_id is None else self._helper(uow, helper_id)
            h.name, h.post, h.unit = clean_line(draft.name), clean_line(draft.post), clean_line(draft.unit)
            h.level, h.phone, h.active, h.remarks = draft.level, draft.phone.strip(), draft.active, draft.remarks
            uow.helpers.add(h)
            uow.commit()
            return h.id

    def archive_helper(self, helper_id: int, reason: str = "") -> None:
        """Archive a helper (never deleted); their open assignments end today."""
        with self._db.unit_of_work() as uow:
            h = self._helper(uow, helper_id)
            today = self._today()
            for a in uow.helpers.assignment_rows(helper_id=helper_id, active_on=today):
                found = uow.helpers.assignment(a.id)
                if found is not None:
                    found.to_date = today
            h.archive(reason.strip())
            h.active = False
            uow.commit()

    def restore_helper(self, helper_id: int) -> None:
        with self._db.unit_of_work() as uow:
            h = self._helper(uow, helper_id)
            h.archived_at, h.archive_reason, h.active = None, None, True
            uow.commit()

    @staticmethod
    def _helper(uow: UnitOfWork, helper_id: int) -> Helper:
        return require(uow.helpers.get(helper_id), f"找不到编号为 {helper_id} 的帮扶干部。")

    # ---- teams
    def list_teams(self, county_code: str = "") -> list[TeamRow]:
        """Teams; with `county_code` only those that, or whose leader or members, hold an enterprise there."""
        with self._db.unit_of_work() as uow:
            by_helper, by_team = _holder_counties(uow)
            rows = []
            for t in uow.helpers.teams():
                members = uow.helpers.members(t.id)
                people = [m.helper_id for m in members] + [t.leader_id or 0]
                counties = set(by_team.get(t.id, set())).union(*(by_helper.get(p, set()) for p in people))
                if county_code and county_code not in counties:
                    continue
                names = uow.helpers.helper_names(people)
                rows.append(TeamRow(t.id, t.name, t.leader_id, names.get(t.leader_id or 0, ""),
                                    tuple(TeamMemberRow(m.helper_id, names.get(m.helper_id, ""), m.role)
                                          for m in members), _joined(counties)))
            return rows

    def save_team(self, draft: TeamDraft, team_id: int | None = None) -> int:
        """Insert or update a team; members not listed any more are archived, not deleted."""
        name = clean_line(draft.name)
        issues = [] if name and len(name) <= 100 else [Issue("name", "请填写工作组名称（不超过100字）")]
        issues += [Issue("members", f"成员角色“{role}”无效") for _, role in draft.members if role not in TEAM_ROLES]
        with self._db.unit_of_work() as uow:
            wanted = dict(draft.members)
            for helper_id in [*wanted, *([draft.leader_id] if draft.leader_id else [])]:
                if uow.helpers.get(helper_id) is None:
                    issues.append(Issue("members", f"找不到编号为 {helper_id} 的帮扶干部"))
            if issues:
                raise ValidationFailed(issues)
            team = ServiceTeam() if team_id is None else uow.helpers.team(team_id)
            if team is None:
                raise NotFound(f"找不到编号为 {team_id} 的工作组。")
            team.name, team.leader_id, team.remarks = name, draft.leader_id, draft.remarks
            uow.helpers.add(team)
            uow.flush()
            for m in uow.helpers.members(team.id):
                if m.helper_id not in wanted:
                    m.archived_at, m.archive_reason = clock.now(), "退出工作组"
                else:
                    m.role = wanted.pop(m.helper_id)
            for helper_id, role in wanted.items():
                uow.helpers.add(ServiceTeamMember(team_id=team.id, helper_id=helper_id, role=role))
            uow.commit()
            return team.id

    def archive_team(self, team_id: int, reason: str = "") -> None:
        with self._db.unit_of_work() as uow:
            require(uow.helpers.team(team_id), f"找不到编号为 {team_id} 的工作组。").archive(reason.strip())
            uow.commit()

    # ---- assignments
    def assignments(self, *, enterprise_id: int | None = None, helper_id: int | None = None,
                    current_only: bool = False, county_code: str = "") -> list[AssignmentRow]:
        """Assignments with their history (ended ones too) unless `current_only`; `county_code` keeps
        those of that county's enterprises."""
        today = self._today()
        with self._db.unit_of_work() as uow:
            rows = uow.helpers.assignment_rows(enterprise_id=enterprise_id, helper_id=helper_id,
                                               active_on=today if current_only else None, county_code=county_code)
            return [_assignment_row(r, today) for r in rows]

    def assignment_spans(self, uow: UnitOfWork, enterprise_id: int | None, exclude: Sequence[int] = ()) -> list[AssignmentSpan]:
        if enterprise_id is None:
            return []
        found = [a for a in uow.helpers.assignments_of_enterprise(enterprise_id) if a.id not in exclude]
        helpers = uow.helpers.helper_names([a.helper_id for a in found if a.helper_id])
        teams = uow.helpers.team_names([a.team_id for a in found if a.team_id])
        return [AssignmentSpan(a.id, a.role, a.helper_id, a.team_id,
                               helpers.get(a.helper_id or 0) or teams.get(a.team_id or 0, ""), a.from_date, a.to_date)
                for a in found]

    def _check(self, uow: UnitOfWork, draft: AssignmentDraft, exclude: Sequence[int] = ()) -> list[Issue]:
        issues = check_assignment(draft, self.assignment_spans(uow, draft.enterprise_id, exclude))
        if draft.enterprise_id is not None:
            e = uow.enterprises.get(draft.enterprise_id)
            if e is None or e.is_archived:
                issues.append(Issue("enterprise_id", "所选企业不存在或已归档"))
        if draft.helper_id is not None:
            h = uow.helpers.get(draft.helper_id)
            if h is None or h.is_archived or not h.active:
                issues.append(Issue("helper_id", "所选帮扶干部不存在或已停用"))
        if draft.team_id is not None:
            team = uow.helpers.team(draft.team_id)
            if team is None or team.is_archived:
                issues.append(Issue("team_id", "所选工作组不存在或已解散"))
        return issues

    def check_assignment(self, draft: AssignmentDraft) -> list[Issue]:
        """Every issue assign() would report, without saving."""
        with self._db.unit_of_work() as uow:
            return self._check(uow, draft)

    def assign(self, draft: AssignmentDraft) -> int:
        """Pair an enterprise with a helper and/or team; ValidationFailed on overlaps or bad dates."""
        with self._db.unit_of_work() as uow:
            refuse_blocking(self._check(uow, draft))
            a = assignment_of(draft)
            uow.helpers.add(a)
            uow.commit()
            return a.id

    def end_assignment(self, assignment_id: int, to_date: date, version: int | None = None) -> None:
        """End an assignment on `to_date` (kept as history); `version` as read by the dialog (None: not checked)."""
        with self._db.unit_of_work() as uow:
            a = self._assignment(uow, assignment_id)
            claim_for_save(uow, a, version)
            draft = _draft_of(a)
            draft.to_date = to_date
            refuse_blocking(self._check(uow, draft, exclude=[a.id]))
            a.to_date = to_date
            uow.commit()

    def reassign(self, assignment_id: int, on: date, *, helper_id: int | None = None,
                 team_id: int | None = None, version: int | None = None) -> int:
        """Hand the assignment to another helper/team from `on`; the old row ends the day before and stays.
        `version`: as the dialog read it; another clerk's change since then refuses this one (None: not checked)."""
        with self._db.unit_of_work() as uow:
            old = self._assignment(uow, assignment_id)
            claim_for_save(uow, old, version)
            if on <= old.from_date:
                raise ValidationFailed([Issue("from_date", f"更换日期应晚于原包联开始日期（{old.from_date.isoformat()}）")])
            if old.to_date is not None and on > old.to_date + timedelta(days=1):
                raise ValidationFailed([Issue("from_date", "原包联已结束，请直接新建包联")])
            draft = _draft_of(old)
            draft.helper_id, draft.team_id, draft.from_date, draft.to_date = helper_id, team_id, on, old.to_date
            refuse_blocking(self._check(uow, draft, exclude=[old.id]))
            old.to_date = on - timedelta(days=1)
            new = assignment_of(draft)
            new.replaces_id = old.id
            uow.helpers.add(new)
            uow.commit()
            return new.id

    def archive_assignment(self, assignment_id: int, reason: str) -> None:
        """Withdraw an assignment entered by mistake (history uses end_assignment instead)."""
        with self._db.unit_of_work() as uow:
            a = self._assignment(uow, assignment_id)
            a.archived_at, a.archive_reason = clock.now(), reason.strip()[:200] or "录入有误"
            uow.commit()

    @staticmethod
    def _assignment(uow: UnitOfWork, assignment_id: int) -> HelperAssignment:
        a = uow.helpers.assignment(assignment_id)
        if a is None or a.is_archived:
            raise NotFound(f"找不到编号为 {assignment_id} 的包联记录。")
        return a

    # ---- the coverage matrix
    def coverage(self, *, behind_only: bool = False, helper_id: int | None = None,
                 county_code: str = "") -> list[CoverageRow]:
        """Each current assignment (of one county's enterprises if `county_code` is given): visits this month
        and quarter (up to today) against its cadence."""
        today = self._today()
        quarter = quarter_of(today)
        month_start = today.replace(day=1)
        with self._db.unit_of_work() as uow:
            assignments = uow.helpers.assignment_rows(helper_id=helper_id, active_on=today, county_code=county_code)
            counts = uow.helpers.visit_counts(today, quarter.start, month_start)
        rows = []
        for a in assignments:
            row = _coverage_row(a, counts.get(a.id), quarter.start, today)
            if row.behind or not behind_only:
                rows.append(row)
        return rows


def _coverage_row(a: AnyRow, counts: AnyRow | None, quarter_start: date, today: date) -> CoverageRow:
    month = int(counts.month) if counts is not None else 0
    quarter = int(counts.quarter) if counts is not None else 0
    visits, months = a.cadence_visits, a.cadence_months
    since = max(quarter_start, a.from_date)
    required_month = visits if months == 1 else 0
    required_quarter = visits * _months_between(since, today) // months
    return CoverageRow(
        a.id, a.helper_id, a.team_id, a.helper_name or a.team_name or "", a.helper_level or "",
        a.role, a.enterprise_id, a.enterprise_name, visits, months, month, quarter,
        required_month, required_quarter, counts.last if counts is not None else None,
        month < required_month, quarter < required_quarter, a.county_code or "")


def assignment_of(d: AssignmentDraft) -> HelperAssignment:
    return HelperAssignment(enterprise_id=d.enterprise_id, helper_id=d.helper_id, team_id=d.team_id, role=d.role,
                            from_date=d.from_date, to_date=d.to_date, cadence_visits=d.cadence_visits,
                            cadence_months=d.cadence_months, remarks=d.remarks)


def _draft_of(a: HelperAssignment) -> AssignmentDraft:
    return AssignmentDraft(a.enterprise_id, a.helper_id, a.team_id, a.role, a.from_date, a.to_date,
                           a.cadence_visits, a.cadence_months, a.remarks)
