"""Writes one return as an A4 landscape PDF: embedded Chinese font, wrapped cells, repeated header, page X of Y."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Spacer
from reportlab.platypus import Table
from reportlab.platypus import TableStyle
from reportlab.platypus.flowables import Flowable

from lvqi_desktop.exporters.pdf_fonts import CjkFont
from lvqi_desktop.exporters.pdf_kinsoku import Measure
from lvqi_desktop.exporters.pdf_kinsoku import wrap_cell
from lvqi_desktop.exporters.pdf_pages import BodyRow
from lvqi_desktop.exporters.pdf_pages import TableStyleSpec
from lvqi_desktop.exporters.pdf_pages import keep_with_foot
from lvqi_desktop.exporters.pdf_pages import page_tables
from lvqi_desktop.exporters.pdf_pages import paginate
from lvqi_desktop.exporters.pdf_pages import row_height
from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import SEAL_LABEL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import GlyphReport
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnDocument
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import display_columns
from lvqi_desktop.exporters.return_model import group_display_index
from lvqi_desktop.exporters.return_model import header
from lvqi_desktop.exporters.return_model import numbered_lines
from lvqi_desktop.exporters.return_xlsx import column_widths
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12 * mm, 12 * mm, 16 * mm
FONT_SIZE, LEADING, PAD = 8.5, 11, 3  # paragraphs outside the table
_ROWS_PER_PAGE_GUESS = 22
_WIDTH_SAMPLE = 1000
_TALL_LINES = 6  # a row with more lines is top-aligned, so a split keeps its name on the first page
_FRAME_PADDING = 6  # SimpleDocTemplate's frames pad each side by 6 pt
SEAL_ROOM = 42 * mm  # a round seal is about 4 cm across
KEEP_ROWS = 2  # the foot never starts a page alone: at least this many table rows go with it


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, bulletFontName=font, fontSize=FONT_SIZE, leading=LEADING,
                          wordWrap="CJK")
    return {
        "cell": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4),
        "info": ParagraphStyle("info", parent=base, fontSize=10, leading=14),
        "note": ParagraphStyle("note", parent=base, fontSize=9, leading=13, alignment=TA_LEFT),
        "package": ParagraphStyle("package", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9, alignment=TA_RIGHT,
                                textColor=colors.HexColor("#666666")),
        "identity": ParagraphStyle("identity", parent=base, fontSize=8, leading=10.5),
    }


def _display(column: Column, value: object) -> str:
    """The text a cell prints: 万元 and numbers with two decimals and separators, counts, 85.3%, 2026-11-26."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) or column.kind == "text" or column.as_text:
        return str(value)
    if column.kind == "percent":
        return f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
    if column.kind == "year":
        return str(value)
    return number_text(column, value)


def number_text(column: Column, value: object) -> str:
    """Counts (and whole numbers in a number column) without decimals; money and measures with two."""
    if not isinstance(value, int | float | Decimal):
        return str(value)
    exact = Decimal(str(value))
    if isinstance(value, int) or (column.kind == "count" and exact == exact.to_integral_value()):
        return f"{int(exact):,}"
    return f"{exact:,.2f}"


class _Cells:
    """Turns values into cell text broken into lines for the column width; checks glyphs."""

    def __init__(self, font: CjkFont, report: GlyphReport, size: float) -> None:
        self.font, self.report = font, report
        self.measure = Measure(font.name, size)
        self._known: dict[str, bool] = {}

    def clean(self, text: str, record: str) -> str:
        missing = [ch for ch in set(text) if not self._has(ch)]
        if not missing:
            return text
        self.report.add(record or text[:20], missing)
        return "".join(self.font.placeholder if ch in missing else ch for ch in text)

    def _has(self, ch: str) -> bool:
        if ch not in self._known:
            self._known[ch] = ch.isspace() or self.font.has(ch)
        return self._known[ch]

    def head(self, text: str, width: float) -> str:
        """A header cell; when it must wrap, the unit "（万元）" starts its own line."""
        text = self.clean(text, "表头")
        room = width - 2 * PAD
        if self.measure.text(text) <= room:
            return text
        parts = text.split("（")
        parts = [parts[0]] + [f"（{p}" for p in parts[1:]]
        return "\n".join(wrap_cell(p, self.measure, room) for p in parts)

    def cell(self, text: str, width: float, record: str) -> str:
        """Plain text with line breaks for the column (Paragraphs are ten times slower to lay out)."""
        return wrap_cell(self.clean(text, record), self.measure, width - 2 * PAD)


SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)  # a wide return gets a smaller font before its codes and dates would wrap


@dataclass(frozen=True)
class _Layout:
    font_size: float
    widths: list[float]

    @property
    def leading(self) -> float:
        return 1.2 * self.font_size  # reportlab splits string cells assuming this line height


def _content_widths(document: ReturnDocument, measure: Measure) -> list[float]:
    """Widest header word (the unit on its own line) and widest sampled value of each column, at `measure`'s size."""
    columns = display_columns(document.definition)
    need = [max(measure.text(part[:6]) for part in c.header.replace("（", "\n（").split("\n")) for c in columns]
    sample = list(islice(numbered_lines(document), _WIDTH_SAMPLE))
    if document.totals is not None and not document.is_empty:
        seq = ("",) if document.definition.numbered else ()
        sample.append(ReturnLine((*seq, *document.totals.values), document.totals.kind))
    for line in sample:
        for i, (column, value) in enumerate(zip(columns, line.values, strict=False)):
            if value not in (None, "") and not column.wrap:
                need[i] = max(need[i], measure.text(_display(column, value)))
    return need


def _floor_and_want(definition: ReturnDefinition, need: list[float], size: float) -> tuple[list[float], list[float]]:
    """Narrowest and preferred width per column: numbers and dates never wrap, codes rarely, names keep 9 characters."""
    floor, want = [], []
    for column, n in zip(display_columns(definition), need, strict=True):
        if column.wrap:
            floor.append(30 * mm)
            want.append(max(60 * mm, n))
        elif column.kind == "text" and not column.as_text:
            chars = 9 if column.key in (definition.record_column, "name") else 5
            floor.append(min(n, chars * size + 2 * PAD + 1))
            want.append(min(n, 70 * mm))
        elif column.as_text:  # USCC and phone numbers never wrap; a long document number may
            floor.append(min(n, 45 * mm))
            want.append(min(n, 45 * mm))
        else:
            floor.append(n)
            want.append(n)
    return floor, want


def layout(document: ReturnDocument, font: str) -> _Layout:
    """Font size and column widths: codes, numbers and dates keep one line; free text shrinks first, and long
    text takes what is left. A return too wide for the page at 8.5 pt is set smaller, down to 6.5 pt."""
    columns = display_columns(document.definition)
    available = PAGE[0] - 2 * MARGIN_X
    at_ten = _content_widths(document, Measure(font, 10))
    for size in SIZES:
        need = [w * size / 10 + 2 * PAD + 1 for w in at_ten]
        floor, want = _floor_and_want(document.definition, need, size)
        if sum(floor) <= available or size == SIZES[-1]:
            break
    if sum(want) <= available:
        hints = column_widths(document)
        takers = [i for i, c in enumerate(columns) if c.wrap] or list(range(len(columns)))
        weight = sum(max(hints[i], 1) for i in takers)
        spare = available - sum(want)
        return _Layout(size, [w + (spare * max(hints[i], 1) / weight if i in takers else 0)
                              for i, w in enumerate(want)])
    if sum(floor) >= available:
        return _Layout(size, [w * available / sum(floor) for w in floor])
    give = (available - sum(floor)) / (sum(want) - sum(floor))
    return _Layout(size, [f + (w - f) * give for f, w in zip(floor, want, strict=True)])


def _body(document: ReturnDocument, cells: _Cells, lay: _Layout, progress: Progress) -> list[BodyRow]:
    columns = display_columns(document.definition)
    body = []
    for n, line in enumerate(numbered_lines(document)):
        texts = [cells.cell(_display(c, v), w, line.record) if v not in (None, "") else ""
                 for c, v, w in zip(columns, line.values, lay.widths, strict=False)]
        body.append(BodyRow(texts, line.kind != DATA, any(t.count("\n") > _TALL_LINES for t in texts)))
        if n % 500 == 0:
            progress.raise_if_cancelled()
    return body


def _tables(document: ReturnDocument, cells: _Cells, lay: _Layout, first_room: float,
            progress: Progress, tail: float = 0) -> list[Flowable]:
    """The table cut into pages (header on each); "本期无（why）" when there are no lines. The last page keeps
    room for the foot (`tail` points), moving its last rows over when needed."""
    columns = display_columns(document.definition)
    head = header(document.definition)
    spanned = {(r1, c1): sum(lay.widths[c1:c2 + 1]) for c1, r1, c2, _r2 in head.spans}
    head_rows = [[cells.head(text, spanned.get((r, c), w)) if text else ""
                  for c, (text, w) in enumerate(zip(row, lay.widths, strict=True))] for r, row in enumerate(head.rows)]
    aligns = ["RIGHT" if c.numeric else ("CENTER" if c.kind in ("date", "year") or c.key == "_seq" else "LEFT")
              for c in columns]
    spec = TableStyleSpec(cells.font.name, lay.font_size, lay.widths, aligns, head.spans, len(head_rows),
                          group_at=group_display_index(document.definition))
    body = _body(document, cells, lay, progress)
    if not body:
        body = [BodyRow([cells.clean(document.empty_text, "本期无")] + [""] * (len(columns) - 1))]
        spec.extra = [("SPAN", (0, len(head_rows)), (-1, len(head_rows))),
                      ("ALIGN", (0, len(head_rows)), (-1, len(head_rows)), "CENTER")]
    header_height = sum(row_height(r, lay.leading) for r in head_rows)
    pages = paginate(body, header_height, first_room, _frame_height(), lay.leading)
    keep_with_foot(pages, header_height, first_room, _frame_height(), lay.leading, tail, KEEP_ROWS)
    return page_tables(spec, head_rows, pages)


def _frame_height() -> float:
    return PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM - 2 * _FRAME_PADDING


def _info(document: ReturnDocument, cells: _Cells, styles: dict[str, ParagraphStyle]) -> Table:
    width = PAGE[0] - 2 * MARGIN_X
    texts = [cells.clean(t, "表头") for t in
             (f"填报单位：{document.reporting_unit}", f"期别：{document.period_label}", document.unit_line)]
    aligns: list[Literal[0, 1, 2]] = [TA_LEFT, TA_CENTER, TA_RIGHT]
    row = [Paragraph(escape(t), ParagraphStyle(f"i{a}", parent=styles["info"], alignment=a))
           for t, a in zip(texts, aligns, strict=True)]
    measure = Measure(cells.font.name, styles["info"].fontSize)
    table = Table([row], colWidths=info_widths([measure.text(t) for t in texts], width))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cells.font.name),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def info_widths(needs: Sequence[float], width: float) -> list[float]:
    """Widths of the 填报单位 | 期别 | 计量单位 line: the period centred under the title, on one line when it fits
    in half the page (an unfinished period's note is long); a long unit name takes room from the right column."""
    middle = min(max(needs[1] + 1, width * 0.25), width * 0.5)
    side = (width - middle) / 2
    left = max(side, min(needs[0] + 1, width - middle - needs[2] - 1))
    return [left, middle, width - middle - left]


def _top(document: ReturnDocument, cells: _Cells, styles: dict[str, ParagraphStyle]) -> Table:
    """The title in the middle and the 表号 / 制定机关 / 批准（备案）文号 / 有效期至 block at the top right."""
    width = PAGE[0] - 2 * MARGIN_X
    block = [[Paragraph(escape(cells.clean(line, "表号")), styles["identity"])] for line in document.identity.lines()]
    identity = Table(block, colWidths=[width * 0.24])
    identity.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cells.font.name),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    title = Paragraph(escape(cells.clean(document.title, "标题")), styles["title"])
    top = Table([["", title, identity]], colWidths=[width * 0.24, width * 0.52, width * 0.24])
    top.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cells.font.name),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return top


def _foot(document: ReturnDocument, cells: _Cells,
          styles: dict[str, ParagraphStyle]) -> tuple[list[Flowable], list[Flowable]]:
    """The notes, then the seal room and the signature line kept together, then the tracing lines."""
    width = PAGE[0] - 2 * MARGIN_X
    notes: list[Flowable] = [Spacer(1, 3 * mm)]
    footnotes = document.all_footnotes
    for n, note in enumerate(footnotes, start=1):
        prefix = f"注{n}：" if len(footnotes) > 1 else "注："
        notes.append(Paragraph(escape(cells.clean(prefix + note, "注释")), styles["note"]))
    seal = Paragraph(escape(cells.clean(f"{SEAL_LABEL}：", "签字栏")), styles["info"])
    signs = [Paragraph(escape(cells.clean(s, "签字栏")), styles["info"]) for s in document.signatures]
    share = [0.17, 0.17, 0.17, 0.24, 0.25]
    sign = Table([["", "", "", seal, ""], signs], colWidths=[width * f for f in share],
                 rowHeights=[SEAL_ROOM, None])
    sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cells.font.name), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("SPAN", (3, 0), (4, 0)), ("VALIGN", (0, 0), (-1, 0), "TOP")]))
    kept: list[Flowable] = [sign]
    for text in (document.foot_line, document.check_note):
        if text:
            kept.append(Paragraph(escape(cells.clean(text, "校验")), styles["small"]))
    return notes, kept


def _canvas_class(font: str, progress: Progress, expected_pages: int) -> type[canvas.Canvas]:
    class NumberedCanvas(canvas.Canvas):
        """Keeps every page until the end, then stamps 第 X 页 共 Y 页 (two passes, Y known)."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._saved: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            progress.raise_if_cancelled()
            self._saved.append(dict(self.__dict__))
            progress.update(len(self._saved), max(expected_pages, len(self._saved) + 1), "正在排版 PDF")
            self._startPage()  # type: ignore[attr-defined]  # reportlab's private reset, not in its stubs

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont(font, 9)
                self.drawCentredString(PAGE[0] / 2, 8 * mm, f"第 {self._pageNumber} 页 共 {total} 页")  # type: ignore[attr-defined]  # (private, as above)
                super().showPage()
            super().save()

    return NumberedCanvas


def write_return_pdf(document: ReturnDocument, path: str | Path, font: CjkFont,
                     progress: Progress = NO_PROGRESS) -> GlyphReport:
    """Write `document` to `path` (the caller writes to a temporary name) and report missing glyphs.

    Characters `font` cannot draw are printed as a visible placeholder (□) and the records that
    contain them are returned, so the caller can say which names to check. Rows taller than a page
    split across pages. Raises Cancelled when `progress` is cancelled; OSError from writing.
    """
    styles = _styles(font.name)
    report = GlyphReport(font.family, font.placeholder)
    lay = layout(document, font.name)
    cells = _Cells(font, report, lay.font_size)
    width = PAGE[0] - 2 * MARGIN_X
    top: list[Flowable] = [_top(document, cells, styles)]
    if document.package_line:  # the cover ties the paper to the package it came in
        top.append(Paragraph(escape(document.package_line), styles["package"]))
    top += [_info(document, cells, styles), Spacer(1, 2 * mm)]
    used = sum(f.wrap(width, _frame_height())[1] + f.getSpaceAfter() for f in top)
    notes, kept = _foot(document, cells, styles)
    tail = sum(f.wrap(width, _frame_height())[1] + f.getSpaceAfter() for f in (*notes, *kept))
    story: list[Flowable] = top + _tables(document, cells, lay, _frame_height() - used, progress, tail)
    story += [*notes, KeepTogether(kept)]
    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=document.title,
                            author=document.reporting_unit, subject=document.period_label, creator="吕企台账",
                            initialFontName=font.name, initialFontSize=FONT_SIZE, initialLeading=LEADING)
    expected = len(document.lines) // _ROWS_PER_PAGE_GUESS + 1
    doc.build(story, canvasmaker=_canvas_class(font.name, progress, expected))
    return report


def missing_glyph_lines(reports: Sequence[tuple[str, GlyphReport]], limit: int = 20) -> list[str]:
    """Warnings in Chinese, one per return: which records print placeholders, and for which characters."""
    out = []
    for title, report in reports:
        if not report.records:
            continue
        items = [f"{record}（{''.join(sorted(chars))}）" for record, chars in list(report.records.items())[:limit]]
        more = f"等 {len(report.records)} 条" if len(report.records) > limit else ""
        out.append(f"《{title}》中以下记录含有字体“{report.font_name}”缺少的字符，PDF中以“{report.placeholder}”代替，"
                   f"请核对：{'；'.join(items)}{more}。")
    return out
