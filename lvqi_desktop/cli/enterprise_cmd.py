"""`lvqi enterprise list` and `lvqi enterprise add`: the register through the same service as the GUI."""

from __future__ import annotations

import argparse
import sys

from lvqi_desktop.cli.activity_args import code_of
from lvqi_desktop.cli.activity_args import report_refusal
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.cli.output import wan
from lvqi_desktop.cli.output import wan_text
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import codes
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.enterprises import EnterpriseRow
from lvqi_desktop.services.enterprises import YearDraft

# YearDraft field → (option, help); money in 万元, counts in persons or items (passed on as typed text,
# so "三千万" gets the register's own Chinese message instead of a usage error)
FIGURE_OPTIONS = {
    "revenue": ("--revenue", "营业收入（万元）"), "main_revenue": ("--main-revenue", "主营业务收入（万元）"),
    "net_profit": ("--net-profit", "净利润（万元，可为负）"), "total_assets": ("--assets", "资产总额（万元）"),
    "total_liabilities": ("--liabilities", "负债总额（万元）"), "employees": ("--employees", "从业人员（人）"),
    "rd_expense": ("--rd-expense", "研发费用（万元）"), "rd_staff": ("--rd-staff", "研发人员（人）"),
    "ip_class1": ("--ip1", "Ⅰ类知识产权（项）"), "ip_class2": ("--ip2", "Ⅱ类知识产权（项）"),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "enterprise", "企业库：列出、登记企业", "企业库（企业名录）")

    ls = commands.add_parser("list", help="列出企业（可搜索、筛选）",
                             description="列出企业。搜索词可以是名称片段、拼音首字母（lljt）、全拼或信用代码片段。")
    ls.add_argument("--search", default="", metavar="TEXT", help="搜索词；多个词用空格分开，须同时匹配")
    ls.add_argument("--county", default="", metavar="CODE", help="县（市、区）代码或名称（市中心版使用）")
    ls.add_argument("--township", default="", metavar="CODE", help="乡镇（街道）代码或名称")
    ls.add_argument("--section", default="", metavar="X", help="行业门类字母 A–T")
    ls.add_argument("--size", choices=("1", "2", "3", "4", "none"), help="企业规模：1大型 2中型 3小型 4微型，none未划型")
    ls.add_argument("--above-scale", choices=("yes", "no"), help="是否规上（四上）企业")
    ls.add_argument("--archived", action="store_true", help="列出已归档的企业（而不是在册企业）")
    ls.add_argument("--incomplete", action="store_true", help="只列出资料待补充的企业（导入时缺少或存疑的信息），并列出每家缺什么")
    printing_handler(ls, run_list)

    add = commands.add_parser("add", help="登记一家企业", description="登记一家企业；校验不通过时不保存，退出码 1。")
    add.add_argument("--uscc", required=True, help="统一社会信用代码（18位）")
    add.add_argument("--name", required=True, help="企业名称")
    add.add_argument("--county", default="", metavar="CODE", help="所属县（市、区）代码或名称（仅市中心版需要）")
    add.add_argument("--township", default="", metavar="CODE", help="乡镇（街道）代码或名称")
    add.add_argument("--section", default="", metavar="X", help="行业门类字母 A–T")
    add.add_argument("--industry-class", default="", metavar="NNNN", help="国民经济行业小类代码（4位，可不填）")
    add.add_argument("--address", default="", metavar="TEXT", help="地址")
    add.add_argument("--legal-rep", default="", metavar="NAME", help="法定代表人")
    add.add_argument("--contact", default="", metavar="NAME", help="联系人")
    add.add_argument("--phone", default="", help="联系电话（手机或带区号的固话）")
    add.add_argument("--registered-on", default="", metavar="YYYY-MM-DD", help="成立日期")
    add.add_argument("--ownership", default="", metavar="CODE", help="企业性质代码或名称：" + "、".join(
        f"{k} {v}" for k, v in codes.OWNERSHIP_TYPES.items()))
    add.add_argument("--main-products", default="", metavar="TEXT", help="主导产品")
    add.add_argument("--above-scale-since", default="", metavar="YYYY-MM", help="规上入统年月（填写即标记为规上）")
    add.add_argument("--four-above", default="", metavar="CODE", help="四上类别代码或名称：" + "、".join(
        f"{k} {v}" for k, v in codes.FOUR_ABOVE_CATEGORIES.items()))
    add.add_argument("--remarks", default="", metavar="TEXT", help="备注")
    add.add_argument("--year", type=int, help="以下年度数据所属年度（填写任一年度数据时必填）")
    for key, (option, label) in FIGURE_OPTIONS.items():
        add.add_argument(option, dest=key, metavar="VALUE", help=label)
    printing_handler(add, run_add)
    add.set_defaults(parser=add)


# ---- resolving codes typed as names

def _county(services: Services, given: str) -> str:
    if not given:
        return ""
    for c in services.reference.counties():
        if given.strip() in (c.code, c.label):
            return c.code
    raise ValidationFailed([Issue("county_code", f"“{given}”不是吕梁市的县（市、区）代码或名称")])


def _township(services: Services, given: str, county: str) -> str:
    """A township code from a code or a name (names repeat across counties, so they are looked up in one)."""
    given = given.strip()
    if not given or given.isdigit():
        return given
    county = county or services.office_county() or ""
    found = [t for t in services.reference.townships(county or None) if t.label == given]
    if len(found) == 1:
        return found[0].code
    if not found:
        raise ValidationFailed([Issue("township_code", f"找不到名为“{given}”的乡镇（街道），请用代码或检查名称")])
    options = "、".join(t.code for t in found)
    raise ValidationFailed([Issue("township_code", f"有多个“{given}”（{options}），请用乡镇代码或同时给出 --county")])


def _section(given: str) -> str:
    section = given.strip().upper()
    if section and (len(section) != 1 or not "A" <= section <= "T"):
        raise ValidationFailed([Issue("industry_section", f"行业门类应为 A–T 中的一个字母，“{given}”不是")])
    return section


# ---- list

def _labels(services: Services) -> tuple[dict[str, str], dict[str, str]]:
    counties = {c.code: c.label for c in services.reference.counties()}
    sections = {c.code: c.label.split(" ", 1)[-1] for c in services.reference.sections()}
    return counties, sections


def row_json(r: EnterpriseRow, counties: dict[str, str], sections: dict[str, str]) -> dict[str, object]:
    """One register row under the JSON conventions of docs/cli.md."""
    return {
        "id": r.id, "uuid": r.uuid, "uscc": r.uscc, "name": r.name,
        **coded("county_code", r.county_code, counties.get(r.county_code, "")),
        **coded("township_code", r.township_code, r.township_name),
        **coded("industry_section", r.industry_section, sections.get(r.industry_section, "")),
        **coded("size_class", r.size_class, r.size_class_label),
        "above_scale": r.above_scale,
        **coded("business_status", r.business_status, r.business_status_label),
        "legal_representative": r.legal_representative, "contact_person": r.contact_person,
        "contact_phone": r.contact_phone, "registered_on": iso(r.registered_on),
        "latest_year": r.latest_year, "latest_revenue_wan": wan(r.latest_revenue_fen),
        "latest_employees": r.latest_employees, "archived": r.archived, "updated_at": iso(r.updated_at),
        "incomplete": list(r.incomplete),
    }


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    county = _county(services, args.county)
    f = EnterpriseFilter(
        search=args.search, county_code=county, township_code=_township(services, args.township, county),
        industry_section=_section(args.section), size_class=args.size or "",
        above_scale=None if args.above_scale is None else args.above_scale == "yes", archived=args.archived,
        incomplete=args.incomplete)
    rows = services.enterprises.list_rows(f)
    counties, sections = _labels(services)
    if args.format == "json":
        ctx.print_json(listing([row_json(r, counties, sections) for r in rows]))
        return 0
    city = services.office_county() is None
    headers = ["统一社会信用代码", "企业名称"] + (["县（市、区）"] if city else []) + [
        "乡镇（街道）", "门类", "规模", "规上", "营业收入（万元）", "从业人员", "经营状态"]
    table = []
    for r in rows:
        revenue = wan_text(r.latest_revenue_fen)
        table.append([r.uscc, r.name] + ([counties.get(r.county_code, r.county_code)] if city else []) + [
            r.township_name, r.industry_section, r.size_class_label, "是" if r.above_scale else "",
            f"{revenue}（{r.latest_year}）" if revenue else "",
            "" if r.latest_employees is None else str(r.latest_employees), r.business_status_label])
    right = [False] * len(headers)
    right[-3] = right[-2] = True
    widths = [18, 40] + ([8] if city else []) + [20, 4, 4, 4, 24, 8, 8]
    print_table(headers, table, right=right, max_width=widths)
    if args.incomplete:
        for r in rows:
            print(f"{r.name}（{r.uscc}）待补充：" + "；".join(r.incomplete))
    print(f"共 {len(rows)} 家企业" + ("（已归档）" if args.archived else "") + ("，资料待补充" if args.incomplete else ""))
    return 0


# ---- add

def _draft(services: Services, args: argparse.Namespace) -> EnterpriseDraft:
    county = _county(services, args.county)
    ownership = code_of(codes.OWNERSHIP_TYPES, args.ownership, "ownership_type", unknown_passes=True)
    figures = {key: getattr(args, key) for key in FIGURE_OPTIONS if getattr(args, key) is not None}
    years = [YearDraft(year=args.year, **figures)] if figures else []
    return EnterpriseDraft(
        uscc=args.uscc, name=args.name, county_code=county, township_code=_township(services, args.township, county),
        address=args.address, legal_representative=args.legal_rep, contact_person=args.contact,
        contact_phone=args.phone, registered_on=args.registered_on, ownership_type=ownership,
        industry_section=_section(args.section), industry_class=args.industry_class,
        main_products=args.main_products, four_above_category=code_of(codes.FOUR_ABOVE_CATEGORIES, args.four_above, "four_above_category", unknown_passes=True),
        above_scale=bool(args.above_scale_since.strip()),
        above_scale_since=args.above_scale_since, remarks=args.remarks, years=years)


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    figures_given = any(getattr(args, key) is not None for key in FIGURE_OPTIONS)
    if figures_given and args.year is None:
        args.parser.error("填写年度数据时必须用 --year 指明年度")  # exits 2
    services = ctx.office_services(write=True)
    try:
        saved = services.enterprises.save(_draft(services, args))
    except ValidationFailed as refused:
        return report_refusal(refused, "，可用 lvqi enterprise list --search 查看")
    for warning in saved.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    if args.format == "json":
        ctx.print_json({"id": saved.id, "name": saved.name,
                        **coded("size_class", saved.size_class, codes.label(codes.SIZE_CLASSES, saved.size_class)),
                        "warnings": saved.warnings})
        return 0
    size = codes.label(codes.SIZE_CLASSES, saved.size_class) or "未划型"
    print(f"已登记：{saved.name}（编号 {saved.id}，规模：{size}）")
    return 0
