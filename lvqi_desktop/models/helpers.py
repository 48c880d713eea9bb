"""包联帮扶: helpers (包联领导/帮扶干部), service teams (入企服务工作组) and their assignments to enterprises."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord

HELPER_LEVELS = {"city": "市级", "county": "县级"}
ASSIGNMENT_ROLES = {"lead": "包联领导", "helper": "帮扶干部"}
TEAM_ROLES = {"leader": "组长", "liaison": "联络员", "member": "成员"}
DEFAULT_CADENCE_VISITS = 1  # the default cadence: one visit …
DEFAULT_CADENCE_MONTHS = 1  # … every month


class Helper(TravellingRecord, Base):
    """A person who helps enterprises: a city or county leader, or a cadre."""

    __tablename__ = "helper"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    post: Mapped[str] = mapped_column(String(60), default="")
    unit: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(10), default="county")
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    remarks: Mapped[str] = mapped_column(Text, default="")


class ServiceTeam(TravellingRecord, Base):
    """An 入企服务工作组 with a leader (a helper) and members."""

    __tablename__ = "service_team"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("helper.id"), index=True)
    remarks: Mapped[str] = mapped_column(Text, default="")


class ServiceTeamMember(TravellingRecord, Base):
    """One helper's membership of a team; leaving the team archives the row."""

    __tablename__ = "service_team_member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("service_team.id"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("helper.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")


class HelperAssignment(EditedInForms, TravellingRecord, Base):
    """Enterprise ↔ helper and/or team from one date to another (open-ended while to_date is null).

    Reassigning ends the old row and starts a new one, so the rows are the history.
    Cadence: `cadence_visits` visits every `cadence_months` months.
    """

    __tablename__ = "helper_assignment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("helper.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("service_team.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="helper")
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    cadence_visits: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_VISITS)
    cadence_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_MONTHS)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("helper_assignment.id"))
    remarks: Mapped[str] = mapped_column(Text, default="")

    def active_on(self, day: date) -> bool:
        return self.archived_at is None and self.from_date <= day and (self.to_date is None or day <= self.to_date)
