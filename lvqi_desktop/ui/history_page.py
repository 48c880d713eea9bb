"""The global change history (修改记录): filter by date range, operator and table; export and print."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSplitter
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.history import HistoryRow
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.history_widgets import HistoryTree
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel

SHOW_AT_MOST = 2000
DEFAULT_DAYS = 30
EMPTY_TEXT = "所选时间内没有符合条件的修改记录。可以放宽日期范围，或把操作员、表改为“全部”。"
ALL = "全部"


def changes_text(row: HistoryRow) -> str:
    """"企业名称：甲 → 乙；联系电话：（空） → 138…" for the table and Excel."""
    return "；".join(f"{c.label}：{c.old_text} → {c.new_text}" for c in row.changes)


COLUMNS: tuple[Column[HistoryRow], ...] = (
    Column("时间", lambda r: (r.at, r.id), lambda v: f"{v[0]:%Y-%m-%d %H:%M:%S}", export=lambda v: v[0], width=11),
    Column("操作员", lambda r: r.operator, str, collate=True, width=5),
    Column("操作", lambda r: r.action_label, str, width=4),
    Column("表", lambda r: r.table_label, str, width=6),
    Column("记录", lambda r: r.summary, str, collate=True, width=20),
    Column("修改内容", changes_text, str, width=40),
)


class HistoryModel(RowTableModel[HistoryRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS)


class HistoryPage(Page):
    """Read-only: who changed what and when, across all records."""

    title = "修改记录"

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.loaded = False
        today = today or clock.today()
        self.model = HistoryModel()
        self.list = ListTable(self.model, "history_page/header")
        self.list.set_empty_text(EMPTY_TEXT)
        if self.list.table.horizontalHeader().sortIndicatorSection() < 0:  # no remembered sort: newest first
            self.list.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.detail = HistoryTree()
        self.since_edit = DateEdit(today - timedelta(days=DEFAULT_DAYS))
        self.until_edit = DateEdit(today)
        self.operator_combo = QComboBox()
        self.table_combo = QComboBox()
        self.count_label = QLabel()
        self._build()
        self._build_actions()
        for edit in (self.since_edit, self.until_edit):
            edit.edited.connect(self.reload)
        self.operator_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.table_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.list.selection_changed.connect(self._show_detail)

    def _build(self) -> None:
        filters = QHBoxLayout()
        for text, widget in (("从", self.since_edit), ("到", self.until_edit), ("操作员", self.operator_combo),
                             ("表", self.table_combo)):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        self.operator_combo.setMinimumContentsLength(6)
        self.table_combo.setMinimumContentsLength(8)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        filters.addWidget(refresh)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def _build_actions(self) -> None:
        self.export_action = QAction("导出Excel", self)
        self.export_action.triggered.connect(self.export)
        self.print_action = QAction("打印", self, shortcut=QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(self.print)
        self.addAction(self.print_action)

    def page_actions(self) -> list[QAction]:
        return [self.export_action, self.print_action]

    # ---- filters
    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL, "")
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _fill_filters(self) -> None:
        self._fill_combo(self.operator_combo, [(name, name) for name in self.services.history.operators()])
        self._fill_combo(self.table_combo, [(t.label, t.name) for t in self.services.history.tables()])

    def set_operator(self, name: str) -> None:
        self.operator_combo.setCurrentIndex(max(self.operator_combo.findData(name), 0))

    def set_table(self, table: str) -> None:
        self.table_combo.setCurrentIndex(max(self.table_combo.findData(table), 0))

    # ---- loading
    def refresh(self) -> None:
        self._fill_filters()
        self.reload()

    def reload(self) -> None:
        since, until = self.since_edit.value(), self.until_edit.value()
        rows = self.services.history.list(since, until, self.operator_combo.currentData() or "",
                                          self.table_combo.currentData() or "", limit=SHOW_AT_MOST)
        self.model.set_rows(rows)
        self.list.update_empty()
        self.loaded = True
        text = f"共 {len(rows):,} 条"
        if len(rows) >= SHOW_AT_MOST:
            text = f"只显示最近 {SHOW_AT_MOST:,} 条，请缩小日期范围"
        self.count_label.setText(text)
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.list.current_row()
        self.detail.set_rows([row] if row is not None else [])

    def on_shown(self) -> None:
        self.refresh()

    def on_data_changed(self, kind: str) -> None:
        if self.loaded and self.isVisible():
            self.refresh()
        else:
            self.loaded = False

    # ---- export and print
    def _table_title(self) -> str:
        return f"修改记录（{self.since_edit.value():%Y-%m-%d} 至 {self.until_edit.value():%Y-%m-%d}）"

    def export(self) -> None:
        export_view_to_xlsx(self, self.model, self._table_title())

    def print(self) -> None:
        print_view(self, self.model, self._table_title())
