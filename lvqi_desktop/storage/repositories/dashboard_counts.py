"""Aggregate counts for the dashboard and the county comparison: GROUP BY county in SQL, never row lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import extract
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Demand
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Visit
from lvqi_desktop.models.bases import IncubationBase
from lvqi_desktop.models.demands import OPEN_STATUSES
from lvqi_desktop.models.monitoring import MonitoredFirm
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.storage.id_sequences import server_setting
from lvqi_desktop.storage.id_sequences import server_setting_off
from lvqi_desktop.storage.portable_sql import day_of
from lvqi_desktop.storage.portable_sql import json_number
from lvqi_desktop.storage.portable_sql import month_end
from lvqi_desktop.storage.repositories.demands import _overdue


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _visited_between(start: date, end: date) -> ColumnElement[bool]:
    return and_(Visit.archived_at.is_(None), Visit.visited_on >= start, Visit.visited_on <= end)


class DashboardCounts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def enterprises(self) -> dict[str, int]:
        """Current (not archived) enterprises per county: all (a covering index scan) less the few archived."""
        every = select(Enterprise.county_code, func.count()).group_by(Enterprise.county_code)
        archived = every.where(Enterprise.archived_at.is_not(None))
        out = {code: int(n) for code, n in self.session.execute(every)}
        for code, n in self.session.execute(archived):
            out[code] -= int(n)
        return out

    def cross_county_firms(self) -> int:
        """USCCs held (not archived) by two or more counties: one firm in two counties' registers.

        A county holds a USCC once (uq_enterprise_county_uscc, archived firms included), so two current firms of
        one USCC are two counties' (counting them is quicker than comparing their counties); the index
        ix_enterprise_uscc_county hands the current firms over in USCC order, so the groups are made as it is
        read (no hash or sort of a million USCCs)."""
        claimed = (select(Enterprise.uscc).where(Enterprise.archived_at.is_(None), Enterprise.uscc != "")
                   .group_by(Enterprise.uscc).having(func.count() > 1))
        return int(self.session.scalar(select(func.count()).select_from(claimed.subquery())) or 0)

    def visits(self, start: date, end: date) -> dict[int, int]:
        """Visits (not archived) per month (1–12) between start and end, as VisitService.list_visits counts."""
        month = extract("month", Visit.visited_on)  # SQLite: CAST(STRFTIME('%m', …) AS INTEGER)
        stmt = select(month, func.count()).where(_visited_between(start, end)).group_by(month)
        return {int(m): int(n) for m, n in self.session.execute(stmt)}

    def visits_by_county(self, start: date, end: date) -> dict[str, int]:
        """Visits (not archived) per county of the firm between start and end, as VisitService.list_visits counts.

        Counted per firm, then per county: ix_visit_enterprise_date hands the visits over in firm order and
        ix_enterprise_id_county the register in id order, so one merge of two index reads joins them (1M firms,
        900,000 visits: 0.4 s). PostgreSQL guesses far too few visited firms from its sample and would rather hash
        the visits or the register (spilling to disk, in parallel workers that take the cores the comparison's
        other reads need: 1–1.5 s) or look each firm up through a cache that keeps missing; those plans are
        turned off for this transaction."""
        per_firm = (select(Visit.enterprise_id, func.count().label("visits")).where(_visited_between(start, end))
                    .group_by(Visit.enterprise_id).subquery())
        stmt = (select(Enterprise.county_code, func.sum(per_firm.c.visits))
                .join(per_firm, per_firm.c.enterprise_id == Enterprise.id).group_by(Enterprise.county_code))
        for name in ("enable_hashjoin", "enable_seqscan", "enable_memoize"):
            server_setting_off(self.session, name)
        server_setting(self.session, "max_parallel_workers_per_gather", "0")
        return {code: int(n) for code, n in self.session.execute(stmt)}

    def demands(self, today: date) -> dict[str, tuple[int, int]]:
        """(open, overdue) demands per county of the enterprise, with the 企业诉求 board's overdue rule (a county
        without open demands is left out)."""
        stmt = (select(Enterprise.county_code, _count_if(Demand.status.in_(OPEN_STATUSES)), _count_if(_overdue(today)))
                .join(Enterprise, Enterprise.id == Demand.enterprise_id)
                .where(Demand.archived_at.is_(None), Demand.status.in_(OPEN_STATUSES))  # both count open ones only
                .group_by(Enterprise.county_code))
        return {code: (int(o), int(late)) for code, o, late in self.session.execute(stmt)}

    def bases(self) -> dict[str, int]:
        """Bases (not archived) per county."""
        stmt = (select(IncubationBase.county_code, func.count()).where(IncubationBase.archived_at.is_(None))
                .group_by(IncubationBase.county_code))
        return {code: int(n) for code, n in self.session.execute(stmt)}

    def _expected(self, start: date, end: date) -> ColumnElement[bool]:
        """Monitored firms that owe the month's report (monitoring_rows.expected_in, in SQL)."""
        return and_(MonitoredFirm.archived_at.is_(None), Enterprise.archived_at.is_(None),
                    MonitoredFirm.monitored_from <= end,
                    (MonitoredFirm.monitored_to.is_(None)) | (MonitoredFirm.monitored_to >= start))

    def monitoring(self, period: str, start: date, end: date, due: date) -> dict[str, tuple[int, int, int]]:
        """(expected, received, on time) monthly reports per county, as MonitoringService.completeness counts."""
        report = (select(MonitoringReport.enterprise_id, func.min(MonitoringReport.received_on).label("received_on"))
                  .where(MonitoringReport.period == period, MonitoringReport.archived_at.is_(None))
                  .group_by(MonitoringReport.enterprise_id).subquery())
        stmt = (select(Enterprise.county_code, func.count(), func.count(report.c.received_on),
                       _count_if(report.c.received_on <= due))
                .select_from(MonitoredFirm).join(Enterprise, Enterprise.id == MonitoredFirm.enterprise_id)
                .outerjoin(report, report.c.enterprise_id == MonitoredFirm.enterprise_id)
                .where(self._expected(start, end)).group_by(Enterprise.county_code))
        return {code: (int(e), int(r), int(t)) for code, e, r, t in self.session.execute(stmt)}

    def monitored_totals(self, field: str, periods: list[str], county: str) -> dict[str, tuple[int, int]]:
        """Month → (total, firms reporting it) of one numeric report field over each month's expected firms
        (the firms monitoring_stats.month_summary adds up)."""
        r = MonitoringReport
        value = json_number(r.values, f"$.{field}")
        first = r.period.concat("-01")
        stmt = (select(r.period, func.coalesce(func.sum(value), 0), func.count(value))
                .select_from(MonitoredFirm).join(Enterprise, Enterprise.id == MonitoredFirm.enterprise_id)
                .join(r, r.enterprise_id == MonitoredFirm.enterprise_id)
                .where(MonitoredFirm.archived_at.is_(None), Enterprise.archived_at.is_(None),
                       day_of(MonitoredFirm.monitored_from) <= month_end(first),
                       MonitoredFirm.monitored_to.is_(None) | (day_of(MonitoredFirm.monitored_to) >= day_of(first)),
                       r.period.in_(periods), r.archived_at.is_(None))
                .group_by(r.period))
        if county:
            stmt = stmt.where(Enterprise.county_code == county)
        return {period: (_plain(total), int(firms)) for period, total, firms in self.session.execute(stmt)}


def _plain(total: Any) -> Any:
    """PostgreSQL sums JSON numbers as exact decimals: a whole one as an int, like SQLite's."""
    if isinstance(total, Decimal):
        return int(total) if total == total.to_integral_value() else float(total)
    return total

