"""`lvqi key …`: this office's key, and enrolling the other side's key after comparing its digits by phone."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.services.exchange.keys import KeyService


def register(sub: Any) -> None:
    cmds = command_group(sub, "key", "密钥：本机公钥、登记对方公钥（电话核对指纹）",
                         "报送包由县区签名、加密给市中心；回执由市中心签名。双方各有一对密钥，"
                         "对方的公钥要在电话里逐位核对 20 位指纹后才登记。", metavar="COMMAND")
    p = cmds.add_parser("show", help="显示本机公钥的指纹（电话里念给对方）")
    printing_handler(p, run_show)
    p = cmds.add_parser("export", help="把本机公钥文件（.lvqi-key）存到文件夹（如U盘）")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(handler=run_export)
    p = cmds.add_parser("offer", help="导入对方的公钥文件或（市中心）县区的报送包，显示待核对的指纹")
    p.add_argument("file", metavar="FILE")
    printing_handler(p, run_offer)
    p = cmds.add_parser("confirm", help="输入对方电话里念的指纹，确认登记")
    p.add_argument("--office", required=True, help="对方单位代码（县区代码，市中心为 141100）")
    p.add_argument("--digits", required=True, help="对方念的 20 位数字")
    p.add_argument("--reason", default="", help="更换已登记的密钥时必填（如：换了新电脑）")
    printing_handler(p, run_confirm)
    p = cmds.add_parser("revoke", help="作废某单位已登记的密钥（如电脑丢失）")
    p.add_argument("--office", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=run_revoke)
    p = cmds.add_parser("list", help="已登记、待核对和已作废的密钥")
    printing_handler(p, run_list)
    p = cmds.add_parser("renew", help="重新生成本机密钥（旧密钥作废，需请对方重新核对登记）")
    p.set_defaults(handler=run_renew)


def _keys(ctx: CliContext, write: bool) -> KeyService:
    return ctx.office_services(write=write).keys


def run_show(ctx: CliContext, args: argparse.Namespace) -> int:
    public = _keys(ctx, True).own().public
    if args.format == "json":
        ctx.print_json({"office_code": public.office_code, "office_name": public.office_name,
                        "digits": public.digits, "fingerprint": public.fingerprint})
    else:
        print(f"本机公钥（{public.office_name}）指纹：{public.digits}")
    return 0


def run_export(ctx: CliContext, args: argparse.Namespace) -> int:
    keys = _keys(ctx, True)
    path = keys.export_public(Path(args.out).expanduser())
    print(path)
    print(f"请把该文件交给对方，并电话念出指纹：{keys.own_digits()}")
    return 0


def run_offer(ctx: CliContext, args: argparse.Namespace) -> int:
    view = _keys(ctx, True).offer(Path(args.file).expanduser())
    if args.format == "json":
        ctx.print_json(vars(view))
    else:
        print(f"{view.office_name}（{view.office_code}）的公钥，状态：{view.status_label}")
        print(f"指纹：{view.digits}")
        if view.status == "pending":
            print("请电话请对方念出其程序显示的指纹，逐位一致后运行："
                  f"lvqi key confirm --office {view.office_code} --digits \"…\"")
    return 0


def run_confirm(ctx: CliContext, args: argparse.Namespace) -> int:
    view = _keys(ctx, True).confirm(args.office, args.digits, args.reason)
    if args.format == "json":
        ctx.print_json(vars(view))
    else:
        print(f"已登记{view.office_name}的公钥（指纹 {view.digits}）。")
    return 0


def run_revoke(ctx: CliContext, args: argparse.Namespace) -> int:
    _keys(ctx, True).revoke(args.office, args.reason)
    print(f"已作废 {args.office} 的密钥；用它签名的报送包或回执不再接收。")
    return 0


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    views = _keys(ctx, False).keys()
    if args.format == "json":
        ctx.print_json(listing([vars(v) for v in views]))
    else:
        print_table(["单位", "代码", "指纹", "状态", "登记", "作废"],
                    [[v.office_name, v.office_code, v.digits, v.status_label,
                      f"{v.confirmed_at} {v.confirmed_by}".strip(), f"{v.revoked_at} {v.revoked_reason}".strip()]
                     for v in views])
    return 0


def run_renew(ctx: CliContext, args: argparse.Namespace) -> int:
    digits = _keys(ctx, True).renew_own()
    print(f"已生成新的本机密钥，指纹：{digits}。请用 lvqi key export 导出公钥交给对方，并电话核对后重新登记。")
    return 0
