"""The monitoring returns: 运行监测月报汇总表, 报送及时率统计表, 统计人员考核及信息采集费明细表."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import due_date
from lvqi_desktop.services.monitoring_rows import month_code
from lvqi_desktop.services.monitoring_rows import month_of_code
from lvqi_desktop.services.monitoring_rows import months_in
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.services.monitoring_stats import IndicatorTotal
from lvqi_desktop.services.monitoring_stats import month_summary
from lvqi_desktop.services.returns.by_county import LEDGER
from lvqi_desktop.services.returns.by_county import CountySummary
from lvqi_desktop.services.returns.by_county import Pick
from lvqi_desktop.services.returns.by_county import Rate
from lvqi_desktop.services.returns.by_county import Spread
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import wan
from lvqi_desktop.validation.workdays import uncovered_note

MONITORING_SUMMARY = ReturnDefinition(
    "monitoring_summary", "运行监测月报汇总表",
    "监测样本企业月报汇总：主要指标合计及同比、营业收入和利润总额增长企业占比、问卷各选项分布。",
    (
        Column("item", "项目", "text", 26),
        Column("option", "选项", "text", 16),
        Column("current", "本期", "number", 14),
        Column("last_year", "上年同期（同口径）", "number", 14),
        Column("yoy", "同比增长（%）", "percent", 10),
        Column("firms", "企业数（家）", "count", 10),
        Column("share", "占比（%）", "percent", 9),
    ),
    header_groups=(HeaderGroup("数值", "current", "yoy"), HeaderGroup("企业", "firms", "share")),
    numbered=False,
    footnotes=("金额单位为万元，人数单位为人，用电量单位为千瓦时；累计指标为本年1月至本月累计。",
               "同比按本月与上年同月均已报送的企业（同口径）计算，由程序计算，不由企业填报。",
               "增长企业占比 = 累计数高于上年同期的企业数 ÷ 两期均已报送该指标的企业数。",
               "问卷占比 = 选该项的企业数 ÷ 回答该题的企业数；主要困难为多选，分母为报送企业数。"),
)
_EXPECTED, _RECEIVED = "应报企业", "已报企业"
_SENT = (("item", "报送情况"),)
NO_BASE = "—"
NO_BASE_NOTE = "同比增长标“—”的，上年同期（同口径）为零或负数，增长率无意义，不予计算。"
MONITORING_SUMMARY_BY_COUNTY = CountySummary(
    (Pick("expected", "应报（家）", "firms", (*_SENT, ("option", _EXPECTED)), kind="count"),
     Pick("received", "已报（家）", "firms", (*_SENT, ("option", _RECEIVED))),
     Rate("received_rate", "报送率（%）", "received", "expected"),
     Spread("item", ("current", "yoy"), (("option", "合计"),))),
    (HeaderGroup("报送情况", "expected", "received_rate"),),
    footnotes=(*MONITORING_SUMMARY.footnotes[:2], "增长企业占比和问卷各选项分布见各县（市、区）报表。"),
)

MONITORING_TIMELINESS = ReturnDefinition(
    "monitoring_timeliness", "报送及时率统计表",
    "监测样本企业逐户统计应报、已报、按时报送月数，报送率及及时率（截止日为次月10日，可在设置中修改）。",
    (
        Column("name", "企业名称", "text", 30),
        Column("uscc", "统一社会信用代码", "text", 20, as_text=True),
        Column("expected", "应报（月）", "count", 8, total=True),
        Column("received", "已报（月）", "count", 8, total=True),
        Column("on_time", "按时（月）", "count", 8, total=True),
        Column("missing", "未报（月）", "count", 8, total=True),
        Column("received_rate", "报送率（%）", "percent", 9),
        Column("on_time_rate", "及时率（%）", "percent", 9),
    ),
    header_groups=(HeaderGroup("月报", "expected", "missing"),),
    totals=True, record_column="name", frozen_columns=1,
)

STATISTICIAN_ASSESSMENT = ReturnDefinition(
    "statistician_assessment", "统计人员考核及信息采集费明细表",
    "监测企业统计人员年度考核（按时报送率及更正次数）和信息采集费发放明细。",
    (
        Column("enterprise", "企业名称", "text", 28),
        Column("name", "统计人员", "text", 9),
        Column("phone", "联系电话", "text", 13, as_text=True),
        Column("expected", "应报（月）", "count", 8, total=True),
        Column("on_time", "按时（月）", "count", 8, total=True),
        Column("rate", "及时率（%）", "percent", 9),
        Column("corrections", "更正（次）", "count", 8, total=True),
        Column("result", "考核结果", "text", 9),
        Column("fee", "信息采集费（万元）", "money", 12, total=True),
        Column("paid", "发放情况", "text", 9),
    ),
    header_groups=(HeaderGroup("考核", "expected", "result"), HeaderGroup("信息采集费", "fee", "paid")),
    period_kinds=("quarter", "year"), totals=True, record_column="enterprise", frozen_columns=1,
)


def _service(ctx: ReturnContext) -> MonitoringService:
    return ctx.shared("monitoring_service", lambda: MonitoringService(
        ctx.sources.db, lambda: ctx.county or None, lambda: ctx.today))


def summary_month(ctx: ReturnContext) -> str:
    """The month a summary covers: the period's last month, or the last finished month when it is running."""
    last = month_code(ctx.period.end.year, ctx.period.end.month)
    finished = shift_month(month_code(ctx.today.year, ctx.today.month), -1)
    return min(last, finished)


def _amount(f: object, value: int | None) -> Decimal | int | None:
    """万元 with two decimals for money; people, kWh and the like stay whole numbers."""
    if value is None:
        return None
    return wan(value) if f.kind == "money" else int(value)  # type: ignore[attr-defined]


def _yoy(i: IndicatorTotal) -> float | str | None:
    """The year-on-year rate, "—" over a zero or negative base (no meaningful rate), None when nobody compares."""
    if not i.matched_firms:
        return None
    return NO_BASE if i.matched_last_year <= 0 else i.yoy


def build_monitoring_summary(ctx: ReturnContext) -> BuiltReturn:
    code = summary_month(ctx)
    s = month_summary(_service(ctx), code)
    lines = [ReturnLine(("报送情况", _EXPECTED, None, None, None, s.expected, None)),
             ReturnLine(("报送情况", _RECEIVED, None, None, None, s.received,
                         s.received / s.expected if s.expected else None))]
    for i in s.indicators:  # an item no firm filled stays blank, not 0.00
        lines.append(ReturnLine((i.field.header, "合计", _amount(i.field, i.total) if i.firms else None,
                                 _amount(i.field, i.matched_last_year) if i.matched_firms else None, _yoy(i), i.firms,
                                 None), record=i.field.label))
    for i in s.indicators:
        if i.field.growth:
            lines.append(ReturnLine((f"{i.field.label}增长企业", "同比增长", None, None, None, i.grew, i.grew_share)))
    for a in s.answers:
        lines.append(ReturnLine((a.field.label, a.option, None, None, None, a.count, a.share)))
    label = month_of_code(code).label
    notes: tuple[str, ...] = (f"本表为{label}月报汇总（表式版本 {_service(ctx).form.version}）。",)
    if any(line.values[4] == NO_BASE for line in lines):
        notes += (NO_BASE_NOTE,)
    return BuiltReturn(tuple(lines), None, notes)


def build_monitoring_timeliness(ctx: ReturnContext) -> BuiltReturn:
    service = _service(ctx)
    finished = summary_month(ctx)  # the period's last month, or the last finished one while it runs
    counts: dict[int, Counter[str]] = {}
    names: dict[int, tuple[str, str]] = {}
    for code in (m for m in months_in(ctx.period) if m <= finished):
        for r in service.completeness(code).rows:
            names[r.enterprise_id] = (r.name, r.uscc)
            c = counts.setdefault(r.enterprise_id, Counter())
            c["expected"] += 1
            c["received"] += r.received
            c["on_time"] += r.status == "on_time"
    lines = []
    for eid, (name, uscc) in sorted(names.items(), key=lambda kv: kv[1]):
        c = counts[eid]
        lines.append(_timeliness_line(name, uscc, c))
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    totals = summed_line(MONITORING_TIMELINESS, lines, f"合计（{len(lines):,} 家）", TOTAL,
                         {"received_rate": _rate(total["received"], total["expected"]),
                          "on_time_rate": _rate(total["on_time"], total["expected"])})
    due = service.settings().due_day
    calendar = uncovered_note(due_date(m, due) for m in months_in(ctx.period) if m <= finished)
    notes = (f"按时：在次月{due}日（含）前报送，遇法定节假日顺延至其后第一个工作日。"
             f"统计至{month_of_code(finished).label}。", *([calendar] if calendar else []))
    return BuiltReturn(tuple(lines), totals, notes)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _timeliness_line(name: str, uscc: str, c: Counter[str]) -> ReturnLine:
    return ReturnLine((name, uscc, c["expected"], c["received"], c["on_time"], c["expected"] - c["received"],
                       _rate(c["received"], c["expected"]), _rate(c["on_time"], c["expected"])), record=name)


def build_statistician_assessment(ctx: ReturnContext) -> BuiltReturn:
    service = _service(ctx)
    settings = service.settings()
    rows = service.assessment(ctx.period.year, ctx.period.end)
    lines = tuple(ReturnLine((
        r.statistician.enterprise_name, r.statistician.name, r.statistician.phone, r.expected, r.on_time,
        r.on_time_rate, r.corrections, r.result_label, wan(r.fee_fen) if r.qualified or r.fee_id else None,
        ("已发放" if r.paid else "未发放") if r.fee_id else ("应发放" if r.qualified else "")),
        record=r.statistician.enterprise_name) for r in rows)
    qualified = sum(r.qualified for r in rows)
    totals = summed_line(STATISTICIAN_ASSESSMENT, lines, f"合计（{len(lines):,} 人，合格 {qualified:,} 人）", TOTAL)
    rule = (f"考核合格：应报月份中按时报送率不低于 {settings.pass_on_time_rate * 100:.1f}%，且全年更正不超过 "
            f"{settings.pass_max_corrections} 次；每名合格统计人员信息采集费 {wan(settings.fee_fen)} 万元。")
    return BuiltReturn(lines, totals, (rule, "应报月份为本年1月至本期末、统计人员在岗且企业在监测样本中、且已过报送截止日的月份。"))


RETURNS = ((MONITORING_SUMMARY, build_monitoring_summary, MONITORING_SUMMARY_BY_COUNTY),
           (MONITORING_TIMELINESS, build_monitoring_timeliness, LEDGER),
           (STATISTICIAN_ASSESSMENT, build_statistician_assessment, LEDGER))
