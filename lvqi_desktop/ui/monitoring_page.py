"""运行监测 page: pick a month, enter it in the grid, see completeness, keep statisticians and their fees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lvqi_desktop.errors import LvqiError, ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.monitoring import MonitoringService, NeedsConfirmation
from lvqi_desktop.services.monitoring_rows import month_of_code, shift_month
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.enterprise_picker import EnterprisePickerDialog
from lvqi_desktop.ui.form_fields import ERROR_FILL, issue_lines
from lvqi_desktop.ui.monitoring_grid import (
    OK_FILL,
    STATUS_COLOURS,
    MonthGridModel,
    MonthGridView,
    header_text,
)
from lvqi_desktop.ui.page import Page
from lvqi_desktop.validation.numbers import fen_to_wan_text

MONTHS_SHOWN = 24
GREEN, AMBER, RED = "#1b7f3b", "#9a6700", "#c62828"


def _item(text: str, colour: str = "", right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if colour:
        item.setBackground(QBrush(QColor(colour)))
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class MonitoringPage(Page):
    title = "运行监测"

    def __init__(self, services: Services, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.services = services
        self.monitoring = MonitoringService(services.db, services.office_county, today)
        self._today = today
        # month selector and sample check
        self.month_box = QComboBox()
        last = self.monitoring.current_due_month()
        for k in range(MONTHS_SHOWN):
            code = shift_month(last, -k)
            self.month_box.addItem(month_of_code(code).label, code)
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.sample_label = QLabel()
        self.sample_label.setWordWrap(True)
        add_firm = QPushButton("加入样本")
        add_firm.clicked.connect(self.add_to_sample)
        top = QHBoxLayout()
        top.addWidget(QLabel("月份："))
        top.addWidget(self.month_box)
        top.addWidget(self.sample_label, 1)
        top.addWidget(add_firm)
        # the grid
        self.model = MonthGridModel(self.monitoring.form, self)
        self.grid = MonthGridView()
        self.grid.setModel(self.model)
        self.grid.horizontalHeader().setMinimumSectionSize(70)
        self.grid.setColumnWidth(0, 220)
        for column, f in enumerate(self.monitoring.form.fields, start=2):
            longest = max(len(line) for line in header_text(f).splitlines())
            self.grid.setColumnWidth(column, 160 if f.kind in ("multi", "text") else max(80, 14 * longest + 16))
        self.empty_label = QLabel("还没有监测企业。点击“加入样本”把企业加入运行监测样本，再按月填报。")
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(lambda: self.save())
        self.grid_message = QLabel()
        self.grid_message.setWordWrap(True)
        self.grid_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("直接输入数字（金额单位万元），回车保存本格并下移；多选项用顿号分隔。"
                      "同比由程序按上年同月计算。红色为错误，黄色为需核实。")
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        grid_tab = QWidget()
        grid_layout = QVBoxLayout(grid_tab)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        grid_layout.addLayout(buttons)
        grid_layout.addWidget(self.empty_label)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addWidget(self.grid_message)
        # completeness
        self.completeness_label = QLabel()
        self.completeness_table = QTableWidget(0, 4)
        self.completeness_table.setHorizontalHeaderLabels(["企业名称", "统一社会信用代码", "报送状态", "报送日期"])
        self.completeness_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.completeness_table.setColumnWidth(1, 170)
        done_tab = QWidget()
        done_layout = QVBoxLayout(done_tab)
        done_layout.addWidget(self.completeness_label)
        done_layout.addWidget(self.completeness_table, 1)
        # statisticians
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, today().year)
        self.year_box.setValue(today().year)
        self.year_box.setSuffix(" 年")
        self.year_box.valueChanged.connect(lambda _v: self.refresh_statisticians())
        self.people_table = QTableWidget(0, 9)
        self.people_table.setHorizontalHeaderLabels(["企业名称", "统计人员", "联系电话", "任职日期", "应报（月）",
                                                     "按时（月）", "更正（次）", "考核结果", "信息采集费（万元）"])
        self.people_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.person_firm = QComboBox()
        self.person_name, self.person_phone = QLineEdit(), QLineEdit()
        self.person_name.setPlaceholderText("姓名")
        self.person_phone.setPlaceholderText("联系电话")
        self.person_since = QDateEdit(today())
        self.person_since.setDisplayFormat("yyyy-MM-dd")
        self.person_since.setCalendarPopup(True)
        add_person = QPushButton("新增")
        add_person.clicked.connect(self.add_statistician)
        record_fees = QPushButton("登记本年度采集费")
        record_fees.clicked.connect(self.record_fees)
        self.people_message = QLabel()
        people_tab = QWidget()
        people_layout = QVBoxLayout(people_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("考核年度："))
        row.addWidget(self.year_box)
        row.addStretch(1)
        row.addWidget(record_fees)
        people_layout.addLayout(row)
        people_layout.addWidget(self.people_table, 1)
        form = QHBoxLayout()
        for w in (self.person_firm, self.person_name, self.person_phone, QLabel("任职日期："), self.person_since,
                  add_person):
            form.addWidget(w)
        people_layout.addLayout(form)
        people_layout.addWidget(self.people_message)
        self.tabs = QTabWidget()
        self.tabs.addTab(grid_tab, "月报录入")
        self.tabs.addTab(done_tab, "报送情况")
        self.tabs.addTab(people_tab, "统计人员")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._save_action = QAction("保存", self)
        self._save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self._save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._save_action.setToolTip("保存本月修改（Ctrl+S）")
        self._save_action.triggered.connect(lambda: self.save())
        self.addAction(self._save_action)
        self.refresh()

    # ---- Page
    def page_actions(self) -> list[QAction]:
        return [self._save_action]

    @property
    def period(self) -> str:
        return str(self.month_box.currentData())

    def refresh(self) -> None:
        try:
            check = self.monitoring.sample_check()
            self.sample_label.setText(("符合：" if check.ok else "注意：") + check.message)
            self.sample_label.setStyleSheet(f"color: {GREEN if check.ok else AMBER};")
            rows = self.monitoring.month_grid(self.period)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.grid.setVisible(bool(rows))
        self.grid_message.setText("")
        self.refresh_completeness()
        self.refresh_statisticians()

    def refresh_completeness(self) -> None:
        done = self.monitoring.completeness(self.period)
        self.completeness_label.setText(
            f"{month_of_code(done.period).label}：应报 {done.expected:,} 家，已报 {done.received:,} 家，"
            f"按时 {done.on_time:,} 家（及时率 {_percent(done.on_time_rate)}），未报 {len(done.missing):,} 家；"
            f"截止日 {done.due_on.isoformat()}")
        table = self.completeness_table
        table.setRowCount(len(done.rows))
        for n, r in enumerate(done.rows):
            colour = STATUS_COLOURS[r.status]
            for c, text in enumerate((r.name, r.uscc, r.status_label, r.received_on.isoformat() if r.received_on else "")):
                table.setItem(n, c, _item(text, colour if c == 2 else ""))

    def refresh_statisticians(self) -> None:
        rows = self.monitoring.assessment(self.year_box.value())
        table = self.people_table
        table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            s = r.statistician
            colour = OK_FILL if r.qualified else (ERROR_FILL if r.expected else "")
            fee = fen_to_wan_text(r.fee_fen) + ("（已发放）" if r.paid else "（未发放）" if r.fee_id else "（应发放）") \
                if r.fee_fen is not None else ""
            for c, text in enumerate((s.enterprise_name, s.name, s.phone, s.since.isoformat(), f"{r.expected:,}",
                                      f"{r.on_time:,}", f"{r.corrections:,}", r.result_label, fee)):
                table.setItem(n, c, _item(text, colour if c == 7 else "", right=c in (4, 5, 6, 8)))
        current = self.person_firm.currentData()
        self.person_firm.clear()
        for firm in self.monitoring.sample():
            self.person_firm.addItem(firm.name, firm.enterprise_id)
        if current is not None:
            self.person_firm.setCurrentIndex(max(self.person_firm.findData(current), 0))

    def on_data_changed(self, kind: str) -> None:
        if kind in ("enterprise", "monitoring"):
            self.refresh()

    # ---- actions
    def save(self, confirmed: bool = False) -> bool:
        """Save every edited row of the month; True when saved."""
        drafts = self.model.drafts(self.period)
        if not drafts:
            self.grid_message.setText("没有修改需要保存。")
            self.grid_message.setStyleSheet("")
            return False
        try:
            saved = self.monitoring.save_reports(self.period, drafts, confirmed=bool(confirmed))
        except NeedsConfirmation as asked:
            self._show(asked)
            if messages.confirm(self, str(asked) + "\n\n确认以上数值无误并保存吗？", "请核实"):
                return self.save(confirmed=True)
            return False
        except ValidationFailed as refused:
            self._show(refused)
            return False
        self.refresh()
        text = f"已保存 {len(saved):,} 家企业的{month_of_code(self.period).label}月报。"
        self.grid_message.setText(text)
        self.grid_message.setStyleSheet(f"color: {GREEN};")
        self.status_message.emit(text)
        self.data_changed.emit("monitoring")
        return True

    def _show(self, refused: ValidationFailed) -> None:
        self.model.show_issues(refused.issues)
        text, colour = issue_lines(refused.issues)
        self.grid_message.setText(text)
        self.grid_message.setStyleSheet(f"color: {colour};")

    def add_to_sample(self) -> None:
        dialog = EnterprisePickerDialog(self.services, self)
        if not dialog.exec() or dialog.chosen is None:
            return
        try:
            self.monitoring.add_to_sample(dialog.chosen.id, self._today())
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        self.status_message.emit(f"已纳入监测样本：{dialog.chosen.name}")
        self.refresh()

    def add_statistician(self) -> None:
        firm = self.person_firm.currentData()
        if firm is None:
            self.people_message.setText("请先把企业加入监测样本。")
            return
        since = self.person_since.date().toPython()
        try:
            self.monitoring.add_statistician(int(firm), self.person_name.text(), self.person_phone.text(), since)
        except LvqiError as exc:
            self.people_message.setText(str(exc))
            self.people_message.setStyleSheet(f"color: {RED};")
            return
        self.people_message.setText(f"已登记统计人员：{self.person_name.text().strip()}")
        self.people_message.setStyleSheet(f"color: {GREEN};")
        self.person_name.clear()
        self.person_phone.clear()
        self.refresh_statisticians()

    def record_fees(self) -> None:
        year = self.year_box.value()
        added = self.monitoring.record_fees(year)
        self.people_message.setText(f"已将 {added:,} 名考核合格的统计人员登记入{year}年度信息采集费台账（未发放）。")
        self.people_message.setStyleSheet("")
        self.refresh_statisticians()

