"""What a return builder reads from: the period, the office, the other services, and shared look-ups of one export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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
    """One export: the period, the office, 'today', and a cache so two returns share a look-up."""

    sources: ReturnSources
    period: Period
    office: OfficeInfo
    today: date
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def county(self) -> str:
        """The office's county code; '' for the city center (all counties)."""
        return "" if self.office.is_city else (self.office.county_code or "")

    @property
    def as_of(self) -> date:
        """The day a return's state is judged on: the period's last day, or today for the running period."""
        return min(self.period.end, self.today)

    def shared(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]


@dataclass(frozen=True)
class BuiltReturn:
    """What a builder returns: the table lines, the totals line, and notes for this period."""

    lines: tuple[ReturnLine, ...]
    totals: ReturnLine | None = None
    footnotes: tuple[str, ...] = ()
