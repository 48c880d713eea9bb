"""运行监测: the monitored sample, monthly reports (values per a versioned form), statisticians and their fees."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.locking import Changed
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import period_code_span
from lvqi_desktop.models.locking import year_span


class MonitoredFirm(TravellingRecord, Base):
    """An enterprise in the monitored sample from `monitored_from` (to `monitored_to`, when it left)."""

    __tablename__ = "monitored_firm"
    __table_args__ = (UniqueConstraint("enterprise_id", name="uq_monitored_firm_enterprise"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    monitored_from: Mapped[date] = mapped_column(Date)
    monitored_to: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class MonitoringReport(EditedInForms, TravellingRecord, Base):
    """One firm's monthly report: values keyed by the form definition's field keys, as JSON.

    Money is integer 分, counts integers, answers the option text. `received_on` is the day the report
    first arrived (timeliness); `corrections` counts later changes of its values (assessment).
    """

    __tablename__ = "monitoring_report"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", name="uq_monitoring_report_enterprise_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    period: Mapped[str] = mapped_column(String(7), index=True)  # 2026-10
    form_version: Mapped[str] = mapped_column(String(20))
    values: Mapped[str] = mapped_column(Text, default="{}")
    received_on: Mapped[date] = mapped_column(Date)
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # warnings seen and confirmed
    warnings: Mapped[str] = mapped_column(Text, default="")

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """A monthly report belongs to its month."""
        span = period_code_span(self.period)
        return (span,) if span is not None else ()


class Statistician(TravellingRecord, Base):
    """统计人员: a person who fills a monitored firm's reports, since a date (until, when replaced)."""

    __tablename__ = "statistician"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(40), default="")
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date, default=None)


class StatisticianFee(TravellingRecord, Base):
    """信息采集费: the amount for one qualified statistician and year, and whether it was paid."""

    __tablename__ = "statistician_fee"
    __table_args__ = (UniqueConstraint("statistician_id", "year", name="uq_statistician_fee_statistician_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statistician_id: Mapped[int] = mapped_column(ForeignKey("statistician.id"))
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)

    def locking_spans(self, changed: Changed) -> tuple[Span, ...]:
        """The fee is the year's: only a received year period locks it."""
        return year_span(self.year)
