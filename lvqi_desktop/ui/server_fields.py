"""The city server's address and password as typed, with 测试连接 (设置 and the first-run set-up)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.startup import try_server
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background


class ServerFields(QWidget):
    """Address, password (never shown back) and 测试连接; callers add their own buttons to `buttons`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("postgresql://角色名@服务器地址:5432/lvqi")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("密码（不会显示，也不写入日志）")
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.test_button)
        self.buttons.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("服务器地址：", self.address_edit)
        form.addRow("密码：", self.password_edit)
        form.addRow("", self.buttons)

    def typed(self) -> tuple[str, str]:
        return self.address_edit.text(), self.password_edit.text()

    def clear(self) -> None:
        self.address_edit.clear()
        self.password_edit.clear()

    def test(self) -> None:
        """The connection test of the typed address, in a worker; the answer in a box."""
        address, password = self.typed()
        if not address.strip():
            messages.inform(self, "请先填写服务器地址。", "数据库服务器")
            return
        run_in_background(self, lambda _progress: try_server(address, password), title="正在连接数据库服务器…",
                          read_only=True, on_success=lambda found: messages.inform(self, str(found), "服务器连接正常"),
                          on_failure=lambda error: messages.show_error(self, error, "连不上数据库服务器"))
