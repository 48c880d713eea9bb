"""`lvqi monitor list|completeness|add|form|sample`: 运行监测 monthly reports from the command line."""

from __future__ import annotations

import argparse
import sys

from lvqi_desktop.cli.activity_args import day
from lvqi_desktop.cli.activity_args import enterprise_id
from lvqi_desktop.cli.activity_args import report_refusal
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.cli.output import wan
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import codes
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import NeedsConfirmation
from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.services.monitoring_rows import GridRow
from lvqi_desktop.validation.monitoring_form import default_form
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.numbers import parse_wan_to_fen

PERIOD_HELP = "月份，如 2026-10"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "monitor", "运行监测：月报、报送情况、监测样本", "中小企业运行监测")

    ls = commands.add_parser("list", help="列出一个月全部监测企业的月报")
    ls.add_argument("--period", required=True, help=PERIOD_HELP)
    printing_handler(ls, run_list)

    done = commands.add_parser("completeness", help="一个月的应报、已报、按时报送情况")
    done.add_argument("--period", required=True, help=PERIOD_HELP)
    printing_handler(done, run_completeness)

    add = commands.add_parser("add", help="填报（或更正）一家企业一个月的月报")
    add.add_argument("--enterprise", required=True, help="企业编号或统一社会信用代码")
    add.add_argument("--period", required=True, help=PERIOD_HELP)
    add.add_argument("--value", action="append", default=[], metavar="KEY=VALUE",
                     help="一项数值（金额单位万元），如 revenue_ytd=1234.5、domestic_orders=增加；"
                          "多选用顿号分隔。可重复；项目见 lvqi monitor form")
    add.add_argument("--received", metavar="YYYY-MM-DD", help="报送日期（默认今天）")
    add.add_argument("--confirm", action="store_true", help="数值与近几个月相差超过50%%或超过一千亿元时，确认已核实")
    printing_handler(add, run_add)

    form = commands.add_parser("form", help="显示月报表式（字段、单位、可选项）")
    printing_handler(form, run_form)

    sample_cmds = command_group(commands, "sample", "监测样本：列出、加入")
    sls = sample_cmds.add_parser("list", help="列出监测样本及小微企业占比")
    printing_handler(sls, run_sample_list)
    sadd = sample_cmds.add_parser("add", help="把一家企业加入监测样本")
    sadd.add_argument("--uscc", required=True, help="统一社会信用代码（或企业编号）")
    sadd.add_argument("--from", dest="since", required=True, metavar="YYYY-MM-DD", help="纳入监测日期")
    sadd.add_argument("--note", default="", help="备注")
    printing_handler(sadd, run_sample_add)


def _service(services: Services) -> MonitoringService:
    return services.monitoring


def _value_json(service: MonitoringService, values: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in service.form.fields:
        if f.key not in values:
            continue
        value = values[f.key]
        if f.kind == "money":
            out[f"{f.key}_wan"] = wan(value)  # type: ignore[arg-type]
        else:
            out[f.key] = value
    return out


def grid_json(service: MonitoringService, r: GridRow, stored: dict[str, object]) -> dict[str, object]:
    return {"enterprise_id": r.enterprise_id, "uscc": r.uscc, "name": r.name,
            **coded("size_class", r.size_class, codes.label(codes.SIZE_CLASSES, r.size_class)),
            "report_id": r.report_id, "received_on": iso(r.received_on), **coded("status", r.status, r.status_label),
            "confirmed": r.confirmed, "warnings": r.warnings or None, "values": _value_json(service, stored),
            "yoy": {k: (None if v is None else round(v, 6)) for k, v in r.yoy.items()}}


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    service = _service(services)
    month = service.month(args.period)
    rows = service.month_grid(month.code)
    if args.format == "json":
        stored = service.stored_month(month.code)
        ctx.print_json({**listing([grid_json(service, r, stored.get(r.enterprise_id, {})) for r in rows]),
                        "period": month.code, "form_version": service.form.version})
        return 0
    shown = ("revenue_ytd", "profit_ytd", "employees")
    fields = [service.form.field(k) for k in shown]
    print_table(["企业", "统一社会信用代码", "状态", "报送日期", *[f.header for f in fields]],
                [[r.name, r.uscc, r.status_label, iso(r.received_on) or "",
                  *[_cell(r.values.get(f.key, ""), f.kind) for f in fields]] for r in rows],
                right=[False] * 4 + [True] * len(fields), max_width=[30, 18, 12, 10, 18, 18, 16])
    print(f"{month.label}：共 {len(rows):,} 家监测企业，已报 {sum(r.report_id is not None for r in rows):,} 家")
    return 0


def _cell(text: str, kind: str) -> str:
    if not text or kind != "money":
        return text
    return fen_to_wan_text(parse_wan_to_fen(text, "", "", allow_negative=True, issues=[]))


def run_completeness(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    done = _service(services).completeness(args.period)
    if args.format == "json":
        ctx.print_json({**listing([{"enterprise_id": r.enterprise_id, "uscc": r.uscc, "name": r.name,
                                    "received_on": iso(r.received_on), **coded("status", r.status, r.status_label)}
                                   for r in done.rows]),
                        "period": done.period, "due_on": iso(done.due_on), "expected": done.expected,
                        "received": done.received, "on_time": done.on_time, "missing": len(done.missing),
                        "received_rate": done.received_rate, "on_time_rate": done.on_time_rate})
        return 0
    print_table(["企业", "统一社会信用代码", "状态", "报送日期"],
                [[r.name, r.uscc, r.status_label, iso(r.received_on) or ""] for r in done.rows],
                max_width=[36, 18, 14, 10])
    rate = f"{done.on_time_rate * 100:.1f}%" if done.on_time_rate is not None else "—"
    print(f"{done.period}：应报 {done.expected:,} 家，已报 {done.received:,} 家，按时 {done.on_time:,} 家"
          f"（及时率 {rate}），截止日 {done.due_on.isoformat()}")
    return 0


def _values(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed([Issue("value", f"“{pair}”应写成 项目=数值，如 revenue_ytd=1234.5")])
        out[key.strip()] = value
    return out


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    service = _service(services)
    try:
        draft = ReportDraft(enterprise_id(services, args.enterprise), args.period, _values(args.value),
                            day(args.received, "报送日期") if args.received else None)
        saved = service.save_report(draft, confirmed=args.confirm)
    except NeedsConfirmation as asked:
        for issue in asked.issues:
            print(f"提示：{issue.message}", file=sys.stderr)
        print("未保存。核实无误后加 --confirm 再次执行。", file=sys.stderr)
        return 1
    except ValidationFailed as refused:
        return report_refusal(refused)
    if args.format == "json":
        ctx.print_json({"id": saved.report_id, "enterprise_id": saved.enterprise_id, "period": saved.period,
                        "updated": saved.updated, "warnings": list(saved.warnings)})
    else:
        print(f"已{'更正' if saved.updated else '填报'} {saved.period} 月报（编号 {saved.report_id}）")
    return 0


def run_form(ctx: CliContext, args: argparse.Namespace) -> int:
    form = default_form()
    if args.format == "json":
        ctx.print_json(form.to_json())
        return 0
    print_table(["项目", "名称", "类型", "单位", "可选项"],
                [[f.key, f.label, f.kind, f.unit, "/".join(f.choices)] for f in form.fields],
                max_width=[18, 24, 8, 8, 60])
    print(f"表式版本 {form.version}，共 {len(form.fields)} 项")
    return 0


def run_sample_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    service = _service(services)
    rows, check = service.sample(), service.sample_check()
    if args.format == "json":
        ctx.print_json({**listing([{"enterprise_id": r.enterprise_id, "uscc": r.uscc, "name": r.name,
                                    **coded("size_class", r.size_class, codes.label(codes.SIZE_CLASSES, r.size_class)),
                                    "monitored_from": iso(r.monitored_from), "monitored_to": iso(r.monitored_to),
                                    "note": r.note} for r in rows]),
                        "small_micro": check.small_micro, "small_micro_share": check.share, "sample_ok": check.ok,
                        "message": check.message})
        return 0
    print_table(["企业", "统一社会信用代码", "规模", "纳入日期", "退出日期"],
                [[r.name, r.uscc, codes.label(codes.SIZE_CLASSES, r.size_class), iso(r.monitored_from) or "",
                  iso(r.monitored_to) or ""] for r in rows], max_width=[36, 18, 6, 10, 10])
    print(check.message)
    return 0


def run_sample_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    service = _service(services)
    try:
        since = day(args.since, "纳入监测日期")
        assert since is not None
        row = service.add_to_sample(enterprise_id(services, args.uscc), since, args.note)
    except ValidationFailed as refused:
        return report_refusal(refused)
    check = service.sample_check()
    if args.format == "json":
        ctx.print_json({"enterprise_id": row.enterprise_id, "uscc": row.uscc, "name": row.name,
                        "monitored_from": iso(row.monitored_from), "sample_ok": check.ok, "message": check.message})
    else:
        print(f"已将“{row.name}”自 {row.monitored_from.isoformat()} 起纳入监测样本。{check.message}")
    return 0
