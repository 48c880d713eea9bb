"""Who is working: pick an operator name at start-up (or type a new one)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.dialog_buttons import accept_cancel_row
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import form_label

_LAST_KEY = "operator/last"


class OperatorDialog(QDialog):
    """An editable list of operator names; a new name is added to the office's operators on OK."""

    def __init__(self, services: Services, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.operator: str | None = None
        self.setWindowTitle("选择操作员")
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(names)
        self.combo.lineEdit().setPlaceholderText("输入姓名")
        info = services.office_info()
        last = QSettings().value(_LAST_KEY) or (info.default_preparer if info else "")
        if last in names:
            self.combo.setCurrentText(str(last))
        self.box = FieldBox(self.combo)
        note = QLabel("本次的新增和修改将记在该操作员名下。不在列表中的姓名可直接输入，将自动添加。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(form_label("操作员", True), self.box)
        buttons = accept_cancel_row(self, QPushButton("确定"))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(400, 160)

    def accept(self) -> None:
        name = self.combo.currentText().strip()
        try:
            self.operator = self._services.office.add_operator(name)
        except ValidationFailed as refused:
            self.box.show_issues(refused.issues)
            return
        QSettings().setValue(_LAST_KEY, self.operator)
        super().accept()


def choose_operator(services: Services, parent: QWidget | None = None) -> str | None:
    """The operator for this session: the only one without asking, else the user's choice; None if cancelled."""
    names = services.office.operators()
    if len(names) == 1:
        return names[0]
    dialog = OperatorDialog(services, names, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.operator
