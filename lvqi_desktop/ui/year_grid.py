"""The 年度数据 tab: one row per year of figures, typed as text so nothing typed is ever lost."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.ui.form_fields import ERROR_FILL
from lvqi_desktop.ui.form_fields import WARNING_FILL
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.validation.enterprise import COUNT_FIELDS
from lvqi_desktop.validation.enterprise import MONEY_FIELDS
from lvqi_desktop.validation.enterprise import YearDraft

GRID_FIELDS = ["revenue", "main_revenue", "net_profit", "total_assets", "total_liabilities", "employees",
               "rd_expense", "rd_staff", "ip_class1", "ip_class2"]
_UNITS = {"employees": "人", "rd_staff": "人", "ip_class1": "件", "ip_class2": "件"}


def _header(key: str) -> str:
    label = MONEY_FIELDS.get(key) or COUNT_FIELDS[key]
    return f"{label}\n（{_UNITS.get(key, '万元')}）"


class _Grid(QTableWidget):
    """A table that also takes a block pasted from Excel (tab-separated) at the current cell."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Paste) and self.state() != QAbstractItemView.State.EditingState:
            self.paste_text(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def paste_text(self, text: str) -> None:
        top, left = max(self.currentRow(), 0), max(self.currentColumn(), 0)
        for r, line in enumerate(text.rstrip("\r\n").splitlines()):
            for c, value in enumerate(line.split("\t")):
                if top + r < self.rowCount() and left + c < self.columnCount():
                    self.item(top + r, left + c).setText(value.strip())


class YearGrid(QWidget):
    """Edits a list of YearDraft; years stored before stay in the draft even when cleared."""

    edited = Signal()

    def __init__(self, default_years: Sequence[int], latest_year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default_years = list(default_years)
        self._stored_years: set[int] = set()
        self._table = _Grid(0, len(GRID_FIELDS))
        self._table.setHorizontalHeaderLabels([_header(k) for k in GRID_FIELDS])
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.horizontalHeader().setMinimumSectionSize(72)
        self._table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self._table.itemChanged.connect(lambda _item: self.edited.emit())
        self._year_box = QSpinBox()
        self._year_box.setRange(1950, latest_year)
        self._year_box.setSuffix(" 年")
        add = writes(QPushButton("添加年度"))
        add.clicked.connect(self._on_add_clicked)
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel("金额单位为万元，可填两位以上小数；可从Excel复制一块数据后在表格中按 Ctrl+V 粘贴。")
        note.setStyleSheet("color: #666;")
        note.setWordWrap(True)
        tools = QHBoxLayout()
        tools.addWidget(note, 1)
        tools.addWidget(self._year_box)
        tools.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self._table, 1)
        layout.addWidget(self.messages)
        self.fill([])

    # ---- rows
    def years(self) -> list[int]:
        return [int(self._table.verticalHeaderItem(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self._table.rowCount())]

    def _row_of(self, year: int) -> int | None:
        return next((r for r, y in enumerate(self.years()) if y == year), None)

    def add_year(self, year: int) -> int:
        """Add an empty row for `year` in order (or find it); returns the row."""
        existing = self._row_of(year)
        if existing is not None:
            return existing
        row = sum(1 for y in self.years() if y < year)
        self._table.blockSignals(True)
        self._table.insertRow(row)
        header = QTableWidgetItem(f"{year}年")
        header.setData(Qt.ItemDataRole.UserRole, year)
        self._table.setVerticalHeaderItem(row, header)
        for col in range(len(GRID_FIELDS)):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._table.setItem(row, col, item)
        self._table.blockSignals(False)
        self._year_box.setValue(max(min(self.years()) - 1, self._year_box.minimum()))
        return row

    def _on_add_clicked(self) -> None:
        row = self.add_year(self._year_box.value())
        self._table.setCurrentCell(row, 0)
        self._table.setFocus()
        self.edited.emit()

    def set_cell(self, year: int, key: str, text: str) -> None:
        row = self.add_year(year)
        self._table.item(row, GRID_FIELDS.index(key)).setText(text)

    def cell_text(self, year: int, key: str) -> str:
        row = self._row_of(year)
        return "" if row is None else self._table.item(row, GRID_FIELDS.index(key)).text()

    # ---- draft in and out
    def fill(self, years: Sequence[YearDraft]) -> None:
        self._table.setRowCount(0)
        self._stored_years = {y.year for y in years}
        for year in sorted(self._stored_years | set(self._default_years)):
            self.add_year(year)
        self._table.blockSignals(True)
        for draft in years:
            row = self._row_of(draft.year)
            for col, key in enumerate(GRID_FIELDS):
                self._table.item(row, col).setText(getattr(draft, key))  # type: ignore[union-attr]
        self._table.blockSignals(False)

    def drafts(self) -> list[YearDraft]:
        """Typed figures per year; an untouched empty year that was never stored is left out."""
        result = []
        for row, year in enumerate(self.years()):
            texts = {key: self._table.item(row, col).text().strip() for col, key in enumerate(GRID_FIELDS)}
            if any(texts.values()) or year in self._stored_years:
                result.append(YearDraft(year=year, **texts))
        return result

    # ---- issues
    def show_issues(self, issues: Sequence[Issue]) -> None:
        """Colour the cells named by `years.2025.revenue`-style fields and list every message below."""
        fills = {}
        for issue in issues:
            parts = issue.field.split(".")
            row = self._row_of(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
            cols = [GRID_FIELDS.index(parts[2])] if len(parts) > 2 and parts[2] in GRID_FIELDS else \
                range(len(GRID_FIELDS))
            for col in cols if row is not None else []:
                if fills.get((row, col)) != ERROR_FILL:
                    fills[(row, col)] = ERROR_FILL if issue.blocking else WARNING_FILL
        self._table.blockSignals(True)
        for row in range(self._table.rowCount()):
            for col in range(len(GRID_FIELDS)):
                item = self._table.item(row, col)
                colour = fills.get((row, col))
                item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
                item.setToolTip("\n".join(i.message for i in issues if self._names(i, row, col)) if colour else "")
        self._table.blockSignals(False)
        text, colour = issue_lines(issues)
        self.messages.setText(text)
        self.messages.setStyleSheet(f"color: {colour};")
        self.messages.setVisible(bool(text))

    def _names(self, issue: Issue, row: int, col: int) -> bool:
        parts = issue.field.split(".")
        year_ok = len(parts) > 1 and parts[1] == str(self.years()[row])
        return year_ok and (len(parts) < 3 or parts[2] == GRID_FIELDS[col])

    def focus_issue(self, field: str) -> None:
        parts = field.split(".")
        row = self._row_of(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
        if row is not None:
            col = GRID_FIELDS.index(parts[2]) if len(parts) > 2 and parts[2] in GRID_FIELDS else 0
            self._table.setCurrentCell(row, col)
            self._table.setFocus()

    @property
    def table(self) -> QTableWidget:
        return self._table
