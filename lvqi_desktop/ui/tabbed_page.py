"""A page whose body is a row of list tabs (包联帮扶, 梯度培育库): a tab loads when first shown, the actions follow it."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.page import Page


class TabbedPage(Page):
    """Subclasses add their tabs to `self.tabs`, list them in `all_tabs` (in tab order), then call `finish_tabs`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()

    def finish_tabs(self) -> None:
        """Lay the tabs out, build the page's actions, and keep them in step with the tab shown."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self._build_actions()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setFocusProxy(self.tabs)
        self._update_actions()

    def all_tabs(self) -> list[ListTab]:
        raise NotImplementedError

    def current_tab(self) -> ListTab:
        return self.all_tabs()[self.tabs.currentIndex()]

    def _build_actions(self) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    def _on_tab_changed(self, _index: int) -> None:
        self.current_tab().ensure_loaded()
        self._update_actions()

    def on_shown(self) -> None:
        self.current_tab().ensure_loaded()
        self.current_tab().focus_search()
