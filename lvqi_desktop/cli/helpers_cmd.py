"""`lvqi helper list|add|assign|coverage`: helpers, their assignments and the coverage matrix."""

from __future__ import annotations

import argparse

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
from lvqi_desktop.models.helpers import ASSIGNMENT_ROLES
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.services.helper_rows import CoverageRow
from lvqi_desktop.services.helper_rows import HelperRow
from lvqi_desktop.services.helpers import AssignmentDraft
from lvqi_desktop.services.helpers import HelperDraft


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "helper", "包联帮扶：帮扶干部、包联企业、联系频次", "包联帮扶")

    ls = commands.add_parser("list", help="列出帮扶干部")
    ls.add_argument("--active", action="store_true", help="只列在岗的")
    ls.add_argument("--search", default="", help="姓名、职务或单位片段")
    printing_handler(ls, run_list)

    add = commands.add_parser("add", help="登记一名帮扶干部")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--post", default="", help="职务")
    add.add_argument("--unit", default="", help="单位")
    add.add_argument("--level", default="county", help="级别：市级（city）或 县级（county），默认县级")
    add.add_argument("--phone", default="", help="联系电话")
    printing_handler(add, run_add)

    assign = commands.add_parser("assign", help="安排包联：企业 ↔ 帮扶干部")
    assign.add_argument("--enterprise", required=True, help="企业编号或统一社会信用代码")
    assign.add_argument("--helper", type=int, required=True, help="帮扶干部编号")
    assign.add_argument("--role", default="helper", help="包联领导（lead）或 帮扶干部（helper）")
    assign.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD", help="开始日期")
    assign.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD", help="结束日期（可不填）")
    assign.add_argument("--visits", type=int, default=1, help="每个周期至少联系次数（默认1）")
    assign.add_argument("--months", type=int, default=1, help="周期月数（默认1，即每月）")
    assign.set_defaults(handler=run_assign)

    cov = commands.add_parser("coverage", help="包联覆盖情况：本月、本季度走访次数与要求")
    cov.add_argument("--behind", action="store_true", help="只列未达到联系频次的")
    printing_handler(cov, run_coverage)


def helper_json(h: HelperRow) -> dict[str, object]:
    return {"id": h.id, "name": h.name, "post": h.post, "unit": h.unit,
            **coded("level", h.level, h.level_label), "phone": h.phone, "active": h.active,
            "archived": h.archived, "enterprise_count": h.enterprise_count}


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    rows = services.helpers.list_helpers(active_only=args.active, search=args.search)
    if args.format == "json":
        ctx.print_json(listing([helper_json(h) for h in rows]))
        return 0
    print_table(["编号", "姓名", "职务", "单位", "级别", "电话", "在岗", "包联企业"],
                [[str(h.id), h.name, h.post, h.unit, h.level_label, h.phone, "是" if h.active else "否",
                  str(h.enterprise_count)] for h in rows],
                right=[True, False, False, False, False, False, False, True])
    print(f"共 {len(rows)} 名帮扶干部")
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    try:
        draft = HelperDraft(args.name, args.post, args.unit, code_of(HELPER_LEVELS, args.level, "level", "层级"), args.phone)
        helper_id = services.helpers.save_helper(draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    if args.format == "json":
        ctx.print_json({"id": helper_id, "name": draft.name})
    else:
        print(f"已登记帮扶干部：{draft.name}（编号 {helper_id}）")
    return 0


def run_assign(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    try:
        draft = AssignmentDraft(enterprise_id(services, args.enterprise), args.helper, None,
                                code_of(ASSIGNMENT_ROLES, args.role, "role", "包联角色"), day(args.from_date, "开始日期"),
                                day(args.to_date, "结束日期"), args.visits, args.months)
        assignment_id = services.helpers.assign(draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    print(f"已安排包联（编号 {assignment_id}）")
    return 0


def coverage_json(r: CoverageRow) -> dict[str, object]:
    return {"assignment_id": r.assignment_id, "helper_id": r.helper_id, "team_id": r.team_id, "holder": r.holder,
            **coded("role", r.role, r.role_label), "enterprise_id": r.enterprise_id,
            "enterprise_name": r.enterprise_name, "cadence_visits": r.cadence_visits,
            "cadence_months": r.cadence_months, "cadence_label": r.cadence_label, "month_visits": r.month_visits,
            "required_month": r.required_month, "quarter_visits": r.quarter_visits,
            "required_quarter": r.required_quarter, "last_visit_on": iso(r.last_visit_on),
            "behind_month": r.behind_month, "behind_quarter": r.behind_quarter, "behind": r.behind}


def run_coverage(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    rows = services.helpers.coverage(behind_only=args.behind)
    if args.format == "json":
        ctx.print_json(listing([coverage_json(r) for r in rows]))
        return 0
    print_table(["帮扶干部/工作组", "角色", "企业", "频次", "本月", "本季度", "最近走访", "状态"],
                [[r.holder, r.role_label, r.enterprise_name, r.cadence_label, f"{r.month_visits}/{r.required_month}",
                  f"{r.quarter_visits}/{r.required_quarter}", iso(r.last_visit_on) or "",
                  "未达标" if r.behind else ""] for r in rows],
                max_width=[16, 8, 40, 12, 6, 8, 10, 6])
    behind = sum(1 for r in rows if r.behind)
    print(f"共 {len(rows)} 条包联，其中 {behind} 条未达到联系频次")
    return 0
