"""Choosing one enterprise by search (name, pinyin initials or USCC fragment), and the form field that uses it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.list_table import select_rows
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel

SHOW_AT_MOST = 200


def picker_columns() -> list[Column[EnterpriseRow]]:
    return [Column("企业名称", lambda r: r.name, collate=True, width=18),
            Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=11),
            Column("乡镇（街道）", lambda r: r.township_name, collate=True, width=7),
            Column("联系人", lambda r: r.contact_person, collate=True, width=4)]


class EnterprisePickerDialog(QDialog):
    """Search the register and pick one enterprise; `chosen` holds it after accept()."""

    def __init__(self, services: Services, parent: QWidget | None = None, initial_search: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("选择企业")
        self._services = services
        self.chosen: EnterpriseRow | None = None
        self.search_edit = QLineEdit(initial_search)
        self.search_edit.setPlaceholderText("名称、拼音首字母或信用代码")
        self.search_edit.setClearButtonEnabled(True)
        self.model: RowTableModel[EnterpriseRow] = RowTableModel(picker_columns(), parent=self)
        self.list = ListTable(self.model, "enterprise_picker/header")
        self.list.row_activated.connect(self._choose)
        self.list.selection_changed.connect(self._update_ok)
        self.count_label = QLabel()
        self.ok_button = QPushButton("选择")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(lambda: self._choose(self.list.current_row()))
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("查找"))
        top.addWidget(self.search_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._on_return)
        self.resize(760, 480)
        self.search()

    def search(self) -> None:
        """Ask the register which enterprises match and show the first ones."""
        self._timer.stop()
        text = self.search_edit.text().strip()
        ids = self._services.enterprises.matching_ids(EnterpriseFilter(search=text))
        self.model.set_rows(self._services.enterprises.rows_by_ids(ids[:SHOW_AT_MOST]))
        more = f"，仅显示前 {SHOW_AT_MOST:,} 家，请输入更多字缩小范围" if len(ids) > SHOW_AT_MOST else ""
        self.count_label.setText(f"找到 {len(ids):,} 家{more}")
        if text:
            self.list.set_empty_text("没有符合的企业。请换个关键词，或先在企业库中新增该企业。")
        else:
            self.list.set_empty_text("企业库中还没有企业。请先在“企业库”中新增或从Excel导入。")
        self.list.update_empty()
        if self.model.rowCount():
            select_rows(self.list.table, [0])
        self._update_ok()

    def _on_return(self) -> None:
        self.search()
        if self.model.rowCount() == 1:
            self._choose(self.model.row_at(0))

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.list.current_row() is not None)

    def _choose(self, row: EnterpriseRow | None) -> None:
        if row is not None:
            self.chosen = row
            self.accept()


class EnterpriseField(QWidget):
    """A form field holding one enterprise: its name, and 选择… to pick another."""

    edited = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None, allow_clear: bool = False) -> None:
        super().__init__(parent)
        self._services = services
        self.enterprise_id: int | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setReadOnly(True)
        self.name_edit.setPlaceholderText("点击“选择…”查找企业")
        self.name_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 16)
        self.pick_button = QPushButton("选择…")
        self.pick_button.setAutoDefault(False)
        self.pick_button.clicked.connect(self.pick)
        self.clear_button = QPushButton("清除")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(lambda: self.set_enterprise(None, ""))
        self.clear_button.setVisible(allow_clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_edit, 1)
        layout.addWidget(self.pick_button)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.pick_button)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def field_value(self) -> int | None:
        return self.enterprise_id

    def set_enterprise(self, enterprise_id: int | None, name: str) -> None:
        changed = enterprise_id != self.enterprise_id
        self.enterprise_id = enterprise_id
        self.name_edit.setText(name if enterprise_id is not None else "")
        self.clear_button.setEnabled(enterprise_id is not None)
        if changed:
            self.edited.emit()

    def pick(self) -> None:
        dialog = EnterprisePickerDialog(self._services, self)
        if run_dialog(dialog) and dialog.chosen is not None:
            self.set_enterprise(dialog.chosen.id, dialog.chosen.name)
