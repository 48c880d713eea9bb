"""`lvqi report list` and `lvqi report RETURN_ID... --period P --format xlsx|pdf --out FOLDER`: returns for the city."""

from __future__ import annotations

import argparse
import sys

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.demo_cmd import TerminalProgress
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.returns.service import FORMATS

EPILOG = ("示例：lvqi report list；lvqi report pool_summary srdi_ledger --period 2026Q4 --format xlsx,pdf --out E:\\报表。"
          "期别：2026-11（月）、2026Q4（季度）、2026（年度）。")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="报表：列出报表目录，或导出报表（Excel / PDF）",
                            description="导出报送市中心的报表。“list”列出全部报表编号。", epilog=EPILOG)
    report.add_argument("returns", nargs="+", metavar="RETURN_ID", help="报表编号（见 lvqi report list），或 list")
    report.add_argument("--period", help="期别：2026-11（月）、2026Q4（季度）或 2026（年度）")
    report.add_argument("--format", default="", help="导出：xlsx、pdf 或 xlsx,pdf；list：table（默认）或 json")
    report.add_argument("--out", metavar="FOLDER", help="保存报表的文件夹（须已存在，可以是U盘）")
    report.add_argument("--preparer", default="", help="填表人（默认：本单位默认填报人）")
    report.add_argument("--reviewer", default="", help="统计负责人（默认：设置中的统计负责人，或留空打印后手签）")
    report.set_defaults(handler=run_report)


def run_report(ctx: CliContext, args: argparse.Namespace) -> int:
    if args.returns == ["list"]:
        return run_list(ctx, args.format or "table")
    return run_export(ctx, args)


def run_list(ctx: CliContext, fmt: str) -> int:
    services = ctx.services(write=False)
    entries = services.returns.catalogue()
    if fmt == "json":
        ctx.print_json(listing([{"id": e.return_id, "title": e.title, "description": e.definition.description,
                                 "period_kinds": list(e.definition.period_kinds), "periods_label": e.periods_label}
                                for e in entries]))
        return 0
    if fmt != "table":
        raise ValidationFailed([Issue("format", f"report list 的 --format 应为 table 或 json，而不是“{fmt}”")])
    print_table(["编号", "报表", "期别", "说明"],
                [[e.return_id, e.title, e.periods_label, e.definition.description] for e in entries],
                max_width=[24, 30, 8, 60])
    return 0


def _formats(text: str) -> list[str]:
    chosen = [f.strip().lower().lstrip(".") for f in text.replace("，", ",").split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if not chosen or bad:
        raise ValidationFailed([Issue("format", "请用 --format 指定导出格式：xlsx、pdf 或 xlsx,pdf")])
    return chosen


def run_export(ctx: CliContext, args: argparse.Namespace) -> int:
    if not args.period:
        raise ValidationFailed([Issue("period", "请用 --period 指定期别，如 2026-11、2026Q4 或 2026")])
    if not args.out:
        raise ValidationFailed([Issue("out", "请用 --out 指定保存报表的文件夹")])
    formats = _formats(args.format)
    services = ctx.office_services(write=False)
    result = services.returns.export(args.returns, args.period, formats, args.out, args.preparer, args.reviewer,
                                     TerminalProgress())
    for path in result.paths:
        print(path)
    print(result.summary, file=sys.stderr)
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    return 0
