"""Reminders for the start page: expiring titles, annual updates due, records not followed up,
firms above the 规上 line not marked as entered — grouped, each with a coloured word, each opening its record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QTreeWidget
from PySide6.QtWidgets import QTreeWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import REMINDER_KINDS
from lvqi_desktop.services.pool_rows import ReminderRow
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_combo
from lvqi_desktop.ui.county_filter import county_names

KIND_ORDER = ["title_expiring", "annual_update", "no_follow_up", "above_line_not_entered", "incomplete"]
COLOURS = {"red": "#c62828", "amber": "#9a5b00", "green": "#2e7d32"}
SHOW_PER_GROUP = 50
EMPTY_TEXT = ("目前没有需要提醒的事项。\n称号到期、年度信息更新、超过90天未跟进和达到规上标准未入统的企业会在这里提示。")
ROW_ROLE = Qt.ItemDataRole.UserRole


def word_and_tone(row: ReminderRow) -> tuple[str, str]:
    """The word beside the colour: overdue red, due soon amber."""
    overdue = row.days is not None and row.days < 0
    if row.kind == "title_expiring":
        return ("已到期", "red") if overdue else ("即将到期", "amber")
    if row.kind == "annual_update":
        return ("已逾期", "red") if overdue else ("待更新", "amber")
    if row.kind == "no_follow_up":
        return "逾期未跟进", "red"
    if row.kind == "incomplete":
        return "待补充", "amber"
    return "待入统", "amber"


class _Tree(QTreeWidget):
    """Enter opens the current line, as double-click does."""

    entered = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.entered.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class RemindersWidget(QWidget):
    """`record_requested(record_id)` for a line with a pool record; `enterprise_requested(enterprise_id)`
    for a firm above the 规上 line that is in no pool yet (the page offers to enter it in 小升规)."""

    record_requested = Signal(int)
    enterprise_requested = Signal(int)
    firm_requested = Signal(int)  # 资料待补充: open the firm's own form

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None,
                 background: bool = False) -> None:
        super().__init__(parent)
        self.services = services
        self.today = today
        self.background = background  # compute off the GUI thread (start-up must not wait for it)
        self.rows: list[ReminderRow] = []
        self.title = QLabel("待办提醒")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.count_label = QLabel()
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("打开选中提醒对应的培育记录（也可双击或按回车）")
        self.open_button.clicked.connect(lambda: self.open_item(self.tree.currentItem()))
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        self.counties = county_names(services)
        self.county = county_combo(services)  # the city edition's 县区 choice; None in a county edition
        self.tree = _Tree()
        headers = ["提醒", "企业", *(["县区"] if self.counties is not None else []), "日期", "说明"]
        self.tree.setColumnCount(len(headers))
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        char = self.fontMetrics().horizontalAdvance("中")
        for column, width in enumerate((10, 16, 5, 6) if self.counties is not None else (10, 16, 6)):
            header.resizeSection(column, width * char + 24)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda item, _col: self.open_item(item))
        self.tree.entered.connect(self.open_item)
        self.tree.currentItemChanged.connect(lambda *_: self._update_open())
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #2e7d32; font-size: 11pt; padding: 16px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty_label)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.count_label)
        top.addStretch(1)
        if self.county is not None:
            top.addWidget(QLabel("县区"))
            top.addWidget(self.county)
            self.county.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.open_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.setMinimumHeight(self.fontMetrics().height() * 14)
        self.refresh()

    def refresh(self) -> None:
        """Ask the service again and rebuild the groups."""
        county = chosen_county(self.county)
        if not self.background:
            self.show_rows(self.services.cultivation.reminders.reminders(self.today, county))
            return
        self.count_label.setText("正在检查…")
        reminders = self.services.cultivation.reminders
        run_in_background(self, lambda _progress: reminders.reminders(self.today, county), title="正在检查待办提醒",
                          on_success=self.show_rows, show_dialog=False)

    def show_rows(self, rows: list[ReminderRow]) -> None:
        """Rebuild the groups from reminder rows."""
        self.rows = rows
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for kind in KIND_ORDER:
            rows = [r for r in self.rows if r.kind == kind]
            if not rows:
                continue
            group = QTreeWidgetItem([f"{REMINDER_KINDS[kind]}（{len(rows):,}）"])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for row in rows[:SHOW_PER_GROUP]:
                group.addChild(self._item(row, bold))
            if len(rows) > SHOW_PER_GROUP:
                more = QTreeWidgetItem([f"另有 {len(rows) - SHOW_PER_GROUP:,} 条，请到“梯度培育库 → 检查全部”查看"])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.addChild(more)
                more.setFirstColumnSpanned(True)
            group.setExpanded(True)
        self.count_label.setText(f"共 {len(self.rows):,} 条" if self.rows else "")
        self.stack.setCurrentIndex(0 if self.rows else 1)
        self._update_open()

    def _item(self, row: ReminderRow, bold: QFont) -> QTreeWidgetItem:
        word, tone = word_and_tone(row)
        texts = [word, row.name, row.due_on.isoformat() if row.due_on else "", row.message]
        if self.counties is not None:
            texts.insert(2, self.counties.get(row.county_code, row.county_code))
        item = QTreeWidgetItem(texts)
        item.setForeground(0, QBrush(QColor(COLOURS[tone])))
        item.setFont(0, bold)
        item.setToolTip(len(texts) - 1, row.message)
        item.setData(0, ROW_ROLE, row)
        return item

    def _update_open(self) -> None:
        item = self.tree.currentItem()
        self.open_button.setEnabled(item is not None and item.data(0, ROW_ROLE) is not None)

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        row = item.data(0, ROW_ROLE) if item is not None else None
        if row is None:
            return
        if row.record_id is not None:
            self.record_requested.emit(row.record_id)
        elif row.kind == "incomplete":
            self.firm_requested.emit(row.enterprise_id)
        else:
            self.enterprise_requested.emit(row.enterprise_id)
