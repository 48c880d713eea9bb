"""A record's 修改记录 tab: who changed what and when, each field old → new."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QTreeWidget
from PySide6.QtWidgets import QTreeWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.history import HistoryRow

HEADERS = ["时间", "操作员", "操作", "内容", "原值", "新值"]
EMPTY_TEXT = "这条记录还没有修改记录。保存、归档或恢复后，这里会列出谁在何时改了什么。"
ARROW_COLOUR = QColor("#555555")


def change_items(row: HistoryRow) -> QTreeWidgetItem:
    """One change as a tree item; its children are the fields, old → new."""
    item = QTreeWidgetItem([f"{row.at:%Y-%m-%d %H:%M:%S}", row.operator, row.action_label, row.summary, "", ""])
    item.setData(0, Qt.ItemDataRole.UserRole, row.id)
    for change in row.changes:
        child = QTreeWidgetItem(["", "", "", change.label, change.old_text, change.new_text])
        child.setForeground(4, QBrush(ARROW_COLOUR))
        child.setToolTip(4, change.old_text)
        child.setToolTip(5, change.new_text)
        item.addChild(child)
    return item


class HistoryTree(QTreeWidget):
    """History rows, newest first, each expanded to its changed fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(HEADERS)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        header = self.header()
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance("中")
        for column, chars in enumerate((13, 5, 4, 18, 12)):
            self.setColumnWidth(column, width * chars)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.clear()
        items = [change_items(r) for r in rows]
        self.addTopLevelItems(items)
        for item in items:
            item.setExpanded(True)


class RecordHistoryWidget(QWidget):
    """The 修改记录 tab of a record's form; loads when first shown (and on `reload()`)."""

    def __init__(self, services: Services, table: str, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.table = table
        self.record_id = record_id
        self.loaded = False
        self.tree = HistoryTree()
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #555;")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)

    def reload(self) -> None:
        rows = self._services.history.record_history(self.table, self.record_id)
        self.tree.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.tree.setVisible(bool(rows))
        self.count_label.setText(f"共 {len(rows):,} 次修改，最新的在前" if rows else "")
        self.loaded = True

    def rows_shown(self) -> list[str]:
        """The summaries shown, top to bottom (tests read the tab through this)."""
        return [self.tree.topLevelItem(i).text(3) for i in range(self.tree.topLevelItemCount())]

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if not self.loaded:
            self.reload()
        super().showEvent(event)
