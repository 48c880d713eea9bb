"""`lvqi history`: the change history (审计记录) as a table or JSON."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.services.history import HistoryRow
from lvqi_desktop.services.history import HistoryService
from lvqi_desktop.validation.period import parse_period


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2026-11-26") from None


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"条数“{text}”应为正整数")
    return int(text)


def register(sub: Any) -> None:
    p = sub.add_parser("history", help="查看修改记录（审计记录）",
                       description="列出修改记录，最新的在前：谁、何时、改了哪条记录的哪些字段（原值 → 新值）。")
    p.add_argument("--table", help="只看某类记录：表名或中文名，如 enterprise 或 企业")
    p.add_argument("--since", type=_date, help="起始日期（含），如 2026-11-01")
    p.add_argument("--until", type=_date, help="截止日期（含）")
    p.add_argument("--period", help="只看改动了该期别内数据的修改（与 --since 合用：自上次打印该期报表以来），"
                                    "如 2026Q3、2026-09 或 2026")
    p.add_argument("--operator", default="", help="只看某位操作员的修改")
    p.add_argument("--limit", type=_positive, default=100, help="最多列出多少条（默认 100）")
    printing_handler(p, run)


def row_json(row: HistoryRow) -> dict[str, Any]:
    return {
        "id": row.id, "at": iso(row.at), "operator": row.operator,
        "session_id": row.session_id, "action": row.action, "action_label": row.action_label,
        "table": row.table, "table_label": row.table_label, "record_id": row.record_id,
        "record_uuid": row.record_uuid, "summary": row.summary, "batch_id": row.batch_id,
        "reverts_batch_id": row.reverts_batch_id,
        "changes": [{"field": c.field, "label": c.label, "old": c.old, "new": c.new,
                     "old_text": c.old_text, "new_text": c.new_text} for c in row.changes],
    }


def _changes_text(row: HistoryRow) -> str:
    if row.is_batch:  # details of the batch, not old → new
        return "；".join(f"{c.label}：{c.new_text}" for c in row.changes)
    return "；".join(f"{c.label}：{c.old_text} → {c.new_text}" for c in row.changes)


def _print_table(rows: list[HistoryRow]) -> None:
    if not rows:
        print("没有符合条件的修改记录。")
        return
    print_table(["编号", "时间", "操作员", "动作", "摘要", "修改内容"],
                [[str(r.id), f"{r.at:%Y-%m-%d %H:%M:%S}", r.operator, r.action_label, r.summary, _changes_text(r)]
                 for r in rows],
                right=[True, False, False, False, False, False], max_width=[8, 19, 12, 8, 40, 80])
    print(f"共 {len(rows)} 条。")


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.services(write=False)
    table = HistoryService.resolve_table(args.table) if args.table else ""
    if args.period:
        period = parse_period(args.period, clock.today())
        rows = services.history.changes_in_period(period.start, period.end, args.since or period.start)
        rows = [r for r in rows if (not table or r.table == table) and (not args.operator or r.operator ==
                                                                            args.operator)][:args.limit]
    else:
        rows = services.history.list(since=args.since, until=args.until, operator=args.operator, table=table,
                                     limit=args.limit)
    if args.format == "json":
        ctx.print_json(listing([row_json(r) for r in rows]))
    else:
        _print_table(rows)
    return 0
