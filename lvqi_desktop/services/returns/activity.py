"""领导包联帮扶台账 and 入企服务情况统计表: helpers' visits against their cadence, and visits by channel and campaign."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import grouped
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.models import codes
from lvqi_desktop.models.demands import CLOSED_STATUSES
from lvqi_desktop.models.helpers import ASSIGNMENT_ROLES
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.helper_rows import VisitRow
from lvqi_desktop.services.helper_rows import cadence_text
from lvqi_desktop.services.returns.by_county import CountySummary
from lvqi_desktop.services.returns.by_county import Pick
from lvqi_desktop.services.returns.by_county import Spread
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.demands import all_demands

HELPER_LEDGER = ReturnDefinition(
    "helper_ledger", "领导包联帮扶台账",
    "每位包联领导（帮扶干部）包联的企业、本期走访次数对照走访频次要求、本期企业诉求及办结情况。",
    (
        Column("helper", "包联领导（干部）", "text", 12),
        Column("post", "职务", "text", 14),
        Column("level", "级别", "text", 6),
        Column("role", "包联身份", "text", 8),
        Column("name", "包联企业", "text", 28),
        Column("uscc", "统一社会信用代码", "text", 20, as_text=True),
        Column("from", "包联起始日期", "date", 11),
        Column("cadence", "走访频次要求", "text", 11),
        Column("required", "应走访（次）", "count", 7, total=True),
        Column("visits", "实走访（次）", "count", 7, total=True),
        Column("met", "是否达到要求", "text", 7),
        Column("last", "最近走访日期", "date", 11),
        Column("demands", "收集诉求（件）", "count", 7, total=True),
        Column("closed", "已办结（件）", "count", 7, total=True),
    ),
    header_groups=(HeaderGroup("本期走访", "required", "last"), HeaderGroup("本期企业诉求", "demands", "closed")),
    totals=True, record_column="name", frozen_columns=1,
    footnotes=("应走访次数按走访频次要求和本期内包联的月数计算；工作组包联的，计入工作组的走访。",
               "实走访只计包联起始日期以后的走访，同一领导对同一企业有两条包联关系的，每次走访只计入一条（较晚开始的一条）。",
               "本期企业诉求为本期受理的该企业诉求，每件只计入一行：诉求登记了包联领导的计入该领导的包联关系，"
               "否则计入该企业包联领导（非帮扶干部）的包联关系；"
               "已办结含办结和已解释（无法解决），以导出时状态计。"),
)

VISIT_SUMMARY = ReturnDefinition(
    "visit_summary", "入企服务情况统计表",
    "本期入企服务按服务方式和活动分类统计次数、服务企业数和收集诉求数，并对照年度服务企业目标。",
    (
        Column("basis", "统计口径", "text", 12),
        Column("item", "项目", "text", 20),
        Column("visits", "服务次数（次）", "count", 10, total=True),
        Column("enterprises", "服务企业数（家）", "count", 10),
        Column("demands", "收集诉求（件）", "count", 10, total=True),
    ),
    numbered=False, group_column="basis",
    footnotes=("服务企业数为去重后的企业数，同一企业在不同方式或活动中分别计入，故各项之和可能大于小计。",),
)

_BY_CHANNEL = (("basis", "按服务方式"),)
VISIT_SUMMARY_BY_COUNTY = CountySummary(
    (Spread("item", ("visits",), _BY_CHANNEL, group="按服务方式的服务次数（次）"),
     Pick("visits", "服务次数合计（次）", "visits", _BY_CHANNEL, SUBTOTAL),
     Pick("enterprises", "服务企业数（家）", "enterprises", _BY_CHANNEL, SUBTOTAL),
     Pick("demands", "收集诉求（件）", "demands", _BY_CHANNEL, SUBTOTAL)),
    footnotes=("服务企业数为去重后的企业数。按活动分类的统计见各县（市、区）报表。",),
)


def months_between(first: date, last: date) -> int:
    """Calendar months from `first`'s month to `last`'s month, both included (the coverage matrix's rule)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def period_demands(ctx: ReturnContext) -> list[DemandRow]:
    """Demands received in the period (not archived)."""
    return [d for d in all_demands(ctx) if ctx.period.start <= d.received_on <= ctx.period.end]


def _pairing_of(pairings: dict[tuple[int | None, int], list[Any]], d: DemandRow) -> int | None:
    """The one assignment a demand counts under: its own helper's pairing with the firm started by the day it was
    received (the latest, when the helper holds two), else the firm's lead pairing (包联身份 包联领导), else its
    earliest; None when no listed pairing holds the firm."""
    own = [a for a in pairings.get((d.helper_id, d.enterprise_id), ()) if a.from_date <= d.received_on]
    if d.helper_id is not None and own:
        latest: int = max(own, key=lambda a: (a.from_date, a.id)).id
        return latest
    firm = pairings.get((None, d.enterprise_id), [])
    if not firm:
        return None
    chosen: int = min(firm, key=lambda a: (a.role != "lead", a.from_date, a.id)).id
    return chosen


def build_helper_ledger(ctx: ReturnContext) -> BuiltReturn:
    start, end = ctx.period.start, ctx.as_of

    def load() -> tuple[Sequence[Any], dict[int, Any]]:
        with ctx.sources.db.unit_of_work() as uow:
            return uow.helpers.assignment_rows(active_on=end), uow.helpers.visit_counts(end, start, start)
    every, counts = ctx.shared_all("helpers:assignments", load)
    assignments = [a for a in every if ctx.covers(a.enterprise_id)]
    raised, closed = Counter[int](), Counter[int]()
    pairings: dict[tuple[int | None, int], list[Any]] = defaultdict(list)
    for a in assignments:
        pairings[None, a.enterprise_id].append(a)
        if a.helper_id is not None:
            pairings[a.helper_id, a.enterprise_id].append(a)
    for d in period_demands(ctx):
        holder = _pairing_of(pairings, d)
        if holder is not None:
            raised[holder] += 1
            closed[holder] += d.status in CLOSED_STATUSES
    lines = []
    for a in sorted(assignments, key=lambda a: (a.helper_name or a.team_name or "", a.enterprise_name)):
        c = counts.get(a.id)
        visits = int(c.quarter) if c is not None else 0
        required = a.cadence_visits * months_between(max(start, a.from_date), end) // a.cadence_months
        lines.append(ReturnLine((
            a.helper_name or a.team_name or "", a.helper_post or "", codes.label(HELPER_LEVELS, a.helper_level),
            codes.label(ASSIGNMENT_ROLES, a.role), a.enterprise_name, a.uscc, a.from_date,
            cadence_text(a.cadence_visits, a.cadence_months), required, visits,
            "达到" if visits >= required else "未达到", c.last if c is not None else None,
            raised[a.id], closed[a.id]), record=a.enterprise_name))
    total = summed_line(HELPER_LEDGER, lines, f"合计（{len(lines):,} 户次）", TOTAL)
    behind = sum(1 for line in lines if line.values[10] == "未达到")
    note = f"截至{end.isoformat()}，{len(lines):,} 个包联关系中有 {behind:,} 个未达到走访频次要求。"
    return BuiltReturn(tuple(lines), total, (note,))


def _visit_lines(basis: str, keyed: dict[str, list[VisitRow]], demand_count: Counter[int]) -> list[ReturnLine]:
    return [ReturnLine((basis, item, len(visits), len({v.enterprise_id for v in visits}),
                        sum(demand_count[v.id] for v in visits))) for item, visits in keyed.items()]


def _firm_count(ctx: ReturnContext, visits: list[VisitRow]) -> int:
    """Enterprises served; the city total counts a firm two counties both claim (same USCC) once."""
    return len({v.uscc or v.enterprise_id for v in visits} if ctx.dedup else {v.enterprise_id for v in visits})


def build_visit_summary(ctx: ReturnContext) -> BuiltReturn:
    visits = ctx.shared_all("visits:period", lambda: ctx.sources.visits.list_visits(ctx.period))
    visits = [v for v in visits if ctx.covers(v.enterprise_id)]
    demand_count = Counter(d.visit_id for d in all_demands(ctx) if d.visit_id is not None)
    by_channel: dict[str, list[VisitRow]] = {label: [] for label in VISIT_CHANNELS.values()}
    by_campaign: dict[str, list[VisitRow]] = defaultdict(list)
    for v in sorted(visits, key=lambda v: v.id):
        by_channel[v.channel_label].append(v)
        by_campaign[v.campaign or "未标注活动"].append(v)
    served = _firm_count(ctx, visits)
    lines = _visit_lines("按服务方式", by_channel, demand_count) + _visit_lines("按活动", dict(by_campaign), demand_count)
    subtotal = {"enterprises": served}
    body = grouped(VISIT_SUMMARY, lines, overrides={"按服务方式": subtotal, "按活动": subtotal})
    if ctx.narrowed:  # one county of the city: the KPI service counts the whole database
        return BuiltReturn(body, None)
    k = ctx.sources.kpi.kpis(ctx.period)
    target = f"年度目标 {k.served_target:,} 家，完成 {(k.served_progress or 0.0) * 100:.1f}%" if k.served_target else "未设年度目标"
    notes = (f"本期服务企业（走访或受理诉求的企业，去重）{k.enterprises_served:,} 家；"
             f"本年累计 {k.enterprises_served_ytd:,} 家，{target}。",)
    return BuiltReturn(body, None, notes)
