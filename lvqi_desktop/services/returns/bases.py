"""双创基地情况表: one line per base, grouped by level, with the year's typed figures and derived tenant counts."""

from __future__ import annotations

from decimal import Decimal

from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import grouped
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.services.bases import BaseRow
from lvqi_desktop.services.bases import base_row
from lvqi_desktop.services.bases import level_rules
from lvqi_desktop.services.bases import year_figures
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext

BASES_RETURN = ReturnDefinition(
    "incubation_bases", "双创基地情况表",
    "小微企业双创基地（省级、市级、培育中）的运营主体、面积、认定层级与文号，及本年度入驻企业、带动就业、"
    "入驻企业中规上和专精特新企业数。",
    (
        Column("level", "认定层级", "text", 9),
        Column("name", "基地名称", "text", 26),
        Column("kind", "基地类型", "text", 14),
        Column("operator", "运营主体", "text", 22),
        Column("operator_type", "主体性质", "text", 10),
        Column("township", "乡镇（街道）", "text", 12),
        Column("area", "建筑面积（平方米）", "number", 12, total=True),
        Column("recognized_on", "认定日期", "date", 11),
        Column("document_no", "认定文号", "text", 20, as_text=True),
        Column("tenants", "入驻企业（户）", "count", 8, total=True),
        Column("new_tenants", "当年新入驻（户）", "count", 8, total=True),
        Column("jobs", "带动就业（人）", "count", 8, total=True),
        Column("above_scale", "规上企业（户）", "count", 8, total=True),
        Column("srdi", "专精特新企业（户）", "count", 8, total=True),
        Column("services", "提供的服务与共享设施", "text", 30, wrap=True),
    ),
    header_groups=(HeaderGroup("认定情况", "recognized_on", "document_no"),
                   HeaderGroup("本年度入驻与就业", "tenants", "jobs"),
                   HeaderGroup("入驻企业中", "above_scale", "srdi")),
    period_kinds=("quarter", "year"), group_column="level", totals=True, record_column="name", frozen_columns=2,
    footnotes=("入驻企业、当年新入驻、带动就业为基地填报的年度数字；规上企业、专精特新企业由本程序按入驻企业台账"
               "与企业库、专精特新梯度培育库自动统计（年末前已入统的规上企业；持有有效专精特新各层级称号的企业）。",),
)

LEVEL_ORDER = ("provincial", "provincial_applied", "city", "city_applied", "cultivating", "revoked")


def _services(row: BaseRow) -> str:
    parts = [p for p in (row.services_offered.strip(), row.shared_facilities.strip()) if p]
    return "；".join(" ".join(p.split()) for p in parts)


def build_bases_return(ctx: ReturnContext) -> BuiltReturn:
    year = ctx.period.end.year
    with ctx.sources.db.unit_of_work() as uow:
        repo = uow.bases
        kinds = {k.code: k.name for k in repo.kinds()}
        rules = level_rules(repo)
        rows = [base_row(  # the ledger's own rows, so page and return agree
            r, kinds, rules) for r in repo.base_rows(ctx.county, archived=False)]
        figures = year_figures(repo, [r.id for r in rows], year)
    order = {code: i for i, code in enumerate(LEVEL_ORDER)}
    rows.sort(key=lambda r: (order.get(r.level, 99), r.county_code, r.name))
    lines = []
    missing = []
    for r in rows:
        f = figures[r.id]
        if not f.typed:
            missing.append(r.name)
        area = None if r.floor_area_m2 is None else Decimal(str(r.floor_area_m2)).quantize(Decimal("0.01"))
        lines.append(ReturnLine((
            r.level_label, r.name, r.kind_label, r.operator_name, r.operator_type, r.township_name, area,
            r.recognized_on, r.document_no, f.tenants, f.new_tenants, f.jobs, f.above_scale, f.srdi,
            _services(r)), record=r.name))
    body = grouped(BASES_RETURN, lines)
    totals = summed_line(BASES_RETURN, lines, "", TOTAL, {"level": "合计", "name": f"共 {len(lines):,} 个基地"})
    notes: tuple[str, ...] = ()
    if missing:
        notes = (f"尚未填报{year}年数据的基地（入驻、就业栏为空）：{'、'.join(missing)}。",)
    return BuiltReturn(body, totals, notes)
