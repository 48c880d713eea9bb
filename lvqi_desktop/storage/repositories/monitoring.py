"""Queries over the monitored sample, monthly reports, statisticians and their fee ledger."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.monitoring import MonitoredFirm
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.models.monitoring import Statistician
from lvqi_desktop.models.monitoring import StatisticianFee
from lvqi_desktop.storage.repositories.rows import AnyRow

REPORT_COLUMNS = (MonitoringReport.id, MonitoringReport.enterprise_id, MonitoringReport.period,
                  MonitoringReport.values, MonitoringReport.received_on, MonitoringReport.corrections,
                  MonitoringReport.confirmed, MonitoringReport.warnings, MonitoringReport.version)


class MonitoringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def sample_rows(self, county_code: str = "", enterprise_id: int | None = None) -> Sequence[AnyRow]:
        """Monitored firms (not archived) with the enterprise facts a grid and the sample check need."""
        stmt = (select(MonitoredFirm.id, MonitoredFirm.enterprise_id, MonitoredFirm.monitored_from,
                       MonitoredFirm.monitored_to, MonitoredFirm.note, Enterprise.uscc, Enterprise.name,
                       Enterprise.size_class, Enterprise.county_code)
                .join(Enterprise, Enterprise.id == MonitoredFirm.enterprise_id)
                .where(MonitoredFirm.archived_at.is_(None), Enterprise.archived_at.is_(None)))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        if enterprise_id is not None:
            stmt = stmt.where(MonitoredFirm.enterprise_id == enterprise_id)
        return self.session.execute(stmt.order_by(Enterprise.name, Enterprise.id)).all()

    def firm(self, enterprise_id: int) -> MonitoredFirm | None:
        return self.session.scalars(select(MonitoredFirm).where(MonitoredFirm.enterprise_id == enterprise_id)).first()

    def add(self, obj: object) -> None:
        self.session.add(obj)

    def report(self, enterprise_id: int, period: str) -> MonitoringReport | None:
        return self.session.scalars(select(MonitoringReport).where(
            MonitoringReport.enterprise_id == enterprise_id, MonitoringReport.period == period,
            MonitoringReport.archived_at.is_(None))).first()

    def reports_in(self, period: str) -> dict[int, MonitoringReport]:
        stmt = select(MonitoringReport).where(MonitoringReport.period == period, MonitoringReport.archived_at.is_(None))
        return {r.enterprise_id: r for r in self.session.scalars(stmt)}

    def report_rows(self, periods: Sequence[str], enterprise_id: int | None = None) -> Sequence[AnyRow]:
        """Plain report rows of these months (no ORM objects: fast for a whole sample)."""
        stmt = select(*REPORT_COLUMNS).where(MonitoringReport.period.in_(list(periods)),
                                             MonitoringReport.archived_at.is_(None))
        if enterprise_id is not None:
            stmt = stmt.where(MonitoringReport.enterprise_id == enterprise_id)
        return self.session.execute(stmt).all()

    def statisticians(self, county_code: str = "", enterprise_id: int | None = None) -> Sequence[AnyRow]:
        stmt = (select(Statistician.id, Statistician.enterprise_id, Statistician.name, Statistician.phone,
                       Statistician.since, Statistician.until, Enterprise.name.label("enterprise_name"),
                       Enterprise.uscc, Enterprise.county_code)
                .join(Enterprise, Enterprise.id == Statistician.enterprise_id)
                .where(Statistician.archived_at.is_(None), Enterprise.archived_at.is_(None)))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        if enterprise_id is not None:
            stmt = stmt.where(Statistician.enterprise_id == enterprise_id)
        return self.session.execute(stmt.order_by(Enterprise.name, Statistician.since, Statistician.id)).all()

    def statistician(self, statistician_id: int) -> Statistician | None:
        return self.session.get(Statistician, statistician_id)

    def fees(self, year: int) -> dict[int, StatisticianFee]:
        stmt = select(StatisticianFee).where(StatisticianFee.year == year, StatisticianFee.archived_at.is_(None))
        return {f.statistician_id: f for f in self.session.scalars(stmt)}

