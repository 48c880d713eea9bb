"""Service KPIs per period, computed in this one place for the dashboard, the CLI and the returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.models.demands import SATISFIED
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.period import year_period


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class KpiFigures:
    """The KPIs of one period. Counts are flows within the period:

    - enterprises_served: distinct enterprises visited or with a demand received in the period
      (enterprises_served_ytd: the same from 1 January to the period's end, compared with the yearly target);
    - received: demands received in the period;
    - closed: demands closed (办结 or 已解释, incl. signed off) in the period and still closed;
      resolved / explained split them; closed_on_time judges the FIRST closing against the due date;
      closed_after_reopen: of the closed, those reopened at least once;
    - followed_up: demands followed up in the period (latest follow-up each); satisfied = 满意 + 基本满意.
    Rates are None when their denominator is 0.
    """

    period_code: str
    period_label: str
    start: date
    end: date
    enterprises_served: int
    enterprises_served_ytd: int
    served_target: int | None
    received: int
    closed: int
    resolved: int
    explained: int
    closed_on_time: int
    closed_after_reopen: int
    followed_up: int
    satisfied: int
    unsatisfied: int

    @property
    def served_progress(self) -> float | None:
        """Year-to-date enterprises served ÷ the yearly target."""
        return None if not self.served_target else self.enterprises_served_ytd / self.served_target

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 = closed_on_time ÷ closed."""
        return _rate(self.closed_on_time, self.closed)

    @property
    def resolution_rate(self) -> float | None:
        """化解率 = resolved ÷ closed (closings that solved the problem rather than explained it)."""
        return _rate(self.resolved, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 = (满意 + 基本满意) ÷ followed up."""
        return _rate(self.satisfied, self.followed_up)


class KpiService:
    def __init__(self, db: Database, office_code: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_code = office_code
        self._today = today

    def period(self, code: str) -> Period:
        """Parse a period code (ValidationFailed with a Chinese message when bad or in the future)."""
        return parse_period(code, self._today())

    def kpis(self, period: str | Period, served_target: int | None = None, county_code: str = "") -> KpiFigures:
        """The KPIs of `period` (of one county's enterprises when the city gives `county_code`); the target is
        read from the targets table unless given: the office's, or the chosen county's."""
        if isinstance(period, str):
            period = self.period(period)
        ytd = year_period(period.year)
        c = county_code
        with self._db.unit_of_work() as uow:
            flows = uow.demands.flow_counts(period.start, period.end, c)
            satisfactions = uow.demands.latest_follow_ups(period.start, period.end, c)
            served = uow.demands.served_enterprises(period.start, period.end, c)
            served_ytd = served if period.kind == "year" else uow.demands.served_enterprises(ytd.start, period.end, c)
            if served_target is None:
                served_target = (uow.demands.served_target(c, period.year) if c
                                 else self._served_target(uow, period.year))
        satisfied = sum(1 for s in satisfactions if s in SATISFIED)
        return KpiFigures(period.code, period.label, period.start, period.end, served, served_ytd, served_target,
                          int(flows.received), int(flows.closed), int(flows.resolved), int(flows.explained),
                          int(flows.closed_on_time), int(flows.closed_after_reopen), len(satisfactions), satisfied,
                          sum(1 for s in satisfactions if s == "unsatisfied"))

    def served(self, period: str | Period) -> tuple[int, int | None]:
        """(enterprises served from 1 January to the period's end, the yearly target): as kpis() counts them."""
        if isinstance(period, str):
            period = self.period(period)
        with self._db.unit_of_work() as uow:
            return (uow.demands.served_enterprises(year_period(period.year).start, period.end),
                    self._served_target(uow, period.year))

    def _served_target(self, uow: UnitOfWork, year: int) -> int | None:
        office = self._office_code()
        return uow.demands.served_target(office, year) if office else None
