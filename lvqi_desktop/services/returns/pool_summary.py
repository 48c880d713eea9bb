"""梯度培育企业汇总表: per pool and tier, firms in the pool, entered, recognised and left in the period, vs targets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import grouped
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.pool_state import LEAVING_STATUSES
from lvqi_desktop.services.pool_state import RecordAt
from lvqi_desktop.services.pool_state import ended_by
from lvqi_desktop.services.pool_state import left_in
from lvqi_desktop.services.returns.by_county import CountySummary
from lvqi_desktop.services.returns.by_county import Spread
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import year_month
from lvqi_desktop.services.returns.pool_ledgers import terminal_statuses
from lvqi_desktop.services.returns.pool_ledgers import tier_names
from lvqi_desktop.services.returns.pool_ledgers import tier_names_note
from lvqi_desktop.storage.repositories.pool_counts import PoolCountRow
from lvqi_desktop.storage.repositories.pool_counts import PoolRules

POOLS = ("srdi", "scale_up", "share_reform", "listing_reserve")
# The yearly target each pool is measured against (targets.METRICS); SRDI tiers use "tier:<code>".
POOL_METRICS = {"scale_up": "scale_up_entered", "share_reform": "share_reform_completed"}

POOL_SUMMARY = ReturnDefinition(
    "pool_summary", "梯度培育企业汇总表",
    "各培育库分层级统计：期末在库、本期新入库、本期认定（达标）、本期退库企业数，对照年度培育目标。",
    (
        Column("pool", "培育库", "text", 20),
        Column("tier", "层级", "text", 24),
        Column("in_pool", "期末在库（家）", "count", 9, total=True),
        Column("held", "其中持有称号（家）", "count", 9, total=True),
        Column("entered", "本期新入库（家）", "count", 9, total=True),
        Column("recognized", "本期认定（达标）（家）", "count", 10, total=True),
        Column("left", "本期退库（家）", "count", 9, total=True),
        Column("target", "年度目标（家）", "count", 9),
        Column("achieved", "已完成（家）", "count", 9),
        Column("rate", "完成率（%）", "percent", 8),
    ),
    header_groups=(HeaderGroup("企业数", "in_pool", "left"), HeaderGroup("年度培育目标", "target", "rate")),
    period_kinds=("quarter", "year"), numbered=False, group_column="pool", totals=True,
    footnotes=(
        "本期认定（达标）：专精特新为本期获认定的企业；小升规为本期入统的企业；股改为本期完成登记为股份有限公司的企业；"
        "上市挂牌后备为本期挂牌或上市的企业。",
        "本期退库含退库、撤销、到期及移出培育库的企业；期末在库不含已入统、已兑现奖补等已完成培育的企业；"
        "其中持有称号为期末处于已认定、复核、有效状态的企业（其余为培育中、已申报）。",
        "各项按期末（本期未结束的为导出当日）培育记录时间线上的层级和状态计，与各培育库台账逐户对应。",
        "年度目标及已完成数取自“培育目标”，专精特新各层级目标按持有该层级及以上称号的企业计。",
    ),
)

# The city's version: a row per county, a column group per pool (its tiers added up: one firm is in one tier),
# so a row never adds different pools' firms together. Targets are per county and tier, so they stay on the
# counties' own returns and the 培育目标 page.
POOL_SUMMARY_BY_COUNTY = CountySummary(
    (Spread("pool", ("in_pool", "entered", "recognized", "left"), headers=("期末在库", "本期新入库", "本期认定", "本期退库"),
            unit="（家）"),),
    footnotes=(POOL_SUMMARY.footnotes[0], POOL_SUMMARY.footnotes[1], POOL_SUMMARY.footnotes[2],
               "各培育库的数字为该库各层级之和（一家企业只在一个层级）；年度目标完成情况见各县（市、区）报表及“培育目标”。"),
    keep_built_notes=False,
)


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _done_in(pool: str, r: RecordAt, start: date, end: date) -> bool:
    """Recognised (SRDI), entered statistics (小升规), completed (股改) or listed (后备) within the period."""
    if pool == "srdi":
        return _within(r.recognized_on, start, end)
    if pool == "scale_up":
        since = r.above_scale_since or ""
        return r.status == "entered" and year_month(start) <= since <= year_month(end)
    if pool == "share_reform":
        return _within(r.completed_on, start, end)
    return _within(r.listed_on, start, end)


def count_pool(pool: PoolDef, rows: Sequence[RecordAt], start: date, end: date) -> dict[str | None, Counter[str]]:
    """Tier code (None for a pool without tiers) → counts of in_pool (and of them `held`: holding the title),
    entered, recognized, left — each record as at the period's end by its timeline (pool_state). The definition;
    the 汇总表 and the start page count the same in SQL (pool_counts, held equal by the tests)."""
    terminal = terminal_statuses(pool)
    held = frozenset(code for code, status in pool.statuses.items() if status.holds_title)
    counts: dict[str | None, Counter[str]] = {}
    for r in rows:
        tier = r.tier if pool.tiers else None
        c = counts.get(tier)
        if c is None:
            c = counts[tier] = Counter()
        c["in_pool"] += not ended_by(terminal, r, end)
        c["held"] += not ended_by(terminal, r, end) and r.status in held
        c["entered"] += _within(r.entered_on, start, end)
        c["recognized"] += _done_in(pool.code, r, start, end)
        c["left"] += left_in(terminal, r, start, end)
    return counts


_DONE = {"srdi": "recognized", "scale_up": "above_scale", "share_reform": "completed"}
_MEASURES = ("in_pool", "held", "entered", "recognized", "left")


def _rules(pool: PoolDef) -> PoolRules:
    """count_pool's rules of `pool` for the SQL counting (storage/repositories/pool_counts.py)."""
    held = frozenset(code for code, status in pool.statuses.items() if status.holds_title)
    return PoolRules(LEAVING_STATUSES, terminal_statuses(pool), held, _DONE.get(pool.code, "listed"))


def _by_tier(pool: PoolDef, rows: Sequence[PoolCountRow]) -> dict[str | None, Counter[str]]:
    """The SQL counts as count_pool gives them: by tier, the tiers in the order the records meet them."""
    counts: dict[str | None, Counter[str]] = {}
    for row in sorted(rows, key=lambda row: row.first):
        c = counts.setdefault(row.tier if pool.tiers else None, Counter())
        c.update({m: getattr(row, m) for m in _MEASURES})
    return counts


def pool_counts(ctx: ReturnContext, pool_code: str, start: date,
                end: date) -> tuple[PoolDef, dict[str | None, Counter[str]]]:
    """count_pool over pool_rows(ctx, pool_code) — each record as at `ctx.as_of` — counted in SQL, the four pools
    at once: a county's own edition counts its records; the city counts all once and splits them by county (the
    whole-city total with one record per USCC when `ctx.dedup`)."""
    catalog: PoolCatalog = ctx.shared_all("pool_catalog", lambda: _catalog(ctx))
    pool = catalog.pools[pool_code]
    rules = {code: _rules(catalog.pools[code]) for code in POOLS if code in catalog.pools}

    def query(county: str, split: bool) -> list[PoolCountRow]:
        with ctx.sources.db.unit_of_work() as uow:
            return uow.pool_counts.counts(rules, county, ctx.as_of, start, end, by_county=split, dedup=split)

    split = ctx.narrowed or ctx.dedup
    key = f"pool_counts:{start}:{end}:{split}"
    if ctx.county and not ctx.narrowed:  # a county's own edition: its records only
        rows = ctx.shared(key, lambda: query(ctx.county, False))
    else:  # the city: one count shared by its by-county copies and its whole-city total (deduplicated)
        rows = ctx.shared_all(key, lambda: query("", split))
    if ctx.county and ctx.narrowed:
        rows = [r for r in rows if r.county_code == ctx.county]
    elif ctx.dedup:
        rows = [r for r in rows if r.kept]
    return pool, _by_tier(pool, [r for r in rows if r.pool == pool_code])


def _catalog(ctx: ReturnContext) -> PoolCatalog:
    with ctx.sources.db.unit_of_work() as uow:
        return uow.pools.catalog()


def _targets(ctx: ReturnContext) -> dict[str, tuple[int, float | None]]:
    scope = ctx.county or CITY_CODE
    return {p.metric: (p.target, p.achieved) for p in ctx.sources.targets.progress(scope, ctx.period.year)}


def build_pool_summary(ctx: ReturnContext) -> BuiltReturn:
    targets = _targets(ctx)
    start, end = ctx.period.start, ctx.as_of
    names = tier_names(ctx)[0]
    lines: list[ReturnLine] = []
    for code in POOLS:
        pool, counts = pool_counts(ctx, code, start, end)
        tiers: list[str | None] = [t.code for t in pool.ladder()] if pool.tiers else [None]
        tiers += [t for t in counts if t not in tiers]
        for tier in tiers:
            c = counts.get(tier, Counter())
            metric = f"tier:{tier}" if code == "srdi" and tier else POOL_METRICS.get(code, "")
            target, achieved = targets.get(metric, (None, None))
            rate = achieved / target if target and achieved is not None else None
            label = pool.tier_label(tier, names) if tier else ("未定层级" if pool.tiers else "全部")
            held = c["held"] if any(s.holds_title for s in pool.statuses.values()) else None
            lines.append(ReturnLine((pool.name, label, c["in_pool"], held, c["entered"], c["recognized"], c["left"],
                                     target, None if achieved is None else int(achieved), rate)))
    total = summed_line(POOL_SUMMARY, lines, "合计", TOTAL)
    total = ReturnLine((total.values[0], "", *total.values[2:]), TOTAL)
    note = f"年度目标为{ctx.period.year}年目标；已完成数截至{ctx.as_of.isoformat()}。"
    return BuiltReturn(grouped(POOL_SUMMARY, lines), total, (note, tier_names_note(ctx)))
