"""The four pool ledgers (专精特新 · 小升规 · 股改 · 上市挂牌后备): one line per firm in the pool during the period."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.pool_state import RecordAt
from lvqi_desktop.services.pool_state import TimelineStep
from lvqi_desktop.services.pool_state import in_pool_during
from lvqi_desktop.services.pool_state import record_at
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import wan
from lvqi_desktop.storage.repositories.rows import AnyRow

STATUS_NOTE = ("层级、培育状态为期末（本期未结束的为导出当日）按时间线的状态；列出期末在库的企业和本期内退库、移出或"
               "完成培育（已入统、奖补兑现等）的企业，与《梯度培育企业汇总表》逐项对应。")

_FIRM = (
    Column("name", "企业名称", "text", 28),
    Column("uscc", "统一社会信用代码", "text", 20, as_text=True),
    Column("township", "乡镇（街道）", "text", 12),
    Column("section", "行业门类", "text", 14),
)
_TAIL = (
    Column("responsible", "责任人", "text", 8),
    Column("follow_up", "最近跟进日期", "date", 11),
    Column("notes", "备注", "text", 24, wrap=True),
)


def _ledger_definition(code: str, title: str, description: str, own: tuple[Column, ...]) -> ReturnDefinition:
    """A pool ledger's definition: the firm's columns, the pool's own, then the follow-up columns; summed, one line
    a firm, the status note below."""
    return ReturnDefinition(code, title, description, _FIRM + own + _TAIL,
                            totals=True, record_column="name", frozen_columns=1, footnotes=(STATUS_NOTE,))


SRDI_LEDGER = _ledger_definition(
    "srdi_ledger", "专精特新企业培育库台账",
    "专精特新梯度培育库企业逐户台账：当前层级、状态、认定日期与文号、有效期、培育目标和责任人。",
    (
        Column("tier", "当前层级", "text", 16),
        Column("status", "培育状态", "text", 8),
        Column("entered", "入库日期", "date", 11),
        Column("recognized", "认定日期", "date", 11),
        Column("valid", "有效期至", "date", 11),
        Column("document", "认定文号", "text", 16, as_text=True),
        Column("target", "培育目标", "text", 16),
    ),
)
SCALE_UP_LEDGER = _ledger_definition(
    "scale_up_ledger", "小升规企业培育库台账",
    "小升规培育库企业逐户台账：培育状态、最近年度营业收入和从业人员、入统年月、责任人。",
    (
        Column("status", "培育状态", "text", 10),
        Column("entered", "入库日期", "date", 11),
        Column("year", "最近年度", "year", 7),
        Column("revenue", "营业收入（万元）", "money", 13, total=True),
        Column("employees", "从业人员（人）", "count", 9, total=True),
        Column("since", "入统年月", "text", 9, as_text=True),
        Column("target", "计划入统年份", "year", 8),
    ),
)
SHARE_REFORM_LEDGER = _ledger_definition(
    "share_reform_ledger", "规范化股份制改造企业培育库台账",
    "规范化股份制改造培育库企业逐户台账：改制进度、县级初审和市级复核日期、完成日期、奖补金额。",
    (
        Column("status", "改制进度", "text", 14),
        Column("entered", "入库日期", "date", 11),
        Column("county_review", "县级初审日期", "date", 11),
        Column("city_review", "市级复核日期", "date", 11),
        Column("completed", "完成股改日期", "date", 11),
        Column("subsidy", "奖补金额（万元）", "money", 11, total=True),
    ),
)
LISTING_LEDGER = _ledger_definition(
    "listing_reserve_ledger", "上市挂牌后备企业台账",
    "上市挂牌后备企业资源库逐户台账：后备层级、状态、挂牌或上市情况及日期、培育目标。",
    (
        Column("tier", "后备层级", "text", 12),
        Column("status", "入库状态", "text", 8),
        Column("entered", "入库日期", "date", 11),
        Column("venue", "挂牌/上市情况", "text", 18),
        Column("listed", "挂牌/上市日期", "date", 11),
        Column("target", "培育目标", "text", 14),
    ),
)


def _status(pool: PoolDef, r: RecordAt, end: date) -> str:
    label = pool.status_label(r.status)
    return f"{label}（已移出）" if r.archived_on is not None and r.archived_on <= end else label


def _target(pool: PoolDef, r: RecordAt) -> str:
    tier = pool.tier_label(r.target_tier) if r.target_tier else ""
    year = f"{r.target_year}年" if r.target_year else ""
    return f"{year}{'达到' if year and tier else ''}{tier}"


def _section(r: RecordAt) -> str:
    return f"{r.industry_section} {r.section_name}" if r.section_name else ""


def _firm(r: RecordAt) -> tuple[object, ...]:
    return r.name, r.uscc, r.township_name or "", _section(r)


def _tail(r: RecordAt) -> tuple[object, ...]:
    return r.responsible_person, r.last_follow_up_on, r.notes


def _srdi(pool: PoolDef, catalog: PoolCatalog, r: RecordAt, end: date, names: str | None) -> tuple[object, ...]:
    return (*_firm(r), pool.tier_label(r.tier, names), _status(pool, r, end), r.entered_on,
            r.recognized_on, r.valid_until, r.document_no, _target(pool, r), *_tail(r))


def _scale_up(pool: PoolDef, catalog: PoolCatalog, r: RecordAt, end: date, names: str | None) -> tuple[object, ...]:
    return (*_firm(r), _status(pool, r, end), r.entered_on, r.latest_year, wan(r.latest_revenue_fen),
            r.latest_employees, r.above_scale_since or "", r.target_year, *_tail(r))


def _share_reform(pool: PoolDef, catalog: PoolCatalog, r: RecordAt, end: date, names: str | None) -> tuple[object, ...]:
    return (*_firm(r), _status(pool, r, end), r.entered_on, r.county_review_on, r.city_review_on,
            r.completed_on, wan(r.subsidy_fen), *_tail(r))


def _listing(pool: PoolDef, catalog: PoolCatalog, r: RecordAt, end: date, names: str | None) -> tuple[object, ...]:
    venue = catalog.venue_label(r.listing_venue) if r.listing_venue else ""
    return (*_firm(r), pool.tier_label(r.tier), _status(pool, r, end), r.entered_on, venue,
            r.listed_on, _target(pool, r), *_tail(r))


def terminal_statuses(pool: PoolDef) -> frozenset[str]:
    """The statuses that end a firm's cultivation in `pool` (已入统, 奖补兑现 …)."""
    return frozenset(code for code, status in pool.statuses.items() if status.terminal)


def _load_records(ctx: ReturnContext, pool_code: str, county: str) -> tuple[PoolCatalog, list[RecordAt]]:
    """The pool's records of `county` ('' for all) entered by `ctx.as_of`, each as it stood that day."""
    day = ctx.as_of
    with ctx.sources.db.unit_of_work() as uow:
        source = uow.return_sources
        rows = source.pool_rows(pool_code, county, day)
        steps: dict[int, list[TimelineStep]] = {}
        for record_id, kind, effective_on, happened_at, to_tier, to_status in source.pool_timelines(
                pool_code, county, day):
            found = steps.get(record_id)
            if found is None:
                found = steps[record_id] = []
            found.append(TimelineStep(kind, effective_on or happened_at.date(), to_tier, to_status))
        catalog = uow.pools.catalog()
    for found in steps.values():
        found.sort(key=lambda s: s.on)  # stable: same-day rows keep the order they were made in
    return catalog, [record_at(r, steps.get(r.id, ()), day) for r in rows]


def pool_rows(ctx: ReturnContext, pool_code: str) -> tuple[PoolCatalog, Sequence[RecordAt]]:
    """The catalog and the pool's records entered by the day the return is judged on (`ctx.as_of`), each as it
    stood that day by its timeline (the ledgers; the summary and the start page count the same in SQL:
    pool_summary.pool_counts).

    The city's by-county copies and the whole-city copy share one load of all the city's records, split here by
    county (one query per pool, not one per county)."""
    def load() -> tuple[PoolCatalog, Sequence[RecordAt]]:
        if ctx.county and not ctx.narrowed:  # a county's own edition: its records only
            return _load_records(ctx, pool_code, ctx.county)
        catalog, every, by_county = ctx.shared_all(f"pool_all:{pool_code}", lambda: _city_records(ctx, pool_code))
        if ctx.county:
            return catalog, by_county.get(ctx.county, [])
        return catalog, one_per_firm(every) if ctx.dedup else every
    return ctx.shared(f"pool:{pool_code}", load)


def _city_records(ctx: ReturnContext, pool_code: str) -> tuple[PoolCatalog, list[RecordAt], dict[str, list[RecordAt]]]:
    """All the city's records of the pool, and the same split by county (each county's in the same order)."""
    catalog, every = _load_records(ctx, pool_code, "")
    by_county: dict[str, list[RecordAt]] = {}
    for r in every:
        by_county.setdefault(r.county_code or "", []).append(r)
    return catalog, every, by_county


def tier_names(ctx: ReturnContext) -> tuple[str | None, str]:
    """(code, document) of the SRDI rule set in force at the period's end: one return names every tier under it
    (创新型中小企业 before 2026-04-01, 科技和创新型中小企业 after), whatever rules a record was assessed under."""
    def load() -> tuple[str | None, str]:
        with ctx.sources.db.unit_of_work() as uow:
            sets = [(r.applies_from, r.code, r.document) for r in uow.tier_data.rule_sets()]
        usable = [s for s in sets if s[0] <= ctx.period.end.isoformat()] or sets[:1]
        return (max(usable)[1], max(usable)[2]) if usable else (None, "")
    return ctx.shared_all("tier_names", load)


def tier_names_note(ctx: ReturnContext) -> str:
    document = tier_names(ctx)[1]
    return f"层级名称按{document}。" if document else ""


def ledger_rows(ctx: ReturnContext, pool: PoolDef, rows: Sequence[RecordAt]) -> list[RecordAt]:
    """The ledger's records: in the pool at some time in the period (so its end state is in the summary)."""
    terminal = terminal_statuses(pool)
    return [r for r in rows if in_pool_during(terminal, r, ctx.period.start)]


_FirmRow = TypeVar("_FirmRow", RecordAt, AnyRow)


def one_per_firm(rows: Sequence[_FirmRow]) -> list[_FirmRow]:
    """The city total's rows: a firm claimed by two counties (same USCC) kept once, from the first county."""
    seen: dict[str, int] = {}
    kept: list[_FirmRow] = []
    for r in sorted(rows, key=lambda r: r.county_code or ""):
        firm = getattr(r, "enterprise_id", None) or r.id
        if seen.setdefault(r.uscc or f"#{firm}", firm) == firm:
            kept.append(r)
    return kept


Maker = Callable[[PoolDef, PoolCatalog, RecordAt, date, str | None], tuple[object, ...]]


def _ledger(definition: ReturnDefinition, pool_code: str, make: Maker) -> Callable[[ReturnContext], BuiltReturn]:
    def build(ctx: ReturnContext) -> BuiltReturn:
        catalog, rows = pool_rows(ctx, pool_code)
        pool = catalog.pools[pool_code]
        chosen = ledger_rows(ctx, pool, rows)
        names, _document = tier_names(ctx)
        lines = tuple(ReturnLine(make(pool, catalog, r, ctx.as_of, names), record=r.name)
                      for r in chosen)
        notes = (tier_names_note(ctx),) if pool_code == "srdi" else ()
        return BuiltReturn(lines, summed_line(definition, lines, f"合计（{len(lines):,} 家）", TOTAL), notes)
    return build


build_srdi_ledger = _ledger(SRDI_LEDGER, "srdi", _srdi)
build_scale_up_ledger = _ledger(SCALE_UP_LEDGER, "scale_up", _scale_up)
build_share_reform_ledger = _ledger(SHARE_REFORM_LEDGER, "share_reform", _share_reform)
build_listing_ledger = _ledger(LISTING_LEDGER, "listing_reserve", _listing)
