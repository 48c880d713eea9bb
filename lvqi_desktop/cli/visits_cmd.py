"""`lvqi visit list|add`: service visits (入企服务记录), optionally raising a demand."""

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
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.services.helper_rows import VisitRow
from lvqi_desktop.services.visits import DemandDraft
from lvqi_desktop.services.visits import VisitDraft


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "visit", "入企服务记录：列出、登记走访", "入企服务记录")

    ls = commands.add_parser("list", help="列出走访记录")
    ls.add_argument("--period", help="期别：2026-11（月）、2026Q4（季度）或 2026（年度）；不填列出全部")
    ls.add_argument("--enterprise", help="企业编号或统一社会信用代码")
    ls.add_argument("--helper", type=int, help="帮扶干部编号")
    printing_handler(ls, run_list)

    add = commands.add_parser("add", help="登记一次走访（可同时登记一条诉求）")
    add.add_argument("--enterprise", required=True, help="企业编号或统一社会信用代码")
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="走访日期")
    add.add_argument("--channel", default="visit", help="方式：走访、电话、视频、座谈、现场办公")
    add.add_argument("--campaign", default="", help="专项活动（服务月、“三进四送”、志愿服务、政策宣讲…）")
    add.add_argument("--helper", type=int, action="append", default=[], help="参加的帮扶干部编号（可重复）")
    add.add_argument("--team", type=int, help="工作组编号")
    add.add_argument("--visitors", default="", help="走访人员姓名（不在帮扶干部名单中的）")
    add.add_argument("--policies", default="", help="宣讲的政策")
    add.add_argument("--reported", default="", help="企业反映的情况")
    add.add_argument("--demand-category", help="同时登记诉求：类别（融资、用工…）")
    add.add_argument("--demand-description", default="", help="同时登记诉求：问题描述")
    add.add_argument("--demand-urgency", default="normal", help="同时登记诉求：紧急程度")
    printing_handler(add, run_add)


def visit_json(v: VisitRow) -> dict[str, object]:
    return {"id": v.id, "visited_on": iso(v.visited_on), "enterprise_id": v.enterprise_id,
            "enterprise_name": v.enterprise_name, "uscc": v.uscc, **coded("channel", v.channel, v.channel_label),
            "campaign": v.campaign or None, "team_id": v.team_id, "team_name": v.team_name or None,
            "helpers": list(v.helper_names), "visitors": v.who_went, "policies_explained": v.policies_explained,
            "firm_reported": v.firm_reported}


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    company = enterprise_id(services, args.enterprise) if args.enterprise else None
    rows = services.visits.list_visits(args.period, enterprise_id=company, helper_id=args.helper)  # bad period: exit 1
    if args.format == "json":
        ctx.print_json({**listing([visit_json(v) for v in rows]), "period": args.period})
        return 0
    print_table(["日期", "企业", "方式", "活动", "走访人员", "企业反映"],
                [[iso(v.visited_on) or "", v.enterprise_name, v.channel_label, v.campaign, v.who_went,
                  v.firm_reported] for v in rows], max_width=[10, 36, 8, 12, 20, 40])
    print(f"共 {len(rows)} 次走访")
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    try:
        demands = []
        if args.demand_category or args.demand_description:
            demands.append(DemandDraft(source="visit", description=args.demand_description,
                                       category=code_of(DEMAND_CATEGORIES, args.demand_category or "", "category", "诉求类别"),
                                       urgency=code_of(DEMAND_URGENCIES, args.demand_urgency, "urgency", "紧急程度")))
        draft = VisitDraft(enterprise_id(services, args.enterprise), day(args.date, "走访日期"),
                           code_of(VISIT_CHANNELS, args.channel, "channel", "服务方式"), args.campaign, args.helper, args.team,
                           args.visitors, args.policies, args.reported, demands=demands)
        logged = services.visits.log_visit(draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    if args.format == "json":
        ctx.print_json({"id": logged.visit_id, "demand_ids": logged.demand_ids,
                        "demand_numbers": logged.demand_numbers})
    else:
        extra = f"，登记诉求 {'、'.join(logged.demand_numbers)}" if logged.demand_numbers else ""
        print(f"已登记走访（编号 {logged.visit_id}）{extra}")
    return 0
