"""`lvqi init` (which office this data folder belongs to) and `lvqi check` (integrity check)."""

from __future__ import annotations

import argparse
import sys

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.office import CITY_CENTER_NAME
from lvqi_desktop.models.office import OFFICE_KIND_CITY
from lvqi_desktop.models.office import OFFICE_KIND_COUNTY
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.integrity import IntegrityReport
from lvqi_desktop.services.office import default_office_name
from lvqi_desktop.services.startup import server_address

DEFAULT_PREPARER = "管理员"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help="设置本数据文件夹属于哪个单位（县区或市中心）",
                          description="设置本数据文件夹属于哪个单位。已有企业记录后不能再改为其他单位。")
    which = init.add_mutually_exclusive_group(required=True)
    which.add_argument("--county", metavar="CODE", help="县（市、区）的6位区划代码（如 141102）或名称（如 离石区）")
    which.add_argument("--city", action="store_true", help="本机是吕梁市中小企业服务中心（汇总全市）")
    init.add_argument("--name", help="单位名称（默认：吕梁市××中小企业服务中心）")
    init.add_argument("--preparer", help=f"默认填报人姓名（默认：--operator 或“{DEFAULT_PREPARER}”）")
    printing_handler(init, run_init)

    check = sub.add_parser("check", help="检查数据库是否完好（完整性、外键、结构版本、本单位设置）",
                           description="检查数据库；发现问题时退出码为 1，并在标准错误输出说明。")
    check.add_argument("--repair", action="store_true",
                       help="去除旧记录文字中看不见的字符（控制符、零宽字符、文字方向符），一次写入")
    printing_handler(check, run_check)


def _county_code(services: Services, given: str) -> str:
    """The county's code from a code or a name; refused with the list of valid ones."""
    counties = services.reference.counties()
    for c in counties:
        if given.strip() in (c.code, c.label):
            return c.code
    choices = "、".join(f"{c.code} {c.label}" for c in counties)
    raise ValidationFailed([Issue("county_code", f"“{given}”不是吕梁市的县（市、区）。可选：{choices}")])


def run_init(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.services(write=True)
    if args.city:
        kind, code, county_name = OFFICE_KIND_CITY, None, None
    else:
        kind, code = OFFICE_KIND_COUNTY, _county_code(services, args.county)
        county_name = next(c.label for c in services.reference.counties() if c.code == code)
    name = args.name if args.name is not None else (default_office_name(county_name) if code else CITY_CENTER_NAME)
    preparer = args.preparer if args.preparer is not None else (args.acting_operator or DEFAULT_PREPARER)
    info = services.office.set_up(kind, code, name, preparer)
    services.forget_office()
    digits = services.keys.own().public.digits  # the installation's key pair is made at setup
    if args.format == "json":
        ctx.print_json({
            "office_kind": info.kind, **coded("county_code", info.county_code, info.county_name),
            "name": info.name, "default_preparer": info.default_preparer, "data_dir": str(ctx.data_dir.root),
            "key_digits": digits})
        return 0
    where = "吕梁市（全市）" if info.is_city else f"{info.county_code} {info.county_name}"
    print(f"已设置本单位：{info.name}（{where}）")
    print(f"默认填报人：{info.default_preparer}")
    print(f"数据文件夹：{ctx.data_dir.root}")
    print(f"本机公钥指纹：{digits}（lvqi key export 导出公钥文件交对方登记）")
    return 0


def _report_json(report: IntegrityReport, ctx: CliContext, counties: dict[str, str]) -> dict[str, object]:
    return {
        "ok": report.ok, "problems": report.problems, "data_dir": str(ctx.data_dir.root),
        "database": str(report.database), "database_bytes": report.database_bytes,
        "schema_revision": report.schema_revision, "head_revision": report.head_revision,
        "min_program_version": report.min_program_version,
        "office": None if report.office_kind is None else {
            "office_kind": report.office_kind,
            **coded("county_code", report.office_county_code, counties.get(report.office_county_code or "", "")),
            "name": report.office_name},
        "counts": report.counts, "integrity_check": "ok" if not report.integrity_messages else "failed",
        "integrity_messages": report.integrity_messages, "foreign_key_problems": report.foreign_key_problems,
    }


def run_check(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.services(write=args.repair)
    report = services.integrity.check()
    texts = services.text_repair
    dirty = texts.repair() if args.repair and report.ok else texts.find()
    if args.repair and report.ok:
        print(f"已去除 {sum(d.count for d in dirty)} 个看不见的字符（{len(dirty)} 处文字）。", file=sys.stderr)
        dirty = []
    elif dirty:
        shown = "；".join(f"{d.table} 第{d.row_id}条 {d.field}：“{d.cleaned[:20]}”" for d in dirty[:5])
        report.problems.append(f"有 {len(dirty)} 处文字含看不见的字符（{shown}{'等' if len(dirty) > 5 else ''}）。"
                               "运行 lvqi check --repair 可一次去除")
    if args.format == "json":
        counties = {c.code: c.label for c in services.reference.counties()}
        ctx.print_json(_report_json(report, ctx, counties))
    else:
        c = report.counts
        office = (f"{report.office_name}（{report.office_county_code or '全市'}）" if report.office_kind
                  else "（尚未设置）")
        rows = [
            ["数据库文件", f"{report.database}（{report.database_bytes / 1048576:.1f} MB）"] if not services.on_server
            else ["数据库", f"PostgreSQL 服务器（{server_address(ctx.data_dir.server or '')}）"],
            ["结构版本", f"{report.schema_revision or '（无）'}（本程序：{report.head_revision}）"],
            ["最低程序版本", report.min_program_version or "（无）"],
            ["本单位", office],
            ["企业", f"{c['enterprises']} 家在册，{c['archived_enterprises']} 家已归档"],
            ["年度数据", f"{c['enterprise_years']} 条"],
            ["操作员", f"{c['operators']} 人"],
            ["完整性检查", "通过" if not report.integrity_messages else "未通过"],
            ["外键检查", "未能完成" if report.foreign_key_problems is None else
             "通过" if not report.foreign_key_problems else f"{report.foreign_key_problems} 处问题"],
            ["结论", "正常" if report.ok else f"发现 {len(report.problems)} 个问题"],
        ]
        print_table(["项目", "结果"], rows)
    if report.ok:
        return 0
    for problem in report.problems:
        print(f"错误：{problem}", file=sys.stderr)
    return 1
