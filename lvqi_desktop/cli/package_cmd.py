"""`lvqi package …`: submission packages (数据报送包) and receipts (回执) between the counties and the city.

Exit codes: 0 done; 1 refused (a bad file, a refused package, the wrong kind of office) — the report of
`import` is still printed on stdout; 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.services.exchange.rows import STATUS_REFUSED
from lvqi_desktop.services.exchange.rows import ImportPlan
from lvqi_desktop.services.exchange.service import ExchangeService


def register(sub: Any) -> None:
    cmds = command_group(sub, "package", "数据报送包：县区生成、市中心导入、回执",
                         "县区把全部数据和本期报表打成一个报送包（.lvqi）交市中心；"
                         "市中心先试导入（比对），再确认导入；导入后出具回执。", metavar="COMMAND")

    p = cmds.add_parser("export", help="生成本县区的报送包（县区）")
    p.add_argument("--period", required=True, help="期别，如 2026Q4、2026-11、2026")
    p.add_argument("--out", required=True, metavar="DIR", help="保存到这个文件夹（如U盘）")
    p.add_argument("--preparer", default="", help="填报人（默认本单位默认填报人）")
    p.add_argument("--no-returns", action="store_true", help="不附带本期报表（只含数据）")
    printing_handler(p, run_export)

    p = cmds.add_parser("import", help="导入县区报送包（市中心）；加 --dry-run 只比对不写入")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只比对：列出新增、修改、注销、未变和拒绝原因，不写入")
    printing_handler(p, run_import)

    p = cmds.add_parser("verify", help="校验报送包文件（不写入任何数据）")
    p.add_argument("file", metavar="FILE")
    printing_handler(p, run_verify)

    p = cmds.add_parser("status", help="某期各县区报送情况（市中心）")
    p.add_argument("--period", required=True)
    printing_handler(p, run_status)

    p = cmds.add_parser("sent", help="本机生成过的报送包和回执（县区）")
    printing_handler(p, run_sent)

    p = cmds.add_parser("reopen", help="重新打开已被市中心接收（已锁定）的期别（县区，须填理由）")
    p.add_argument("--period", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=run_reopen)

    rcmds = command_group(cmds, "receipt", "回执：市中心出具（write），县区导入（import）", metavar="COMMAND")
    p = rcmds.add_parser("write", help="为已导入的报送包出具回执（市中心）")
    p.add_argument("package", metavar="PACKAGE", help="报送包编号（package_uuid）或报送包文件")
    p.add_argument("--decision", required=True, choices=("accepted", "accepted_with_remarks", "rejected"))
    p.add_argument("--remark", action="append", default=[], help="意见或退回理由（可多次）")
    p.add_argument("--out", required=True, metavar="DIR")
    printing_handler(p, run_receipt_write)
    p = rcmds.add_parser("import", help="导入市中心的回执（县区）")
    p.add_argument("file", metavar="FILE")
    printing_handler(p, run_receipt_import)


def _service(ctx: CliContext, write: bool) -> ExchangeService:
    return ctx.office_services(write=write).exchange


def run_export(ctx: CliContext, args: argparse.Namespace) -> int:
    made = _service(ctx, True).export_package(args.period, Path(args.out).expanduser(), args.preparer,
                                              with_returns=not args.no_returns)
    for w in made.warnings:
        print(f"提示：{w}", file=sys.stderr)
    if args.format == "json":
        ctx.print_json(made.to_json())
    else:
        print(made.path)
        print(f"报送序号 {made.manifest.sequence}，数据指纹 {short_fingerprint(made.fingerprint)}，"
              f"已读回校验无误，可以安全拔出U盘。", file=sys.stderr)
        if made.note:
            print(f"{made.note}。", file=sys.stderr)
    return 0


def _print_plan(plan: ImportPlan) -> None:
    rows = []
    for c in plan.counties:
        t = c.total
        rows.append([c.county_name or Path(c.file).name, c.period, str(c.sequence or ""),
                     {"apply": "可导入", "same": "已导入过", "refused": "拒绝"}[c.status],
                     str(t.new), str(t.changed), str(t.removed), str(t.unchanged)])
    print_table(["县区", "期别", "序号", "状态", "新增", "修改", "注销", "未变"], rows,
                right=[False, False, True, False, True, True, True, True])
    for c in plan.counties:
        for r in c.refusals:
            print(f"拒绝：{c.county_name or c.file.name}：{r}")
        for w in c.warnings:
            print(f"提示：{c.county_name or c.file.name}：{w}")
    for w in plan.cross_county:
        print(f"跨县区重复：{w}")
    print(plan.summary)


def run_import(ctx: CliContext, args: argparse.Namespace) -> int:
    x = _service(ctx, not args.dry_run)
    plan = x.dry_run([Path(f).expanduser() for f in args.files])
    refused = any(c.status == STATUS_REFUSED for c in plan.counties)
    if args.dry_run:
        if args.format == "json":
            ctx.print_json({**plan.to_json(), "dry_run": True})
        else:
            _print_plan(plan)
            print("试导入：未写入任何数据。去掉 --dry-run 即可导入可导入的报送包。")
        return 1 if refused else 0
    result = x.apply(plan)
    if args.format == "json":
        ctx.print_json({**result.to_json(), "dry_run": False})
    else:
        _print_plan(plan)
        print(result.summary)
        if result.backup:
            print(f"导入前已备份：{result.backup}")
    return 1 if refused else 0


def run_verify(ctx: CliContext, args: argparse.Namespace) -> int:
    package = _service(ctx, False).verify(Path(args.file).expanduser())
    m = package.manifest
    if args.format == "json":
        ctx.print_json({"ok": True, "file": str(package.path), **m.to_json(),
                        "short_fingerprint": short_fingerprint(m.fingerprint), "returns": package.returns})
    else:
        print(f"报送包校验无误：{package.path.name}")
        print(f"{m.county_name}（{m.county_code}） {m.period} 序号 {m.sequence}，填报人 {m.preparer}，生成于 {m.created_at}")
        print(f"数据指纹 {short_fingerprint(m.fingerprint)}；记录 {sum(m.counts.values())} 条；报表 {len(package.returns)} 个")
    return 0


def run_status(ctx: CliContext, args: argparse.Namespace) -> int:
    items = [s.to_json() for s in _service(ctx, False).submission_status(args.period)]
    if args.format == "json":
        ctx.print_json(listing(items))
    else:
        print_table(["县区", "状态", "序号", "收到时间"],
                    [[i["county_name"], i["status_label"], str(i["sequence"] or ""), i["received_at"] or ""]
                     for i in items])
    return 0


def run_sent(ctx: CliContext, args: argparse.Namespace) -> int:
    items = [s.to_json() for s in _service(ctx, False).sent_packages()]
    if args.format == "json":
        ctx.print_json(listing(items))
    else:
        print_table(["期别", "序号", "生成时间", "回执", "文件"],
                    [[i["period"], str(i["sequence"]), i["created_at"], i["receipt"] or "未收到", i["file_path"]]
                     for i in items])
    return 0


def run_reopen(ctx: CliContext, args: argparse.Namespace) -> int:
    _service(ctx, True).reopen_period(args.period, args.reason)
    print(f"已重新打开 {args.period}。修改后请重新生成报送包，市中心将以新包为准。")
    return 0


def run_receipt_write(ctx: CliContext, args: argparse.Namespace) -> int:
    ref, x = args.package, _service(ctx, True)
    if ref.endswith(".lvqi") or Path(ref).is_file():
        ref = x.verify(Path(ref).expanduser()).manifest.package_uuid
    path = x.write_receipt(ref, args.decision, args.remark, Path(args.out).expanduser())
    if args.format == "json":
        ctx.print_json({"path": str(path), "package_uuid": ref, "decision": args.decision})
    else:
        print(path)
    return 0


def run_receipt_import(ctx: CliContext, args: argparse.Namespace) -> int:
    text = _service(ctx, True).import_receipt(Path(args.file).expanduser())
    if args.format == "json":
        ctx.print_json({"message": text})
    else:
        print(text)
    return 0


__all__ = ["register", "LvqiError"]
