"""Small charts drawn with QPainter (QtCharts is not installed): a horizontal bar chart and a line chart.

Every bar, point and value is clickable and emits `activated(key)`; `element_rects()` exposes where each key
is drawn (tests click there). Right-click offers 导出图片… (QWidget.grab().save) and 打印….
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtCore import QPointF
from PySide6.QtCore import QRect
from PySide6.QtCore import QRectF
from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtGui import QFontMetrics
from PySide6.QtGui import QMouseEvent
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPaintEvent
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QMenu
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QToolTip
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.start_folder import remember_folder
from lvqi_desktop.ui.start_folder import start_file

RED, AMBER, GREEN = "#c62828", "#9a5b00", "#2e7d32"  # as the demand board (UI-MAP): always with a word
BLUE, GREY, TEXT = "#1565c0", "#9e9e9e", "#212121"


@dataclass(frozen=True)
class Bar:
    key: str  # what to open when clicked ('' : not clickable)
    value: float
    color: str = BLUE
    text: str = ""  # the value as shown (default: the number); status bars carry their word here


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: tuple[Bar, ...]  # one, or two (e.g. target above achieved)


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


class Chart(QWidget):
    """What both charts share: a title, clickable rects, hover hand, export and print."""

    activated = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._rects: list[tuple[QRect, str]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setBackgroundRole(self.backgroundRole())
        self.setAutoFillBackground(True)

    def element_rects(self) -> dict[str, QRect]:
        """Key → the rect of its first element (bar or point), in widget coordinates."""
        out: dict[str, QRect] = {}
        for rect, key in self._rects:
            out.setdefault(key, QRect(rect))
        return out

    def key_at(self, pos: QPoint) -> str:
        for rect, key in self._rects:
            if key and rect.contains(pos):
                return key
        return ""

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        clickable = bool(self.key_at(event.position().toPoint()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            key = self.key_at(event.position().toPoint())
            if key:
                self.activated.emit(key)
                return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = QMenu(self)
        menu.addAction("导出图片…", self.export_dialog)
        menu.addAction("打印…", self.print_dialog)
        menu.exec(event.globalPos())

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出图片", start_file(f"{self.title}.png"), "PNG 图片 (*.png)")
        remember_folder(path)
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            if not self.export_png(path):
                QToolTip.showText(self.mapToGlobal(QPoint(10, 10)), f"无法保存到 {path}，请换一个文件夹。", self)

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog  # only when asked: printing support is heavy
        from PySide6.QtPrintSupport import QPrinter  # only when asked: printing support is heavy

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印 {self.title}")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        image = self.grab()
        painter = QPainter(printer)
        try:
            page = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            size = image.size().scaled(QSize(page.width(), page.height()), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawPixmap(QRect(0, 0, size.width(), size.height()), image)
        finally:
            painter.end()

    def _start_painting(self) -> tuple[QPainter, int]:
        """A painter on this chart with the title drawn and no clickable places yet; the y below the title."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._rects = []
        return painter, self._draw_title(painter)

    def _draw_title(self, painter: QPainter) -> int:
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(TEXT))
        height = QFontMetrics(font).height()
        painter.drawText(QRect(8, 4, self.width() - 16, height), Qt.AlignmentFlag.AlignLeft, self.title)
        font.setBold(False)
        painter.setFont(font)
        return 4 + height + 6


class BarChart(Chart):
    """Horizontal bars: the label on the left (never clipped: the column fits the longest label), the value right."""

    ROW_GAP = 8

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.rows: list[BarRow] = []
        self.legend: list[tuple[str, str]] = []  # (colour, word)

    def set_rows(self, rows: list[BarRow], legend: list[tuple[str, str]] | None = None) -> None:
        self.rows = rows
        self.legend = legend or []
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _bar_height(self) -> int:
        return QFontMetrics(self.font()).height() + 2

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        fm = QFontMetrics(self.font())
        bars = sum(len(r.bars) for r in self.rows)
        legend = fm.height() + 6 if self.legend else 0
        return QSize(420, fm.height() + 14 + bars * self._bar_height() + len(self.rows) * self.ROW_GAP + legend + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter, top = self._start_painting()
        fm = QFontMetrics(painter.font())
        label_w = min(max((fm.horizontalAdvance(r.label) for r in self.rows), default=0) + 12, self.width() // 2)
        texts = [b.text or number(b.value) for r in self.rows for b in r.bars]
        value_w = max((fm.horizontalAdvance(t) for t in texts), default=0) + 12
        left, right = 8 + label_w, self.width() - 8 - value_w
        span = max(right - left, 10)
        biggest = max((b.value for r in self.rows for b in r.bars), default=0) or 1
        h = self._bar_height()
        y = top
        for row in self.rows:
            block = h * len(row.bars)
            label_rect = QRect(8, y, label_w - 8, block)
            painter.setPen(QColor(TEXT))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(row.label, Qt.TextElideMode.ElideMiddle, label_w - 8))
            for i, bar in enumerate(row.bars):
                by = y + i * h
                width = max(int(span * bar.value / biggest), 2 if bar.value else 0)
                rect = QRect(left, by + 2, width, h - 4)
                painter.fillRect(rect, QColor(bar.color))
                text = bar.text or number(bar.value)
                text_rect = QRect(left + width + 4, by, fm.horizontalAdvance(text) + 4, h)
                painter.setPen(QColor(bar.color if bar.color != GREY else TEXT))
                painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                if bar.key:
                    hit = QRect(left, by, max(width, 1) + 4 + text_rect.width(), h)
                    self._rects.append((hit, bar.key))
            y += block + self.ROW_GAP
        if self.legend:
            x = 8 + label_w
            for colour, word in self.legend:
                painter.fillRect(QRect(x, y + 3, 12, fm.height() - 6), QColor(colour))
                painter.setPen(QColor(TEXT))
                painter.drawText(QPoint(x + 16, y + fm.ascent()), word)
                x += 16 + fm.horizontalAdvance(word) + 16
        painter.end()


class LineChart(Chart):
    """One series over labelled points (e.g. 1月…12月), the value above each point; None draws no point."""

    def __init__(self, title: str, parent: QWidget | None = None, color: str = BLUE) -> None:
        super().__init__(title, parent)
        self.color = color
        self.points: list[tuple[str, float | None, str]] = []  # (label, value, key)
        self.setFixedHeight(190)

    def set_points(self, points: list[tuple[str, float | None, str]]) -> None:
        self.points = points
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, 190)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter, top = self._start_painting()
        fm = QFontMetrics(painter.font())
        n = len(self.points)
        if not n:
            painter.end()
            return
        left, right = 16, self.width() - 16
        plot_top, plot_bottom = top + fm.height() + 4, self.height() - fm.height() - 10
        values = [v for _, v, _ in self.points if v is not None]
        biggest = max(values, default=0) or 1
        step = (right - left) / max(n, 1)
        painter.setPen(QPen(QColor(GREY), 1))
        painter.drawLine(left, plot_bottom, right, plot_bottom)
        positions: list[QPointF | None] = []
        for i, (label, value, key) in enumerate(self.points):
            x = left + step * (i + 0.5)
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(x - step / 2, plot_bottom + 2, step, fm.height() + 4),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
            if value is None:
                positions.append(None)
                continue
            y = plot_bottom - (plot_bottom - plot_top) * value / biggest
            positions.append(QPointF(x, y))
            if key:
                self._rects.append((QRect(int(x - step / 2), plot_top - fm.height(), int(step),
                                          plot_bottom - plot_top + fm.height() * 2 + 4), key))
        painter.setPen(QPen(QColor(self.color), 2))
        previous = None
        for p in positions:
            if p is not None and previous is not None:
                painter.drawLine(previous, p)
            previous = p
        for (_label, value, _), p in zip(self.points, positions, strict=True):
            if p is None:
                continue
            painter.setBrush(QColor(self.color))
            painter.setPen(QPen(QColor(self.color), 1))
            painter.drawEllipse(p, 3.5, 3.5)
            painter.setPen(QColor(TEXT))
            text = number(value)
            painter.drawText(QRectF(p.x() - step / 2 - 10, p.y() - fm.height() - 4, step + 20, fm.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
        painter.end()
