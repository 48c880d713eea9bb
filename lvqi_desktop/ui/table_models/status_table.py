"""A row table whose cells may carry a status colour (red / amber / green), always beside a word."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont

from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import ModelIndex
from lvqi_desktop.ui.table_models.row_table import R
from lvqi_desktop.ui.table_models.row_table import RowTableModel

RED = QColor("#c62828")
AMBER = QColor("#9a5b00")
GREEN = QColor("#2e7d32")
GREY = QColor("#8a8a8a")
STATUS_COLOURS = {"red": RED, "amber": AMBER, "green": GREEN, "grey": GREY}


@dataclass(frozen=True)
class StatusColumn(Column[R]):
    """A column whose cell is coloured by `tone(row)`: 'red', 'amber', 'green', 'grey' or ''."""

    tone: Callable[[R], str] = lambda _row: ""


class StatusTableModel(RowTableModel[R]):
    """RowTableModel plus per-cell status colours (bold) for StatusColumns."""

    def __init__(self, columns: list[Column[R]], key: Callable[[R], Hashable] = lambda r: r.id,  # type: ignore[attr-defined]
                 parent: Any = None) -> None:
        super().__init__(columns, key=key, parent=parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def tone_at(self, row: int, column: int) -> str:
        found = self.row_at(row)
        col = self.columns[column] if 0 <= column < len(self.columns) else None
        return col.tone(found) if found is not None and isinstance(col, StatusColumn) else ""

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            tone = self.tone_at(index.row(), index.column())
            if tone:
                return STATUS_COLOURS[tone] if role == Qt.ItemDataRole.ForegroundRole else self._bold
        return super().data(index, role)
