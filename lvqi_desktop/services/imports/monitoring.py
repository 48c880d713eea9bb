"""从Excel导入运行监测月报: one sheet per month, firms by USCC, through the enterprise import's machinery.

The sheets are read by exchange/sheet_reader.py, their headers found and mapped by
exchange/column_mapping.py (the "monitoring" kind of models/import_kinds.py), each cell cleaned by
validation/import_cleaning.py (units folded, every change noted); the reports are then checked and
written by MonitoringService.import_reports, the same rules as the month grid's save. A dry run
runs the whole import in a transaction that is rolled back; `apply` takes a backup first and
commits every valid row (or nothing, all-or-nothing) as one history batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from lvqi_desktop.models.import_kinds import MONITORING
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.imports.rows import clean_cells
from lvqi_desktop.services.imports.service import CONFIRM
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import STATUS_LABELS
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import CellChange
from lvqi_desktop.services.imports.service import ImportRefused
from lvqi_desktop.services.imports.service import ImportResult
from lvqi_desktop.services.imports.service import RowResult
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.sheets.column_mapping import find_layout
from lvqi_desktop.sheets.column_mapping import mapping_problems
from lvqi_desktop.sheets.column_mapping import sheet_month
from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.sheets.reader import read_workbook

KIND = MONITORING.key
_META = ("uscc", "name", "period")
_TOTALS = ("合计", "总计", "小计")  # total lines: listed as skipped, not imported


@dataclass
class MonthSheet:
    layout: SheetLayout
    month: str | None  # from the sheet's name; None: the 月份 column gives it per row


@dataclass
class MonitoringPlan:
    kind: str
    path: Path
    sheets: list[MonthSheet]
    rows: list[RowResult]
    skipped_rows: list[str] = field(default_factory=list)  # "sheet!row": no USCC or name, or a 合计 line

    @property
    def layout(self) -> SheetLayout:
        return self.sheets[0].layout

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in (NEW, UPDATE, UNCHANGED, CONFIRM, ERROR)}

    @property
    def has_errors(self) -> bool:
        return any(r.status == ERROR for r in self.rows)

    def summary_text(self) -> str:
        s = self.summary
        months = "、".join(f"“{m.layout.sheet.name}”" for m in self.sheets)
        skipped = f"；另有 {len(self.skipped_rows):,} 行没有信用代码（如合计行），未导入" if self.skipped_rows else ""
        return (f"{len(self.sheets)} 个工作表（{months}）共 {len(self.rows):,} 行：新增 {s[NEW]:,}，更正 {s[UPDATE]:,}，"
                f"无变化 {s[UNCHANGED]:,}，需确认 {s[CONFIRM]:,}，有错误 {s[ERROR]:,}{skipped}")


@dataclass
class _Row:
    result: RowResult
    month: str | None
    month_cell: str
    values: dict[str, str]
    cells: dict[str, str]


class MonitoringImportService:
    """The same calls as ImportService (open_sheet, dry_run, apply, write_template) for kind "monitoring"."""

    def __init__(self, monitoring: MonitoringService, backup: Callable[[Progress], Path | None] | None = None,
                 year: int | None = None) -> None:
        self._mon = monitoring
        self._backup = backup
        self.year = year  # for sheets named only "10月"

    # ---- templates
    def write_template(self, kind: str, path: str | Path) -> Path:
        """运行监测月报 template: one example month sheet, notes, dropdowns for the answers."""
        lists = {f"monitoring.{f.key}": list(f.choices) for f in self._mon.form.fields if f.choices}
        month = self._mon.current_due_month()
        from lvqi_desktop.exporters import import_template  # openpyxl: not at start-up

        return import_template.write_template(MONITORING, Path(path), lists, sheet_title=month)

    # ---- reading
    def open_book(self, path: str | Path) -> list[MonthSheet]:
        book = read_workbook(path)
        found = []
        for sheet in book.sheets:
            if sheet.hidden:
                continue
            layout = find_layout(sheet, MONITORING)
            if layout is None or not any(c.field == "uscc" for c in layout.columns):
                continue
            month = sheet_month(sheet.name, self.year)
            if month is None and not any(c.field == "period" for c in layout.columns):
                raise SheetRefused(f"工作表“{sheet.name}”看不出是哪个月：请把表名改为月份（如“2026-10”），"
                                   "或增加“月份”列" + ("" if self.year else "；表名只写“10月”时请指定年份（--year）") + "。")
            found.append(MonthSheet(layout, month))
        if not found:
            raise SheetRefused(f"在“{Path(path).name}”中没有找到运行监测月报的表头（须有“统一社会信用代码”和月报指标列）。"
                               "请下载“运行监测月报”导入模板按模板填写。")
        return found

    def open_sheet(self, path: str | Path, kind: str = KIND) -> SheetLayout:
        """The first month sheet's layout (the dialog shows its mapping; every month sheet is read the same way)."""
        return self.open_book(path)[0].layout

    def remembered_mapping(self, kind: str, headers: list[str]) -> None:
        return None

    def remember_mapping(self, kind: str, layout: SheetLayout) -> None:
        return None

    # ---- dry run and apply
    def dry_run(self, path: str | Path, kind: str = KIND, layout: SheetLayout | None = None,
                progress: Progress = NO_PROGRESS, *, confirm_warnings: bool = False) -> MonitoringPlan:
        """What the import would do, row by row (new / update / unchanged / confirm / error); writes nothing."""
        sheets = self._sheets(path, layout)
        plan, _ = self._run(path, sheets, progress, write=False, confirm_warnings=confirm_warnings)
        return plan

    def apply(self, path: str | Path, kind: str = KIND, layout: SheetLayout | None = None, *,
              all_or_nothing: bool = False, progress: Progress = NO_PROGRESS, plan: object = None,
              confirm_warnings: bool = False) -> ImportResult:
        """导入: backup, then every valid row of every month in one transaction and one history batch."""
        sheets = self._sheets(path, layout)
        progress.raise_if_cancelled()
        progress.update(0, 0, "正在备份数据……")
        backup_path = self._backup(progress) if self._backup else None
        done, committed = self._run(path, sheets, progress, write=True, confirm_warnings=confirm_warnings,
                                    all_or_nothing=all_or_nothing)
        errors = [r for r in done.rows if r.status == ERROR]
        if all_or_nothing and errors:
            first = errors[0]
            raise ImportRefused(f"有 {len(errors):,} 行未通过校验（第一处：{first.errors[0][0]}：{first.errors[0][1]}）。"
                                "已选择“全部成功才导入”，因此没有导入任何数据。")
        added, updated = done.count(NEW), done.count(UPDATE)
        label = f"从Excel导入运行监测月报：{Path(path).name}（新增{added}份，更正{updated}份）"
        return ImportResult(added if committed else 0, updated if committed else 0, done.count(UNCHANGED),
                            len(errors) + done.count(CONFIRM), label, backup_path)

    def save_report(self, plan: MonitoringPlan, path: str | Path, progress: Progress = NO_PROGRESS) -> Path:
        from lvqi_desktop.exporters import import_template  # openpyxl: not at start-up

        return import_template.write_report(plan, Path(path), progress)

    def _sheets(self, path: str | Path, layout: SheetLayout | None) -> list[MonthSheet]:
        sheets = self.open_book(path)
        if layout is not None:  # the mapping the user confirmed for the first sheet
            sheets[0] = MonthSheet(layout, sheets[0].month)
        for s in sheets:
            problems = mapping_problems(s.layout, MONITORING)
            if problems:
                raise ImportRefused(f"工作表“{s.layout.sheet.name}”列对应有问题，未导入任何数据：" + "；".join(problems))
        return sheets

    def _run(self, path: str | Path, sheets: list[MonthSheet], progress: Progress, *, write: bool,
             confirm_warnings: bool, all_or_nothing: bool = False) -> tuple[MonitoringPlan, bool]:
        plan = MonitoringPlan(KIND, Path(path), sheets, [])
        rows: list[_Row] = []
        for s in sheets:
            progress.raise_if_cancelled()
            progress.update(0, 0, f"正在读取工作表“{s.layout.sheet.name}”……")
            rows.extend(self._read(s, plan))
        sample = {r.uscc: r for r in self._mon.sample()}
        by_month: dict[str, list[tuple[_Row, ReportDraft]]] = {}
        seen: dict[tuple[str, str], _Row] = {}
        for row in rows:
            r = row.result
            plan.rows.append(r)
            if r.errors:
                r.status = ERROR
                continue
            where = row.cells.get("uscc", f"第{r.row}行")
            firm = sample.get(r.uscc)
            if not r.uscc:
                r.errors.append((row.cells.get("name", where), "没有填写统一社会信用代码"))
            elif firm is None:
                r.errors.append((where, f"统一社会信用代码 {r.uscc} 不在本地运行监测样本中，请先把该企业加入样本"))
            elif not row.month:
                r.errors.append((row.month_cell, "没有填写月份"))
            elif (r.uscc, row.month) in seen:
                first = seen[(r.uscc, row.month)]
                r.errors.append((where, f"该企业 {row.month} 的月报在表中重复出现（另见 {first.cells.get('uscc', '')}）"))
            if r.errors:
                r.status = ERROR
                continue
            assert firm is not None and row.month is not None
            seen[(r.uscc, row.month)] = row
            r.enterprise_id, r.name = firm.enterprise_id, firm.name
            values: dict[str, object] = {k: v for k, v in row.values.items() if k not in _META and v != ""}
            by_month.setdefault(row.month, []).append((row, ReportDraft(firm.enterprise_id, row.month, values)))
        months = list(by_month.items())
        progress.update(0, 0, "正在校验月报……")
        label = f"从Excel导入运行监测月报：{Path(path).name}"
        outcomes, committed = self._mon.import_reports(
            [(m, [d for _, d in items]) for m, items in months], write=write, confirm_warnings=confirm_warnings,
            all_or_nothing=all_or_nothing, label=label)
        by_key = self._mon.form.by_key
        for (_, items), results in zip(months, outcomes, strict=True):
            for (row, _), outcome in zip(items, results, strict=True):
                r = row.result
                r.status = outcome.status
                r.errors += [(_cell_of(row, i.field), i.message) for i in outcome.issues]
                r.warnings += [(_cell_of(row, i.field), i.message) for i in outcome.warnings]
                r.changes = [CellChange(row.cells.get(k, ""), by_key[k].label, old or "（空）", new or "（空）")
                             for k, old, new in outcome.changes]
        return plan, committed

    def _read(self, s: MonthSheet, plan: MonitoringPlan) -> list[_Row]:
        layout, sheet = s.layout, s.layout.sheet
        cols = [c for c in layout.columns if c.field]
        out = []
        for offset, values in enumerate(sheet.rows[layout.first_data_row - 1:]):
            row = layout.first_data_row + offset
            if all(v == "" or v is None for v in values):
                continue
            result, texts, cells = clean_cells(values, row, cols, MONITORING, layout, prefix=f"{sheet.name}!")
            key_texts = (texts.get("uscc", ""), texts.get("name", ""))
            if not any(key_texts) or any(t.replace(" ", "").startswith(_TOTALS) for t in key_texts):
                plan.skipped_rows.append(f"{sheet.name}!{row}")
                continue
            result.uscc, result.name = texts.get("uscc", ""), texts.get("name", "")
            month = texts.get("period") or s.month
            month_cell = cells.get("period") or f"工作表“{sheet.name}”"
            out.append(_Row(result, month, month_cell, texts, cells))
        return out


def _cell_of(row: _Row, key: str) -> str:
    """The cell an issue about a form field (or the month, or the firm) is shown at."""
    if key in row.cells:
        return row.cells[key]
    return row.month_cell if key == "period" else row.cells.get("uscc", f"第{row.result.row}行")


__all__ = ["STATUS_LABELS", "MonitoringImportService", "MonitoringPlan"]
