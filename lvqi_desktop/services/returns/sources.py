"""Which county packages a city return was computed from: per county the package's sequence and fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import date

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.models.exchange import DECISION_REJECTED
from lvqi_desktop.models.exchange import RECEIVED_CURRENT
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.services.returns.by_county import CITY_TOTAL
from lvqi_desktop.services.returns.by_county import COUNTY_COLUMN
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period

_ANY_DAY = date(9999, 12, 31)


def _period(code: str) -> Period | None:
    try:
        return parse_period(code, _ANY_DAY)
    except ValidationFailed:
        return None


def _covers(code: str, period: Period) -> bool:
    got = _period(code)
    return got is not None and got.start <= period.end and got.end >= period.start


NOT_SENT = "未报送"


@dataclass(frozen=True)
class CountySources:
    """For a city return: notes naming each county's package (第 N 号, fingerprint), and the counties with none."""

    notes: tuple[str, ...]
    missing: tuple[str, ...]  # county names without an accepted package for the period

    def mark(self, definition: ReturnDefinition, built: BuiltReturn) -> BuiltReturn:
        """In a summary with a row per county: 未报送 on a missing county's row, and 全市合计 says how many."""
        summary = definition.group_column is None and not definition.numbered  # a ledger is grouped by county
        if not self.missing or not summary or not definition.columns or definition.columns[0] != COUNTY_COLUMN:
            return built
        blank = (None,) * (len(definition.columns) - 2)
        lines = tuple(replace(line, values=(line.values[0], NOT_SENT, *blank))
                      if line.kind == DATA and line.values[0] in self.missing else line for line in built.lines)
        totals = built.totals
        if totals is not None and totals.values[0] == CITY_TOTAL:
            label = f"{CITY_TOTAL}（{len(self.missing)} 个县区未报送）"
            totals = replace(totals, values=(label, *totals.values[1:]))
        return replace(built, lines=lines, totals=totals)


def county_sources(uow: UnitOfWork, period: Period) -> CountySources:
    """Per county the newest package its data comes from (period, 第 N 号, fingerprint), and the counties with no
    accepted package for `period`."""
    counties = {code: name for code, name in uow.exchange_log.counties().items() if code != CITY_CODE}
    kept = [r for r in uow.exchange_log.all_received()
            if r.status == RECEIVED_CURRENT and r.receipt_decision != DECISION_REJECTED]
    newest = {r.county_code: r for r in sorted(kept, key=lambda r: (r.period, r.sequence))}
    used = []
    for code, name in counties.items():
        if (r := newest.get(code)) is not None:
            label = got.label if (got := _period(r.period)) else r.period
            used.append(f"{name} {label}第 {r.sequence} 号（{short_fingerprint(r.fingerprint)}）")
    missing = [name for code, name in counties.items()
               if not any(r.county_code == code and _covers(r.period, period) for r in kept)]
    notes = []
    if used:
        notes.append(f"本表依据各县（市、区）报送包汇总：{'；'.join(used)}。")
    if missing:
        notes.append(f"未报送{period.label}报送包（{len(missing)} 个）：{'、'.join(missing)}；"
                     "全市合计中这些县（市、区）只含此前报送包中的数据（如有）。")
    return CountySources(tuple(notes), tuple(missing))
