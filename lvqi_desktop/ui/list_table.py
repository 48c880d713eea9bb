"""A list page's table: read-only rows, remembered column widths and sort, and an empty state that says what to do."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from itertools import chain
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtCore import QItemSelection
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QObject
from PySide6.QtCore import QSettings
from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QHideEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.write_guard import set_writes


def configure_row_table(table: QTableView, model: RowTableModel, settings_key: str,
                        selection: QAbstractItemView.SelectionMode, column_width: Callable[[Column], int],
                        header_changed: Callable[[], None]) -> None:
    """The shared set-up of a list page's table: rows, header, widths, sorting, remembered layout."""
    table.setVerticalHeader(RowNumberHeader(table))
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setCornerButtonEnabled(False)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    for index, column in enumerate(model.columns):
        header.resizeSection(index, column_width(column))
    table.setSortingEnabled(True)
    state = QSettings().value(settings_key)
    if state is not None:
        header.restoreState(state)
    for signal in (header.sectionResized, header.sectionMoved, header.sortIndicatorChanged):
        signal.connect(lambda *_: header_changed())
    ColumnSpread(table)
    RowCopy(table)


class RowNumberHeader(QHeaderView):
    """The row numbers down the side. Qt measures its width after every re-filter from the first and last
    hundred labels (asking the model five roles for each: ~3 ms a keystroke at 65,000 firms); this measures
    it again only when the widest of those labels changes width."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._hint: tuple[int, int, str, QSize] | None = None  # rows, widest label, font, the size

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        count, font = self.count(), self.font().key()
        hint = self._hint
        if hint is not None and hint[0] == count and hint[2] == font:
            return hint[3]
        metrics = self.fontMetrics()
        labels = chain(range(1, min(count, 100) + 1), range(max(count - 99, 101), count + 1))
        widest = max((metrics.horizontalAdvance(str(n)) for n in labels), default=-1)
        size = hint[3] if hint is not None and hint[1:3] == (widest, font) else super().sizeHint()
        self._hint = (count, widest, font, size)
        return size


class ColumnSpread(QObject):
    """Columns share the table's width: when they need less than the view has, each widens in proportion
    (a wide screen shows long industry names instead of an empty strip); a column the user resizes keeps its
    width and becomes the new base."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._spreading = False
        self._base: dict[int, int] = {}
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._on_resized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.spread()
        return False

    def _sections(self) -> list[int]:
        header = self._table.horizontalHeader()
        return [c for c in range(header.count()) if not header.isSectionHidden(c)]

    def _on_resized(self, *_: object) -> None:
        if not self._spreading:
            header = self._table.horizontalHeader()
            self._base = {c: header.sectionSize(c) for c in self._sections()}

    def spread(self) -> None:
        header, sections = self._table.horizontalHeader(), self._sections()
        if not sections:
            return
        base = {c: self._base.get(c, header.sectionSize(c)) for c in sections}
        self._base = base
        width, need = self._table.viewport().width(), sum(base.values())
        factor = max(width / need, 1.0) if need else 1.0
        self._spreading = True
        try:
            sizes = {c: int(w * factor) for c, w in base.items()}
            if factor > 1:
                sizes[sections[-1]] += width - sum(sizes.values())
            for column, size in sizes.items():
                header.resizeSection(column, size)
        finally:
            self._spreading = False


class RowCopy(QObject):
    """Ctrl+C copies the selected rows, not only the current cell (the view's own copy)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Copy):  # type: ignore[attr-defined]
            copy_selected_rows(self._table)
            return True
        return False


def select_rows(table: QTableView, rows: Sequence[int]) -> None:
    """Select exactly these rows, the first one current: `QTableView.selectRow()` would add to the selection
    instead while the user happens to hold Ctrl or Shift (the keyboard state is read at that moment)."""
    model, chosen, flag = table.model(), QItemSelection(), QItemSelectionModel.SelectionFlag
    for row in rows:
        chosen.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    table.selectionModel().select(chosen, flag.ClearAndSelect | flag.Rows)
    if rows:
        table.selectionModel().setCurrentIndex(model.index(rows[0], 0), flag.NoUpdate)


def selected_rows_text(table: QTableView) -> str:
    """The selected rows as tab-separated lines, columns in the order shown (pastes into WPS and Excel)."""
    model, header = table.model(), table.horizontalHeader()
    columns = [header.logicalIndex(v) for v in range(header.count())]
    columns = [c for c in columns if not header.isSectionHidden(c)]
    lines = []
    for row in sorted(index.row() for index in table.selectionModel().selectedRows()):
        cells = (str(model.index(row, c).data() or "") for c in columns)
        lines.append("\t".join(" ".join(cell.split()) for cell in cells))
    return "\n".join(lines)


def copy_selected_rows(table: QTableView) -> None:
    text = selected_rows_text(table)
    if text:
        QGuiApplication.clipboard().setText(text + "\n")

def empty_state(label: QLabel, button: QPushButton) -> QWidget:
    """What a list shows instead of an empty table: `label`'s message, large and centred, and `button` under it."""
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("font-size: 12pt; color: #555;")
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addStretch(1)
    layout.addWidget(label)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return panel


class ListTable(QStackedWidget):
    """The table (page 0) or an empty-state message with one button (page 1)."""

    row_activated = Signal(object)  # the row double-clicked or entered
    selection_changed = Signal()

    def __init__(self, model: RowTableModel[Any], settings_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._settings_key = settings_key
        self._empty_action: Callable[[], None] | None = None
        self.table = QTableView()
        self.empty_label = QLabel()
        self.empty_button = QPushButton()
        self.empty_button.clicked.connect(self._on_empty_button)
        self.addWidget(self.table)
        self.addWidget(empty_state(self.empty_label, self.empty_button))
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self.save_header_state)
        self._set_up()

    def _set_up(self) -> None:
        char = self.fontMetrics().horizontalAdvance("中")
        configure_row_table(self.table, self.model, self._settings_key,
                            QAbstractItemView.SelectionMode.ExtendedSelection,
                            lambda c: max(c.width * char + 18, self._title_width(c.title)),
                            self._save_timer.start)
        table = self.table
        table.activated.connect(self._on_activated)
        table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

    def _title_width(self, title: str) -> int:
        return self.table.horizontalHeader().fontMetrics().horizontalAdvance(title) + 28

    def save_header_state(self) -> None:
        QSettings().setValue(self._settings_key, self.table.horizontalHeader().saveState())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save_header_state()
        super().hideEvent(event)

    # ---- empty state
    def set_empty_text(self, text: str, button: str = "", action: Callable[[], None] | None = None,
                       *, writes: bool = True) -> None:
        """What to show when no row is shown: a sentence saying what to do next, and one button (which
        `writes` unless it only clears a filter)."""
        self.empty_label.setText(text)
        set_writes(self.empty_button, writes and bool(button))
        self.empty_button.setText(button)
        self.empty_button.setVisible(bool(button))
        self._empty_action = action

    def update_empty(self) -> None:
        self.setCurrentIndex(0 if self.model.rowCount() else 1)

    def _on_empty_button(self) -> None:
        if self._empty_action is not None:
            self._empty_action()

    # ---- selection
    def current_row(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_key(self, key: object) -> None:
        position = self.model.position_of(key)
        if position is not None:
            select_rows(self.table, [position])
            self.table.scrollTo(self.model.index(position, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.row_activated.emit(row)
