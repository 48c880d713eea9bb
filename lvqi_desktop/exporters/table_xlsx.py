"""Writes any table a page shows to a print-ready xlsx: title, header, filters, typed cells, no formulas."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import ExportError
from lvqi_desktop.exporters.cell_text import cell_text
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress

INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
_FORMULA_START = ("=", "+", "-", "@")
_THIN = Side(style="thin", color="999999")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTH_SAMPLE = 1000  # rows looked at to size the columns


def _display_width(value: object) -> int:
    """Width in Excel character units; CJK characters count double."""
    text = value.strftime("%Y-%m-%d") if isinstance(value, date) else str(value)
    if text.isascii():  # numbers, codes, dates: no per-character look
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E80)


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    widths = [_display_width(h) + 2 for h in headers]
    for row in rows[:_WIDTH_SAMPLE]:
        for col, value in enumerate(row):
            if value is not None and col < len(widths):
                extra = 2 if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else 0
                widths[col] = max(widths[col], _display_width(value) + 1 + extra)
    return [min(max(w, 6), 60) for w in widths]


def _set_up_sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Everything a write-only sheet needs before its first row (openpyxl drops it afterwards)."""
    last_col = get_column_letter(len(headers))
    for index, width in enumerate(_column_widths(headers, rows), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last_col}{len(rows) + 2}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # created with the sheet; the stubs allow None
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"  # type: ignore[union-attr]  # created with the sheet; the stubs allow None
    ws.merged_cells.add(f"A1:{last_col}1")


def _text_cell(ws: Worksheet, text: str, as_text_column: bool) -> Cell:
    text = cell_text(text)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with (set after the value)
    if as_text_column:
        cell.number_format = TEXT_FORMAT
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True  # Excel keeps it text when the user edits the cell
    return cell


def _value_cell(ws: Worksheet, value: object, col: int, text_columns: set[int],
                number_formats: dict[int, str]) -> Cell | str | date | None:
    """A styled cell where the value needs a format; plain text goes as a str (openpyxl writes it as text,
    and a cell object would cost openpyxl an exception and a second cell each)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, str) or col in text_columns:
        text = cell_text(value if isinstance(value, str) else str(value))
        if col not in text_columns and not text.startswith(_FORMULA_START):
            return text
        return _text_cell(ws, text, col in text_columns)
    if type(value) is date and col not in number_formats:
        return value  # openpyxl gives a bare date its own 'yyyy-mm-dd' (DATE_FORMAT) without a styled cell
    cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)  # type: ignore[arg-type]  # openpyxl takes any cell value (int, date, bool…); its stubs narrow it
    if col in number_formats:
        cell.number_format = number_formats[col]
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int):
        cell.number_format = INT_FORMAT
    else:
        cell.number_format = FLOAT_FORMAT
    return cell


def _fill_sheet(ws: Worksheet, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                text_columns: set[int], number_formats: dict[int, str], progress: Progress) -> None:
    title_cell = _text_cell(ws, title, False)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.append([title_cell])
    header_cells = []
    for header in headers:
        cell = _text_cell(ws, header, False)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF3")
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.append(header_cells)
    total = len(rows)
    for index, row in enumerate(rows):
        ws.append([_value_cell(ws, value, col, text_columns, number_formats) for col, value in enumerate(row)])
        if index % 1000 == 0:
            progress.raise_if_cancelled()
            progress.update(index, total, f"正在写入第 {index + 1:,} / {total:,} 行")


def write_table_xlsx(path: str | Path, title: str, headers: list[str], rows: Sequence[Sequence[object]],
                     text_columns: set[int], number_formats: dict[int, str] | None = None,
                     progress: Progress = NO_PROGRESS) -> Path:
    """Write one sheet: merged title row, header row, then `rows` as typed cells.

    Numbers stay numbers (int '#,##0', float '#,##0.00' unless `number_formats` says otherwise for a
    column index), dates are dates, every str is stored as text and never as a formula, and columns in
    `text_columns` (USCC, phone) are text. Written to a temporary file, then moved into place, so a
    failed or cancelled export never leaves a half-written file. Raises ExportError or Cancelled.
    """
    target = Path(path)
    if not headers:
        raise ExportError("没有可导出的列。")
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_sheet_title(title))
    _set_up_sheet(ws, headers, rows)
    try:
        _fill_sheet(ws, title, headers, rows, text_columns, number_formats or {}, progress)
        progress.update(len(rows), len(rows), "正在保存文件")
        _save_atomically(workbook, target)
    except BaseException:
        _discard(ws)
        raise
    return target


def _discard(ws: WriteOnlyWorksheet) -> None:
    """Close a half-written write-only sheet and remove openpyxl's temporary file for it."""
    with contextlib.suppress(Exception):
        ws.close()
        ws._writer.cleanup()  # type: ignore[attr-defined]  # the write-only sheet's private writer, not in the stubs


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in cell_text(title)).strip("'") or "Sheet1"
    return cleaned[:31]


def _save_atomically(workbook: Workbook, target: Path) -> None:
    # A temporary name beside the target (same disk, so os.replace is atomic); created by openpyxl with
    # the usual permissions rather than mkstemp's owner-only ones.
    temp = target.with_name(f".{target.stem}-{uuid.uuid4().hex[:8]}.xlsx.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_files.replacing(target, temp=temp):
            workbook.save(temp)
    except OSError as exc:
        raise ExportError(f"无法写入“{target}”（{exc.strerror or exc}）。如果该文件正在Excel中打开，"
                          "请先关闭它再导出；或换一个有写入权限的文件夹。") from exc
