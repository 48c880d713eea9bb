"""Import templates (下载导入模板) and the import report (导入检查报告) as xlsx.

A template: header row, one example row, a 填写说明 sheet explaining every column, drop-downs for
every coded column taken from a hidden `_lists` sheet, and ID columns (USCC, 行业代码) formatted
as text so Excel keeps all 18 characters. The report lists each checked row with its status and
reasons; rows with errors are filled red and carry the word 有错误 (never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lvqi_desktop.exporters.cell_text import cell_text
from lvqi_desktop.exporters.table_xlsx import TEXT_FORMAT
from lvqi_desktop.exporters.table_xlsx import _save_atomically
from lvqi_desktop.exporters.table_xlsx import write_table_xlsx
from lvqi_desktop.models.import_kinds import KINDS
from lvqi_desktop.models.import_kinds import ImportKind
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress

TEMPLATE_ROWS = 5000  # rows the drop-downs and text formats cover
LISTS_SHEET = "_lists"
_HEADER_FILL = PatternFill("solid", fgColor="E8EDF3")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
_WARN_FILL = PatternFill("solid", fgColor="FFF3CD")
_TYPE_WORDS = {"text": "文本", "id": "文本（代码）", "money": "数字，万元", "count": "整数", "date": "日期",
               "month": "年月", "year": "四位年份", "bool": "是/否", "code": "从下拉列表选择",
               "prose": "文本（可多行）"}


def _text(cell: Any, value: str) -> None:
    value = cell_text(value)
    cell.value = value
    cell.data_type = "s"  # never a formula
    if value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True


def write_template(spec: ImportKind, path: Path, lists: dict[str, list[str]], sheet_title: str = "") -> Path:
    """`sheet_title` names the data sheet (the monitoring template's example month), default the kind's label."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = (sheet_title or spec.label).replace("（", "(").replace("）", ")")[:31]
    hidden = wb.create_sheet(LISTS_SHEET)
    hidden.sheet_state = "hidden"
    list_col = 0
    for index, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        _text(head, f.header)
        head.font = _REQUIRED_FONT if f.required else Font(bold=True)
        head.fill = _HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = max(10, min(40, len(f.header) * 2 + 4))
        example = ws.cell(row=2, column=index)
        if f.example:
            _text(example, f.example)
        if f.kind == "id":
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            for row in range(2, TEMPLATE_ROWS + 1):
                ws.cell(row=row, column=index).number_format = TEXT_FORMAT
        values: list[str] = []
        if isinstance(f.codes, dict):
            values = list(f.codes.values())
        elif isinstance(f.codes, str):
            values = lists.get(f.codes, [])
        if values:
            list_col += 1
            list_letter = get_column_letter(list_col)
            _text(hidden.cell(row=1, column=list_col), f.label)
            for r, v in enumerate(values, start=2):
                _text(hidden.cell(row=r, column=list_col), v)
            dv = DataValidation(type="list", formula1=f"='{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(values) + 1}",
                                allow_blank=True, showErrorMessage=True, errorTitle="输入错误",
                                error=f"{f.label}请从下拉列表中选择")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    ws.freeze_panes = "C2"
    notes = wb.create_sheet("填写说明", 1)
    for col, (title, width) in enumerate((("列名", 22), ("必填", 6), ("填写要求", 16), ("说明", 70)), start=1):
        c = notes.cell(row=1, column=col)
        _text(c, title)
        c.font = Font(bold=True)
        c.fill = _HEADER_FILL
        notes.column_dimensions[get_column_letter(col)].width = width
    row = 2
    for f in spec.fields:
        _text(notes.cell(row=row, column=1), f.header)
        _text(notes.cell(row=row, column=2), "是" if f.required else "")
        _text(notes.cell(row=row, column=3), _TYPE_WORDS.get(f.kind, f.kind))
        extra = f"；也可写作：{'、'.join(f.synonyms[:4])}" if f.synonyms else ""
        _text(notes.cell(row=row, column=4), (f.note or "") + extra)
        notes.cell(row=row, column=4).alignment = Alignment(wrap_text=True)
        row += 1
    row += 1
    for line in (*spec.notes, "第2行是示例，导入前请删除或改成真实数据。",
                 "也可以导入本县区自己的表格：程序按表头名称识别列（支持常见别名），导入前会先预览，确认后才写入。"):
        _text(notes.cell(row=row, column=1), line)
        row += 1
    wb.active = 0
    _save_atomically(wb, path)
    return path


def write_report(plan: Any, path: Path, progress: Progress = NO_PROGRESS) -> Path:
    """One row per checked sheet row: 行号, 状态, 信用代码, 名称, 单元格, 问题/变化; errors highlighted.

    A kind without a USCC (双创基地) is matched by its own name: no 信用代码 column, the name column says whose name."""
    spec = KINDS.get(getattr(plan, "kind", ""))
    firms = spec is None or any(f.key == "uscc" for f in spec.fields)
    name_header = "企业名称" if firms or spec is None else spec.field("name").header
    headers = ["行号", "结果", *(["统一社会信用代码"] if firms else []), name_header, "单元格", "说明"]
    rows: list[Sequence[object]] = []
    for r in plan.rows:
        lines: list[tuple[str, str]] = [(c, f"错误：{m}") for c, m in r.errors]
        lines += [(c, f"提醒：{m}") for c, m in r.warnings]
        lines += [(c, f"提醒：待补充：{m}") for c, m in getattr(r, "pending", ())]
        lines += [(ch.cell, f"{ch.label}：{ch.old} → {ch.new}") for ch in r.changes]
        lines += [(c, f"已整理：{m}") for c, m in r.notes]
        if not lines:
            lines = [("", "")]
        for cell, text in lines:
            rows.append([r.row, r.status_label, *([r.uscc] if firms else []), r.name, cell, text])
    title = f"导入检查报告：{plan.path.name}（{plan.summary_text()}）"
    write_table_xlsx(path, title, headers, rows, text_columns={2} if firms else set(), progress=progress)
    _highlight(path, rows)
    return path


def _highlight(path: Path, rows: Sequence[Sequence[object]]) -> None:
    """Fill the rows with errors red and warnings amber (the word is already in the 结果/说明 column)."""
    from openpyxl import load_workbook

    if len(rows) > 50_000:  # a huge report stays plain: reloading it would take too long
        return
    wb = load_workbook(path)
    ws = wb.active
    assert isinstance(ws, Worksheet)  # the report just written: one worksheet
    ws.title = "导入检查报告"  # the tab: the long summary stays in the title row, not cut at 31 characters
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)  # whole, on screen and paper
    ws.row_dimensions[1].height = 36
    for index, row in enumerate(rows, start=3):
        text = str(row[-1])
        fill = _ERROR_FILL if text.startswith("错误") else _WARN_FILL if text.startswith("提醒") else None
        if fill is not None:
            for col in range(1, len(row) + 1):
                ws.cell(row=index, column=col).fill = fill
    _save_atomically(wb, path)


_OPEN_FILL = PatternFill("solid", fgColor="FFF3CD")
_SHUT_FILL = PatternFill("solid", fgColor="EEEEEE")


def write_incomplete_list(spec: ImportKind, path: Path, firms: Sequence[tuple[str, str, dict[str, str]]]) -> Path:
    """导出待补充清单: a row per firm (USCC, name, what is missing); exactly the missing cells are open (yellow,
    unlocked), every other cell is grey and locked. Imported back with the same importer, it fills only those facts."""
    from openpyxl.styles import Protection

    columns: list[str] = []  # field keys (or years.Y.field) in the template's order, those any firm misses
    order = {f.key: i for i, f in enumerate(spec.fields)}
    keys = {k for _, _, marks in firms for k in marks if k.rsplit(".", 1)[-1] in order}
    columns = sorted(keys, key=lambda k: (order[k.rsplit(".", 1)[-1]], k))
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "资料待补充"
    headers = [spec.field("uscc").header, spec.field("name").header]
    for key in columns:
        f = spec.field(key.rsplit(".", 1)[-1])
        headers.append(f"{key.split('.')[1]}年{f.header}" if key.startswith("years.") else f.header)
    headers.append("待补充说明")
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        _text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = 40 if col in (2, len(headers)) else 20
    for row, (uscc, name, marks) in enumerate(firms, start=2):
        _text(ws.cell(row=row, column=1), uscc)
        _text(ws.cell(row=row, column=2), name)
        for col, key in enumerate(columns, start=3):
            cell = ws.cell(row=row, column=col)
            cell.number_format = TEXT_FORMAT
            missing = key in marks
            cell.fill = _OPEN_FILL if missing else _SHUT_FILL
            cell.protection = Protection(locked=not missing)
        note = ws.cell(row=row, column=len(headers))
        _text(note, "；".join(marks.values()))
        note.alignment = Alignment(wrap_text=True)
    ws.protection.sheet = True  # only the open cells take input (no password: it guides, it does not guard)
    ws.freeze_panes = "C2"
    _save_atomically(wb, path)
    return path
