"""The password of a copy made with 备份到… (optional, typed twice) and of a locked copy being restored."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QWidget

MIN_PASSWORD = 8


class PasswordDialog(QDialog):
    """`twice`: a new password (may be left empty: no encryption); else the password of a locked copy."""

    def __init__(self, parent: QWidget | None, *, twice: bool) -> None:
        super().__init__(parent)
        self.twice = twice
        self.setWindowTitle("为副本设置密码" if twice else "输入备份的密码")
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        note = ("副本含有企业联系人、电话等个人信息。设置密码后，没有密码的人无法打开；"
                "恢复时要输入同一密码，忘记密码就无法恢复。留空则不加密。" if twice
                else "这份备份设置了密码，请输入备份时设置的密码。")
        label = QLabel(note)
        label.setWordWrap(True)
        form.addRow(label)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("密码", self.password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if twice:
            form.addRow("再输一次", self.again)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        text = self.password.text()
        if self.twice and text and len(text) < MIN_PASSWORD:
            self.problem.setText(f"密码至少 {MIN_PASSWORD} 位。")
            return
        if self.twice and text != self.again.text():
            self.problem.setText("两次输入的密码不一致。")
            return
        if not self.twice and not text:
            self.problem.setText("请输入密码。")
            return
        super().accept()


def ask_password(parent: QWidget | None, *, twice: bool) -> str | None:
    """The password typed (\"\" for none when `twice`), or None when cancelled; tests replace this."""
    dialog = PasswordDialog(parent, twice=twice)
    return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
