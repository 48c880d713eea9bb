"""Writes one demand's 交办单 (hand-over sheet) as an A4 portrait PDF for the responsible unit to sign and return."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
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

from lvqi_desktop import atomic_files
from lvqi_desktop.exporters.handover_sheet import HandoverSheet
from lvqi_desktop.exporters.pdf_fonts import CjkFont
from lvqi_desktop.exporters.pdf_fonts import resolve_cjk_font
from lvqi_desktop.exporters.pdf_kinsoku import Measure
from lvqi_desktop.exporters.pdf_kinsoku import wrap_cell
from lvqi_desktop.exporters.return_model import chinese_date

PDF_TITLE = "企业诉求交办单"
PAGE = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 18 * mm, 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
LABEL_WIDTH, PAIR_LABEL_WIDTH = 36 * mm, 28 * mm
FONT_SIZE, LEADING, PAD_X, PAD_Y = 11, 16, 5, 5
FEEDBACK_HEIGHT = 55 * mm
ONE_ROW_LINES = 12  # longer text is laid out a row per line, so the table can break across pages
CANNOT_END = "“‘（《〈「『【〔([{"
BLANK_DATE = "　　　　年　　月　　日"
LABEL_BACKGROUND = colors.HexColor("#F2F2F2")


class _Text:
    """Cleans text for the font (missing characters become a visible placeholder) and wraps it for a cell."""

    def __init__(self, font: CjkFont) -> None:
        self.font = font
        self.missing: set[str] = set()
        self.measure = Measure(font.name, FONT_SIZE)

    def clean(self, text: str) -> str:
        out = []
        for ch in text:
            if ch.isspace() or self.font.has(ch):
                out.append(ch)
            else:
                self.missing.add(ch)
                out.append(self.font.placeholder)
        return "".join(out)

    def wrap(self, text: str, width: float) -> str:
        """Lines for a cell: kinsoku as for returns, and no line ends with an opening quote or bracket."""
        room = width - 2 * PAD_X
        lines: list[str] = []
        for part in self.clean(text).splitlines() or [""]:
            rest = part
            while True:
                line = wrap_cell(rest, self.measure, room).split("\n", 1)[0]
                if line == rest:
                    lines.append(line)
                    break
                while len(line) > 1 and line[-1] in CANNOT_END:
                    line = line[:-1]
                lines.append(line.rstrip(" "))
                rest = rest[len(line):].lstrip(" ")
        return "\n".join(lines)


def _day(value: date | None) -> str:
    return chinese_date(value) if value is not None else ""


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=FONT_SIZE, leading=LEADING, wordWrap="CJK")
    return {
        "office": ParagraphStyle("office", parent=base, fontSize=15, leading=22, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=4),
        "number": ParagraphStyle("number", parent=base, alignment=TA_RIGHT, spaceAfter=5),
    }


class _Form:
    """The bordered form: rows of label | value (spanning) or label | value | label | value."""

    def __init__(self, text: _Text) -> None:
        self.text = text
        self.rows: list[list[str]] = []
        self.spans: list[int] = []  # rows whose value spans the three right columns
        self.heights: list[float | None] = []
        self.top: list[int] = []  # rows whose cells are top-aligned (long text, blank boxes)
        self.glued: set[int] = set()  # rows drawn without a rule below (lines of one long text)
        half = (WIDTH - LABEL_WIDTH - PAIR_LABEL_WIDTH) / 2
        self.widths = [LABEL_WIDTH, half, PAIR_LABEL_WIDTH, half]
        self.wide = WIDTH - LABEL_WIDTH

    def _label(self, label: str, width: float) -> str:
        return self.text.wrap(label, width)

    def wide_row(self, label: str, value: str, height: float | None = None) -> None:
        """A label and a value across the three right columns. Long text becomes one row per line, drawn as
        one box (no rules between its lines), so it fills each page and breaks across pages anywhere."""
        lines = self.text.wrap(value, self.wide).split("\n") if value else [""]
        head = self._label(label, LABEL_WIDTH)
        if len(lines) <= ONE_ROW_LINES or height is not None:
            if len(lines) > 2 or height is not None:
                self.top.append(len(self.rows))
            self.spans.append(len(self.rows))
            self.rows.append([head, "\n".join(lines), "", ""])
            self.heights.append(height)
            return
        first = len(self.rows)
        for n, line in enumerate(lines):
            self.spans.append(len(self.rows))
            self.top.append(len(self.rows))
            self.rows.append([head if n == 0 else "", line, "", ""])
            self.heights.append(None)
        self.glued.update(range(first, len(self.rows) - 1))

    def pair_row(self, label1: str, value1: str, label2: str, value2: str) -> None:
        w = self.widths
        self.rows.append([self._label(label1, w[0]), self.text.wrap(value1, w[1]),
                          self._label(label2, w[2]), self.text.wrap(value2, w[3])])
        self.heights.append(None)

    def table(self, font: str) -> Table:
        table = Table(self.rows, colWidths=self.widths, rowHeights=self.heights, splitByRow=1)
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), LEADING), ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
            ("LINEAFTER", (0, 0), (2, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_Y), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y + 1),
            ("ALIGN", (0, 0), (0, -1), "CENTER"), ("BACKGROUND", (0, 0), (0, -1), LABEL_BACKGROUND),
        ]
        for n in range(len(self.rows)):
            if n in self.spans:
                style.append(("SPAN", (1, n), (3, n)))
            else:
                style += [("ALIGN", (2, n), (2, n), "CENTER"), ("BACKGROUND", (2, n), (2, n), LABEL_BACKGROUND)]
            if n in self.top:
                style.append(("VALIGN", (1, n), (-1, n), "TOP"))
            if n in self.glued:
                style += [("BOTTOMPADDING", (0, n), (-1, n), 0), ("TOPPADDING", (0, n + 1), (-1, n + 1), 0),
                          ("VALIGN", (0, n), (0, n), "TOP")]
            elif n < len(self.rows) - 1:
                style.append(("LINEBELOW", (0, n), (-1, n), 0.6, colors.black))
        table.setStyle(TableStyle(style))
        return table


def _form(sheet: HandoverSheet, text: _Text) -> _Form:
    form = _Form(text)
    form.wide_row("企业名称", sheet.enterprise_name)
    form.pair_row("统一社会信用代码", sheet.uscc, "联系人/电话", sheet.enterprise_contact)
    form.pair_row("诉求类别", sheet.category, "诉求来源", sheet.source)
    form.pair_row("紧急程度", sheet.urgency, "受理日期", _day(sheet.received_on))
    form.wide_row("诉求内容", sheet.description)
    if sheet.suggestion.strip():
        form.wide_row("企业诉求/建议", sheet.suggestion)
    form.wide_row("责任单位", sheet.responsible_unit + (f"（联系人：{sheet.unit_contact}）" if sheet.unit_contact else ""))
    form.wide_row("协办单位", "、".join(sheet.co_units) or "无")
    form.pair_row("交办日期", _day(sheet.assigned_on or sheet.issued_on), "办理时限",
                  f"{_day(sheet.due_on)}前" if sheet.due_on else "")
    if sheet.helper.strip():
        form.wide_row("包联领导", sheet.helper)
    form.wide_row("交办意见", sheet.note)
    form.wide_row("办理情况\n反馈", "", FEEDBACK_HEIGHT)
    return form


def _signatures(sheet: HandoverSheet, text: _Text, font: str) -> Flowable:
    blank = "　" * 8
    left = ["交办单位（盖章）：", f"经办人：{blank}", f"日期：{_day(sheet.issued_on)}"]
    right = ["承办单位签收（盖章）：", f"签收人：{blank}", f"签收日期：{BLANK_DATE}"]
    rows = [[text.clean(a), text.clean(b)] for a, b in zip(left, right, strict=True)]
    table = Table(rows, colWidths=[WIDTH * 0.5, WIDTH * 0.5])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 11.5),
                               ("LEADING", (0, 0), (-1, -1), 16), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 1), (-1, 1), 9 * mm)]))
    return KeepTogether([Spacer(1, 8 * mm), table])


def _head(sheet: HandoverSheet, text: _Text, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    if sheet.issuing_office.strip():
        story.append(Paragraph(escape(text.clean(sheet.issuing_office.strip())), styles["office"]))
    story.append(Paragraph(escape(text.clean(PDF_TITLE)), styles["title"]))
    story.append(Paragraph(escape(text.clean(f"编号：{sheet.number}")), styles["number"]))
    return story


def _canvas_class(font: str) -> type[canvas.Canvas]:
    class NumberedCanvas(canvas.Canvas):
        """Stamps 第 X 页 共 Y 页 when the sheet runs to more than one page."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._saved: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's private reset, not in its stubs

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                if total > 1:
                    self.setFont(font, 9)
                    self.drawCentredString(PAGE[0] / 2, 10 * mm, f"第 {self._pageNumber} 页 共 {total} 页")  # type: ignore[attr-defined]  # (private, as above)
                super().showPage()
            super().save()

    return NumberedCanvas


def write_handover_pdf(sheet: HandoverSheet, path: str | Path, font_path: str | None = None) -> frozenset[str]:
    """Write the 交办单 to `path` (through a temporary file renamed into place) and return the characters the
    font lacks, which print as a visible placeholder (□).

    The font comes from `font_path` (the user's setting) or is found as for PDF returns; ExportError in Chinese
    when there is none. OSError when the folder cannot be written; no partial file is left.
    """
    font = resolve_cjk_font(font_path)
    target = Path(path)
    text = _Text(font)
    styles = _styles(font.name)
    story: list[Flowable] = _head(sheet, text, styles)
    story += [_form(sheet, text).table(font.name), _signatures(sheet, text, font.name)]
    with atomic_files.replacing(target, prefix=".交办单-", suffix=".pdf.tmp") as temp_path:
        temp = str(temp_path)
        doc = SimpleDocTemplate(temp, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                                topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                                title=f"{PDF_TITLE} {sheet.number}", author=sheet.issuing_office,
                                subject=sheet.enterprise_name, creator="吕企台账",
                                initialFontName=font.name, initialFontSize=FONT_SIZE, initialLeading=LEADING)
        doc.build(story, canvasmaker=_canvas_class(font.name))
    return frozenset(text.missing)
