"""One searchable table with its filter line, row count and buttons: the body of a list page or of one tab."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.flow_layout import FlowLayout
from lvqi_desktop.ui.flow_layout import labelled
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.table_models.row_table import RowTableModel


class ListTab(QWidget):
    """Subclasses implement `load()` (rows from a service) and may refine `matches()` and `empty_text()`."""

    changed = Signal()  # rows or selection changed: the page re-enables its actions
    unit = "条"

    def __init__(self, model: RowTableModel[Any], settings_key: str, search_placeholder: str,
                 parent: QWidget | None = None, key: Callable[[Any], Hashable] = lambda r: r.id) -> None:
        super().__init__(parent)
        self.model = model
        self.key = key
        self.on_add: Callable[[], None] = lambda: None  # what the empty state's 新增 does (set by the page)
        self.loaded = False
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(search_placeholder)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 18)
        self.count_label = QLabel()
        self.list = ListTable(model, settings_key)
        self.list.selection_changed.connect(self.changed.emit)
        self.filters = FlowLayout()  # the search box and the filters wrap to a second line on a small screen
        self.filters.addWidget(labelled("查找", self.search_edit))
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        top = QHBoxLayout()
        top.addLayout(self.filters, 1)
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.buttons)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.setFocusProxy(self.search_edit)

    def add_button(self, text: str, slot: Any, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip or text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def add_filter(self, label: str, widget: QWidget) -> QWidget:
        self.filters.addWidget(labelled(label, widget))
        return widget

    def end_buttons(self) -> None:
        self.buttons.addStretch(1)

    # ---- rows
    def load(self) -> list[Any]:
        raise NotImplementedError

    def reload(self, select: object = None) -> None:
        """Read the rows again from the service, keeping the search and (if given) selecting a row."""
        keep = self.list.current_row()
        self.model.set_rows(self.load())
        self.loaded = True
        self.apply_filter()
        key = select if select is not None else (self.key(keep) if keep is not None else None)
        if key is not None:
            self.list.select_key(key)

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def is_filtering(self) -> bool:
        return bool(self.search_edit.text().strip())

    def matches(self, row: Any, text: str) -> bool:
        """Text search over what the columns show (every word must appear)."""
        shown = " ".join(c.text(c.value(row)) for c in self.model.columns).lower()
        return all(word in shown for word in text.lower().split())

    def apply_filter(self) -> None:
        self._timer.stop()
        text = self.search_edit.text().strip()
        if text:
            self.model.set_filter_ids({self.key(r) for r in self.model.all_rows() if self.matches(r, text)})
        else:
            self.model.set_filter_ids(None)
        self.update_view()

    def count_text(self, total: int, shown: int) -> str:
        text = f"共 {total:,} {self.unit}"
        return text + (f"，筛选后 {shown:,} {self.unit}" if self.is_filtering() else "")

    def empty_text(self) -> tuple[str, str, Any]:
        """(sentence, button text, button slot) when nothing is shown and nothing is filtered."""
        return "还没有记录。", "", None

    def update_view(self) -> None:
        total, shown = self.model.cached_count(), self.model.rowCount()
        self.count_label.setText(self.count_text(total, shown))
        if self.is_filtering() and not shown:
            self.list.set_empty_text("没有符合条件的记录。可以换个关键词，或清除查找内容。", "清除查找",
                                     self.search_edit.clear, writes=False)
        else:
            self.list.set_empty_text(*self.empty_text())
        self.list.update_empty()
        self.changed.emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
