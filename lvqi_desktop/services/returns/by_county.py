"""The city edition's returns: each catalogue return built once per county and assembled by county, plus 全市合计."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal
from functools import partial

from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext

COUNTY_COLUMN = Column("county", "县（市、区）", "text", 12)
CITY_TOTAL = "全市合计"
Where = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Pick:
    """A city column: `measure` of a county return summed over its lines of `line_kind` matching `where`."""

    key: str
    header: str
    measure: str
    where: Where = ()
    line_kind: str = DATA
    kind: str = ""  # the measure's own kind unless given


@dataclass(frozen=True)
class Rate:
    """A percent column recomputed from two picked columns of the same row (never summed)."""

    key: str
    header: str
    part: str
    whole: str


@dataclass(frozen=True)
class Spread:
    """Columns for each value of column `by` among a return's lines matching `where` (in the city total's order).

    With several measures each value gets a header group of its own; with `group` set (one measure) the values
    become the sub-headers of one group of that title.
    """

    by: str
    measures: tuple[str, ...]
    where: Where = ()
    group: str = ""
    headers: tuple[str, ...] = ()  # short sub-headers for the measures (the unit then goes in `unit`)
    unit: str = ""  # appended to each value's group title, e.g. "（家）"


@dataclass(frozen=True)
class CountySummary:
    """A summary return for the city: one row per county and 全市合计, columns picked from each county's lines."""

    parts: tuple[Pick | Rate | Spread, ...]
    header_groups: tuple[HeaderGroup, ...] = ()
    footnotes: tuple[str, ...] | None = None  # replaces the county return's notes when given
    keep_built_notes: bool = True  # the whole-city run's own notes (e.g. which month) are printed too


@dataclass(frozen=True)
class CountyLedger:
    """A ledger for the city: a leading county column, lines grouped by county, each closed by its own total."""

    footnotes: tuple[str, ...] = ()


LEDGER = CountyLedger()
Layout = CountySummary | CountyLedger
Builder = Callable[[ReturnContext], BuiltReturn]


def _counties(ctx: ReturnContext) -> tuple[tuple[str, str], ...]:
    """The counties (code, name) in code order."""
    def load() -> tuple[tuple[str, str], ...]:
        with ctx.sources.db.unit_of_work() as uow:
            return tuple((c.code, c.name) for c in uow.reference.counties())
    return ctx.shared_all("by_county:counties", load)


def _claims(ctx: ReturnContext) -> dict[str, frozenset[int]]:
    """The enterprise ids each county holds (archived or not), read once per export and only for the returns
    that narrow by firm (the pool returns split their own records by county)."""
    def load() -> dict[str, frozenset[int]]:
        held: dict[str, set[int]] = {}
        with ctx.sources.db.unit_of_work() as uow:
            for enterprise_id, county in uow.return_sources.enterprise_counties():
                held.setdefault(county or "", set()).add(enterprise_id)
        return {code: frozenset(ids) for code, ids in held.items()}
    return ctx.shared_all("by_county:claims", load)


class _CountyFirms(AbstractSet[int]):
    """One county's enterprise ids, read (for all counties at once) the first time a builder asks."""

    def __init__(self, ctx: ReturnContext, code: str) -> None:
        self._ctx, self._code = ctx, code

    def _ids(self) -> frozenset[int]:
        return _claims(self._ctx).get(self._code, frozenset())

    def __contains__(self, item: object) -> bool:
        return item in self._ids()

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())


def build_by_county(definition: ReturnDefinition, build: Builder, layout: Layout, ctx: ReturnContext,
                    check: Callable[[], None] = lambda: None) -> tuple[ReturnDefinition, BuiltReturn]:
    """The city version of a return: its builder run for each county and for the whole city, then assembled.

    `check` runs before each county (a cancel raises there).
    """
    per_county = []
    for code, name in _counties(ctx):  # each county's copy is kept, so its look-ups serve every return
        check()
        narrowed = ctx.shared_all(f"by_county:{code}", partial(ctx.for_county, code, _CountyFirms(ctx, code)))
        per_county.append((name, build(narrowed)))
    check()
    total = build(ctx.shared_all("by_county:city", ctx.whole_city))
    if isinstance(layout, CountySummary):
        return _summary(definition, layout, per_county, total)
    return _ledger(definition, layout, per_county, total)


# ---- summaries
@dataclass(frozen=True)
class _Col:
    column: Column
    part: Pick | Rate


def _match(definition: ReturnDefinition, line: ReturnLine, where: Where, kind: str) -> bool:
    return line.kind == kind and all(line.values[definition.index(k)] == v for k, v in where)


def _columns(definition: ReturnDefinition, layout: CountySummary,
             total: BuiltReturn) -> tuple[list[_Col], list[HeaderGroup]]:
    cols: list[_Col] = []
    groups = list(layout.header_groups)
    for part in layout.parts:
        if isinstance(part, Spread):
            at = definition.index(part.by)
            values = list(dict.fromkeys(line.values[at] for line in total.lines
                                        if _match(definition, line, part.where, DATA)))
            first = len(cols)
            for n, value in enumerate(values):
                start = len(cols)
                for i, m in enumerate(part.measures):
                    base = definition.columns[definition.index(m)]
                    header = str(value) if part.group else (part.headers[i] if part.headers else base.header)
                    cols.append(_Col(replace(base, key=f"{part.by}{n}:{m}", header=header, total=False),
                                     Pick("", "", m, (*part.where, (part.by, value)))))
                if not part.group:
                    groups.append(HeaderGroup(f"{value}{part.unit}", cols[start].column.key, cols[-1].column.key))
            if part.group and len(cols) > first:
                groups.append(HeaderGroup(part.group, cols[first].column.key, cols[-1].column.key))
        elif isinstance(part, Pick):
            base = definition.columns[definition.index(part.measure)]
            cols.append(_Col(replace(base, key=part.key, header=part.header, kind=part.kind or base.kind,
                                     total=False), part))
        else:
            cols.append(_Col(Column(part.key, part.header, "percent", 9), part))
    return cols, groups


def _pick(definition: ReturnDefinition, column: Column, pick: Pick, built: BuiltReturn) -> object:
    at = definition.index(pick.measure)
    values = [line.values[at] for line in built.lines if _match(definition, line, pick.where, pick.line_kind)]
    numbers = [v for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
    if column.kind == "percent":
        return numbers[0] if len(values) == 1 and numbers else None  # one line's own rate; never a sum
    if not numbers:
        return 0 if column.kind == "count" else None
    value = sum(numbers, Decimal(0)) if any(isinstance(v, Decimal) for v in numbers) else sum(numbers)
    return int(value) if column.kind == "count" else value


def _row(definition: ReturnDefinition, cols: list[_Col], built: BuiltReturn) -> list[object]:
    values: dict[str, object] = {}
    for c in cols:
        if isinstance(c.part, Pick):
            values[c.column.key] = _pick(definition, c.column, c.part, built)
    for c in cols:
        if isinstance(c.part, Rate):
            part, whole = values.get(c.part.part), values.get(c.part.whole)
            values[c.column.key] = float(part) / float(whole) if whole and part is not None else None  # type: ignore[arg-type]
    return [values[c.column.key] for c in cols]


def _dedup_note(cols: list[_Col], rows: list[list[object]], city: list[object]) -> tuple[str, ...]:
    gaps = [sum(r[i] for r in rows) - city[i] for i, c in enumerate(cols)  # type: ignore[misc,operator]  # count columns hold ints
            if c.column.kind == "count" and isinstance(city[i], int)]
    gap = max(gaps, default=0)
    if gap <= 0:
        return ()
    return (f"同一企业（统一社会信用代码相同）被两个及以上县（市、区）填报的，全市合计只计一次，"
            f"故全市合计少于各县（市、区）之和（去重 {gap:,} 家）。",)


def _summary(definition: ReturnDefinition, layout: CountySummary,
             per_county: Sequence[tuple[str, BuiltReturn]], total: BuiltReturn) -> tuple[ReturnDefinition, BuiltReturn]:
    cols, groups = _columns(definition, layout, total)
    city = replace(definition, columns=(COUNTY_COLUMN, *(c.column for c in cols)), header_groups=tuple(groups),
                   numbered=False, group_column=None, totals=True, record_column="county", frozen_columns=1,
                   footnotes=definition.footnotes if layout.footnotes is None else layout.footnotes)
    rows = [_row(definition, cols, built) for _name, built in per_county]
    city_row = _row(definition, cols, total)
    lines = tuple(ReturnLine((name, *row), DATA, name) for (name, _b), row in zip(per_county, rows, strict=True))
    notes = ("各县（市、区）按本县数据分别汇总，全市合计按全市数据汇总；比率按汇总后的分子、分母重新计算。",
             *(total.footnotes if layout.keep_built_notes else ()), *_dedup_note(cols, rows, city_row))
    return city, BuiltReturn(lines, ReturnLine((CITY_TOTAL, *city_row), TOTAL), notes)


# ---- ledgers
def _as_subtotal(values: Sequence[object]) -> tuple[object, ...]:
    return tuple(f"小计{v[2:]}" if isinstance(v, str) and v.startswith("合计") else v for v in values)


def _ledger(definition: ReturnDefinition, layout: CountyLedger,
            per_county: Sequence[tuple[str, BuiltReturn]], total: BuiltReturn) -> tuple[ReturnDefinition, BuiltReturn]:
    city = replace(definition, columns=(COUNTY_COLUMN, *definition.columns), group_column="county",
                   frozen_columns=definition.frozen_columns + 1, footnotes=definition.footnotes + layout.footnotes)
    lines: list[ReturnLine] = []
    for name, built in per_county:
        data = [line for line in built.lines if line.kind == DATA]
        if not data:
            continue
        lines += [ReturnLine((name, *line.values), DATA, line.record) for line in data]
        if built.totals is not None:
            lines.append(ReturnLine((name, *_as_subtotal(built.totals.values)), SUBTOTAL))
    totals = None if total.totals is None else ReturnLine(("全市", *total.totals.values), TOTAL)
    gap = sum(1 for line in lines if line.kind == DATA) - sum(1 for line in total.lines if line.kind == DATA)
    notes = total.footnotes
    if gap > 0 and totals is not None:
        notes += (f"同一企业（统一社会信用代码相同）被两个及以上县（市、区）填报的，全市合计只计一次"
                  f"（去重 {gap:,} 家），故全市合计少于各县（市、区）小计之和。",)
    return city, BuiltReturn(tuple(lines), totals, notes)
