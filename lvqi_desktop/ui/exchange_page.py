"""数据报送: the county makes packages and reads receipts; the city imports packages (dry run first),
sees who has sent, and writes receipts. Long work runs through ui/background.run_in_background."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QInputDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import SUFFIX
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.exchange.receipt import RECEIPT_SUFFIX
from lvqi_desktop.models.exchange import SENT_LABELS
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.county_comparison import package_period
from lvqi_desktop.services.exchange.rows import STATUS_LABELS
from lvqi_desktop.services.exchange.rows import CountyPlan
from lvqi_desktop.services.exchange.rows import ExportedPackage
from lvqi_desktop.services.exchange.rows import ImportPlan
from lvqi_desktop.services.exchange.rows import ImportResult
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.key_dialog import KeyDialog
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.period_choices import quarter_choices
from lvqi_desktop.ui.period_choices import year_choices
from lvqi_desktop.ui.start_folder import remember_folder
from lvqi_desktop.ui.start_folder import start_folder
from lvqi_desktop.ui.write_guard import writes

DECISIONS = [("accepted", "接收"), ("accepted_with_remarks", "接收但有意见"), ("rejected", "退回")]


def _table(headers: Sequence[str], stretch: int = -1) -> QTableWidget:
    """A read-only table; `stretch` is the column that takes the spare width (default: the last)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch < 0:
        table.horizontalHeader().setStretchLastSection(True)
    else:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]], empty: str = "") -> None:
    """Rows as text (numbers right-aligned); with no rows, one greyed line saying what to do next."""
    table.clearSpans()
    if not rows and empty:
        table.setRowCount(1)
        hint = QTableWidgetItem(empty)
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        table.setItem(0, 0, hint)
        table.setSpan(0, 0, 1, table.columnCount())
        return
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _period_combo(today: date) -> QComboBox:
    """Quarters and years, starting on the quarter packages are due for now (the one 各县对比 chases)."""
    combo = QComboBox()
    for code, label in [*quarter_choices(today, 8), *year_choices(today, 3)]:
        combo.addItem(label, code)
    combo.setCurrentIndex(max(0, combo.findData(package_period(today).code)))
    return combo


def _who(c: CountyPlan) -> str:
    """Which package a note is about: county, period and sequence (two packages of one county differ by it)."""
    return f"{c.county_name}{c.period}（序号 {c.sequence}）" if c.county_name and c.sequence else c.file.name


class ExchangePage(Page):
    title = "数据报送"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.exchange = services.exchange
        info = services.office_info()
        self.is_city = bool(info and info.is_city)
        self.plan: ImportPlan | None = None
        layout = QVBoxLayout(self)
        if self.is_city:
            self._build_city(layout)
            self.setAcceptDrops(True)
        else:
            self._build_county(layout)
        self.refresh()

    # ---- county
    def _build_county(self, layout: QVBoxLayout) -> None:
        box = QGroupBox("生成报送包")
        row = QHBoxLayout(box)
        self.period_combo = _period_combo(self.services.demands.today())
        self.period_combo.currentIndexChanged.connect(lambda _i: self._show_lock())
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("选择U盘或文件夹")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._choose_folder)
        self.export_button = writes(QPushButton("生成报送包"))
        self.export_button.clicked.connect(self.export_package)
        for w in (QLabel("期别"), self.period_combo, QLabel("保存到"), self.folder_edit, browse, self.export_button):
            row.addWidget(w)
        layout.addWidget(box)
        lock_row = QHBoxLayout()
        self.lock_label = QLabel()
        self.reopen_button = writes(QPushButton("重新打开本期…"))
        self.reopen_button.clicked.connect(self._reopen)
        lock_row.addWidget(self.lock_label, 1)
        lock_row.addWidget(self.reopen_button)
        layout.addLayout(lock_row)
        head = QHBoxLayout()
        head.addWidget(QLabel("已生成的报送包与市中心回执"), 1)
        receipt = writes(QPushButton("导入回执…"))
        receipt.clicked.connect(self._choose_receipt)
        head.addWidget(self._keys_button())
        head.addWidget(receipt)
        layout.addLayout(head)
        self.sent_table = _table(["期别", "序号", "生成时间", "回执", "意见", "数据指纹", "文件"])
        layout.addWidget(self.sent_table, 1)

    def _keys_button(self) -> QPushButton:
        button = QPushButton("密钥登记…")
        button.setToolTip("本机公钥的指纹；登记对方的公钥（电话核对指纹）")
        button.clicked.connect(self.open_keys)
        return button

    def open_keys(self) -> KeyDialog:
        dialog = KeyDialog(self.services, self)
        dialog.open()
        return dialog

    def _choose_folder(self) -> None:
        folder = remember_folder(QFileDialog.getExistingDirectory(self, "选择保存报送包的文件夹（如U盘）",
                                                         start_folder(self.folder_edit.text())))
        if folder:
            self.folder_edit.setText(folder)

    def export_package(self) -> None:
        period, folder = self.period_combo.currentData(), self.folder_edit.text().strip()
        if not folder:
            messages.show_error(self, "请先选择保存报送包的文件夹（如U盘）。")
            return
        run_in_background(self, lambda p: self.exchange.export_package(period, folder, progress=p),
                          title="正在生成报送包", on_success=self._exported)

    def _exported(self, made: ExportedPackage) -> None:
        text = made.summary + ("\n\n" + "\n".join(made.warnings) if made.warnings else "")
        messages.inform(self, text, "报送包已生成")
        self.status_message.emit(f"报送包已生成：{made.path.name}" + (f"（{made.note}）" if made.note else ""))
        self.refresh()

    def _choose_receipt(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择市中心的回执", start_folder(), "回执 (*.lvqi-receipt)")
        remember_folder(path)
        if path:
            self.import_receipt(path)

    def import_receipt(self, path: str) -> None:
        try:
            text = self.exchange.import_receipt(path)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        messages.inform(self, text, "回执已导入")
        self.refresh()

    def _show_lock(self) -> None:
        period = self.period_combo.currentData()
        locked = bool(period) and self.exchange.is_period_locked(period)
        self.lock_label.setText(f"{self.period_combo.currentText()}已被市中心接收，本期数据已锁定。" if locked else "")
        self.reopen_button.setVisible(locked)

    def _reopen(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(self, "重新打开本期", "请填写重新打开的理由（必填）：")
        if not ok:
            return
        try:
            self.exchange.reopen_period(self.period_combo.currentData(), reason)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        self.refresh()

    # ---- city
    def _build_city(self, layout: QVBoxLayout) -> None:
        head = QHBoxLayout()
        choose = QPushButton("导入报送包…")
        choose.clicked.connect(self._choose_packages)
        self.apply_button = writes(QPushButton("确认导入"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_plan)
        head.addWidget(QLabel("选择或拖入各县区的报送包（.lvqi），先比对，再确认导入。"), 1)
        head.addWidget(self._keys_button())
        head.addWidget(choose)
        head.addWidget(self.apply_button)
        layout.addLayout(head)
        self.plan_table = _table(["文件", "县区", "期别", "序号", "结果", "新增", "修改", "注销", "未变", "数据指纹"], 0)
        layout.addWidget(self.plan_table, 2)
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setPlaceholderText("拒绝原因、提示和跨县区重复企业在这里列出")
        layout.addWidget(self.notes, 1)
        status_head = QHBoxLayout()
        self.status_period = _period_combo(self.services.demands.today())
        self.status_period.currentIndexChanged.connect(lambda _i: self._show_status())
        receipt = writes(QPushButton("出具回执…"))
        receipt.clicked.connect(self._write_receipt)
        status_head.addWidget(QLabel("各县区报送情况"))
        status_head.addWidget(self.status_period)
        status_head.addStretch(1)
        status_head.addWidget(receipt)
        layout.addLayout(status_head)
        self.status_table = _table(["县区", "状态", "序号", "收到时间"])
        layout.addWidget(self.status_table, 2)

    def _choose_packages(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, "选择报送包", start_folder(), f"报送包 (*{SUFFIX})")
        remember_folder(paths[0] if paths else "")
        if paths:
            self.check_packages(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt)
        if self.is_city and any(u.toLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt)
        self.drop_files([u.toLocalFile() for u in event.mimeData().urls() if u.toLocalFile()])

    def drop_files(self, files: Sequence[str]) -> None:
        """Dropped packages are checked; anything else is named, so a drop never silently does nothing."""
        paths = [f for f in files if f.lower().endswith(SUFFIX)]
        if paths:
            self.check_packages(paths)
        elif any(f.lower().endswith(RECEIPT_SUFFIX) for f in files):
            messages.show_error(self, "拖入的是回执（.lvqi-receipt），不是报送包。回执由县区在本页“导入回执…”导入；"
                                      "这里请拖入各县区的“…数据报送包.lvqi”文件。")
        elif files:
            messages.show_error(self, "只能拖入报送包（文件名以 .lvqi 结尾，如“吕梁市-离石区-2026Q3-数据报送包.lvqi”）。")

    def check_packages(self, paths: Sequence[str]) -> None:
        """The dry run: nothing is written until 确认导入."""
        run_in_background(self, lambda p: self.exchange.dry_run(list(paths), p), title="正在校验和比对报送包",
                          on_success=self._show_plan)

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        rows = []
        for c in plan.counties:
            t = c.total
            rows.append([c.file.name, c.county_name, c.period, c.sequence or None, STATUS_LABELS[c.status],
                         t.new, t.changed, t.removed, t.unchanged,
                         short_fingerprint(c.fingerprint) if c.fingerprint else ""])
        _fill(self.plan_table, rows)
        notes = [f"拒绝：{_who(c)}：{r}" for c in plan.counties for r in c.refusals]
        notes += [f"提示：{_who(c)}：{w}" for c in plan.counties for w in c.warnings]
        notes += [f"跨县区重复：{w}" for w in plan.cross_county]
        self.notes.setPlainText("\n".join([plan.summary, *notes]))
        self.apply_button.setEnabled(bool(plan.to_apply))

    def apply_plan(self) -> None:
        if self.plan is None or not self.plan.to_apply:
            return
        plan = self.plan
        names = "、".join(f"{c.county_name}{c.period}" for c in plan.to_apply)
        if not messages.confirm(self, f"确认导入 {len(plan.to_apply)} 个报送包（{names}）？导入前会自动备份。"):
            return
        run_in_background(self, lambda p: self.exchange.apply(plan, p), title="正在导入报送包",
                          on_success=self._applied)

    def _applied(self, result: ImportResult) -> None:
        self.plan = None
        self.apply_button.setEnabled(False)
        messages.inform(self, result.summary, "导入完成")
        self.status_message.emit(result.summary)
        self.data_changed.emit("enterprise")
        self.refresh()

    def _show_status(self) -> None:
        rows = self.exchange.submission_status(self.status_period.currentData())
        _fill(self.status_table, [[s.county_name, s.status_label, s.sequence, (s.received_at or "").replace("T", " ")]
                                  for s in rows])

    def _show_conflicts(self, conflicts: list[str]) -> None:
        if isValid(self) and self.plan is None:  # the page may have closed while we looked
            self.notes.setPlainText("\n".join(f"跨县区重复：{w}" for w in conflicts))

    def _write_receipt(self) -> None:
        row = self.status_table.currentRow()
        period = self.status_period.currentData()
        if row < 0:
            messages.show_error(self, "请先在报送情况中选中一个已报送的县区。")
            return
        county = self.status_table.item(row, 0).text()
        received = [r for r in self.exchange.received(period) if r.county_name == county and r.status == "current"]
        if not received:
            messages.show_error(self, f"{county}本期还没有报送，不能出具回执。")
            return
        labels = [label for _code, label in DECISIONS]
        label, ok = QInputDialog.getItem(self, "出具回执", f"{county}{period}（序号 {received[0].sequence}）的结论：",
                                         labels, 0, False)
        if not ok:
            return
        decision = DECISIONS[labels.index(label)][0]
        remarks = ""
        if decision != "accepted":
            remarks, ok = QInputDialog.getMultiLineText(self, "出具回执", "意见或退回理由（每行一条，必填）：")
            if not ok:
                return
        folder = remember_folder(QFileDialog.getExistingDirectory(self, "选择保存回执的文件夹", start_folder()))
        if folder:
            self.write_receipt(received[0].package_uuid, decision, remarks.splitlines(), folder)

    def write_receipt(self, package_uuid: str, decision: str, remarks: list[str], folder: str) -> None:
        try:
            path = self.exchange.write_receipt(package_uuid, decision, remarks, folder)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        messages.inform(self, f"回执已保存：{path}\n请把它交给县区导入。", "回执已出具")
        self.refresh()

    # ---- Page
    def refresh(self) -> None:
        if self.is_city:
            self._show_status()
            if self.plan is None:  # between dry runs: the merged data's open cross-county claims (½ s at city scale)
                run_in_background(self, lambda _p: self.exchange.cross_county_conflicts(), title="正在检查跨县区重复",
                                  on_success=self._show_conflicts, show_dialog=False, read_only=True)
            return
        rows = [[p.period, p.sequence, p.created_at.replace("T", " "), p.receipt or SENT_LABELS.get(p.status, p.status),
                 p.receipt_remarks, short_fingerprint(p.fingerprint), p.file_path] for p in self.exchange.sent_packages()]
        _fill(self.sent_table, rows, "还没有生成过报送包。选择期别和保存位置（如U盘），点击“生成报送包”。")
        self._show_lock()
