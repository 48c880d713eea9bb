"""`lvqi import-xlsx FILE --kind …` and `lvqi import-template --kind … FILE`: Excel import through the GUI's service."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.models.import_kinds import KINDS
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.imports.monitoring import MonitoringPlan
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import ImportPlan
from lvqi_desktop.services.imports.service import ImportResult

KIND_HELP = "、".join(f"{k} {v.label}" for k, v in KINDS.items())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser("import-xlsx", help="从Excel导入（先预览，再导入）",
                         description="从Excel（.xlsx/.xls）导入。按表头名称识别列；导入前先备份，全部有效行在一个事务中写入。"
                                     "--dry-run 只预览不写入；预览发现有错误的行时退出码 1。")
    imp.add_argument("file", metavar="FILE", help="Excel 文件")
    imp.add_argument("--kind", required=True, choices=list(KINDS), help=f"导入类别：{KIND_HELP}")
    imp.add_argument("--dry-run", action="store_true", help="只检查并预览，不写入数据库")
    imp.add_argument("--all-or-nothing", action="store_true", help="有任何一行未通过校验就什么都不导入")
    imp.add_argument("--confirm-warnings", action="store_true",
                     help="monitoring：与近3个月平均相差超过50%%的行也导入（已核实）")
    imp.add_argument("--year", type=int, help="monitoring：工作表名只写“10月”时的年份")
    imp.add_argument("--report", metavar="XLSX", help="把检查报告另存为 xlsx（错误行标红）")
    printing_handler(imp, run_import)

    tpl = sub.add_parser("import-template", help="下载导入模板（xlsx）",
                         description="写出导入模板：表头、示例行、填写说明、下拉列表；代码列为文本格式。")
    tpl.add_argument("file", metavar="FILE", help="要写出的 .xlsx 文件")
    tpl.add_argument("--kind", required=True, choices=list(KINDS), help=f"模板类别：{KIND_HELP}")
    tpl.add_argument("--incomplete", action="store_true",
                     help="enterprises：导出待补充清单——资料待补充的企业，只有缺少的单元格可填；填好后用 import-xlsx 导入")
    tpl.set_defaults(handler=run_template)


def _plan_json(plan: ImportPlan | MonitoringPlan) -> dict[str, object]:
    months = {"sheets": [{"sheet": m.layout.sheet.name, "month": m.month, "header_row": m.layout.header_row}
                         for m in plan.sheets]} if isinstance(plan, MonitoringPlan) else {}
    return {
        "file": str(plan.path), "kind": plan.kind, "sheet": plan.layout.sheet.name, **months,
        "header_row": plan.layout.header_row,
        "mapping": [{"column": c.letter, "header": c.header, "field": c.field, "year": c.year, "unit": c.unit}
                    for c in plan.layout.columns],
        "summary": plan.summary,
        "rows": [{"row": r.row, "status": r.status, "status_label": r.status_label, "uscc": r.uscc or None,
                  "name": r.name or None,
                  "errors": [{"cell": c, "message": m} for c, m in r.errors],
                  "warnings": [{"cell": c, "message": m} for c, m in r.warnings],
                  "pending": [{"cell": c, "message": m} for c, m in getattr(r, "pending", ())],
                  "cleaned": [{"cell": c, "note": m} for c, m in r.notes],
                  "changes": [{"cell": ch.cell, "field": ch.label, "old": ch.old, "new": ch.new}
                              for ch in r.changes]} for r in plan.rows],
    }


def _print_plan(plan: ImportPlan | MonitoringPlan, limit: int = 200) -> None:
    layout = plan.layout
    mapped = "，".join(f"{c.letter}“{c.header}”→{c.field}" + (f"({c.year})" if c.year else "")
                      for c in layout.columns if c.field)
    print(f"工作表“{layout.sheet.name}”，表头在第 {layout.header_row} 行。列对应：{mapped}")
    unmapped = "，".join(f"{c.letter}“{c.header}”" for c in layout.columns if not c.field and c.header)
    if unmapped:
        print(f"未对应、不导入的列：{unmapped}")
    for note in layout.notes:  # e.g. the year a yearly column without 年度 was read as: never a silent guess
        print(f"注意：{note}")
    shown = 0
    for r in plan.rows:
        pending = getattr(r, "pending", ())
        if r.status == ERROR or r.changes or r.notes or r.warnings or pending:
            if shown >= limit:
                print(f"……其余行略（共 {len(plan.rows):,} 行），可用 --report 保存完整报告")
                break
            shown += 1
            print(f"第 {r.row} 行 [{r.status_label}] {r.name or r.uscc}")
            for cell, message in r.errors:
                print(f"    错误 {cell}：{message}")
            for cell, message in r.warnings:
                print(f"    提醒 {cell}：{message}")
            for cell, message in pending:
                print(f"    待补充 {cell}：{message}")
            for ch in r.changes:
                print(f"    {ch.cell} {ch.label}：{ch.old} → {ch.new}")
            for cell, note in r.notes:
                print(f"    已整理 {cell}：{note}")
    print(plan.summary_text())


def _print_preview(ctx: CliContext, args: argparse.Namespace, plan: ImportPlan | MonitoringPlan) -> int:
    """--dry-run: the plan and nothing written; exit 1 when a row has errors."""
    if args.format == "json":
        ctx.print_json(_plan_json(plan))
    else:
        _print_plan(plan)
        print("（预览，未写入任何数据）")
    return 1 if plan.has_errors else 0


def _print_imported(ctx: CliContext, args: argparse.Namespace, plan: ImportPlan | MonitoringPlan,
                    result: ImportResult, done: str, skipped_hint: str) -> int:
    """What an import wrote: `done` counts it in the kind's words, `skipped_hint` says what to do with rows left out."""
    if args.format == "json":
        ctx.print_json({**_plan_json(plan), "imported": {
            "added": result.added, "updated": result.updated, "unchanged": result.unchanged,
            "skipped": result.skipped, "backup": str(result.backup) if result.backup else None}})
    else:
        _print_plan(plan)
        print(done + (f"导入前已备份：{result.backup.name}" if result.backup else ""))
    if result.skipped:
        print(f"提示：{result.skipped:,} 行{skipped_hint}", file=sys.stderr)
    return 0


def run_import(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=not args.dry_run)
    if args.kind == "monitoring":
        return _run_monitoring(ctx, args, services)
    importer = services.imports
    layout = importer.open_sheet(args.file, args.kind)
    plan = importer.dry_run(args.file, args.kind, layout)
    if args.report:
        importer.save_report(plan, Path(args.report))
    if args.dry_run:
        return _print_preview(ctx, args, plan)
    result = importer.apply(args.file, args.kind, layout, all_or_nothing=args.all_or_nothing, plan=plan)
    unit = "家" if args.kind == "enterprises" else "条"
    return _print_imported(ctx, args, plan, result,
                           f"已导入：新增 {result.added:,} {unit}，更新 {result.updated:,} {unit}，"
                           f"无变化 {result.unchanged:,} {unit}，跳过有错误的 {result.skipped:,} 行。",
                           "有错误未导入；修改后可再次导入（已导入的行会显示为“无变化”）。")


def _run_monitoring(ctx: CliContext, args: argparse.Namespace, services: Services) -> int:
    importer = services.monitoring_imports(args.year)
    plan = importer.dry_run(args.file, confirm_warnings=args.confirm_warnings)
    if args.report:
        importer.save_report(plan, Path(args.report))
    if args.dry_run:
        return _print_preview(ctx, args, plan)
    result = importer.apply(args.file, all_or_nothing=args.all_or_nothing, confirm_warnings=args.confirm_warnings)
    return _print_imported(ctx, args, plan, result,
                           f"已导入：新增 {result.added:,} 份，更正 {result.updated:,} 份，无变化 {result.unchanged:,} 份，"
                           f"未导入（有错误或需确认）{result.skipped:,} 行。",
                           "未导入；修改后可再次导入，需确认的行核实后加 --confirm-warnings。")


def run_template(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.services(write=False)
    if args.kind == "monitoring":
        path = services.monitoring_imports().write_template(args.kind, Path(args.file))
        print(f"已写出导入模板：{path}")
        return 0
    if args.incomplete:
        if args.kind != "enterprises":
            print("--incomplete 只用于企业（--kind enterprises）", file=sys.stderr)
            return 2
        path, firms = services.imports.write_incomplete_list(Path(args.file))
        print(f"已写出待补充清单：{path}（{firms} 家企业）。填好黄色单元格后用 import-xlsx --kind enterprises 导入。")
        return 0
    path = services.imports.write_template(args.kind, Path(args.file))
    print(f"已写出导入模板：{path}")
    return 0
