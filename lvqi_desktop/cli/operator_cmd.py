"""`lvqi operator …`: list, add, rename and retire the people changes are recorded under (as on the 设置 page)."""

from __future__ import annotations

import argparse
from typing import Any

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.services.office import OfficeService


def register(sub: Any) -> None:
    # the chosen sub-command lands in args.operator_command, not args.operator: that is the global --operator's
    cmds = command_group(sub, "operator", "操作员：列出、添加、改名、停用",
                         "修改记录里的“操作员”是做修改的人。改名只改以后的记录，已有修改记录保留原来的名字；"
                         "停用的人不再能以此身份写入，修改记录仍保留其姓名。", metavar="COMMAND")
    p = cmds.add_parser("list", help="在用的操作员")
    printing_handler(p, run_list)
    p = cmds.add_parser("add", help="添加操作员（或恢复已停用的同名操作员）")
    p.add_argument("name", metavar="NAME", help="姓名（不超过40字）")
    p.set_defaults(handler=run_add)
    p = cmds.add_parser("rename", help="更正操作员的姓名（已有修改记录保留原名）")
    p.add_argument("old_name", metavar="OLD", help="现在的姓名")
    p.add_argument("new_name", metavar="NEW", help="新的姓名")
    p.set_defaults(handler=run_rename)
    p = cmds.add_parser("retire", help="停用操作员（如调离）；修改记录保留其姓名")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=run_retire)


def _office(ctx: CliContext, write: bool) -> OfficeService:
    return ctx.office_services(write=write).office


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    names = services.office.operators()
    info = services.office_info()
    preparer = info.default_preparer if info else ""
    if args.format == "json":
        ctx.print_json(listing([{"name": n, "default_preparer": n == preparer} for n in names]))
    elif not names:
        print("还没有操作员。可以运行：lvqi operator add 姓名")
    else:
        print_table(["操作员", "默认填报人"], [[n, "是" if n == preparer else ""] for n in names])
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    name = _office(ctx, True).add_operator(args.name)
    print(f"已添加操作员：{name}")
    return 0


def run_rename(ctx: CliContext, args: argparse.Namespace) -> int:
    name = _office(ctx, True).rename_operator(args.old_name, args.new_name)
    print(f"已改名：{args.old_name} → {name}（已有修改记录保留原名）")
    return 0


def run_retire(ctx: CliContext, args: argparse.Namespace) -> int:
    _office(ctx, True).retire_operator(args.name)
    print(f"已停用操作员：{args.name}（修改记录保留其姓名；再次添加同名操作员即可恢复）")
    return 0
