"""The settings page (设置): office identity, operators, where the data lives, and what returns print."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QInputDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.startup import forget_server
from lvqi_desktop.services.startup import remember_server
from lvqi_desktop.services.startup import saved_server
from lvqi_desktop.services.startup import server_address
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.conditions_section import ConditionsSection
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import selectable_label
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.return_form_section import ReturnFormSection
from lvqi_desktop.ui.screen_fit import scrolled_column
from lvqi_desktop.ui.server_fields import ServerFields
from lvqi_desktop.ui.setup_dialog import SetupDialog
from lvqi_desktop.ui.write_guard import writes

DATA_FOLDER_NOTE = (
    "本单位的全部台账、自动备份和日志都保存在这个文件夹里（它在哪里、为什么放在这里，见下面“数据位置与备份”一节）。"
    "请不要把它移到U盘或网络共享盘上使用。需要换电脑、转移或留存时，请用“文件 → 备份到…”生成单个文件。")
SERVER_DATA_FOLDER_NOTE = (
    "台账在数据库服务器上（见下面“数据位置与备份”一节），由信息科用 pg_dump 备份；这个文件夹只保存本机的日志、"
    "界面设置、收到的报送包和本机密钥。")


class SettingsPage(Page):
    title = "设置"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._sections = QVBoxLayout()
        self._sections.setSpacing(14)
        scroll = scrolled_column(self._sections, margins=(20, 16, 20, 16), frame=QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.add_section(self._office_section())
        self.add_section(self._operators_section())
        self.add_section(self._data_folder_section())
        info = services.office_info()
        if services.on_server or (info is not None and info.is_city):  # counties always keep the local file
            self.add_section(self._server_section())
        self.return_form_section = ReturnFormSection(services)
        self.return_form_section.status_message.connect(self.status_message.emit)
        self.add_section(self.return_form_section)
        self.conditions_section = ConditionsSection(services)
        self.conditions_section.changed.connect(self.data_changed.emit)
        self.conditions_section.status_message.connect(self.status_message.emit)
        self.add_section(self.conditions_section)
        self.refresh()

    def add_section(self, widget: QWidget) -> None:
        """Add a QGroupBox section at the end of the page (backups, targets, rule sets …)."""
        self._sections.addWidget(widget)

    # ---- sections
    def _office_section(self) -> QGroupBox:
        box = QGroupBox("本单位")
        self.kind_label, self.county_label = selectable_label(), selectable_label()
        self.name_label, self.preparer_label = selectable_label(), selectable_label()
        edit = writes(QPushButton("修改…"))
        edit.clicked.connect(self.edit_office)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("单位类型：", self.kind_label)
        form.addRow("所在县区：", self.county_label)
        form.addRow("单位名称：", self.name_label)
        form.addRow("默认填报人：", self.preparer_label)
        note = QLabel("本机已有企业记录后，不能再更改所属单位（单位名称和填报人仍可修改）。")
        note.setStyleSheet("color: #666;")
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(note, 1)
        form.addRow("", row)
        return box

    def _operators_section(self) -> QGroupBox:
        box = QGroupBox("操作员")
        self.current_operator_label = selectable_label()
        self.operators_list = QListWidget()
        self.operators_list.setMaximumHeight(120)
        self.new_operator_edit = QLineEdit()
        self.new_operator_edit.setPlaceholderText("新操作员姓名")
        self.new_operator_edit.returnPressed.connect(self.add_operator)
        self.new_operator_box = FieldBox(self.new_operator_edit)
        add = writes(QPushButton("添加"))
        add.clicked.connect(self.add_operator)
        self.rename_operator_button = writes(QPushButton("改名…"))
        self.rename_operator_button.setToolTip("改正选中操作员的姓名；以前的修改记录仍显示原来的名字")
        self.rename_operator_button.clicked.connect(self.rename_operator)
        self.retire_operator_button = writes(QPushButton("停用"))
        self.retire_operator_button.setToolTip("调离或退休的人员：不再出现在操作员列表中，修改记录保留")
        self.retire_operator_button.clicked.connect(self.retire_operator)
        row = QHBoxLayout()
        row.addWidget(self.new_operator_box, 1)
        for button in (add, self.rename_operator_button, self.retire_operator_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        note = QLabel("选中一位操作员后可以改名或停用。修改记录始终保留当时的姓名。")
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(box)
        layout.addWidget(self.current_operator_label)
        layout.addWidget(self.operators_list)
        layout.addWidget(note)
        layout.addLayout(row)
        return box

    def _data_folder_section(self) -> QGroupBox:
        box = QGroupBox("数据文件夹")
        self.data_folder_label = selectable_label(str(self.services.data_dir.root))
        open_button = QPushButton("打开文件夹")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.data_dir.root))))
        row = QHBoxLayout()
        row.addWidget(self.data_folder_label, 1)
        row.addWidget(open_button)
        note = QLabel(SERVER_DATA_FOLDER_NOTE if self.services.on_server else DATA_FOLDER_NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(note)
        return box

    def _server_section(self) -> QGroupBox:
        box = QGroupBox("数据库服务器（市中心版）")
        self.server_now_label, self.server_saved_label = selectable_label(), selectable_label()
        self.server_fields = ServerFields()
        self.server_save_button = QPushButton("保存")
        self.server_save_button.clicked.connect(self.save_server)
        self.server_clear_button = QPushButton("清除")
        self.server_clear_button.setToolTip("不再连接服务器：重新启动后使用本机的数据文件")
        self.server_clear_button.clicked.connect(self.clear_server)
        self.server_fields.buttons.insertWidget(1, self.server_save_button)
        self.server_fields.buttons.insertWidget(2, self.server_clear_button)
        note = QLabel("多位办事员共用一台 PostgreSQL 服务器时填写（见 docs/city-server.md）。保存或清除后，"
                      "重新启动程序后生效。启动时的 --database 参数或环境变量 LVQI_DATABASE 优先于这里保存的地址。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("本次使用：", self.server_now_label)
        form.addRow("已保存的地址：", self.server_saved_label)
        form.addRow(self.server_fields)
        form.addRow("", note)
        self._show_server()
        return box

    def _show_server(self) -> None:
        data_dir = self.services.data_dir
        self.server_now_label.setText(server_address(data_dir.server) if data_dir.server
                                      else f"本机数据文件（{data_dir.database}）")
        self.server_saved_label.setText(saved_server(data_dir) or "（没有保存，使用本机数据文件）")

    def save_server(self) -> None:
        try:
            shown = remember_server(self.services.data_dir, *self.server_fields.typed())
        except LvqiError as refused:
            messages.show_error(self, refused, "无法保存服务器地址")
            return
        except OSError as exc:
            messages.show_error(self, f"无法在数据文件夹中保存服务器地址（{exc.strerror or exc}）。请确认数据文件夹可写。",
                                "无法保存服务器地址")
            return
        self.server_fields.clear()
        self._show_server()
        messages.inform(self, f"已保存数据库服务器地址：{shown}\n重新启动程序后生效。", "数据库服务器")
        self.status_message.emit("已保存：数据库服务器地址（重新启动程序后生效）")

    def clear_server(self) -> None:
        if not messages.confirm(self, "清除保存的数据库服务器地址吗？\n重新启动程序后将使用本机的数据文件"
                                      f"（{self.services.data_dir.database}）。服务器上的数据不受影响。", "数据库服务器"):
            return
        try:
            forget_server(self.services.data_dir)
        except OSError as exc:
            messages.show_error(self, f"无法删除保存服务器地址的文件（{exc.strerror or exc}）。", "数据库服务器")
            return
        self._show_server()
        self.status_message.emit("已清除数据库服务器地址（重新启动程序后生效）")

    # ---- behaviour
    def refresh(self) -> None:
        info = self.services.office_info()
        if info is not None:
            self.kind_label.setText("吕梁市中小企业服务中心（市级）" if info.is_city else "县（市、区）单位")
            self.county_label.setText("全市" if info.is_city else f"{info.county_name}（{info.county_code}）")
            self.name_label.setText(info.name)
            self.preparer_label.setText(info.default_preparer)
        server_note = "（数据库服务器上的登录角色：修改记录记在该角色名下，换人请用其本人的角色连接）" \
            if self.services.on_server else ""
        self.current_operator_label.setText(f"当前操作员：{self.services.office.current_operator}{server_note}")
        self.operators_list.clear()
        self.operators_list.addItems(self.services.office.operators())

    def edit_office(self) -> None:
        dialog = SetupDialog(self.services, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.services.forget_office()
        self.refresh()
        self.status_message.emit("已保存：本单位设置")
        self.data_changed.emit("office")

    def add_operator(self) -> None:
        try:
            name = self.services.office.add_operator(self.new_operator_edit.text())
        except ValidationFailed as refused:
            self.new_operator_box.show_issues(refused.issues)
            return
        self.new_operator_box.show_issues([])
        self.new_operator_edit.clear()
        self.refresh()
        self.status_message.emit(f"已添加操作员：{name}")

    def _chosen_operator(self) -> str | None:
        item = self.operators_list.currentItem()
        if item is None:
            messages.inform(self, "请先在列表中选中一位操作员。", "操作员")
            return None
        return item.text()

    def rename_operator(self) -> None:
        old = self._chosen_operator()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, "操作员改名", f"“{old}”的新姓名：", text=old)
        if not ok or new.strip() == old:
            return
        try:
            name = self.services.office.rename_operator(old, new)
        except ValidationFailed as refused:
            messages.show_error(self, refused)
            return
        self.services.forget_office()
        self.refresh()
        self.status_message.emit(f"已改名：{old} → {name}")
        self.data_changed.emit("office")

    def retire_operator(self) -> None:
        name = self._chosen_operator()
        if name is None or not messages.confirm(
                self, f"停用操作员“{name}”吗？\n停用后不再出现在操作员列表中；以前以其名义做的修改仍保留在修改记录里。"
                      "以后再用“添加”输入同一姓名即可恢复。", "停用操作员"):
            return
        try:
            self.services.office.retire_operator(name)
        except ValidationFailed as refused:
            messages.show_error(self, refused)
            return
        self.refresh()
        self.status_message.emit(f"已停用操作员：{name}")

    def on_shown(self) -> None:
        self.refresh()

    def on_data_changed(self, kind: str) -> None:
        if kind == "office":
            self.refresh()
