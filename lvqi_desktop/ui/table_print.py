"""Printing a table page: pages are laid out off the GUI thread, then shown in the real print preview."""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtCore import QSizeF
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QFontMetricsF
from PySide6.QtGui import QPageLayout
from PySide6.QtGui import QPageSize
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPen
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from lvqi_desktop.progress import Progress
from lvqi_desktop.ui.table_models.row_table import TableSnapshot

UNIT = 10  # layout units per typographic point: pixel-sized fonts then measure alike on every device
PAD = 2.5 * UNIT
MAX_LINES = 6  # a cell wraps to at most this many lines; the rest is cut
_WRAP = Qt.TextFlag.TextWrapAnywhere
_HEADER_FILL = QColor("#e8edf3")


def print_font(points: float, bold: bool = False) -> QFont:
    """The application's font at a size in points, expressed in layout units."""
    font = QFont()
    font.setPixelSize(round(points * UNIT))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


@dataclass(frozen=True)
class PrintFonts:
    title: QFont = field(default_factory=lambda: print_font(13, bold=True))
    header: QFont = field(default_factory=lambda: print_font(8.5, bold=True))
    body: QFont = field(default_factory=lambda: print_font(8.5))


@dataclass
class PrintedRow:
    cells: list[str]
    height: float


@dataclass
class TablePages:
    """A table cut into pages, in layout units; painting it is quick, so the preview stays responsive."""

    title: str
    subtitle: str
    headers: list[str]
    aligns: list[Qt.AlignmentFlag]
    widths: list[float]
    size: QSizeF
    header_height: float
    top: float  # the first page's title block
    pages: list[list[PrintedRow]]
    fonts: PrintFonts


def fit_widths(natural: list[float], total: float) -> list[float]:
    """Column widths filling `total`: narrow columns keep their width, wide ones share the rest (and wrap)."""
    if sum(natural) <= total:
        return [w * total / sum(natural) for w in natural]
    widths = list(natural)
    open_columns = set(range(len(natural)))
    remaining = total
    while open_columns:
        share = remaining / len(open_columns)
        narrow = {i for i in open_columns if natural[i] <= share}
        if not narrow:
            for i in open_columns:
                widths[i] = share
            break
        remaining -= sum(natural[i] for i in narrow)
        open_columns -= narrow
    return widths


def _height(metrics: QFontMetricsF, text: str, width: float) -> float:
    lines = 1
    if text and metrics.horizontalAdvance(text) > width:
        box = metrics.boundingRect(QRectF(0, 0, width, 1e7), int(_WRAP), text)
        lines = math.ceil(box.height() / metrics.lineSpacing() - 0.01)
    return min(lines, MAX_LINES) * metrics.lineSpacing() + 2 * PAD


def lay_out(snapshot: TableSnapshot[Any], title: str, subtitle: str, size: QSizeF, progress: Progress,
            fonts: PrintFonts | None = None) -> TablePages:
    """Column widths, row heights and page breaks for `size` (layout units); runs in a worker thread."""
    fonts = fonts or PrintFonts()
    body, head = QFontMetricsF(fonts.body), QFontMetricsF(fonts.header)
    total = len(snapshot.rows)
    texts: list[list[str]] = []
    natural = [head.horizontalAdvance(h) + 2 * PAD for h in snapshot.headers]
    for n, row in enumerate(snapshot.text_rows()):
        if n % 200 == 0:
            progress.raise_if_cancelled()
            progress.update(n, total * 2, f"正在排版打印预览：{n:,} / {total:,} 行")
        texts.append(row)
        natural = [max(w, body.horizontalAdvance(t) + 2 * PAD) for w, t in zip(natural, row, strict=True)]
    widths = fit_widths([min(w, size.width() * 0.45) for w in natural], size.width())
    header_height = max(_height(head, h, w - 2 * PAD) for h, w in zip(snapshot.headers, widths, strict=True))
    top = QFontMetricsF(fonts.title).lineSpacing() + body.lineSpacing() + 4 * UNIT
    usable = size.height() - body.lineSpacing() - 3 * UNIT - header_height  # the page number at the foot
    pages: list[list[PrintedRow]] = [[]]
    room = usable - top
    for n, cells in enumerate(texts):
        if n % 200 == 0:
            progress.raise_if_cancelled()
            progress.update(total + n, total * 2, f"正在分页：{n:,} / {total:,} 行")
        height = max(_height(body, t, w - 2 * PAD) for t, w in zip(cells, widths, strict=True))
        if height > room and pages[-1]:
            pages.append([])
            room = usable
        pages[-1].append(PrintedRow(cells, height))
        room -= height
    return TablePages(title, subtitle, list(snapshot.headers), snapshot.alignments(), widths, size,
                      header_height, top, pages, fonts)


def _draw_row(painter: QPainter, y: float, cells: list[str], height: float, pages: TablePages) -> None:
    x = 0.0
    for text, width, align in zip(cells, pages.widths, pages.aligns, strict=True):
        box = QRectF(x, y, width, height)
        painter.drawRect(box)
        flags = int(align | Qt.AlignmentFlag.AlignVCenter | _WRAP)
        painter.drawText(box.adjusted(PAD, PAD, -PAD, -PAD), flags, text)
        x += width


def paint_pages(printer: QPrinter, pages: TablePages) -> None:
    """Draw the laid-out pages on the printer (or the preview), scaled to its printable area."""
    area = printer.pageRect(QPrinter.Unit.DevicePixel)
    scale = min(area.width() / pages.size.width(), area.height() / pages.size.height())
    painter = QPainter(printer)
    try:
        painter.scale(scale, scale)
        painter.setPen(QPen(QColor("#555555"), 0.5 * UNIT))
        count = len(pages.pages)
        for number, rows in enumerate(pages.pages, start=1):
            if number > 1:
                printer.newPage()
            y = 0.0
            if number == 1:
                painter.setFont(pages.fonts.title)
                painter.drawText(QRectF(0, 0, pages.size.width(), pages.top), int(Qt.AlignmentFlag.AlignHCenter),
                                 pages.title)
                painter.setFont(pages.fonts.body)
                painter.drawText(QRectF(0, 0, pages.size.width(), pages.top - 2 * UNIT),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), pages.subtitle)
                y = pages.top
            painter.setFont(pages.fonts.header)
            painter.fillRect(QRectF(0, y, sum(pages.widths), pages.header_height), _HEADER_FILL)
            _draw_row(painter, y, pages.headers, pages.header_height, pages)
            y += pages.header_height
            painter.setFont(pages.fonts.body)
            for row in rows:
                _draw_row(painter, y, row.cells, row.height, pages)
                y += row.height
            painter.drawText(QRectF(0, 0, pages.size.width(), pages.size.height()),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"第 {number} 页 共 {count} 页")
    finally:
        painter.end()


def a4_landscape_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName("吕企台账")
    return printer


def page_size_units(printer: QPrinter) -> QSizeF:
    return printer.pageRect(QPrinter.Unit.Point).size() * UNIT


class TablePreview(QPrintPreviewDialog):
    """The print preview of laid-out pages. It owns its printer: a printer Python frees while the dialog
    still uses it crashed the whole program."""

    def __init__(self, pages: TablePages, printer: QPrinter, parent: QWidget | None = None) -> None:
        super().__init__(printer, parent)
        self.printer = printer
        self.pages = pages
        self.setWindowTitle(f"打印预览 — {pages.title}（{len(pages.pages):,} 页）")
        self.paintRequested.connect(lambda device: paint_pages(device, self.pages))
