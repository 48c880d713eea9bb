"""The start-page dashboard (工作概览): figures composed from the services the returns use, never recounted here.

- targets vs achieved: TargetService.progress (the same rows as 梯度培育企业汇总表's target columns);
- pool flow this year: return_pool_summary.pool_counts (the return's own counting, in SQL);
- demands by status and age: DemandService.board (the 企业诉求 board);
- enterprises served vs target: KpiService.served (kpis()'s own counting, without the demand flows);
- visits per month, monitoring completeness and revenue trend: SQL aggregates (storage/repositories/
  dashboard_counts.py) counted as VisitService.list_visits, MonitoringService.completeness and
  monitoring_stats.month_summary count (tests hold them equal), left out when monitoring cannot be loaded;
- bases by level: BaseService.list_bases.
The city edition's per-county comparison is services/county_comparison.py over the same aggregates.
The parts are independent reads, so they run side by side in a few threads (SQLite reads release the GIL).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from typing import Any

from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.services.county_comparison import CountyComparison
from lvqi_desktop.services.county_comparison import MonitoringMonth
from lvqi_desktop.services.county_comparison import compare_counties
from lvqi_desktop.services.enterprises import EnterpriseService
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.pool_summary import POOLS
from lvqi_desktop.services.returns.pool_summary import pool_counts
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import year_period

log = logging.getLogger(__name__)

REVENUE_FIELD = "revenue_ytd"  # 营业收入（本年累计）, the figure the monitoring summary reports year on year
TREND_MONTHS = 6
WORKERS = 4  # parts waiting on SQLite overlap; Python-heavy parts share the GIL


@dataclass(frozen=True)
class TargetFigure:
    metric: str
    label: str
    unit: str
    target: int
    achieved: float | None
    percent: float | None


@dataclass(frozen=True)
class PoolFlow:
    pool: str
    name: str
    in_pool: int
    entered: int
    recognized: int
    left: int


@dataclass(frozen=True)
class DemandStatusFigure:
    status: str
    label: str
    total: int
    overdue: int
    gt30: int
    d8_30: int
    le7: int


@dataclass(frozen=True)
class LevelCount:
    level: str
    label: str
    count: int


@dataclass(frozen=True)
class MonthValue:
    period: str  # YYYY-MM
    value: float | None


@dataclass(frozen=True)
class MonitoringFigures:
    period: str  # the month being collected now
    expected: int
    received: int
    on_time: int
    revenue_trend: tuple[MonthValue, ...]  # 营业收入（本年累计）, 万元, oldest first


@dataclass(frozen=True)
class DashboardFigures:
    year: int
    as_of: date
    empty: bool  # nothing to show at all: no enterprise, target, pool record, demand, visit, base or sample
    enterprises: int  # current enterprises in the registry (EnterpriseService.counts)
    targets: tuple[TargetFigure, ...]
    pools: tuple[PoolFlow, ...]
    demands: tuple[DemandStatusFigure, ...]  # lifecycle order, as on the board
    overdue: int
    open_demands: int
    visits_by_month: tuple[int, ...]  # 12 values, January first (() until `complete`)
    enterprises_served: int  # this year to date (KpiService)
    served_target: int | None
    bases: tuple[LevelCount, ...]
    monitoring: MonitoringFigures | None  # None: the monitoring module is not available (or not yet `complete`)
    complete: bool = True  # False: core() only; visits per month and monitoring follow from complete()

    @property
    def visits(self) -> int:
        return sum(self.visits_by_month)


def _monitoring_factory() -> Callable[[Any, Callable[[], str | None], date], MonitoringMonth] | None:
    try:
        from lvqi_desktop.services.monitoring import MonitoringService
        from lvqi_desktop.services.monitoring_rows import due_date
        from lvqi_desktop.services.monitoring_rows import month_of_code
    except Exception:
        log.warning("monitoring module not available; the dashboard leaves it out", exc_info=True)
        return None

    def build(db: Any, office_county: Callable[[], str | None], today: date) -> MonitoringMonth:
        service = MonitoringService(db, office_county, lambda: today)
        code = service.current_due_month()
        p = month_of_code(code)
        return MonitoringMonth(code, p.start, p.end, due_date(code, service.settings().due_day))

    return build


class DashboardService:
    def __init__(self, sources: ReturnSources, office_info: Callable[[], OfficeInfo | None], bases: BaseService,
                 office_county: Callable[[], str | None], enterprises: EnterpriseService) -> None:
        self._sources = sources
        self._enterprises = enterprises
        self._office_info = office_info
        self._bases = bases
        self._office_county = office_county
        self._monitoring = _monitoring_factory()

    @property
    def has_monitoring(self) -> bool:
        return self._monitoring is not None

    def figures(self, year: int, today: date) -> DashboardFigures:
        """Every figure of the dashboard for `year`, judged on `today`: all parts side by side."""
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="dashboard") as pool:
            later = pool.submit(self._complete_parts, pool, year, today)
            core = self._core(pool, year, today)
            return self._completed(core, *later.result())

    def core(self, year: int, today: date) -> DashboardFigures:
        """The quick figures (targets, pools, demands, served, bases) without visits per month and monitoring."""
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="dashboard") as pool:
            return self._core(pool, year, today)

    def complete(self, core: DashboardFigures, today: date) -> DashboardFigures:
        """`core` with visits per month and monitoring added."""
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="dashboard") as pool:
            return self._completed(core, *self._complete_parts(pool, core.year, today))

    def _core(self, pool: ThreadPoolExecutor, year: int, today: date) -> DashboardFigures:
        office = self._office_info()
        period = year_period(year)
        as_of = min(period.end, today)
        pools_job = pool.submit(self._pools, office, period, today)
        targets_job = pool.submit(self._targets, office, year)
        served_job = pool.submit(self._sources.kpi.served, period)
        board = self._sources.demands.board()
        bases = self._bases_by_level()
        current, _archived = self._enterprises.counts()
        targets, pools, (served, served_target) = targets_job.result(), pools_job.result(), served_job.result()
        demands = tuple(DemandStatusFigure(r.status, r.status_label, r.total, r.overdue, r.gt30, r.d8_30, r.le7)
                        for r in board)
        # pool records, demands, visits and monitoring all hang on enterprises: none without one
        empty = (not current and not targets and not any(p.in_pool or p.entered or p.recognized or p.left for p in pools)
                 and not any(d.total for d in demands) and not any(b.count for b in bases))
        return DashboardFigures(year, as_of, empty, current, targets, pools, demands, sum(d.overdue for d in demands),
                                sum(d.le7 + d.d8_30 + d.gt30 for d in demands), (), served, served_target, bases,
                                None, complete=False)

    def _complete_parts(self, pool: ThreadPoolExecutor, year: int,
                        today: date) -> tuple[tuple[int, ...], MonitoringFigures | None]:
        """Visits per month (January first) and the monitoring figures, from aggregate queries."""
        monitoring = pool.submit(self._monitoring_figures, today)
        period = year_period(year)
        with self._sources.db.unit_of_work() as uow:
            visits = uow.dashboard_counts.visits(period.start, period.end)
        return tuple(visits.get(m, 0) for m in range(1, 13)), monitoring.result()

    @staticmethod
    def _completed(core: DashboardFigures, visits: tuple[int, ...],
                   monitoring: MonitoringFigures | None) -> DashboardFigures:
        return replace(core, visits_by_month=visits, monitoring=monitoring, complete=True)

    def _targets(self, office: OfficeInfo | None, year: int) -> tuple[TargetFigure, ...]:
        county = "" if office is None or office.is_city else (office.county_code or "")
        rows = self._sources.targets.progress(county or CITY_CODE, year)  # the scope the pool summary uses
        return tuple(TargetFigure(r.metric, r.metric_label, r.unit, r.target, r.achieved, r.percent) for r in rows)

    def _pools(self, office: OfficeInfo | None, period: Period, today: date) -> tuple[PoolFlow, ...]:
        if office is None:
            return ()
        ctx = ReturnContext(self._sources, period, office, today)
        flows = []
        for code in POOLS:
            pool, counts = pool_counts(ctx, code, period.start, period.end)
            total: Counter[str] = Counter()
            for c in counts.values():
                total.update(c)
            flows.append(PoolFlow(code, pool.name, total["in_pool"], total["entered"],
                                  total["recognized"], total["left"]))
        return tuple(flows)

    def _bases_by_level(self) -> tuple[LevelCount, ...]:
        counts = Counter(r.level for r in self._bases.list_bases())
        return tuple(LevelCount(code, label, counts.get(code, 0)) for code, label in self._bases.level_choices())

    def county_comparison(self, year: int, today: date) -> CountyComparison:
        """City edition: the headline figures per county and for the whole city (各县对比)."""
        return compare_counties(self._sources.db, self._sources.targets, year, today, self.monitoring_month(today))

    def monitoring_month(self, today: date) -> MonitoringMonth | None:
        """The month being collected now; None without the monitoring module."""
        if self._monitoring is None:
            return None
        return self._monitoring(self._sources.db, self._office_county, today)

    def _monitoring_figures(self, today: date) -> MonitoringFigures | None:
        try:
            month = self.monitoring_month(today)
            if month is None:
                return None
            county = self._office_county() or ""
            with self._sources.db.unit_of_work() as uow:
                counts = uow.dashboard_counts
                per_county = counts.monitoring(month.code, month.start, month.end, month.due)
                months = _months_back(month.code, TREND_MONTHS)
                totals = counts.monitored_totals(REVENUE_FIELD, months, county)
            trend = [MonthValue(code, totals[code][0] / 1_000_000 if totals.get(code, (0, 0))[1] else None)
                     for code in months]
        except Exception:
            log.exception("monitoring figures for the dashboard failed")
            return None
        expected, received, on_time = (sum(v[i] for c, v in per_county.items() if not county or c == county)
                                       for i in range(3))
        return MonitoringFigures(month.code, expected, received, on_time, tuple(trend))


def _months_back(period: str, count: int) -> list[str]:
    year, month = int(period[:4]), int(period[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]
