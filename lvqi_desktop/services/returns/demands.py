"""企业诉求办理台账 and 诉求办理情况统计表 (by category and responsible unit; subtotals are the KPI figures)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import grouped
from lvqi_desktop.models.demands import CLOSED_STATUSES
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import SATISFIED
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.kpi import KpiFigures
from lvqi_desktop.services.returns.by_county import CountySummary
from lvqi_desktop.services.returns.by_county import Pick
from lvqi_desktop.services.returns.by_county import Rate
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext

DEMAND_LEDGER = ReturnDefinition(
    "demand_ledger", "企业诉求办理台账",
    "本期受理及跨期办理的企业诉求逐件台账：诉求内容、责任单位、办理时限、办理状态、结果和满意度。",
    (
        Column("number", "诉求编号", "text", 16, as_text=True),
        Column("name", "企业名称", "text", 24),
        Column("category", "诉求类别", "text", 10),
        Column("description", "诉求内容", "text", 30, wrap=True),
        Column("source", "来源", "text", 10),
        Column("received", "受理日期", "date", 11),
        Column("helper", "包联领导", "text", 8),
        Column("unit", "责任单位", "text", 14),
        Column("due", "办理时限", "date", 11),
        Column("status", "办理状态", "text", 10),
        Column("closed", "办结日期", "date", 11),
        Column("on_time", "是否按期", "text", 6),
        Column("result", "办理结果", "text", 24, wrap=True),
        Column("satisfaction", "满意度", "text", 8),
    ),
    record_column="number", frozen_columns=2,
    footnotes=("列入本期受理的诉求，以及此前受理、本期初尚未办结的诉求；办理状态、结果和满意度以导出时记录为准。",
               "是否按期以首次办结日期对照办理时限判断；未设办理时限的按期计。"),
)

DEMAND_SUMMARY = ReturnDefinition(
    "demand_summary", "诉求办理情况统计表",
    "本期诉求按类别和责任单位统计：受理、办结、按期办结、逾期未办结、回访及满意情况。",
    (
        Column("basis", "统计口径", "text", 12),
        Column("item", "项目", "text", 20),
        Column("received", "受理（件）", "count", 8, total=True),
        Column("closed", "办结（件）", "count", 8, total=True),
        Column("on_time", "按期办结（件）", "count", 8, total=True),
        Column("overdue", "逾期未办结（件）", "count", 9, total=True),
        Column("followed", "回访（件）", "count", 8, total=True),
        Column("satisfied", "满意及基本满意（件）", "count", 10, total=True),
        Column("on_time_rate", "按期办结率（%）", "percent", 9),
        Column("satisfaction_rate", "满意率（%）", "percent", 9),
    ),
    header_groups=(HeaderGroup("办理情况", "received", "overdue"), HeaderGroup("回访情况", "followed", "satisfied"),
                   HeaderGroup("比率", "on_time_rate", "satisfaction_rate")),
    numbered=False, group_column="basis",
    footnotes=("受理为本期受理的诉求；办结为本期办结（含已解释）且目前仍为办结状态的诉求；按期办结以首次办结对照办理时限。",
               "逾期未办结为期末（本期未结束的截至今日）尚未办结且已超过办理时限的诉求；回访按本期最后一次回访结果计。",
               "小计与服务指标（首页及 lvqi kpi）同一口径。"),
)

_ALL = (("basis", "按诉求类别"),)  # the by-category subtotal: every case once, the KPI figures
DEMAND_SUMMARY_BY_COUNTY = CountySummary(
    (*(Pick(c.key, c.header, c.key, _ALL, SUBTOTAL) for c in DEMAND_SUMMARY.columns[2:8]),
     Rate("on_time_rate", "按期办结率（%）", "on_time", "closed"),
     Rate("satisfaction_rate", "满意率（%）", "satisfied", "followed")),
    DEMAND_SUMMARY.header_groups,
    footnotes=(*DEMAND_SUMMARY.footnotes[:2], "按诉求类别、责任单位的分项见各县（市、区）报表。"),
)


def all_demands(ctx: ReturnContext) -> list[DemandRow]:
    """Every current demand the return covers (all of them, or one county's), read once per export."""
    rows: list[DemandRow] = ctx.shared_all("demands:all", ctx.sources.demands.list_demands)
    if not ctx.narrowed:
        return rows
    return ctx.shared("demands:narrowed", lambda: [d for d in rows if ctx.covers(d.enterprise_id)])


def in_ledger(d: DemandRow, start: date, end: date) -> bool:
    """Received in the period, or received before it and not yet closed when it began."""
    if d.received_on > end:
        return False
    return d.received_on >= start or d.closed_on is None or d.closed_on >= start


def build_demand_ledger(ctx: ReturnContext) -> BuiltReturn:
    start, end = ctx.period.start, ctx.period.end
    chosen = sorted((d for d in all_demands(ctx) if in_ledger(d, start, end)), key=lambda d: (d.received_on, d.number))
    lines = tuple(ReturnLine((
        d.number, d.enterprise_name, d.category_label, d.description, d.source_label, d.received_on, d.helper_name,
        d.responsible_unit or "未交办", d.due_on, d.status_label, d.closed_on,
        "" if d.closed_on_time is None else ("是" if d.closed_on_time else "否"), d.result, d.satisfaction_label),
        record=f"{d.number} {d.enterprise_name}") for d in chosen)
    received = sum(1 for d in chosen if d.received_on >= start)
    note = f"本表共 {len(lines):,} 件，其中本期受理 {received:,} 件、以前受理跨期办理 {len(lines) - received:,} 件。"
    return BuiltReturn(lines, None, (note,))


def _figures(d: DemandRow, start: date, end: date, as_of: date, follow_ups: dict[int, str]) -> Counter[str]:
    """The KPI definitions (services/kpi.py and DemandRepository.flow_counts) applied to one case."""
    c: Counter[str] = Counter()
    closed = d.status in CLOSED_STATUSES and d.closed_on is not None and start <= d.closed_on <= end
    c["received"] = start <= d.received_on <= end
    c["closed"] = closed
    c["on_time"] = closed and (d.due_on is None or (d.first_closed_on is not None and d.first_closed_on <= d.due_on))
    open_at_end = d.received_on <= as_of and (d.closed_on is None or d.closed_on > as_of)
    c["overdue"] = open_at_end and d.due_on is not None and d.due_on < as_of
    c["followed"] = d.id in follow_ups
    c["satisfied"] = follow_ups.get(d.id) in SATISFIED
    return Counter({key: int(flag) for key, flag in c.items()})  # counts, never 是/否: update() keeps a lone bool


def _line(basis: str, item: str, c: Counter[str]) -> ReturnLine:
    on_time = c["on_time"] / c["closed"] if c["closed"] else None
    satisfied = c["satisfied"] / c["followed"] if c["followed"] else None
    return ReturnLine((basis, item, c["received"], c["closed"], c["on_time"], c["overdue"], c["followed"],
                       c["satisfied"], on_time, satisfied))


def _kpi_counter(k: KpiFigures, overdue: int) -> Counter[str]:
    return Counter(received=k.received, closed=k.closed, on_time=k.closed_on_time, overdue=overdue,
                   followed=k.followed_up, satisfied=k.satisfied)


def build_demand_summary(ctx: ReturnContext) -> BuiltReturn:
    start, end, as_of = ctx.period.start, ctx.period.end, ctx.as_of
    def load() -> dict[int, str]:
        with ctx.sources.db.unit_of_work() as uow:
            return uow.return_sources.latest_follow_ups_by_demand(start, end)
    follow_ups: dict[int, str] = ctx.shared_all("demands:follow_ups", load)
    by_category: dict[str, Counter[str]] = {}
    by_unit: dict[str, Counter[str]] = {}
    whole: Counter[str] = Counter()
    overdue = 0
    for d in all_demands(ctx):
        c = _figures(d, start, end, as_of, follow_ups)
        if not any(c.values()):
            continue
        by_category.setdefault(d.category_label, Counter()).update(c)
        by_unit.setdefault(d.responsible_unit or "未交办", Counter()).update(c)
        overdue += c["overdue"]
        whole.update(c)
    if not ctx.narrowed:  # the KPI service counts the whole database: right for a county office and the city
        whole = _kpi_counter(ctx.sources.kpi.kpis(ctx.period), overdue)
    subtotal = dict(zip([col.key for col in DEMAND_SUMMARY.columns][2:],
                        _line("", "", whole).values[2:], strict=True))
    order = {label: n for n, label in enumerate(DEMAND_CATEGORIES.values())}
    categories = sorted(by_category.items(), key=lambda kv: order.get(kv[0], len(order)))
    lines = ([_line("按诉求类别", item, c) for item, c in categories] +
             [_line("按责任单位", item, c) for item, c in sorted(by_unit.items(), key=lambda kv: -kv[1]["received"])])
    if not lines:
        return BuiltReturn((), None)
    groups = {"按诉求类别": subtotal, "按责任单位": subtotal}
    return BuiltReturn(grouped(DEMAND_SUMMARY, lines, overrides=groups), None)

