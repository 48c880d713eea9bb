"""规上（四上）企业名录: the register-based return, one line per enterprise in statistics at the period's end."""

from __future__ import annotations

from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.models import codes
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import wan
from lvqi_desktop.services.returns.context import year_month
from lvqi_desktop.services.returns.pool_ledgers import one_per_firm

ABOVE_SCALE_REGISTER = ReturnDefinition(
    "above_scale_register", "规上（四上）企业名录",
    "期末在统的规模以上（四上）企业，含所属乡镇、行业、入统年月及最近年度营业收入和从业人员。",
    (
        Column("name", "企业名称", "text", 30),
        Column("uscc", "统一社会信用代码", "text", 20, as_text=True),
        Column("township", "乡镇（街道）", "text", 12),
        Column("section", "行业门类", "text", 16),
        Column("category", "四上类别", "text", 12),
        Column("since", "入统年月", "text", 9, as_text=True),
        Column("size", "企业规模", "text", 8),
        Column("legal", "法定代表人", "text", 9),
        Column("phone", "联系电话", "text", 13, as_text=True),
        Column("year", "年度", "year", 6),
        Column("revenue", "营业收入（万元）", "money", 13, total=True),
        Column("employees", "从业人员（人）", "count", 9, total=True),
    ),
    header_groups=(HeaderGroup("最近年度数据", "year", "employees"),),
    totals=True, record_column="name", frozen_columns=1,
    footnotes=("营业收入、从业人员为企业最近一个有数据年度的数字；入统年月为空的企业按已在统计。",),
)


def build_above_scale_register(ctx: ReturnContext) -> BuiltReturn:
    with ctx.sources.db.unit_of_work() as uow:
        rows = uow.return_sources.above_scale_enterprises(ctx.county, year_month(ctx.period.end))
    if ctx.dedup:
        rows = one_per_firm(rows)
    lines = tuple(ReturnLine((
        r.name, r.uscc, r.township_name or "", f"{r.industry_section} {r.section_name}" if r.section_name else "",
        codes.label(codes.FOUR_ABOVE_CATEGORIES, r.four_above_category), r.above_scale_since or "",
        codes.label(codes.SIZE_CLASSES, r.size_class), r.legal_representative, r.contact_phone, r.latest_year,
        wan(r.latest_revenue_fen), r.latest_employees), record=r.name) for r in rows)
    totals = summed_line(ABOVE_SCALE_REGISTER, lines, f"合计（{len(lines):,} 家）", TOTAL)
    return BuiltReturn(lines, totals)
