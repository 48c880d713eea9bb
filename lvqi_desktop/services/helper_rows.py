"""Plain rows for helpers, teams, assignments, visits and the coverage matrix (no ORM objects leave a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lvqi_desktop.models import codes
from lvqi_desktop.models.helpers import ASSIGNMENT_ROLES
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.models.visits import VISIT_CHANNELS


@dataclass(frozen=True, slots=True)
class HelperRow:
    """One helper in the helper list, with how many enterprises they currently hold."""

    id: int
    name: str
    post: str
    unit: str
    level: str
    phone: str
    active: bool
    archived: bool
    enterprise_count: int
    county_codes: str = ""  # counties of the enterprises held (history included), comma-separated

    @property
    def level_label(self) -> str:
        return codes.label(HELPER_LEVELS, self.level)


@dataclass(frozen=True, slots=True)
class TeamMemberRow:
    helper_id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One service team with its leader and members."""

    id: int
    name: str
    leader_id: int | None
    leader_name: str
    members: tuple[TeamMemberRow, ...]
    county_codes: str = ""  # counties of the enterprises the team or its people hold, comma-separated


def cadence_text(visits: int, months: int) -> str:
    return f"每月{visits}次" if months == 1 else f"每{months}个月{visits}次"


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One assignment (current or history) with the names a list shows."""

    id: int
    enterprise_id: int
    enterprise_name: str
    uscc: str
    helper_id: int | None
    helper_name: str
    helper_post: str
    team_id: int | None
    team_name: str
    role: str
    from_date: date
    to_date: date | None
    cadence_visits: int
    cadence_months: int
    active: bool
    county_code: str = ""  # the enterprise's county
    version: int = 0  # the assignment's version: 更换 and 结束 are refused if another clerk changed it meanwhile

    @property
    def role_label(self) -> str:
        return codes.label(ASSIGNMENT_ROLES, self.role)

    @property
    def holder(self) -> str:
        return self.helper_name or self.team_name

    @property
    def cadence_label(self) -> str:
        return cadence_text(self.cadence_visits, self.cadence_months)


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One cell line of the coverage matrix: a holder × one of their enterprises, visits vs cadence."""

    assignment_id: int
    helper_id: int | None
    team_id: int | None
    holder: str
    helper_level: str
    role: str
    enterprise_id: int
    enterprise_name: str
    cadence_visits: int
    cadence_months: int
    month_visits: int
    quarter_visits: int
    required_month: int  # 0 when the cadence is longer than a month
    required_quarter: int  # required so far this quarter (months elapsed, including this one)
    last_visit_on: date | None
    behind_month: bool
    behind_quarter: bool
    county_code: str = ""  # the enterprise's county

    @property
    def behind(self) -> bool:
        """Shown red."""
        return self.behind_month or self.behind_quarter

    @property
    def role_label(self) -> str:
        return codes.label(ASSIGNMENT_ROLES, self.role)

    @property
    def cadence_label(self) -> str:
        return cadence_text(self.cadence_visits, self.cadence_months)


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One visit in the visit list."""

    id: int
    visited_on: date
    enterprise_id: int
    enterprise_name: str
    uscc: str
    channel: str
    campaign: str
    team_id: int | None
    team_name: str
    visitors: str  # names written on the form
    helper_names: tuple[str, ...]
    policies_explained: str
    firm_reported: str
    county_code: str = ""  # the enterprise's county

    @property
    def channel_label(self) -> str:
        return codes.label(VISIT_CHANNELS, self.channel)

    @property
    def who_went(self) -> str:
        names = list(self.helper_names) + [n for n in self.visitors.replace("，", "、").split("、") if n]
        seen = dict.fromkeys(n.strip() for n in names if n.strip())
        return "、".join(seen) or self.team_name


@dataclass(frozen=True)
class LoggedVisit:
    """What logging a visit reports back: its id and the demands it raised."""

    visit_id: int
    demand_ids: list[int]
    demand_numbers: list[str]
