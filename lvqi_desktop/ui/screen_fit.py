"""Windows and dialogs fit the screen's work area (down to 1093×582): dialog content scrolls, buttons stay visible."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtCore import QRect
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QLayout
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

SMALLEST_WORK_AREA = QSize(1093, 582)  # 1366×768 at 125 %, taskbar and title bar off (docs/ui.md)
TITLE_BAR = QSize(16, 40)  # what a window frame adds before the window is shown and Qt knows it


def work_area(widget: QWidget | None = None) -> QRect:
    """The usable part of the screen the widget is on (the primary screen when it has none yet)."""
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_allowance(window: QWidget) -> QSize:
    """What the window's frame adds to its size: known once shown, otherwise a typical title bar."""
    if window.isVisible():
        extra = window.frameGeometry().size() - window.geometry().size()
        if extra.height() > 0:
            return extra
    return TITLE_BAR


def fit_to_screen(window: QWidget, wanted: QSize | None = None) -> None:
    """Resize `window` to `wanted` (its current size) but never beyond the work area, and move it inside."""
    area = work_area(window.parentWidget() or window)
    room = area.size() - frame_allowance(window)
    size = (wanted or window.size()).expandedTo(window.minimumSizeHint()).boundedTo(room)
    window.resize(size)
    anchor = window.parentWidget().window().geometry().center() if window.parentWidget() else area.center()
    top_left = anchor - QPoint(size.width() // 2, size.height() // 2)
    x = min(max(top_left.x(), area.left()), area.right() - size.width() - frame_allowance(window).width() + 1)
    y = min(max(top_left.y(), area.top() + frame_allowance(window).height() - 8),
            area.bottom() - size.height() - 8 + 1)
    window.move(QPoint(max(x, area.left()), max(y, area.top())))


def scroll_dialog(dialog: QDialog, wanted: QSize | None = None, keep: int = 1) -> QScrollArea:
    """Put everything but the dialog layout's last `keep` rows (its buttons) into a scroll area, then fit the
    screen: on a small screen the content scrolls and 保存/取消 stay visible."""
    layout = dialog.layout()
    hint = (wanted or dialog.size()).expandedTo(dialog.sizeHint())
    margins = layout.contentsMargins()
    footer = QWidget()
    footer_layout = QVBoxLayout(footer)
    footer_layout.setContentsMargins(margins.left(), layout.spacing(), margins.right(), margins.bottom())
    rows = [layout.takeAt(layout.count() - 1) for _ in range(keep)]
    for row in reversed(rows):
        if row.widget() is not None:
            footer_layout.addWidget(row.widget())
        elif isinstance(row, QLayout) or row.layout() is not None:
            sub = row.layout()
            sub.setParent(None)
            footer_layout.addLayout(sub)
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
    body = QWidget()
    body.setLayout(layout)  # takes the layout (and its widgets) from the dialog
    scroll = QScrollArea()
    scroll.setObjectName("dialog_content")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(body)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    outer.addWidget(scroll, 1)
    outer.addWidget(footer)
    dialog.setMinimumSize(0, 0)
    fit_to_screen(dialog, hint)
    return scroll


def scrolled_column(*items: QWidget | QLayout, margins: tuple[int, int, int, int] = (0, 0, 0, 0),
                    frame: QFrame.Shape | None = None) -> QScrollArea:
    """`items` stacked at the top of a scroll area that widens them with it (what is left stays empty below)."""
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(*margins)
    for item in items:
        if isinstance(item, QLayout):
            column.addLayout(item)
        else:
            column.addWidget(item)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    if frame is not None:
        scroll.setFrameShape(frame)
    scroll.setWidget(content)
    return scroll
