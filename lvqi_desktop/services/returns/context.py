"""What a return builder reads from: the period, the office, the other services, and shared look-ups of one export."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any
from typing import TypeVar

from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.targets import TargetService
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.period import Period

FEN_PER_WAN = Decimal(1_000_000)
CENT = Decimal("0.01")


def wan(fen: int | None) -> Decimal | None:
    """分 → 万元 rounded to two decimals, so printed lines add up to the printed total."""
    return None if fen is None else (Decimal(fen) / FEN_PER_WAN).quantize(CENT, ROUND_HALF_UP)


def year_month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


_T = TypeVar("_T")

@dataclass(frozen=True)
class ReturnSources:
    """Dependencies of the builders; services are the same objects the pages use."""

    db: Database
    kpi: KpiService
    targets: TargetService
    demands: DemandService
    visits: VisitService


@dataclass
class ReturnContext:
    """One export: the period, the office, 'today', and a cache so two returns share a look-up.

    The city's by-county returns run the same builders on a copy narrowed to one county (`for_county`):
    `county_code` overrides the office's county and `firms` holds that county's enterprise ids (for the
    builders that read whole-database services). `dedup` marks the whole-city run whose firm counts keep one
    record per USCC. `common` holds county-independent look-ups shared by all the copies of one export.
    """

    sources: ReturnSources
    period: Period
    office: OfficeInfo
    today: date
    cache: dict[str, Any] = field(default_factory=dict)
    county_code: str | None = None
    firms: AbstractSet[int] | None = None
    dedup: bool = False
    common: dict[str, Any] = field(default_factory=dict)

    @property
    def county(self) -> str:
        """The county the return covers: the override, else the office's county; '' for the whole city."""
        if self.county_code is not None:
            return self.county_code
        return "" if self.office.is_city else (self.office.county_code or "")

    @property
    def narrowed(self) -> bool:
        """True when the builders must keep only `firms` (a county of the city's by-county returns)."""
        return self.firms is not None

    def covers(self, enterprise_id: int | None) -> bool:
        """Whether a record of this enterprise belongs in the return."""
        return self.firms is None or enterprise_id in self.firms

    def for_county(self, county: str, firms: AbstractSet[int]) -> ReturnContext:
        """A copy covering one county of the city (own cache, shared county-independent look-ups)."""
        return replace(self, cache={}, county_code=county, firms=firms, dedup=False)

    def whole_city(self) -> ReturnContext:
        """A copy covering the whole city with firm counts de-duplicated by USCC (the city total)."""
        return replace(self, cache={}, county_code="", firms=None, dedup=True)

    def shared_all(self, key: str, load: Callable[[], _T]) -> _T:
        """A look-up that does not depend on the county, loaded once for all copies of this export."""
        if key not in self.common:
            self.common[key] = load()
        value: _T = self.common[key]
        return value

    @property
    def as_of(self) -> date:
        """The day a return's state is judged on: the period's last day, or today for the running period."""
        return min(self.period.end, self.today)

    def shared(self, key: str, load: Callable[[], _T]) -> _T:
        if key not in self.cache:
            self.cache[key] = load()
        value: _T = self.cache[key]
        return value


@dataclass(frozen=True)
class BuiltReturn:
    """What a builder returns: the table lines, the totals line, and notes for this period."""

    lines: tuple[ReturnLine, ...]
    totals: ReturnLine | None = None
    footnotes: tuple[str, ...] = ()
