"""The returns page (报表): pick returns, period, formats, preparer and folder; export in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtCore import QStandardPaths
from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.returns.service import ExportResult
from lvqi_desktop.services.returns.service import last_finished_quarter
from lvqi_desktop.services.returns.service import unfinished_warning
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.start_folder import remember_folder
from lvqi_desktop.ui.start_folder import start_folder

KINDS = (("month", "月报"), ("quarter", "季报"), ("year", "年报"))
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
_FOLDER_KEY = "returns/last_folder"
_ERROR_STYLE = "color: #b3261e;"
_WARN_STYLE = "color: #8a5a00;"


class ReturnsPage(Page):
    """Built with the services bundle only; every piece of work goes through services.returns."""

    title = "报表"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.task: BackgroundTask | None = None
        self.result: ExportResult | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self._catalogue_box(), 3)
        layout.addLayout(self._options(), 2)
        self.refresh()

    # ---- building
    def _catalogue_box(self) -> QGroupBox:
        box = QGroupBox("选择报表")
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        for entry in self.services.returns.catalogue():
            item = QListWidgetItem(f"{entry.title}（{entry.periods_label}）\n{entry.definition.description}")
            item.setData(Qt.ItemDataRole.UserRole, entry.return_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.definition.period_kinds)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(entry.definition.description)
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self._update_state())
        everything, nothing = QPushButton("全选"), QPushButton("全不选")
        everything.clicked.connect(lambda: self._check_all(True))
        nothing.clicked.connect(lambda: self._check_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(everything)
        buttons.addWidget(nothing)
        buttons.addStretch(1)
        self.by_county_note = QLabel("按县区汇总：汇总表每个县（市、区）一行并附全市合计；台账按县（市、区）分组。"
                                     "同一企业被两个县区填报的，全市合计只计一次。")
        self.by_county_note.setWordWrap(True)
        column = QVBoxLayout(box)
        column.addWidget(self.by_county_note)
        column.addWidget(self.list)
        column.addLayout(buttons)
        return box

    def _options(self) -> QVBoxLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年")
        self.part = QComboBox()
        period_row = QHBoxLayout()
        for widget in (self.kind, self.year, self.part):
            period_row.addWidget(widget)
        form.addRow("期别：", period_row)
        self.period_note = QLabel()
        self.period_note.setWordWrap(True)
        form.addRow("", self.period_note)
        self.xlsx, self.pdf = QCheckBox("Excel（xlsx，每张报表一个工作表）"), QCheckBox("PDF（每张报表一个文件）")
        self.xlsx.setChecked(True)
        self.pdf.setChecked(True)
        formats = QVBoxLayout()
        formats.addWidget(self.xlsx)
        formats.addWidget(self.pdf)
        form.addRow("格式：", formats)
        self.preparer, self.reviewer = QLineEdit(), QLineEdit()
        self.reviewer.setPlaceholderText("留空则用“设置”中的统计负责人，或打印后手签")
        form.addRow("填表人：", self.preparer)
        form.addRow("统计负责人：", self.reviewer)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("可以是U盘")
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form.addRow("保存到：", folder_row)
        self.export_button = QPushButton("导出")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_file, self.open_folder = QPushButton("打开文件"), QPushButton("打开所在文件夹")
        self.open_file.clicked.connect(lambda: self._open(first_file=True))
        self.open_folder.clicked.connect(lambda: self._open(first_file=False))
        opens = QHBoxLayout()
        opens.addWidget(self.open_file)
        opens.addWidget(self.open_folder)
        opens.addStretch(1)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.outcome)
        column.addLayout(opens)
        column.addStretch(1)
        for signal in (self.kind.currentIndexChanged, self.year.valueChanged, self.part.currentIndexChanged):
            signal.connect(self._on_period_changed)
        for signal in (self.xlsx.toggled, self.pdf.toggled, self.folder.textChanged):
            signal.connect(self._update_state)
        return column

    # ---- state
    def refresh(self) -> None:
        opening = last_finished_quarter(clock.today())  # as 数据报送 does: the last period that has ended
        self.kind.setCurrentIndex(1)
        self.year.setValue(opening.year)
        self._fill_parts()
        self.part.setCurrentIndex(opening.number - 1)
        self.preparer.setText(self.services.returns.default_preparer())
        self.by_county_note.setVisible(self.services.returns.by_county())
        self.folder.setText(str(QSettings().value(_FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)))
        self._show_outcome("", [])
        self._on_period_changed()

    def _fill_parts(self) -> None:
        kind = self.kind.currentData()
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "month":
            self.part.addItems([f"{m} 月" for m in range(1, 13)])
        elif kind == "quarter":
            self.part.addItems(list(QUARTERS))
        self.part.setVisible(kind != "year")
        self.part.blockSignals(False)

    def period_code(self) -> str:
        kind, year, part = self.kind.currentData(), self.year.value(), self.part.currentIndex() + 1
        if kind == "month":
            return f"{year}-{part:02d}"
        return f"{year}Q{part}" if kind == "quarter" else str(year)

    def _on_period_changed(self) -> None:
        if self.sender() is self.kind:
            self._fill_parts()
            self.part.setCurrentIndex(0)
        self._update_state()

    def checked_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _check_all(self, on: bool) -> None:
        kind = self.kind.currentData()
        for i in range(self.list.count()):
            item = self.list.item(i)
            fits = kind in item.data(Qt.ItemDataRole.UserRole + 1)
            item.setCheckState(Qt.CheckState.Checked if on and fits else Qt.CheckState.Unchecked)

    def _period_problem(self) -> str:
        """'' when the period is fine for every checked return, else what is wrong, in Chinese."""
        self._unfinished = False
        try:
            period = self.services.returns.period(self.period_code())
        except LvqiError as exc:
            return str(exc)
        kind = period.kind
        refused = [self.list.item(i).text().split("（")[0] for i in range(self.list.count())
                   if self.list.item(i).checkState() == Qt.CheckState.Checked
                   and kind not in self.list.item(i).data(Qt.ItemDataRole.UserRole + 1)]
        if refused:
            return f"《{'》《'.join(refused)}》不能按{dict(KINDS)[kind]}导出，请取消勾选或改选期别。"
        warning = unfinished_warning(period, clock.today())
        self._unfinished = bool(warning)
        self.period_note.setText(f"{period.label}（{period.start.isoformat()} 至 {period.end.isoformat()}）"
                                 + "".join(f"\n注意：{w}" for w in warning))
        return ""

    def _update_state(self) -> None:
        problem = self._period_problem()
        if problem:
            self.period_note.setText(problem)
        self.period_note.setStyleSheet(_ERROR_STYLE if problem else _WARN_STYLE if self._unfinished else "")
        ready = (not problem and bool(self.checked_ids()) and (self.xlsx.isChecked() or self.pdf.isChecked())
                 and bool(self.folder.text().strip()) and self.task is None)
        self.export_button.setEnabled(ready)

    def _choose_folder(self) -> None:
        chosen = remember_folder(QFileDialog.getExistingDirectory(self, "选择保存报表的文件夹（可以是U盘）",
                                                          start_folder(self.folder.text())))
        if chosen:
            self.folder.setText(chosen)

    # ---- exporting
    def export(self) -> BackgroundTask | None:
        """Export the checked returns in the background; the progress dialog's 取消 stops it cleanly."""
        ids = self.checked_ids()
        if not ids:
            messages.show_error(self, "请至少勾选一张报表。")
            return None
        formats = [f for f, box in (("xlsx", self.xlsx), ("pdf", self.pdf)) if box.isChecked()]
        period, folder = self.period_code(), self.folder.text().strip()
        preparer, reviewer = self.preparer.text(), self.reviewer.text()
        QSettings().setValue(_FOLDER_KEY, folder)
        self._show_outcome("", [])

        def work(progress: Progress) -> ExportResult:
            return self.services.returns.export(ids, period, formats, folder, preparer, reviewer, progress)

        self.task = run_in_background(self, work, title="正在导出报表…", on_success=self._on_exported,
                                      on_failure=self._on_failed)
        self._update_state()
        return self.task

    def _on_exported(self, result: ExportResult) -> None:
        self.task, self.result = None, result
        self._show_outcome(result.summary, list(result.warnings))
        self.status_message.emit(result.summary)
        self._update_state()

    def _on_failed(self, exc: BaseException) -> None:
        self.task = None
        self._update_state()
        if isinstance(exc, Cancelled):
            self._show_outcome(str(exc), [])
        elif isinstance(exc, LvqiError):
            messages.show_error(self, exc, "报表没有导出")
        else:
            raise exc

    def _show_outcome(self, sentence: str, warnings: list[str]) -> None:
        text = sentence + "".join(f"\n注意：{w}" for w in warnings)
        self.outcome.setText(text)
        self.outcome.setStyleSheet(_WARN_STYLE if warnings else "")
        done = bool(sentence) and self.result is not None and sentence == self.result.summary
        self.open_file.setVisible(done)
        self.open_folder.setVisible(done)

    def _open(self, first_file: bool) -> None:
        if self.result is None or not self.result.paths:
            return
        path: Path = self.result.paths[0]
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path if first_file else path.parent)))
