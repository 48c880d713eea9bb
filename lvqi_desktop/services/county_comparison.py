"""The city edition's per-county comparison (各县对比): the dashboard's headline figures with a row per county.

Every figure is counted by the code behind the dashboard tiles: tiers by TargetService.tier_standing (progress()'s
counting), and the rest by the GROUP BY county aggregates in storage/repositories/dashboard_counts.py that the
tiles use (the 全市 row equals the tiles on a city database; tests hold that). The reporting period for packages
is the last finished quarter, due by the 10th of the following month (ExchangeService.submission_status).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import TypeVar

from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.services.exchange.service import package_deadline  # noqa: F401 - the page reads it from here
from lvqi_desktop.services.targets import TargetService
from lvqi_desktop.services.targets import TierStanding
from lvqi_desktop.storage.repositories.dashboard_counts import DashboardCounts
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import quarter_of
from lvqi_desktop.validation.period import year_period

CITY_LABEL = "全市"
WORKERS = 4  # the slow counts each wait on the server (or on SQLite, which releases the GIL)
_T = TypeVar("_T")


@dataclass(frozen=True)
class MonitoringMonth:
    """The monitoring month being collected now (MonitoringService.current_due_month), its dates and due date."""

    code: str
    start: date
    end: date
    due: date


@dataclass(frozen=True)
class CountyFigures:
    county_code: str  # 141100 for the 全市 row
    county_name: str
    enterprises: int
    tiers: tuple[TierStanding, ...]  # TIER_METRICS order
    open_demands: int
    overdue: int
    visits: int  # this year to date
    monitoring_expected: int
    monitoring_received: int
    bases: int

    @property
    def is_total(self) -> bool:
        return self.county_code == CITY_CODE

    @property
    def monitoring_percent(self) -> float | None:
        """运行监测报送率: received ÷ expected for the month being collected (None: no sample)."""
        if not self.monitoring_expected:
            return None
        return round(self.monitoring_received * 100 / self.monitoring_expected, 1)


@dataclass(frozen=True)
class CountyComparison:
    year: int
    as_of: date
    monitoring_period: str  # '' when monitoring is not available
    rows: tuple[CountyFigures, ...]  # county-code order
    total: CountyFigures  # 全市
    cross_county_firms: int = 0  # USCCs two counties both hold: in both rows and twice in 全市 until resolved

    @property
    def empty(self) -> bool:
        """Nothing to compare yet: no enterprise, demand, visit, monitored firm or base in any county."""
        t = self.total
        return not (t.enterprises or t.open_demands or t.visits or t.monitoring_expected or t.bases
                    or any(x.achieved or x.target for x in t.tiers))


def package_period(today: date) -> Period:
    """The reporting period packages are chased for: the last finished quarter."""
    return quarter_of(quarter_of(today).start - timedelta(days=1))


def compare_counties(db: Database, targets: TargetService, year: int, today: date,
                     month: MonitoringMonth | None) -> CountyComparison:
    """Every county's headline figures for `year` on `today`, and the 全市 total. The counts are independent
    reads, so the slow ones (each a scan of a big table on the province's server) run side by side."""
    period = year_period(year)
    as_of = min(period.end, today)
    with db.unit_of_work() as uow:
        counties = [(c.code, c.name) for c in uow.reference.counties() if c.code != CITY_CODE]
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="county-comparison") as pool:
        tiers_job = pool.submit(targets.tier_standing, [*(code for code, _ in counties), CITY_CODE], year)
        doubled_job = pool.submit(_count, db, DashboardCounts.cross_county_firms)
        visits_job = pool.submit(_count, db, lambda c: c.visits_by_county(period.start, as_of))
        demands_job = pool.submit(_count, db, lambda c: c.demands(today))
        figures = _counted(db, visits_job, demands_job, month)
        tiers, doubled = tiers_job.result(), doubled_job.result()
    rows = tuple(_row(code, name, figures, tiers[code]) for code, name in counties)
    total = _total(tiers[CITY_CODE], figures)
    return CountyComparison(year, as_of, month.code if month else "", rows, total, doubled)


def _count(db: Database, read: Callable[[DashboardCounts], _T]) -> _T:
    """One aggregate read in a unit of work of its own (a thread's)."""
    with db.unit_of_work() as uow:
        return read(uow.dashboard_counts)


@dataclass(frozen=True)
class Counted:
    """The dashboard's counts, each keyed by county code."""

    enterprises: dict[str, int]
    demands: dict[str, tuple[int, int]]  # (open, overdue)
    visits: dict[str, int]
    monitoring: dict[str, tuple[int, int, int]]  # (expected, received, on time)
    bases: dict[str, int]


def _counted(db: Database, visits_job: Future[dict[str, int]],
             demands_job: Future[dict[str, tuple[int, int]]], month: MonitoringMonth | None) -> Counted:
    """The quick counts read here, with the visits and demands counted in other threads."""
    with db.unit_of_work() as uow:
        counts = uow.dashboard_counts
        monitoring = counts.monitoring(month.code, month.start, month.end, month.due) if month else {}
        enterprises, bases = counts.enterprises(), counts.bases()
    return Counted(enterprises, demands_job.result(), visits_job.result(), monitoring, bases)


def _row(code: str, name: str, c: Counted, tiers: list[TierStanding]) -> CountyFigures:
    open_, overdue = c.demands.get(code, (0, 0))
    expected, received, _on_time = c.monitoring.get(code, (0, 0, 0))
    return CountyFigures(code, name, c.enterprises.get(code, 0), tuple(tiers), open_, overdue,
                         c.visits.get(code, 0), expected, received, c.bases.get(code, 0))


def _total(tiers: list[TierStanding], c: Counted) -> CountyFigures:
    """The 全市 row: sums over every county in the data (also one not in the reference list), city-wide tiers."""
    def every(values: Iterable[tuple[int, ...]], index: int) -> int:
        return sum(v[index] for v in values)

    return CountyFigures(CITY_CODE, CITY_LABEL, sum(c.enterprises.values()), tuple(tiers),
                         every(c.demands.values(), 0), every(c.demands.values(), 1), sum(c.visits.values()),
                         every(c.monitoring.values(), 0), every(c.monitoring.values(), 1), sum(c.bases.values()))
