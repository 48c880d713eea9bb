"""工具 → 修改记录…: the global history page in its own window, beside the main window."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.history_page import HistoryPage
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.screen_fit import fit_to_screen


class HistoryWindow(QWidget):
    """A non-modal window: the user can keep it open while editing; it reloads when data changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setWindowTitle("修改记录 — 吕企台账")
        self.page = HistoryPage(window.services)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.page.page_actions():
            toolbar.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(self.page, 1)
        fit_to_screen(self, QSize(1100, 680))


class HistoryMenu(QObject):
    """工具 → 修改记录…; one window, brought to the front when opened again."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._main = window
        self.history: HistoryWindow | None = None
        self.action = QAction("修改记录(&H)…", window)
        self.action.setStatusTip("查看谁在何时修改了哪些记录，可按日期、操作员、表筛选，导出或打印")
        self.action.triggered.connect(self.show)
        window.tools_menu.addAction(self.action)
        window.for_each_page(lambda page: page.data_changed.connect(self.on_data_changed))

    def on_data_changed(self, kind: str) -> None:
        """Any change (a page's save, an undo): an open history window reloads."""
        if self.history is not None:
            self.history.page.on_data_changed(kind)

    def show(self) -> HistoryWindow:
        if self.history is None:
            self.history = HistoryWindow(self._main)
        self.history.page.refresh()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        return self.history
