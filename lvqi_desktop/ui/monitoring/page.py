"""运行监测 page: pick a month, enter it in the grid, see completeness, keep statisticians and their fees."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QDoubleSpinBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import MonitoringSettings
from lvqi_desktop.services.monitoring import NeedsConfirmation
from lvqi_desktop.services.monitoring_rows import month_of_code
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_combo
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.enterprise_picker import EnterprisePickerDialog
from lvqi_desktop.ui.form_fields import ERROR_FILL
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.import_dialog import ImportDialog
from lvqi_desktop.ui.monitoring.form import MonitoringReportDialog
from lvqi_desktop.ui.monitoring.grid import OK_FILL
from lvqi_desktop.ui.monitoring.grid import STATUS_COLOURS
from lvqi_desktop.ui.monitoring.grid import MonthGridModel
from lvqi_desktop.ui.monitoring.grid import MonthGridView
from lvqi_desktop.ui.monitoring.grid import header_text
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.validation.numbers import fen_to_wan_input
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.numbers import parse_wan_to_fen

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
                 monitoring: MonitoringService | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.monitoring = monitoring or services.monitoring  # a test passes one on its own fixed day
        self._today = today = self.monitoring.today
        # month selector and sample check
        self.month_box = QComboBox()
        last = self.monitoring.current_due_month()
        for k in range(MONTHS_SHOWN):
            code = shift_month(last, -k)
            self.month_box.addItem(month_of_code(code).label, code)
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.loading = False  # a month is being read in the background
        self._generation = 0  # only the newest load is shown
        self.loaded_period = ""  # the month the grid holds (edits are saved for this month)
        self.counties = county_names(services)
        self.county = county_combo(services)  # the city edition's 县区 choice; None in a county edition
        self.sample_label = QLabel()
        self.sample_label.setWordWrap(True)
        add_firm = writes(QPushButton("加入样本"))
        add_firm.clicked.connect(self.add_to_sample)
        top = QHBoxLayout()
        if self.county is not None:
            top.addWidget(QLabel("县区："))
            top.addWidget(self.county)
            self.county.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(QLabel("月份："))
        top.addWidget(self.month_box)
        top.addWidget(self.sample_label, 1)
        top.addWidget(add_firm)
        # the grid
        self.model = MonthGridModel(self.monitoring.form, self, self.counties)
        self.grid = MonthGridView()
        self.grid.setModel(self.model)
        self.grid.use_answer_delegates(self.monitoring.form)
        self.grid.doubleClicked.connect(self._grid_double_clicked)
        self.grid.horizontalHeader().setMinimumSectionSize(70)
        self.grid.setColumnWidth(0, 220)
        if self.counties is not None:
            self.grid.setColumnWidth(1, 80)
        for column, f in enumerate(self.monitoring.form.fields, start=len(self.model.fixed)):
            longest = max(len(line) for line in header_text(f).splitlines())
            self.grid.setColumnWidth(column, 160 if f.kind in ("multi", "text") else max(80, 14 * longest + 16))
        self.empty_label = QLabel("还没有监测企业。点击“加入样本”把企业加入运行监测样本，再按月填报。")
        self.save_button = writes(QPushButton("保存"))
        self.save_button.clicked.connect(lambda: self.save())
        self.firm_button = writes(QPushButton("按企业填报"))
        self.firm_button.setToolTip("打开当前行企业的月报表单（Ctrl+Enter；双击企业名称亦可）")
        self.firm_button.clicked.connect(lambda: self.open_firm_form())
        self.loading_label = QLabel()
        self.loading_label.setStyleSheet("color: #666;")
        self.grid_message = QLabel()
        self.grid_message.setWordWrap(True)
        self.grid_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("直接输入数字（金额单位万元），回车保存本格并下移；问卷项在下拉中选择（可按数字 1、2、3）；"
                      "多选项用顿号分隔。"
                      "同比由程序按上年同月计算。红色为错误，黄色为需核实。")
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        grid_tab = QWidget()
        grid_layout = QVBoxLayout(grid_tab)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.firm_button)
        buttons.addWidget(self.save_button)
        grid_layout.addLayout(buttons)
        grid_layout.addWidget(self.loading_label)
        grid_layout.addWidget(self.empty_label)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addWidget(self.grid_message)
        # completeness
        self.completeness_label = QLabel()
        done_headers = ["企业名称", *(["县区"] if self.counties is not None else []), "统一社会信用代码", "报送状态",
                        "报送日期"]
        self.completeness_table = QTableWidget(0, len(done_headers))
        self.completeness_table.setHorizontalHeaderLabels(done_headers)
        self.completeness_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.completeness_table.setColumnWidth(len(done_headers) - 3, 170)
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
        people_headers = ["企业名称", "统计人员", "联系电话", "任职日期", "应报（月）", "按时（月）", "更正（次）",
                          "考核结果", "信息采集费（万元）", *(["县区"] if self.counties is not None else [])]
        self.people_table = QTableWidget(0, len(people_headers))
        self.people_table.setHorizontalHeaderLabels(people_headers)
        self.people_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.people_table.setColumnWidth(8, 150)
        self.people_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people_table.currentCellChanged.connect(lambda *_: self._guard_person())
        self.person_firm = QComboBox()
        self.person_name, self.person_phone = QLineEdit(), QLineEdit()
        self.person_name.setPlaceholderText("姓名")
        self.person_phone.setPlaceholderText("联系电话")
        self.person_since = QDateEdit(today())
        self.person_since.setDisplayFormat("yyyy-MM-dd")
        self.person_since.setCalendarPopup(True)
        add_person = writes(QPushButton("新增"))
        add_person.clicked.connect(self.add_statistician)
        record_fees = writes(QPushButton("登记本年度采集费"))
        record_fees.clicked.connect(self.record_fees)
        self.mark_paid_button = writes(QPushButton("标记已发放"))
        self.mark_paid_button.setToolTip("把所选统计人员本年度的信息采集费标记为已发放（发放日期为今天）")
        self.mark_paid_button.clicked.connect(lambda: self.mark_fee_paid())
        self.people_message = QLabel()
        people_tab = QWidget()
        people_layout = QVBoxLayout(people_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("考核年度："))
        row.addWidget(self.year_box)
        row.addStretch(1)
        row.addWidget(record_fees)
        row.addWidget(self.mark_paid_button)
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
        self.tabs.addTab(self._settings_tab(), "监测设置")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.county_rows = CountyRows(services)
        self._save_action = writes(QAction("保存", self))
        self._save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self._save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._save_action.setToolTip("保存本月修改（Ctrl+S）")
        self._save_action.triggered.connect(lambda: self.save())
        self.addAction(self._save_action)
        self._firm_action = writes(QAction("按企业填报", self))
        self._firm_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self._firm_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._firm_action.triggered.connect(lambda: self.open_firm_form())
        self.grid.addAction(self._firm_action)
        self._import_action = writes(QAction("导入Excel", self))
        self._import_action.setToolTip("从Excel导入月报（每个工作表一个月，按统一社会信用代码对应企业；先预览，再导入）")
        self._import_action.triggered.connect(lambda: self.import_from_excel())
        self.refresh()

    # ---- Page
    def page_actions(self) -> list[QAction]:
        return [self._save_action, self._firm_action, self._import_action]

    def _lock_county_rows(self) -> None:
        """City edition: a county's firms are shown, not typed over; 保存 and 导入 greyed out when every firm
        shown is a county's (the county reports its months and sends a new package)."""
        rows = self.model.rows
        self.model.locked = self.services.ownership.sent_each("enterprise", [r.enterprise_id for r in rows])
        every = rows and len(self.model.locked) == len(rows)
        for action in (self._save_action, self._import_action):
            action.setEnabled(True)
        self.county_rows.show(self.model.locked[rows[0].enterprise_id] if every else None,
                              [self._save_action, self._import_action])

    def import_from_excel(self) -> None:
        """The import dialog for monthly figures; reload the month afterwards."""
        dialog = ImportDialog(self, self.services.monitoring_imports(), kind="monitoring")
        dialog.exec()
        if dialog.imported:
            self.data_changed.emit("monitoring")
            self.refresh("已导入月报")

    @property
    def period(self) -> str:
        return str(self.month_box.currentData())

    @property
    def county_code(self) -> str:
        """The county chosen in the city edition ("" for 全部县区, and always "" in a county edition)."""
        return chosen_county(self.county)

    def _county_name(self, code: str) -> str:
        return (self.counties or {}).get(code, code)

    def refresh(self, message: str = "") -> None:
        """Read the month (grid, completeness, sample check, assessment) in the background; the grid empties
        at once so nothing typed can land in the month that was shown before."""
        self._generation += 1
        generation, period, year, county = self._generation, self.period, self.year_box.value(), self.county_code
        self.loading = True
        self.loaded_period = ""
        self.model.set_rows([])
        self.empty_label.setVisible(False)
        self.loading_label.setText(f"正在读取{month_of_code(period).label}的月报……")
        self.loading_label.setVisible(True)
        self.grid_message.setText(message)
        self.grid_message.setStyleSheet(f"color: {GREEN};" if message else "")
        monitoring = self.monitoring

        def work(_progress: object) -> tuple:
            return (monitoring.sample_check(county_code=county), monitoring.month_grid(period, county_code=county),
                    monitoring.completeness(period, county_code=county), monitoring.assessment(year, county_code=county),
                    monitoring.sample(county_code=county))

        def done(result: tuple) -> None:
            if generation != self._generation:
                return  # a newer month was chosen meanwhile
            check, rows, completeness, assessment, sample = result
            self.loading = False
            self.loading_label.setVisible(False)
            self.sample_label.setText(("符合：" if check.ok else "注意：") + check.message)
            self.sample_label.setStyleSheet(f"color: {GREEN if check.ok else AMBER};")
            self.model.set_rows(rows)
            self._lock_county_rows()
            self.loaded_period = period
            self.empty_label.setVisible(not rows)
            self.grid.setVisible(bool(rows))
            if rows and not self.grid.currentIndex().isValid():
                self.grid.setCurrentIndex(self.model.index(0, len(self.model.fixed)))
            self.refresh_completeness(completeness)
            if year == self.year_box.value():
                self.refresh_statisticians(assessment, sample)
            else:
                self.refresh_statisticians()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.loading_label.setVisible(False)
            if not isinstance(exc, LvqiError):
                raise exc
            self.grid_message.setText(f"读取月报失败：{exc}")
            self.grid_message.setStyleSheet(f"color: {RED};")

        run_in_background(self, work, title="读取运行监测月报", on_success=done, on_failure=failed,
                          show_dialog=False)

    def refresh_completeness(self, done: object = None) -> None:
        if done is None:
            done = self.monitoring.completeness(self.period, county_code=self.county_code)
        self.completeness_label.setText(
            f"{month_of_code(done.period).label}：应报 {done.expected:,} 家，已报 {done.received:,} 家，"
            f"按时 {done.on_time:,} 家（及时率 {_percent(done.on_time_rate)}），未报 {len(done.missing):,} 家；"
            f"截止日 {done.due_on.isoformat()}")
        table = self.completeness_table
        table.setRowCount(len(done.rows))
        for n, r in enumerate(done.rows):
            colour = STATUS_COLOURS[r.status]
            texts = [r.name, r.uscc, r.status_label, r.received_on.isoformat() if r.received_on else ""]
            if self.counties is not None:
                texts.insert(1, self._county_name(r.county_code))
            for c, text in enumerate(texts):
                table.setItem(n, c, _item(text, colour if c == len(texts) - 2 else ""))

    def refresh_statisticians(self, rows: list | None = None, sample: list | None = None) -> None:
        if rows is None:
            rows = self.monitoring.assessment(self.year_box.value(), county_code=self.county_code)
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
            if self.counties is not None:
                table.setItem(n, 9, _item(self._county_name(s.county_code)))
            table.item(n, 0).setData(Qt.ItemDataRole.UserRole, s.id)
            table.item(n, 0).setData(Qt.ItemDataRole.UserRole + 1, r.fee_id is not None and not r.paid)
        current = self.person_firm.currentData()
        self.person_firm.clear()
        for firm in sample if sample is not None else self.monitoring.sample(county_code=self.county_code):
            self.person_firm.addItem(firm.name, firm.enterprise_id)
        if current is not None:
            self.person_firm.setCurrentIndex(max(self.person_firm.findData(current), 0))

    def on_data_changed(self, kind: str) -> None:
        if kind in ("enterprise", "monitoring"):
            self.refresh()

    # ---- actions
    def save(self, confirmed: bool = False) -> bool:
        """Save every edited row of the month; True when saved."""
        if self.loading or not self.loaded_period:
            self.grid_message.setText("月报仍在读取中，请稍候再保存。")
            self.grid_message.setStyleSheet("")
            return False
        period = self.loaded_period
        drafts = self.model.drafts(period)
        if not drafts:
            self.grid_message.setText("没有修改需要保存。")
            self.grid_message.setStyleSheet("")
            return False
        try:
            saved = self.monitoring.save_reports(period, drafts, confirmed=bool(confirmed))
        except NeedsConfirmation as asked:
            self._show(asked)
            if messages.confirm(self, str(asked) + "\n\n确认以上数值无误并保存吗？", "请核实"):
                return self.save(confirmed=True)
            return False
        except ValidationFailed as refused:
            self._show(refused)
            return False
        except EditConflict as stale:  # another clerk saved one of these firms' month first: the edits stay
            messages.show_error(self, stale, "记录已被他人修改")
            return False
        return self._reports_saved(f"已保存 {len(saved):,} 家企业的{month_of_code(period).label}月报。")

    def _reports_saved(self, text: str) -> bool:
        """After monthly reports were saved: reload with `text`, tell the status bar and the other pages."""
        self.refresh(text)
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


    # ---- the per-firm form
    def _grid_double_clicked(self, index: object) -> None:
        if index.isValid() and index.column() < len(self.model.fixed):  # type: ignore[attr-defined]
            self.open_firm_form(index.row())  # type: ignore[attr-defined]

    def open_firm_form(self, row: int | None = None) -> bool:
        """The current row's firm in MonitoringReportDialog; True when it saved."""
        if row is None:
            row = self.grid.currentIndex().row()
        if self.loading or not 0 <= row < self.model.rowCount():
            self.grid_message.setText("请先在表格中选中一家企业，再按企业填报。")
            self.grid_message.setStyleSheet("")
            return False
        if self.model.edits and not messages.confirm(
                self, "表格中有尚未保存的修改，打开企业表单后将放弃这些修改。继续吗？", "放弃修改"):
            return False
        firm = self.model.rows[row]
        try:
            dialog = MonitoringReportDialog(self.services, firm.enterprise_id, self.loaded_period, self,
                                            monitoring=self.monitoring)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return False
        if not run_dialog(dialog):
            return False
        return self._reports_saved(f"已保存：{firm.name} {month_of_code(self.loaded_period).label}月报")

    # ---- fees and settings
    def _guard_person(self) -> None:
        """City edition: 标记已发放 greyed out for a statistician a county sent (the county pays and reports)."""
        row = self.people_table.currentRow()
        item = self.people_table.item(row, 0) if row >= 0 else None
        self.mark_paid_button.setEnabled(True)
        self.county_rows.guard("statistician", [int(item.data(Qt.ItemDataRole.UserRole))] if item else [],
                               [self.mark_paid_button])

    def mark_fee_paid(self) -> bool:
        row = self.people_table.currentRow()
        item = self.people_table.item(row, 0) if row >= 0 else None
        if item is None:
            self.people_message.setText("请先在表中选中一名统计人员。")
            self.people_message.setStyleSheet("")
            return False
        year = self.year_box.value()
        name = self.people_table.item(row, 1).text()
        try:
            self.monitoring.mark_fee_paid(int(item.data(Qt.ItemDataRole.UserRole)), year, self._today())
        except LvqiError as exc:
            self.people_message.setText(str(exc))
            self.people_message.setStyleSheet(f"color: {RED};")
            return False
        self.people_message.setText(f"已标记{name}的{year}年度信息采集费为已发放（{self._today().isoformat()}）。")
        self.people_message.setStyleSheet(f"color: {GREEN};")
        self.refresh_statisticians()
        self.data_changed.emit("monitoring")
        return True

    def _settings_tab(self) -> QWidget:
        current = self.monitoring.settings()
        self.due_day = QSpinBox()
        self.due_day.setRange(1, 28)
        self.due_day.setPrefix("次月 ")
        self.due_day.setSuffix(" 日")
        self.pass_rate = QDoubleSpinBox()
        self.pass_rate.setRange(1, 100)
        self.pass_rate.setDecimals(1)
        self.pass_rate.setSuffix(" %")
        self.max_corrections = QSpinBox()
        self.max_corrections.setRange(0, 99)
        self.max_corrections.setSuffix(" 次")
        self.fee = QLineEdit()
        self.fee.setAlignment(Qt.AlignmentFlag.AlignRight)
        width = self.fontMetrics().horizontalAdvance("中") * 9
        for w in (self.due_day, self.pass_rate, self.max_corrections, self.fee):
            w.setFixedWidth(width)
        self.settings_boxes = {"due_day": FieldBox(self.due_day), "pass_on_time_rate": FieldBox(self.pass_rate),
                               "pass_max_corrections": FieldBox(self.max_corrections), "fee_fen": FieldBox(self.fee)}
        self._show_settings(current)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for key, label in (("due_day", "报送截止日"), ("pass_on_time_rate", "考核合格及时率不低于"),
                           ("pass_max_corrections", "全年更正不超过"), ("fee_fen", "信息采集费（万元/人·年）")):
            form.addRow(form_label(label), self.settings_boxes[key])
        save = writes(QPushButton("保存设置"))
        save.clicked.connect(lambda: self.save_settings())
        self.settings_message = QLabel()
        note = QLabel("截止日用于判断按时报送与逾期；及时率与更正次数决定统计人员考核是否合格；"
                      "采集费用于登记本年度信息采集费台账（已登记的金额不随之改变）。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(self.settings_message, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return tab

    def _show_settings(self, s: MonitoringSettings) -> None:
        self.due_day.setValue(s.due_day)
        self.pass_rate.setValue(round(s.pass_on_time_rate * 100, 1))
        self.max_corrections.setValue(s.pass_max_corrections)
        self.fee.setText(fen_to_wan_input(s.fee_fen))

    def save_settings(self) -> bool:
        issues: list = []
        fee = parse_wan_to_fen(self.fee.text(), "fee_fen", "信息采集费", allow_negative=False, issues=issues)
        if fee is None and not issues:
            issues.append(Issue("fee_fen", "请填写信息采集费（可为 0）"))
        try:
            if issues:
                raise ValidationFailed(issues)
            saved = self.monitoring.set_settings(MonitoringSettings(
                self.due_day.value(), round(self.pass_rate.value() / 100, 4), self.max_corrections.value(),
                int(fee)))  # type: ignore[arg-type]
        except ValidationFailed as refused:
            for key, box in self.settings_boxes.items():
                box.show_issues([i for i in refused.issues if i.field == key])
            self.settings_message.setText("设置未保存，请按提示修改。")
            self.settings_message.setStyleSheet(f"color: {RED};")
            return False
        for box in self.settings_boxes.values():
            box.show_issues([])
        self._show_settings(saved)
        self.settings_message.setText("已保存运行监测设置。")
        self.settings_message.setStyleSheet(f"color: {GREEN};")
        self.status_message.emit("已保存运行监测设置")
        self.refresh()
        return True
