"""Writes returns to one print-ready workbook, a sheet per return: typed cells, no formulas, signature foot."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvqi_desktop.exporters.cell_text import cell_text
from lvqi_desktop.exporters.return_model import (
    DATA,
    Column,
    ReturnDocument,
    chinese_date,
    display_columns,
    header,
    numbered_lines,
)
from lvqi_desktop.progress import NO_PROGRESS, Progress

FORMATS = {"money": "#,##0.00", "number": "#,##0.00", "count": "#,##0", "percent": "0.0%", "date": "yyyy-mm-dd", "year": "0"}
FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name=FONT, size=10)
_BOLD = Font(name=FONT, size=10, bold=True)
_TITLE = Font(name=FONT, size=16, bold=True)
_SMALL = Font(name=FONT, size=8, color="666666")
_SUM_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_LONG = Alignment(horizontal="left", vertical="top", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="center")
_WIDTH_SAMPLE = 1000
_MAX_WIDTH = 44


def _chars(value: object) -> int:
    """Display width in Excel character units; CJK characters count double."""
    if isinstance(value, date):
        return 10
    text = f"{value:,.2f}" if isinstance(value, float | Decimal) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def column_widths(document: ReturnDocument) -> list[float]:
    """Width hint, widened to fit the sampled content (capped), never narrower than the header words need."""
    columns = display_columns(document.definition)
    widths = [max(c.width, min(_chars(c.header), 12) + 2) for c in columns]
    for line in document.lines[:_WIDTH_SAMPLE]:
        values = line.values if not document.definition.numbered else (0, *line.values)
        for i, (column, value) in enumerate(zip(columns, values, strict=False)):
            if value not in (None, "") and not column.wrap:
                widths[i] = max(widths[i], min(_chars(value) + 2, _MAX_WIDTH))
    return widths


def _spread(count: int, parts: int) -> list[tuple[int, int]]:
    """Split columns 1..count into `parts` consecutive ranges (fewer when there are fewer columns)."""
    parts = max(1, min(parts, count))
    edges = [round(i * count / parts) for i in range(parts + 1)]
    return [(edges[i] + 1, edges[i + 1]) for i in range(parts)]


def _text(ws: Worksheet, value: str, font: Font = _BODY, align: Alignment = _TEXT, border: Border | None = None,
          fill: PatternFill | None = None, as_text: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_text(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with (set after the value)
    cell.quotePrefix = True  # Excel and WPS keep it text when the user edits the cell
    cell.font, cell.alignment = font, align
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    if as_text:
        cell.number_format = "@"
    return cell


def _blank(ws: Worksheet, border: Border | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=None)
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    return cell


def _value(ws: Worksheet, column: Column, value: object, bold: bool, fill: PatternFill | None) -> WriteOnlyCell:
    font = _BOLD if bold else _BODY
    if value is None or value == "":
        return _blank(ws, _BOX, fill)
    if isinstance(value, str) or column.as_text or column.kind == "text" or isinstance(value, bool):
        text = ("是" if value else "否") if isinstance(value, bool) else str(value)
        return _text(ws, text, font, _LONG if column.wrap else _TEXT, _BOX, fill, column.as_text)
    cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    else:
        cell.number_format = FORMATS.get(column.kind, "General")
    cell.font, cell.border, cell.alignment = font, _BOX, _CENTER if column.kind in ("date", "year") else _NUMBER
    if fill is not None:
        cell.fill = fill
    return cell


class _Cells:
    """Body cells: each (column, kind of value, data or summary line) styled once, then its style is reused
    (setting font, border and format per cell costs openpyxl a style look-up each time)."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column]) -> None:
        self._ws, self._columns = ws, columns
        self._styles: dict[tuple[int, str, bool], object] = {}

    def cell(self, i: int, value: object, summary: bool) -> WriteOnlyCell:
        column = self._columns[i]
        if value is None or value == "":
            shape = "blank"
        elif isinstance(value, str) or isinstance(value, bool) or column.as_text or column.kind == "text":
            shape = "text"
            value = ("是" if value else "否") if isinstance(value, bool) else cell_text(str(value))
        else:
            shape = "datetime" if isinstance(value, datetime) else "number"
            value = float(value) if isinstance(value, Decimal) else value
        key = (i, shape, summary)
        style = self._styles.get(key)
        if style is None:
            sample = "0" if shape == "text" else (None if shape == "blank" else value)
            template = _value(self._ws, column, sample, summary, _SUM_FILL if summary else None)
            style = self._styles[key] = template._style
        cell = WriteOnlyCell(self._ws, value=None if shape == "blank" else value)
        cell._style = style  # shared and never changed afterwards
        if shape == "text":
            cell.data_type = "s"  # never a formula, whatever the text starts with (set after the value)
        return cell


def _row_height(values: Sequence[object], widths: list[float]) -> float | None:
    """Points for a line whose text wraps (Excel does not grow rows it did not lay out); None for one line."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and (len(value) * 2 > width or "\n" in value):
            per_line = max(width - 1.5, 1)
            lines = max(lines, sum(math.ceil(max(_chars(part), 1) / per_line) for part in value.split("\n")))
    return None if lines == 1 else min(409.0, 13.5 * lines)  # 409 pt is Excel's tallest row


class _SheetLayout:
    """Row numbers of the blocks of one sheet, known before the first row is written (write-only)."""

    def __init__(self, document: ReturnDocument, header_rows: int, line_count: int) -> None:
        self.header_first = 3
        self.header_last = 2 + header_rows
        self.data_first = self.header_last + 1
        self.data_last = self.header_last + line_count
        self.foot_first = self.data_last + 2


def _set_up(ws: Worksheet, document: ReturnDocument, layout: _SheetLayout, width_count: int) -> None:
    """Page, widths, panes, filter, print titles and merges: all before the first row (openpyxl drops them later)."""
    definition = document.definition
    for i, width in enumerate(column_widths(document), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    frozen = (1 if definition.numbered else 0) + definition.frozen_columns
    ws.freeze_panes = f"{get_column_letter(frozen + 1)}{layout.data_first}"
    last_col = get_column_letter(width_count)
    has_data = any(line.kind == DATA for line in document.lines)
    if has_data:
        ws.auto_filter.ref = f"A{layout.header_last}:{last_col}{layout.data_last - (document.totals is not None)}"
    ws.print_title_rows = f"{layout.header_first}:{layout.header_last}"
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    ws.merged_cells.add(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 30
    for first, last in _spread(width_count, 3):
        if last > first:
            ws.merged_cells.add(f"{get_column_letter(first)}2:{get_column_letter(last)}2")
    head = header(definition)
    for c1, r1, c2, r2 in head.spans:
        ws.merged_cells.add(f"{get_column_letter(c1 + 1)}{layout.header_first + r1}:"
                            f"{get_column_letter(c2 + 1)}{layout.header_first + r2}")


def _info_row(ws: Worksheet, document: ReturnDocument, width_count: int) -> list[WriteOnlyCell | None]:
    texts = [f"填报单位：{document.reporting_unit}", f"期别：{document.period_label}",
             f"填报日期：{chinese_date(document.filled_on)}"]
    ranges = _spread(width_count, 3)
    if len(ranges) < 3:
        texts = ["　　".join(texts)]
    aligns = [Alignment(horizontal=h, vertical="center") for h in ("left", "center", "right")]
    row: list[WriteOnlyCell | None] = [None] * width_count
    for (first, _), text, align in zip(ranges, texts, aligns, strict=False):
        row[first - 1] = _text(ws, text, _BODY, align)
    return row


def _header_rows(ws: Worksheet, document: ReturnDocument) -> list[list[WriteOnlyCell]]:
    head = header(document.definition)
    return [[_text(ws, text, _BOLD, _CENTER, _BOX, _HEAD_FILL) if text else _blank(ws, _BOX, _HEAD_FILL)
             for text in row] for row in head.rows]


def _foot(ws: Worksheet, document: ReturnDocument, width_count: int, first_row: int) -> None:
    """Footnotes, the seal and signature line, and the fingerprint, each merged across the table."""
    last_col = get_column_letter(width_count)
    total_width = sum(column_widths(document))
    row = first_row
    ws.append([])
    for n, note in enumerate(document.all_footnotes, start=1):
        text = f"注{n}：{note}" if len(document.all_footnotes) > 1 else f"注：{note}"
        ws.merged_cells.add(f"A{row}:{last_col}{row}")
        lines = max(1, math.ceil(_chars(text) / max(total_width, 1)))
        ws.row_dimensions[row].height = 15 * lines
        ws.append([_text(ws, text, _BODY, _LONG)])
        row += 1
    ws.append([])
    row += 1
    signs = [f"{SIGN}：" for SIGN in ("填报单位（盖章）",)] + [
        f"填报人：{document.preparer or '　' * 6}", f"审核人：{document.reviewer or '　' * 6}",
        f"填报日期：{chinese_date(document.filled_on)}"]
    ranges = _spread(width_count, 4)
    if len(ranges) < 4:
        ranges, signs = [(1, width_count)], ["　　".join(signs)]
    cells: list[WriteOnlyCell | None] = [None] * width_count
    for (first, last), text in zip(ranges, signs, strict=True):
        if last > first:
            ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")
        cells[first - 1] = _text(ws, text, _BODY, Alignment(horizontal="left", vertical="center"))
    ws.row_dimensions[row].height = 36
    ws.append(cells)
    if document.foot_line:
        row += 1
        ws.merged_cells.add(f"A{row}:{last_col}{row}")
        ws.append([_text(ws, document.foot_line, _SMALL, Alignment(horizontal="right"))])


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in cell_text(title)).strip("'")[:31] or "报表"
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _write_sheet(workbook: Workbook, document: ReturnDocument, taken: set[str], progress: Progress,
                 done: int, total: int) -> int:
    ws = workbook.create_sheet(title=_sheet_title(document.title, taken))
    columns = display_columns(document.definition)
    width_count = len(columns)
    head_rows = _header_rows(ws, document)
    line_count = len(document.lines) + (document.totals is not None)
    layout = _SheetLayout(document, len(head_rows), line_count)
    _set_up(ws, document, layout, width_count)
    ws.append([_text(ws, document.title, _TITLE, _CENTER)])
    ws.append(_info_row(ws, document, width_count))
    for row in head_rows:
        ws.append(row)
    cells = _Cells(ws, columns)
    widths = column_widths(document)
    for n, line in enumerate(numbered_lines(document)):
        summary = line.kind != DATA
        height = _row_height(line.values, widths)
        if height:
            ws.row_dimensions[layout.data_first + n].height = height
        ws.append([cells.cell(i, value, summary) for i, value in enumerate(line.values[:width_count])])
        if n % 500 == 0:
            progress.raise_if_cancelled()
            progress.update(done + n, total, f"正在写入 Excel：{document.title}")
    _foot(ws, document, width_count, layout.foot_first)
    return done + line_count


def write_returns_xlsx(documents: Sequence[ReturnDocument], path: str | Path,
                       progress: Progress = NO_PROGRESS) -> Path:
    """Write every return as a sheet of one workbook at `path` (the caller writes to a temporary name).

    Numbers stay numbers with formats (money '#,##0.00', counts '#,##0', percent '0.0%'), dates stay
    dates, every str is stored as text with a quote prefix and never as a formula, and USCC, phone and
    document-number columns are text. Raises Cancelled when `progress` is cancelled; OSError from saving.
    """
    workbook = Workbook(write_only=True)
    total = sum(len(d.lines) + 1 for d in documents)
    taken: set[str] = set()
    done = 0
    try:
        for document in documents:
            done = _write_sheet(workbook, document, taken, progress, done, total)
        progress.raise_if_cancelled()
        progress.update(total, total, "正在保存 Excel 文件")
        workbook.save(str(path))
    except BaseException:
        for ws in workbook.worksheets:
            with contextlib.suppress(Exception):
                ws.close()
                ws._writer.cleanup()
        raise
    return Path(path)
