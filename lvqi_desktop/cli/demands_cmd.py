"""`lvqi demand list|board|add|transition|sheet`: the demand ledger through the same service as the GUI."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from lvqi_desktop.cli.activity_args import code_of
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
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.demands import AGE_BUCKETS
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import SATISFACTIONS
from lvqi_desktop.models.demands import TRANSITIONS
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.demands import DemandFilter
from lvqi_desktop.services.demands import TransitionDraft

ACTIONS = {a: v[0] for a, v in TRANSITIONS.items() if a != "edit"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "demand", "企业诉求台账：列出、登记、办理", "企业诉求台账")

    ls = commands.add_parser("list", help="列出诉求（可筛选）")
    ls.add_argument("--status", action="append", default=[],
                    help="状态（可重复或用逗号分隔）：" + "、".join(DEMAND_STATUSES.values()))
    ls.add_argument("--category", default="", help="类别：" + "、".join(DEMAND_CATEGORIES.values()))
    ls.add_argument("--unit", default="", help="责任单位或协办单位")
    ls.add_argument("--overdue", action="store_true", help="只列逾期的（超过办理时限且未办结）")
    ls.add_argument("--age", default="", help="受理时长：le7（≤7天）、d8_30（8–30天）、gt30（>30天）、overdue")
    ls.add_argument("--search", default="", help="编号、企业名称或问题描述片段")
    printing_handler(ls, run_list)

    board = commands.add_parser("board", help="诉求看板：各状态数量及受理时长分布")
    printing_handler(board, run_board)

    add = commands.add_parser("add", help="登记一条诉求（待受理）")
    add.add_argument("--enterprise", required=True, help="企业编号或统一社会信用代码")
    add.add_argument("--category", required=True, help="类别")
    add.add_argument("--description", required=True, help="问题描述")
    add.add_argument("--source", default="self", help="来源：" + "、".join(DEMAND_SOURCES.values()))
    add.add_argument("--urgency", default="normal", help="紧急程度：" + "、".join(DEMAND_URGENCIES.values()))
    add.add_argument("--received-on", metavar="YYYY-MM-DD", help="受理日期（默认今天）")
    printing_handler(add, run_add)

    step = commands.add_parser("transition", help="办理一步：交办、开始办理、办结、解释、回访、重新办理、销号…")
    step.add_argument("number", help="诉求编号，如 141102-2026-0001")
    step.add_argument("action", help="操作：" + "、".join(f"{k}（{v}）" for k, v in ACTIONS.items()))
    step.add_argument("--on", metavar="YYYY-MM-DD", help="发生日期（默认今天）")
    step.add_argument("--unit", default="", help="交办：责任单位")
    step.add_argument("--co-units", default="", help="交办：协办单位（用、分隔）")
    step.add_argument("--contact", default="", help="交办：责任单位联系人及电话")
    step.add_argument("--due", metavar="YYYY-MM-DD", help="交办：办理时限")
    step.add_argument("--result", default="", help="办结：办理结果；解释：解释说明")
    step.add_argument("--satisfaction", default="", help="回访：满意、基本满意、不满意")
    step.add_argument("--by", default="", help="回访：回访人")
    step.add_argument("--note", default="", help="进展说明，或重新办理的理由")
    printing_handler(step, run_transition)

    sheet = commands.add_parser("sheet", help="交办单：默认输出内容（JSON）；--out 生成 PDF")
    sheet.add_argument("number", help="诉求编号")
    sheet.add_argument("--out", metavar="PATH",
                       help="把交办单写成 PDF：文件路径，或文件夹（文件名为 交办单-<编号>.pdf）")
    sheet.set_defaults(handler=run_sheet)


def demand_json(r: DemandRow) -> dict[str, object]:
    """One ledger row under the JSON conventions of docs/cli.md."""
    return {
        "id": r.id, "number": r.number, "enterprise_id": r.enterprise_id, "enterprise_name": r.enterprise_name,
        "uscc": r.uscc, **coded("source", r.source, r.source_label), **coded("category", r.category, r.category_label),
        "description": r.description, **coded("urgency", r.urgency, r.urgency_label),
        "received_on": iso(r.received_on), **coded("status", r.status, r.status_label),
        "responsible_unit": r.responsible_unit or None, "co_units": [u for u in r.co_units.split("、") if u],
        "due_on": iso(r.due_on), "closed_on": iso(r.closed_on), "first_closed_on": iso(r.first_closed_on),
        "closed_on_time": r.closed_on_time, "reopen_count": r.reopen_count,
        **coded("satisfaction", r.satisfaction, r.satisfaction_label), "result": r.result or None,
        "overdue": r.overdue, "age_days": r.age_days, **coded("age_bucket", r.age_bucket, r.age_bucket_label),
        "visit_id": r.visit_id, "helper_name": r.helper_name or None, "allowed_actions": list(r.allowed_actions),
    }


def _statuses(given: list[str]) -> tuple[str, ...]:
    names = [s for chunk in given for s in chunk.replace("，", ",").split(",") if s.strip()]
    return tuple(code_of(DEMAND_STATUSES, s, "status", "诉求状态") for s in names)


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    f = DemandFilter(statuses=_statuses(args.status),
                     category=code_of(DEMAND_CATEGORIES, args.category, "category", "诉求类别") if args.category else "",
                     unit=args.unit.strip(), overdue=True if args.overdue else None,
                     age_bucket=code_of(AGE_BUCKETS, args.age, "age", "办理时长") if args.age else "", search=args.search)
    rows = services.demands.list_demands(f)
    if args.format == "json":
        ctx.print_json(listing([demand_json(r) for r in rows]))
        return 0
    print_table(["编号", "企业", "类别", "受理日期", "状态", "责任单位", "办理时限", "逾期", "重办"],
                [[r.number, r.enterprise_name, r.category_label, iso(r.received_on) or "", r.status_label,
                  r.responsible_unit, iso(r.due_on) or "", "逾期" if r.overdue else "",
                  str(r.reopen_count or "")] for r in rows], max_width=[16, 30, 10, 10, 10, 20, 10, 4, 4])
    print(f"共 {len(rows)} 条诉求，其中逾期 {sum(r.overdue for r in rows)} 条")
    return 0


def run_board(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    rows = services.demands.board()
    if args.format == "json":
        ctx.print_json(listing([{**coded("status", r.status, r.status_label), "total": r.total, "le7": r.le7,
                                 "d8_30": r.d8_30, "gt30": r.gt30, "overdue": r.overdue} for r in rows]))
        return 0
    print_table(["状态", "合计", "≤7天", "8–30天", ">30天", "逾期"],
                [[r.status_label, str(r.total), str(r.le7), str(r.d8_30), str(r.gt30), str(r.overdue)] for r in rows],
                right=[False, True, True, True, True, True])
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    try:
        draft = DemandDraft(enterprise_id(services, args.enterprise),
                            code_of(DEMAND_SOURCES, args.source, "source", "诉求来源"),
                            code_of(DEMAND_CATEGORIES, args.category, "category", "诉求类别"), args.description,
                            urgency=code_of(DEMAND_URGENCIES, args.urgency, "urgency", "紧急程度"),
                            received_on=day(args.received_on, "受理日期") or services.demands.today())
        saved = services.demands.register(draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    if args.format == "json":
        ctx.print_json({"id": saved.id, "number": saved.number, **coded("status", saved.status, "待受理")})
    else:
        print(f"已登记诉求 {saved.number}（待受理）")
    return 0


def run_transition(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    demand_id = services.demands.find_id(args.number)
    try:
        action = code_of(ACTIONS, args.action, "action", "办理环节")
        step = TransitionDraft(action, day(args.on, "日期"), args.note, args.result, args.unit, args.co_units,
                               args.contact, day(args.due, "办理时限"),
                               code_of(SATISFACTIONS, args.satisfaction, "satisfaction", "回访满意度") if args.satisfaction else "",
                               args.by)
        row = services.demands.transition(demand_id, step)
    except ValidationFailed as refused:
        return report_refusal(refused)
    if args.format == "json":
        ctx.print_json(demand_json(row))
    else:
        print(f"诉求 {row.number}：{ACTIONS[action]}完成，当前状态：{row.status_label}")
    return 0


def run_sheet(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    demand_id = services.demands.find_id(args.number)
    if args.out is not None:
        path = services.demands.export_handover_sheet(demand_id, args.out)
        print(f"已生成交办单：{path}")
        return 0
    sheet = services.demands.handover_sheet(demand_id)
    ctx.print_json({k: (iso(v) if hasattr(v, "isoformat") else list(v) if isinstance(v, tuple) else v)
                    for k, v in asdict(sheet).items()})
    return 0
