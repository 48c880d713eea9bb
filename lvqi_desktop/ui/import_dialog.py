"""从Excel导入 dialog: choose a file, confirm the column mapping, preview every row, then import.

Reading, the dry run, the import and the report all run in the background with progress and 取消.
Statuses are coloured and always carry their word (新增 / 更新 / 无变化 / 有错误).
Hook: `ImportDialog(parent, services.imports).exec()`; after it, `dialog.imported` tells
whether anything was written (refresh the register then). The 导入 list switches between the kinds
ImportService takes (enterprises, pools, helpers, visits, demands; `kind=` preselects one). Monthly monitoring figures:
`ImportDialog(parent, services.monitoring_imports(), kind="monitoring").exec()` (one sheet per month;
rows whose figures differ from the recent months by over 50 % are imported only when 确认 is ticked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.import_kinds import KINDS
from lvqi_desktop.services.imports.monitoring import MonitoringImportService
from lvqi_desktop.services.imports.service import CONFIRM
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import STATUS_LABELS
from lvqi_desktop.services.imports.service import SUPPORTED
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import ImportPlan
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.sheets.column_mapping import mapping_problems
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.screen_fit import fit_to_screen
from lvqi_desktop.ui.write_guard import writes

NOT_IMPORTED = "（不导入）"
STATUS_COLOURS = {ERROR: "#F8D7DA", UPDATE: "#FFF3CD", NEW: "#D4EDDA", UNCHANGED: None, CONFIRM: "#FFE0B2"}
PREVIEW_HEADERS = ["行号", "结果", "统一社会信用代码", "企业名称", "说明（单元格：原因 / 原值 → 新值 / 整理）"]


def _details(r: Any) -> str:
    parts = [f"{c}：{m}" for c, m in r.errors]
    parts += [f"提醒 {c}：{m}" for c, m in r.warnings]
    parts += [f"待补充 {c}：{m}" for c, m in getattr(r, "pending", ())]
    parts += [f"{ch.cell} {ch.label}：{ch.old} → {ch.new}" for ch in r.changes]
    parts += [f"已整理 {c}：{m}" for c, m in r.notes]
    return "；".join(parts)


class PreviewModel(QAbstractTableModel):
    """The dry run's rows (100,000 rows stay fast: nothing is built until a cell is shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.headers = list(PREVIEW_HEADERS)

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(PREVIEW_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt override)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.row, r.status_label, r.uscc, r.name, _details(r))[col]
        if role == Qt.ItemDataRole.BackgroundRole and STATUS_COLOURS.get(r.status):
            return QColor(STATUS_COLOURS[r.status])
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return _details(r).replace("；", "\n")
        if role == Qt.ItemDataRole.UserRole:
            return r.status
        return None


class _StatusFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: invalidateFilter() is deprecated
            self.beginFilterChange()
            self.status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.status = status
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int,  # noqa: N802 (Qt override)
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.status is None:
            return True
        model = self.sourceModel()
        return model.data(model.index(source_row, 0), Qt.ItemDataRole.UserRole) == self.status


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, importer: ImportService | MonitoringImportService,
                 kind: str = "enterprises",
                 path: str | None = None) -> None:
        super().__init__(parent)
        self.importer = importer
        self.kind = KINDS[kind]
        self.monitoring = isinstance(importer, MonitoringImportService)
        self.layout_: SheetLayout | None = None
        self.plan: ImportPlan | None = None
        self.imported = False
        self.problems: list[str] = []  # why the current mapping cannot be used
        self.task: BackgroundTask | None = None
        self.setWindowTitle(f"从Excel导入：{self.kind.label}")
        self.resize(1040, 640)
        self._build()
        fit_to_screen(self)
        if path:
            self.load(path)

    # ---- building
    def _build(self) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("请选择要导入的Excel文件（.xlsx 或 .xls）")
        choose = QPushButton("选择文件…")
        choose.clicked.connect(self._choose_file)
        template = QPushButton("下载导入模板")
        template.clicked.connect(self._save_template)
        self.kind_combo = QComboBox()  # 企业 / 培育库记录 / 包联 / 走访 / 诉求; monitoring has its own importer
        for key in (self.kind.key,) if self.monitoring else SUPPORTED:
            self.kind_combo.addItem(KINDS[key].label, key)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(self.kind.key))
        self.kind_combo.setEnabled(not self.monitoring)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        top.addWidget(QLabel("导入："))
        top.addWidget(self.kind_combo)
        top.addWidget(QLabel("文件："))
        top.addWidget(self.file_edit, 1)
        top.addWidget(choose)
        top.addWidget(template)
        root.addLayout(top)
        self.info_label = QLabel("先选择文件。程序会按表头名称识别各列，请核对“列对应”后点“预览”。")
        self.info_label.setWordWrap(True)
        root.addWidget(self.info_label)

        self.tabs = QTabWidget()
        mapping_page = QWidget()
        mapping_box = QVBoxLayout(mapping_page)
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels(["列", "表中的表头", "对应字段", "年度 / 单位"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.setColumnWidth(3, 160)
        self.mapping_table.verticalHeader().setVisible(False)
        mapping_box.addWidget(self.mapping_table)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #B00020;")
        mapping_box.addWidget(self.problems_label)
        self.tabs.addTab(mapping_page, "1. 列对应")

        preview_page = QWidget()
        preview_box = QVBoxLayout(preview_page)
        filters = QHBoxLayout()
        self.summary_label = QLabel("尚未预览。")
        self.summary_label.setWordWrap(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部", None)
        for status in (ERROR, NEW, UPDATE, UNCHANGED, *((CONFIRM,) if self.monitoring else ())):
            self.status_filter.addItem(STATUS_LABELS[status], status)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        filters.addWidget(self.summary_label, 1)
        filters.addWidget(QLabel("显示："))
        filters.addWidget(self.status_filter)
        preview_box.addLayout(filters)
        self.preview_model = PreviewModel(self)
        self.proxy = _StatusFilter(self)
        self.proxy.setSourceModel(self.preview_model)
        self.preview_table = QTableView()
        self.preview_table.setModel(self.proxy)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((60, 120, 170, 240)):
            self.preview_table.setColumnWidth(col, width)
        self.preview_table.verticalHeader().setVisible(False)
        self._fit_preview_to_kind()
        preview_box.addWidget(self.preview_table)
        self.tabs.addTab(preview_page, "2. 预览")
        root.addWidget(self.tabs, 1)

        bottom = QHBoxLayout()
        self.all_or_nothing = QCheckBox("全部成功才导入（有任何一行错误就不导入）")
        self.preview_button = QPushButton("预览")
        self.preview_button.clicked.connect(self.preview)
        self.report_button = QPushButton("保存检查报告…")
        self.report_button.clicked.connect(self._save_report)
        self.import_button = writes(QPushButton("确认导入"))
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bottom.addWidget(self.all_or_nothing)
        self.confirm_warnings = QCheckBox("已核实：与近3个月平均相差超过50%的数值也导入")
        self.confirm_warnings.setVisible(self.monitoring)
        self.confirm_warnings.toggled.connect(lambda _: self.preview() if self.plan is not None else None)
        bottom.addWidget(self.confirm_warnings)
        bottom.addStretch(1)
        for b in (self.preview_button, self.report_button, self.import_button, close):
            bottom.addWidget(b)
        root.addLayout(bottom)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None
        self.kind_combo.setEnabled(not busy and not self.monitoring)
        self.preview_button.setEnabled(self.layout_ is not None and not busy and not self.problems)
        self.report_button.setEnabled(self.plan is not None and not busy)
        can_import = self.plan is not None and not busy and (self.plan.count(NEW) + self.plan.count(UPDATE)) > 0
        self.import_button.setEnabled(can_import)

    # ---- kind, file and mapping
    def set_kind(self, key: str) -> None:
        """Import another kind (the chosen file is read again for its columns)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(key))

    def _fit_preview_to_kind(self) -> None:
        """A kind without a USCC (双创基地) is matched by its name: no USCC column, and the name is not a firm's."""
        firms = any(f.key == "uscc" for f in self.kind.fields)
        self.preview_model.headers[3] = "企业名称" if firms else self.kind.field("name").header
        self.preview_table.setColumnHidden(2, not firms)
        self.preview_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 2, 3)

    def _kind_changed(self) -> None:
        self.kind = KINDS[self.kind_combo.currentData()]
        self.setWindowTitle(f"从Excel导入：{self.kind.label}")
        self._fit_preview_to_kind()
        self.layout_, self.plan = None, None
        self.mapping_table.setRowCount(0)
        self.preview_model.set_rows([])
        self.summary_label.setText("尚未预览。")
        if self.file_edit.text():
            self.load(self.file_edit.text())
        self._update_buttons()

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择要导入的Excel文件", "", "Excel 表格 (*.xlsx *.xlsm *.xls)")
        if chosen:
            self.load(chosen)

    def _save_template(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "保存导入模板", f"{self.kind.label}导入模板.xlsx",
                                                "Excel 工作簿 (*.xlsx)")
        if chosen:
            try:
                path = self.importer.write_template(self.kind.key, chosen)
            except (LvqiError, OSError) as exc:
                messages.show_error(self, str(exc))
                return
            messages.inform(self, f"已保存导入模板：{path}")

    def load(self, path: str) -> None:
        """Read the file in the background, then fill the mapping table."""
        self.file_edit.setText(path)
        self.plan = None
        self.preview_model.set_rows([])

        def done(layout: SheetLayout) -> None:
            self.task = None
            self.layout_ = layout
            self._fill_mapping(layout)
            notes = "；".join(layout.notes)
            self.info_label.setText(f"工作表“{layout.sheet.name}”，表头在第 {layout.header_row} 行"
                                    + (f"，第 {layout.units_row} 行是单位行" if layout.units_row else "")
                                    + (f"。{notes}" if notes else "") + "。请核对各列对应的字段，然后点“预览”。")
            self.tabs.setCurrentIndex(0)
            self._update_buttons()

        self.task = run_in_background(self, lambda p: self.importer.open_sheet(path, self.kind.key),
                                      title="正在读取Excel文件…", on_success=done, on_failure=self._failed)
        self._update_buttons()

    def _fill_mapping(self, layout: SheetLayout) -> None:
        table = self.mapping_table
        table.setRowCount(len(layout.columns))
        for row, c in enumerate(layout.columns):
            table.setItem(row, 0, QTableWidgetItem(c.letter))
            table.setItem(row, 1, QTableWidgetItem(c.header))
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, None)
            for f in self.kind.fields:
                combo.addItem(f.header, f.key)
            combo.setCurrentIndex(max(0, combo.findData(c.field)) if c.field else 0)
            combo.currentIndexChanged.connect(self._mapping_changed)
            table.setCellWidget(row, 2, combo)
            extra = "、".join(x for x in (f"{c.year}年" if c.year else "", f"单位：{c.unit}" if c.unit else "") if x)
            table.setItem(row, 3, QTableWidgetItem(extra))
            for col in (0, 1, 3):
                item = table.item(row, col)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.resizeColumnToContents(2)
        table.setColumnWidth(3, max(160, table.columnWidth(3)))
        self._mapping_changed()

    def field_combo(self, column_letter: str) -> QComboBox:
        for row in range(self.mapping_table.rowCount()):
            if self.mapping_table.item(row, 0).text() == column_letter:
                return self.mapping_table.cellWidget(row, 2)  # type: ignore[return-value]
        raise KeyError(column_letter)

    def set_field(self, column_letter: str, field_key: str | None) -> None:
        combo = self.field_combo(column_letter)
        combo.setCurrentIndex(max(0, combo.findData(field_key)) if field_key else 0)

    def current_layout(self) -> SheetLayout | None:
        if self.layout_ is None:
            return None
        mapping: dict[int, str | None] = {}
        for row, c in enumerate(self.layout_.columns):
            combo: QComboBox = self.mapping_table.cellWidget(row, 2)  # type: ignore[assignment]
            mapping[c.col] = combo.currentData()
        return self.layout_.with_mapping(mapping)

    def _mapping_changed(self) -> None:
        layout = self.current_layout()
        self.plan = None
        self.preview_model.set_rows([])
        self.summary_label.setText("列对应已改变，请重新预览。")
        self.problems = mapping_problems(layout, self.kind) if layout else []
        self.problems_label.setText("\n".join(self.problems))
        self._update_buttons()

    # ---- preview, report, import
    def preview(self) -> None:
        layout = self.current_layout()
        if layout is None:
            return
        path = self.file_edit.text()

        def done(plan: ImportPlan) -> None:
            self.task = None
            self.plan = plan
            self.preview_model.set_rows(plan.rows)
            self.summary_label.setText(plan.summary_text() + "。" + (
                "有错误的行不会导入，可保存检查报告，改好后再导入。" if plan.has_errors else "全部行都可以导入。"))
            self.tabs.setCurrentIndex(1)
            self._update_buttons()

        self.task = run_in_background(self, lambda p: self.importer.dry_run(path, self.kind.key, layout, p,
                                                                            **self._extra()),
                                      title="正在检查数据…", on_success=done, on_failure=self._failed)
        self._update_buttons()

    def _filter_changed(self) -> None:
        self.proxy.set_status(self.status_filter.currentData())

    def _save_report(self) -> None:
        if self.plan is None:
            return
        suggested = str(Path(self.file_edit.text()).with_name(Path(self.file_edit.text()).stem + "-检查报告.xlsx"))
        chosen, _ = QFileDialog.getSaveFileName(self, "保存检查报告", suggested, "Excel 工作簿 (*.xlsx)")
        if chosen:
            self.save_report(chosen)

    def save_report(self, path: str) -> None:
        plan = self.plan

        def done(written: Path) -> None:
            self.task = None
            self._update_buttons()
            messages.inform(self, f"已保存检查报告：{written}（有错误的行已标红）")

        self.task = run_in_background(self, lambda p: self.importer.save_report(plan, path, p),  # type: ignore[arg-type]
                                      title="正在保存检查报告…", on_success=done, on_failure=self._failed)
        self._update_buttons()

    def start_import(self) -> None:
        layout = self.current_layout()
        if layout is None or self.plan is None:
            return
        plan, path, strict = self.plan, self.file_edit.text(), self.all_or_nothing.isChecked()
        if strict and plan.has_errors:
            messages.show_error(self, f"有 {plan.count(ERROR):,} 行有错误。已选择“全部成功才导入”，因此不能导入。"
                                      "请保存检查报告，改好后重新导入。")
            return
        if not messages.confirm(self, f"{plan.summary_text()}。\n导入前会自动备份数据。"
                                      + ("有错误的行将被跳过。" if plan.has_errors else "") + "确认导入吗？",
                                default_yes=True):
            return
        self.importer.remember_mapping(self.kind.key, layout)

        def done(result: Any) -> None:
            self.task = None
            self.imported = True
            self.plan = None
            self._update_buttons()
            unit = "家" if self.kind.key == "enterprises" else "条"
            text = (f"已导入：新增 {result.added:,} {unit}，更新 {result.updated:,} {unit}，无变化 {result.unchanged:,} {unit}"
                    + (f"，跳过有错误的 {result.skipped:,} 行" if result.skipped else "") + "。"
                    + (f"导入前已备份：{result.backup.name}" if result.backup else ""))
            self.summary_label.setText(text)
            messages.inform(self, text)

        self.task = run_in_background(
            self, lambda p: self.importer.apply(path, self.kind.key, plan.layout, all_or_nothing=strict,
                                               progress=p, plan=plan, **self._extra()),
            title="正在导入…", on_success=done, on_failure=self._failed)
        self._update_buttons()

    def _extra(self) -> dict[str, bool]:
        return {"confirm_warnings": self.confirm_warnings.isChecked()} if self.monitoring else {}

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._update_buttons()
        if isinstance(exc, Cancelled):
            self.summary_label.setText(str(exc))
        elif isinstance(exc, LvqiError):
            messages.show_error(self, exc)
        else:
            raise exc


def import_into_page(page: Any, kind: str, data_kind: str) -> bool:
    """A list page's 导入Excel: the dialog on `kind`; after an import, tell the other pages and reload this one."""
    dialog = ImportDialog(page, page.services.imports, kind=kind)
    dialog.exec()
    if dialog.imported:
        page.data_changed.emit(data_kind)
        page.refresh()
    return dialog.imported
