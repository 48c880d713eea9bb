"""Writes returns to one print-ready workbook, a sheet per return: typed cells, no formulas, signature foot."""

from __future__ import annotations

import contextlib
import math
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
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from lvqi_desktop.exporters.cell_text import cell_text
from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import SEAL_LABEL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import ReturnDocument
from lvqi_desktop.exporters.return_model import display_columns
from lvqi_desktop.exporters.return_model import group_display_index
from lvqi_desktop.exporters.return_model import header
from lvqi_desktop.exporters.return_model import label_runs
from lvqi_desktop.exporters.return_model import numbered_lines
from lvqi_desktop.exporters.return_xlsx_print import BODY_PT
from lvqi_desktop.exporters.return_xlsx_print import MARGIN_BOTTOM_IN
from lvqi_desktop.exporters.return_xlsx_print import MARGIN_TOP_IN
from lvqi_desktop.exporters.return_xlsx_print import MARGIN_X_IN
from lvqi_desktop.exporters.return_xlsx_print import PrintPlan
from lvqi_desktop.exporters.return_xlsx_print import plan
from lvqi_desktop.exporters.return_xlsx_print import rows_before_break
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress

FORMATS = {"money": "#,##0.00", "number": "#,##0.00", "count": "#,##0", "percent": "0.0%", "date": "yyyy-mm-dd", "year": "0"}
FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name=FONT, size=BODY_PT)
_BOLD = Font(name=FONT, size=BODY_PT, bold=True)
_TITLE = Font(name=FONT, size=16, bold=True)
_SMALL = Font(name=FONT, size=BODY_PT, color="666666")  # printed at ≥ 80 %: never below 8 pt
_IDENTITY = Font(name=FONT, size=BODY_PT)
_LINE_PT = 13.5  # one line of 10 pt text
SEAL_ROW_PT = 120  # 4.2 cm: room for a round seal of about 4 cm
KEEP_ROWS = 2
IDENTITY_ROWS = 4
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


def _spread(widths: Sequence[float], parts: int) -> list[tuple[int, int]]:
    """Split columns 1..len(widths) into `parts` consecutive ranges of about equal width (fewer when there are
    fewer columns), so each part of the line under the title has room for its text."""
    count = len(widths)
    parts = max(1, min(parts, count))
    total, edges, run = sum(widths), [0], 0.0
    for i, width in enumerate(widths, start=1):
        run += width
        if len(edges) < parts and run >= total * len(edges) / parts and count - i >= parts - len(edges):
            edges.append(i)
    edges.append(count)
    return [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]


def _text(ws: Worksheet, value: str, font: Font = _BODY, align: Alignment = _TEXT, border: Border | None = None,
          fill: PatternFill | None = None, as_text: bool = False) -> Cell:
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


def _blank(ws: Worksheet, border: Border | None = None, fill: PatternFill | None = None) -> Cell:
    cell = WriteOnlyCell(ws, value=None)
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    return cell


def _value(ws: Worksheet, column: Column, value: object, bold: bool, fill: PatternFill | None) -> Cell:
    font = _BOLD if bold else _BODY
    if value is None or value == "":
        return _blank(ws, _BOX, fill)
    if isinstance(value, str) or column.as_text or column.kind == "text" or isinstance(value, bool):
        text = ("是" if value else "否") if isinstance(value, bool) else str(value)
        return _text(ws, text, font, _LONG if column.wrap else _TEXT, _BOX, fill, column.as_text)
    cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)  # type: ignore[arg-type]  # openpyxl takes any cell value (int, date, bool…); its stubs narrow it
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif column.kind == "number" and isinstance(value, int):
        cell.number_format = FORMATS["count"]  # a head count in a mixed column prints without decimals
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

    def cell(self, i: int, value: object, summary: bool) -> Cell:
        column = self._columns[i]
        if value is None or value == "":
            shape = "blank"
        elif isinstance(value, str) or isinstance(value, bool) or column.as_text or column.kind == "text":
            shape = "text"
            value = ("是" if value else "否") if isinstance(value, bool) else cell_text(str(value))
        else:
            shape = "datetime" if isinstance(value, datetime) else ("integer" if isinstance(value, int) else "number")
            value = float(value) if isinstance(value, Decimal) else value
        key = (i, shape, summary)
        style = self._styles.get(key)
        if style is None:
            sample = "0" if shape == "text" else (None if shape == "blank" else value)
            template = _value(self._ws, column, sample, summary, _SUM_FILL if summary else None)
            style = self._styles[key] = template._style  # type: ignore[attr-defined]  # the private StyleArray, not in the stubs
        cell = WriteOnlyCell(self._ws, value=None if shape == "blank" else value)  # type: ignore[arg-type]  # openpyxl takes any cell value (int, date, bool…); its stubs narrow it
        cell._style = style  # type: ignore[attr-defined]  # shared and never changed afterwards (private, as above)
        if shape == "text":
            cell.data_type = "s"  # never a formula, whatever the text starts with (set after the value)
        return cell


def _lines(text: str, width: float) -> int:
    per_line = max(width - 1.5, 1)
    return sum(math.ceil(max(_chars(part), 1) / per_line) for part in text.split("\n"))


def _row_height(values: Sequence[object], widths: Sequence[float]) -> float | None:
    """Points for a line whose text wraps (Excel does not grow rows it did not lay out); None for one line."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and (len(value) * 2 > width or "\n" in value):
            lines = max(lines, _lines(value, width))
    return None if lines == 1 else min(409.0, _LINE_PT * lines)  # 409 pt is Excel's tallest row


def _text_height(text: str, width: float, minimum: float = _LINE_PT + 3) -> float:
    return min(409.0, max(minimum, _LINE_PT * _lines(text, width) + 3))


class _SheetLayout:
    """Row numbers of the blocks of one sheet, known before the first row is written (write-only)."""

    def __init__(self, document: ReturnDocument, header_rows: int, line_count: int) -> None:
        self.title_row = IDENTITY_ROWS + 1
        self.info_row = IDENTITY_ROWS + 2
        self.header_first = IDENTITY_ROWS + 3
        self.header_last = IDENTITY_ROWS + 2 + header_rows
        self.data_first = self.header_last + 1
        self.data_last = self.header_last + line_count
        self.foot_first = self.data_last + 2


def _identity_first(widths: Sequence[float]) -> int:
    """The first column (1-based) of the top-right 表号 block: enough columns from the right for ~36 characters."""
    used, first = 0.0, len(widths)
    while first > 1 and used < 36:
        used += widths[first - 1]
        first -= 1
    return max(first + 1, 2) if len(widths) > 1 else 1


def _set_up(ws: Worksheet, document: ReturnDocument, layout: _SheetLayout, width_count: int,
            printing: PrintPlan) -> None:
    """Page, widths, panes, filter, print titles and merges: all before the first row (openpyxl drops them later)."""
    definition = document.definition
    widths = column_widths(document)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    frozen = (1 if definition.numbered else 0) + definition.naming_columns
    ws.freeze_panes = f"{get_column_letter(frozen + 1)}{layout.data_first}"
    last_col = get_column_letter(width_count)
    if not document.is_empty and definition.numbered:  # a summary's 栏次 row is no filter row
        ws.auto_filter.ref = f"A{layout.header_last}:{last_col}{layout.data_last - (document.totals is not None)}"
    ws.print_title_rows = f"{layout.header_first}:{layout.header_last}"
    _page_set_up(ws, printing)
    span = printing.first_group(width_count)  # title, 表号 block and info line stay on the first page across
    span_col = get_column_letter(span)
    first = get_column_letter(_identity_first(widths[:span]))
    for row in range(1, IDENTITY_ROWS + 1):
        if first != span_col:
            ws.merged_cells.add(f"{first}{row}:{span_col}{row}")
    title_col = get_column_letter(printing.unrepeated_first(span))
    ws.merged_cells.add(f"{title_col}{layout.title_row}:{span_col}{layout.title_row}")
    ws.row_dimensions[layout.title_row].height = 30
    for _text_part, first_col, last in _info_parts(document, widths[:span]):
        if last > first_col:
            ws.merged_cells.add(f"{get_column_letter(first_col)}{layout.info_row}:{get_column_letter(last)}{layout.info_row}")
    ws.row_dimensions[layout.info_row].height = max(_text_height(t, w) for t, w in _info_texts(document, widths[:span]))
    head = header(definition)
    for c1, r1, c2, r2 in head.spans:
        ws.merged_cells.add(f"{get_column_letter(c1 + 1)}{layout.header_first + r1}:"
                            f"{get_column_letter(c2 + 1)}{layout.header_first + r2}")
    for r, head_row in enumerate(head.rows):
        height = _row_height([t for t in head_row], widths)
        ws.row_dimensions[layout.header_first + r].height = max(height or 0, _LINE_PT + 4)
    at = group_display_index(definition)
    if at is not None and not document.is_empty:
        letter = get_column_letter(at + 1)
        values = [line.values[at] for line in numbered_lines(document)]
        for start, end in label_runs(values):
            ws.merged_cells.add(f"{letter}{layout.data_first + start}:{letter}{layout.data_first + end}")


def _page_set_up(ws: Worksheet, printing: PrintPlan) -> None:
    """A4, portrait or landscape; fitted to the width only where that keeps 8 pt, else column groups at 80 %."""
    ws.page_setup.orientation = (Worksheet.ORIENTATION_LANDSCAPE if printing.landscape
                                 else Worksheet.ORIENTATION_PORTRAIT)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if printing.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # created with the sheet; the stubs allow None
    else:
        ws.page_setup.scale = printing.scale
        if printing.title_columns:
            ws.print_title_cols = f"A:{get_column_letter(printing.title_columns)}"
        for column in printing.column_breaks:
            ws.col_breaks.append(Break(id=column))
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_X_IN
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_IN, MARGIN_BOTTOM_IN
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"  # type: ignore[union-attr]  # created with the sheet; the stubs allow None
    ws.oddFooter.center.size = 9  # type: ignore[union-attr]  # created with the sheet; the stubs allow None


_NARROW = 110  # characters: below this the period and the unit share the right half of the line


def _info_parts(document: ReturnDocument, widths: Sequence[float]) -> list[tuple[str, int, int]]:
    """The line under the title (填报单位 / 期别 / 计量单位): each text with its first and last column (1-based)."""
    texts = [f"填报单位：{document.reporting_unit}", f"期别：{document.period_label}", document.unit_line]
    if sum(widths) < _NARROW:
        texts = [texts[0], "　".join(t for t in texts[1:] if t)]
    ranges = _spread(widths, len(texts))
    if len(ranges) < len(texts):
        return [("　　".join(t for t in texts if t), 1, len(widths))]
    return [(t, a, b) for t, (a, b) in zip(texts, ranges, strict=True)]


def _info_texts(document: ReturnDocument, widths: Sequence[float]) -> list[tuple[str, float]]:
    """The parts of the line under the title with the width each has."""
    return [(t, sum(widths[a - 1:b])) for t, a, b in _info_parts(document, widths)]


def _info_row(ws: Worksheet, document: ReturnDocument, width_count: int) -> list[Cell | None]:
    parts = _info_parts(document, column_widths(document)[:width_count])
    sides = ["left", "center", "right"] if len(parts) == 3 else ["left", "right"][:len(parts)]
    row: list[Cell | None] = [None] * width_count
    for (text, first, _), side in zip(parts, sides, strict=True):
        row[first - 1] = _text(ws, text, _BODY, Alignment(horizontal=side, vertical="center", wrap_text=True))
    return row


def _identity_rows(ws: Worksheet, document: ReturnDocument, width_count: int) -> list[list[Cell | None]]:
    first = _identity_first(column_widths(document)[:width_count])
    rows = []
    for line in document.identity.lines():
        row: list[Cell | None] = [None] * width_count
        row[first - 1] = _text(ws, line, _IDENTITY, Alignment(horizontal="left", vertical="center"))
        rows.append(row)
    return rows


def _header_rows(ws: Worksheet, document: ReturnDocument) -> list[list[Cell]]:
    head = header(document.definition)
    return [[_text(ws, text, _BOLD, _CENTER, _BOX, _HEAD_FILL) if text else _blank(ws, _BOX, _HEAD_FILL)
             for text in row] for row in head.rows]


def _foot_rows(document: ReturnDocument, widths: Sequence[float]) -> list[tuple[str, float, str]]:
    """(text, height, kind) of each foot row: notes, a gap, the seal room, the signature line, the tracing lines."""
    total = sum(widths)
    rows: list[tuple[str, float, str]] = []
    notes = document.all_footnotes
    for n, note in enumerate(notes, start=1):
        text = f"注{n}：{note}" if len(notes) > 1 else f"注：{note}"
        rows.append((text, _text_height(text, total), "note"))
    rows.append(("", _LINE_PT, "gap"))
    rows.append((f"{SEAL_LABEL}：", SEAL_ROW_PT, "seal"))
    signs = "　　".join(document.signatures)
    rows.append((signs, _text_height(signs, total, 24), "sign"))
    for text in (document.foot_line, document.check_note):
        if text:
            rows.append((text, _text_height(text, total), "small"))
    return rows


def _foot(ws: Worksheet, document: ReturnDocument, width_count: int, first_row: int, start: int = 1) -> None:
    """Footnotes, the seal room, the signature line and the fingerprint, each merged across the table from column
    `start` (past the columns repeated on every column group, so they do not print cut off there)."""
    last_col, start_col = get_column_letter(width_count), get_column_letter(start)
    widths = column_widths(document)[:width_count]
    ws.append([])
    seal_first = get_column_letter(_identity_first(widths))
    aligns = {"note": _LONG, "gap": _TEXT, "sign": Alignment(horizontal="left", vertical="center", wrap_text=True),
              "small": Alignment(horizontal="right", vertical="top", wrap_text=True),
              "seal": Alignment(horizontal="left", vertical="top")}
    for row, (text, height, kind) in enumerate(_foot_rows(document, widths[start - 1:]), start=first_row):
        ws.row_dimensions[row].height = height
        cells: list[Cell | None] = [None] * width_count
        if kind == "seal":
            if seal_first != last_col:
                ws.merged_cells.add(f"{seal_first}{row}:{last_col}{row}")
            cells[_identity_first(widths) - 1] = _text(ws, text, _BODY, aligns[kind])
        elif text:
            ws.merged_cells.add(f"{start_col}{row}:{last_col}{row}")
            cells[start - 1] = _text(ws, text, _SMALL if kind == "small" else _BODY, aligns[kind])
        ws.append(cells)


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
    line_count = max(len(document.lines) + (document.totals is not None), 1) if not document.is_empty else 1
    layout = _SheetLayout(document, len(head_rows), line_count)
    widths = column_widths(document)
    kept = (1 if document.definition.numbered else 0) + max(document.definition.naming_columns, 1)
    groups = [(c1, c2) for c1, r1, c2, _r2 in header(document.definition).spans if r1 == 0 and c2 > c1]
    printing = plan(widths, min(kept, width_count - 1), groups)
    _set_up(ws, document, layout, width_count, printing)
    span = printing.first_group(width_count)
    for row in _identity_rows(ws, document, span):
        ws.append(row)
    start = printing.unrepeated_first(span)
    ws.append([None] * (start - 1) + [_text(ws, document.title, _TITLE, _CENTER)])
    ws.append(_info_row(ws, document, span))
    for header_row in head_rows:
        ws.append(header_row)
    heights = _write_lines(ws, document, layout, widths, progress, done, total)
    _keep_foot_with_lines(ws, document, layout, widths[:span], heights, printing)
    _foot(ws, document, span, layout.foot_first, start)
    return done + line_count


def _write_lines(ws: Worksheet, document: ReturnDocument, layout: _SheetLayout, widths: Sequence[float],
                 progress: Progress, done: int, total: int) -> list[float]:
    """The table's lines (or 本期无 and why); returns each line's height in points."""
    columns = display_columns(document.definition)
    width_count = len(columns)
    if document.is_empty:
        ws.merged_cells.add(f"A{layout.data_first}:{get_column_letter(width_count)}{layout.data_first}")
        ws.append([_text(ws, document.empty_text, _BODY, _CENTER, _BOX)] +
                  [_blank(ws, _BOX) for _ in range(width_count - 1)])
        return [_LINE_PT + 4]
    cells = _Cells(ws, columns)
    at = group_display_index(document.definition)
    previous: object = None
    heights = []
    for n, line in enumerate(numbered_lines(document)):
        summary = line.kind != DATA
        height = _row_height(line.values, widths)
        if height:
            ws.row_dimensions[layout.data_first + n].height = height
        heights.append(height or _LINE_PT)
        values = list(line.values[:width_count])
        if at is not None:  # a merged group label: the repeats stay blank under the merge
            label = values[at]
            if label not in (None, "") and label == previous:
                values[at] = None
            previous = label
        ws.append([cells.cell(i, value, summary) for i, value in enumerate(values)])
        if n % 500 == 0:
            progress.raise_if_cancelled()
            progress.update(done + n, total, f"正在写入 Excel：{document.title}")
    return heights


def _keep_foot_with_lines(ws: Worksheet, document: ReturnDocument, layout: _SheetLayout, widths: Sequence[float],
                          heights: list[float], printing: PrintPlan) -> None:
    """A manual page break before the last lines when the foot would otherwise print alone on a page."""
    head = sum(ws.row_dimensions[r].height or _LINE_PT for r in range(layout.header_first, layout.header_last + 1))
    top = sum(ws.row_dimensions[r].height or _LINE_PT for r in range(1, layout.info_row + 1)) + head
    tail = 1.1 * (_LINE_PT + sum(h for _, h, _kind in _foot_rows(document, widths)))  # 10 % for rendering
    at = rows_before_break(heights, head, top, printing, tail, KEEP_ROWS)
    if at is not None and at > 0:
        ws.row_breaks.append(Break(id=layout.data_first + at - 1))


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
                ws._writer.cleanup()  # type: ignore[attr-defined]  # the write-only sheet's private writer, not in the stubs
        raise
    return Path(path)
