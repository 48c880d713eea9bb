"""What every navigation page offers the main window: a title, actions, and a refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui import write_guard


class Page(QWidget):
    """Base of the pages in the left navigation; subclasses set `title` and fill `actions()`."""

    title = ""
    status_message = Signal(str)  # "已保存：吕梁市某某有限公司" for the status bar
    data_changed = Signal(str)  # a kind of data changed ("enterprise", …); other pages may reload
    open_page_requested = Signal(str)  # title of another page to show ("企业库")
    tip_shows_shortcut = False  # append "（Ctrl+N）" to the tooltips of actions with a shortcut

    def add_action(self, text: str, slot: Callable[..., Any], shortcut: QKeySequence | None = None,
                   tip: str = "", *, writes: bool = False) -> QAction:
        """An action of this page (toolbar and shortcut), triggering `slot`; `writes`: it changes data, so it is
        greyed out while the data cannot be changed (ui/write_guard.py)."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        tip = tip or text
        action.setToolTip(f"{tip}（{shortcut.toString()}）" if shortcut and self.tip_shows_shortcut else tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return write_guard.writes(action) if writes else action

    def page_actions(self) -> list[QAction]:
        """Actions for the toolbar while this page is shown (新增 · 编辑 · 归档 · 导出 · 打印)."""
        return []

    def refresh(self) -> None:
        """Reload what the page shows (F5, or after another page changed data)."""

    def on_shown(self) -> None:
        """Called each time the page becomes current (e.g. to focus the search box)."""

    def on_data_changed(self, kind: str) -> None:
        """Another page changed data of this kind."""
