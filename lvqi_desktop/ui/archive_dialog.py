"""Confirmation before archiving enterprises, with an optional reason (归档原因)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.ui.dialog_buttons import accept_cancel_row
from lvqi_desktop.ui.write_guard import writes

COMMON_REASONS = ["已注销", "已吊销", "迁出本县（市、区）", "重复登记", "录入错误"]


class ArchiveDialog(QDialog):
    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("归档企业")
        who = f"“{names[0]}”" if len(names) == 1 else f"选中的 {len(names):,} 家企业（{names[0]} 等）"
        text = QLabel(f"确定将{who}归档吗？\n归档后不再出现在在册名单中，记录不会删除，可随时在“已归档”中恢复。")
        text.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems([""] + COMMON_REASONS)
        self.reason.lineEdit().setPlaceholderText("可不填，可从列表选择或直接输入")
        self.reason.lineEdit().setMaxLength(200)
        form = QFormLayout()
        form.addRow("归档原因：", self.reason)
        buttons = accept_cancel_row(self, writes(QPushButton("归档")))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(460, 170)


def ask_archive_reason(parent: QWidget | None, names: list[str]) -> str | None:
    """The reason typed (possibly empty) if the user confirms, None if they cancel."""
    dialog = ArchiveDialog(names, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.currentText().strip()
