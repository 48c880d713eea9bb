"""入企服务记录: one visit or contact with an enterprise, and the helpers who took part."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.locking import Changed
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import day_span

VISIT_CHANNELS = {"visit": "走访", "phone": "电话", "video": "视频", "meeting": "座谈", "onsite": "现场办公"}
DEFAULT_CAMPAIGNS = ("服务月", "“三进四送”", "志愿服务", "政策宣讲")
CAMPAIGNS_SETTING = "visit_campaigns"  # the editable list, JSON in the setting table


class Visit(EditedInForms, TravellingRecord, Base):
    """A visit, call, video call, meeting or on-site office day with one enterprise."""

    __tablename__ = "visit"
    # Covering indexes: the coverage matrix and the served-enterprise count read no table rows.
    __table_args__ = (Index("ix_visit_enterprise_date", "enterprise_id", "visited_on", "archived_at"),
                      Index("ix_visit_date_enterprise", "visited_on", "enterprise_id", "archived_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10), default="visit")
    campaign: Mapped[str] = mapped_column(String(40), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("service_team.id"), index=True)
    visitors: Mapped[str] = mapped_column(String(200), default="")  # names as written, incl. non-helpers
    policies_explained: Mapped[str] = mapped_column(Text, default="")
    firm_reported: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit", cascade="save-update, merge")

    locking_field = "visited_on"  # where a form shows the locked-period refusal

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A visit reports into the period of its date; any change to it touches that period."""
        return day_span(self.visited_on)


class VisitParticipant(TravellingRecord, Base):
    """A registered helper who went on a visit (counts towards that helper's cadence)."""

    __tablename__ = "visit_participant"
    __table_args__ = (Index("ix_visit_participant_helper_visit", "helper_id", "visit_id", "archived_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("helper.id"))

    visit: Mapped[Visit] = relationship(back_populates="participants")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """Who went on a visit is part of the visit: its date's period."""
        return day_span(self.visit.visited_on) if self.visit is not None else ()
