"""`lvqi base list|add|level|year` and `lvqi base tenant add|out`: the 双创基地 ledger through the same service as the GUI."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from lvqi_desktop.cli.activity_args import code_of
from lvqi_desktop.cli.activity_args import report_refusal
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bases import BaseFilter
from lvqi_desktop.services.bases import BaseRow
from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.services.bases import YearDraft
from lvqi_desktop.services.bases import YearFigures
from lvqi_desktop.services.bundle import Services


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "base", "双创基地：列出、登记、变更层级、入驻企业、年度数据",
                             "小微企业双创基地台账（吕企发〔2022〕22号第2、3、7条）")

    ls = commands.add_parser("list", help="列出双创基地", description="列出本县（市、区）的双创基地及指定年度的数据。")
    ls.add_argument("--kind", default="", help="基地类型代码或名称（如 ecommerce 或 电商产业园）")
    ls.add_argument("--level", default="", help="认定层级代码或名称（如 city 或 市级）")
    ls.add_argument("--year", type=int, help="年度数据的年份（默认今年）")
    ls.add_argument("--archived", action="store_true", help="列出已归档的基地")
    printing_handler(ls, run_list)

    add = commands.add_parser("add", help="登记一个双创基地",
                              description="登记双创基地；已认定为市级/省级的须给出认定日期和文号。校验不通过时不保存，退出码 1。")
    add.add_argument("--name", required=True, help="基地名称")
    add.add_argument("--kind", required=True, help="基地类型代码或名称")
    # not --operator: that global option names the person recorded in the change history
    add.add_argument("--operating-entity", default="", metavar="NAME", help="运营主体名称（单位名）")
    add.add_argument("--operating-entity-type", default="", metavar="TYPE",
                     help="运营主体性质（国有企业、民营企业、龙头企业…）")
    add.add_argument("--address", default="", help="地址")
    add.add_argument("--township", default="", metavar="CODE", help="乡镇（街道）代码")
    add.add_argument("--area", default="", metavar="M2", help="建筑面积（平方米）")
    add.add_argument("--opened-on", default="", metavar="YYYY-MM-DD", help="投入运营日期")
    add.add_argument("--level", default="", help="当前认定层级（默认 培育）：培育、申报市级、市级、申报省级、省级")
    add.add_argument("--city-applied-on", default="", metavar="YYYY-MM-DD", help="申报市级日期")
    add.add_argument("--city-recognized-on", default="", metavar="YYYY-MM-DD", help="市级认定日期")
    add.add_argument("--city-document-no", default="", help="市级认定文号")
    add.add_argument("--provincial-applied-on", default="", metavar="YYYY-MM-DD", help="申报省级日期")
    add.add_argument("--provincial-recognized-on", default="", metavar="YYYY-MM-DD", help="省级认定日期")
    add.add_argument("--provincial-document-no", default="", help="省级认定文号")
    add.add_argument("--services", default="", help="提供的服务")
    add.add_argument("--facilities", default="", help="共享设施")
    add.add_argument("--contact", default="", help="联系人")
    add.add_argument("--phone", default="", help="联系电话")
    printing_handler(add, run_add)

    level = commands.add_parser("level", help="变更认定层级",
                                description="培育 → 申报市级 → 市级 → 申报省级 → 省级，或撤销；认定须给出文号，撤销须给出原因。")
    level.add_argument("--base", required=True, help="基地编号或名称")
    level.add_argument("--to", required=True, help="新层级代码或名称")
    level.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="生效日期（认定日期、申报日期或撤销日期）")
    level.add_argument("--document-no", default="", help="认定文号（变为市级、省级时必填）")
    level.add_argument("--reason", default="", help="原因或说明（撤销时必填）")
    level.set_defaults(handler=run_level)

    year = commands.add_parser("year", help="填报基地年度数据",
                               description="填报入驻企业数、当年新入驻数、带动就业人数；规上、专精特新企业数自动统计。")
    year.add_argument("--base", required=True, help="基地编号或名称")
    year.add_argument("--year", required=True, help="年度")
    year.add_argument("--tenants", default="", help="入驻企业（户）")
    year.add_argument("--new-tenants", default="", help="当年新入驻（户）")
    year.add_argument("--jobs", default="", help="带动就业（人）")
    year.set_defaults(handler=run_year)

    tenants = command_group(commands, "tenant", "入驻企业：登记入驻、迁出", "基地的入驻企业（须为企业库中的企业）")
    t_add = tenants.add_parser("add", help="登记一家企业入驻", description="登记企业库中的企业入驻基地；已归档的企业不能入驻。")
    t_add.add_argument("--base", required=True, help="基地编号或名称")
    t_add.add_argument("--uscc", required=True, help="入驻企业的统一社会信用代码")
    t_add.add_argument("--moved-in-on", required=True, metavar="YYYY-MM-DD", help="入驻日期")
    t_add.add_argument("--moved-out-on", default="", metavar="YYYY-MM-DD", help="迁出日期（补登已迁出的企业时）")
    t_add.add_argument("--note", default="", help="备注")
    t_add.set_defaults(handler=run_tenant_add)
    t_out = tenants.add_parser("out", help="登记企业迁出", description="登记入驻企业迁出；迁出日期不能早于入驻日期。")
    t_out.add_argument("--base", required=True, help="基地编号或名称")
    t_out.add_argument("--uscc", required=True, help="迁出企业的统一社会信用代码")
    t_out.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="迁出日期")
    t_out.add_argument("--reason", default="", help="迁出原因")
    t_out.set_defaults(handler=run_tenant_out)


def _base_id(bases: BaseService, given: str) -> int:
    rows = bases.list_bases(BaseFilter(archived=None))
    given = given.strip()
    for r in rows:
        if given == str(r.id) or given == r.name:
            return r.id
    raise ValidationFailed([Issue("base", f"没有编号或名称为“{given}”的双创基地。可用 lvqi base list 查看。")])


def base_json(r: BaseRow, f: YearFigures | None) -> dict[str, object]:
    out: dict[str, object] = {
        "id": r.id, "uuid": r.uuid, "county_code": r.county_code, "name": r.name, **coded("kind", r.kind, r.kind_label),
        "operator_name": r.operator_name or None, "operator_type": r.operator_type or None,
        "address": r.address or None, **coded("township_code", r.township_code, r.township_name),
        "floor_area_m2": r.floor_area_m2, "opened_on": iso(r.opened_on), **coded("level", r.level, r.level_label),
        "level_on": iso(r.level_on), "city_recognized_on": iso(r.city_recognized_on),
        "city_document_no": r.city_document_no or None, "provincial_recognized_on": iso(r.provincial_recognized_on),
        "provincial_document_no": r.provincial_document_no or None, "services_offered": r.services_offered or None,
        "shared_facilities": r.shared_facilities or None, "current_tenants": r.current_tenants,
        "archived": r.archived,
    }
    if f is not None:
        out["year"] = {"year": f.year, "tenants": f.tenants, "new_tenants": f.new_tenants, "jobs": f.jobs,
                       "linked_tenants": f.linked_tenants, "linked_new_tenants": f.linked_new,
                       "above_scale_tenants": f.above_scale, "srdi_tenants": f.srdi}
    return out


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    bases = services.bases
    f = BaseFilter(kind=code_of(bases.kind_choices(), args.kind, "kind", "基地类型", blank=True),
                   level=code_of(bases.level_choices(), args.level, "level", "认定层级", blank=True), archived=args.archived)
    rows = bases.list_bases(f)
    year = args.year or bases.today().year
    figures = bases.figures(year, [r.id for r in rows])
    if args.format == "json":
        ctx.print_json(listing([base_json(r, figures.get(r.id)) for r in rows]))
        return 0

    def n(value: int | None) -> str:
        return "" if value is None else f"{value:,}"

    headers = ["编号", "基地名称", "类型", "层级", "认定日期", "认定文号", "在驻企业", f"{year}年入驻", "就业", "规上", "专精特新"]
    table = [[str(r.id), r.name, r.kind_label, r.level_label, iso(r.recognized_on) or "", r.document_no,
              n(r.current_tenants), n(figures[r.id].tenants), n(figures[r.id].jobs), n(figures[r.id].above_scale),
              n(figures[r.id].srdi)] for r in rows]
    print_table(headers, table, max_width=[6, 30, 16, 8, 10, 24, 8, 8, 8, 6, 8])
    print(f"共 {len(rows)} 个双创基地")
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    bases = services.bases
    draft = BaseDraft(name=args.name, kind=args.kind, operator_name=args.operating_entity, operator_type=args.operating_entity_type,
                      address=args.address, township_code=args.township, floor_area=args.area,
                      opened_on=args.opened_on, level=args.level, city_applied_on=args.city_applied_on,
                      city_recognized_on=args.city_recognized_on, city_document_no=args.city_document_no,
                      provincial_applied_on=args.provincial_applied_on,
                      provincial_recognized_on=args.provincial_recognized_on,
                      provincial_document_no=args.provincial_document_no, services_offered=args.services,
                      shared_facilities=args.facilities, contact_person=args.contact, contact_phone=args.phone)
    try:
        base_id = bases.save_base(draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    row = bases.base(base_id)[0]
    if args.format == "json":
        ctx.print_json(base_json(row, None))
        return 0
    print(f"已登记双创基地：{row.name}（{row.kind_label}，{row.level_label}；编号 {row.id}）")
    return 0


def _write_to_base(ctx: CliContext, given: str, change: Callable[[Services, int], str]) -> int:
    """One write to the base `given` names (its id or name): print what `change` says it did, or why it was refused."""
    services = ctx.office_services(write=True)
    try:
        done = change(services, _base_id(services.bases, given))
    except ValidationFailed as refused:
        return report_refusal(refused)
    print(done)
    return 0


def run_level(ctx: CliContext, args: argparse.Namespace) -> int:
    def change(services: Services, base_id: int) -> str:
        services.bases.change_level(base_id, args.to, args.on, args.document_no, args.reason)
        row = services.bases.base(base_id)[0]
        return f"已变更层级：{row.name} → {row.level_label}（{iso(row.level_on)}）"
    return _write_to_base(ctx, args.base, change)


def run_year(ctx: CliContext, args: argparse.Namespace) -> int:
    def change(services: Services, base_id: int) -> str:
        bases = services.bases
        bases.save_year(base_id, YearDraft(year=args.year, tenants=args.tenants, new_tenants=args.new_tenants,
                                           jobs=args.jobs))
        f = bases.figures(int(args.year), [base_id])[base_id]
        return (f"已保存 {f.year} 年数据：入驻 {f.tenants if f.tenants is not None else '—'} 户，"
                f"带动就业 {f.jobs if f.jobs is not None else '—'} 人；台账中规上 {f.above_scale} 户、专精特新 {f.srdi} 户")
    return _write_to_base(ctx, args.base, change)


def run_tenant_add(ctx: CliContext, args: argparse.Namespace) -> int:
    def change(services: Services, base_id: int) -> str:
        bases = services.bases
        firm = services.enterprises.id_by_uscc(args.uscc)
        tenant_id = bases.add_tenant(base_id, firm, args.moved_in_on, args.moved_out_on or None, args.note)
        t = next(t for t in bases.tenants(base_id) if t.id == tenant_id)
        return f"已登记入驻：{t.name} → {bases.base(base_id)[0].name}（{iso(t.moved_in_on)}）"
    return _write_to_base(ctx, args.base, change)


def run_tenant_out(ctx: CliContext, args: argparse.Namespace) -> int:
    def change(services: Services, base_id: int) -> str:
        firm = services.enterprises.id_by_uscc(args.uscc)
        current = [t for t in services.bases.tenants(base_id, include_moved_out=False) if t.enterprise_id == firm]
        if not current:
            raise ValidationFailed([Issue("uscc", "该企业目前不在本基地入驻名单中。")])
        services.bases.move_out_tenant(current[0].id, args.on, args.reason)
        return f"已登记迁出：{current[0].name}（{args.on}）"
    return _write_to_base(ctx, args.base, change)
