"""First run (and later edits): which office this installation is, its name and default preparer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QRadioButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.office import OFFICE_KIND_CITY
from lvqi_desktop.models.office import OFFICE_KIND_COUNTY
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.office import default_office_name
from lvqi_desktop.services.startup import remember_server
from lvqi_desktop.services.startup import server_url
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.dialog_buttons import accept_cancel_row
from lvqi_desktop.ui.form_fields import FORM_STYLE
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.server_fields import ServerFields

INTRO = ("请选择本机所属的单位。县（市、区）中小企业服务机构选择所在县区；"
         "市中小企业服务中心用于汇总各县区报送的数据。")
SERVER_NOTE = ("可选：市中心的数据库放在 PostgreSQL 服务器上时，填写服务器地址（见 docs/city-server.md），"
               "重新启动程序后生效；不填则使用本机的数据文件，以后也可在“设置”中填写。")


class SetupDialog(QDialog):
    """Calls services.office.set_up; after accept(), `office` is the stored identity."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.office: OfficeInfo | None = None
        current = services.office.office()
        self.setWindowTitle("设置本单位" if current else "欢迎使用吕企台账 — 首次设置")
        self.setStyleSheet(FORM_STYLE)
        self.county_radio = QRadioButton("县（市、区）单位")
        self.city_radio = QRadioButton("吕梁市中小企业服务中心")
        kinds = QButtonGroup(self)
        kinds.addButton(self.county_radio)
        kinds.addButton(self.city_radio)
        kind_row = QWidget()
        kind_layout = QHBoxLayout(kind_row)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(self.county_radio)
        kind_layout.addWidget(self.city_radio)
        kind_layout.addStretch(1)
        self.county_combo = ChoiceCombo()
        self.county_combo.set_choices([(c.code, c.label) for c in services.reference.counties()], "（请选择县区）")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.preparer_edit = QLineEdit()
        self.preparer_edit.setMaxLength(40)
        self.preparer_edit.setPlaceholderText("报表上的填报人，如 张敏")
        self.boxes = {"kind": FieldBox(kind_row), "county_code": FieldBox(self.county_combo),
                      "name": FieldBox(self.name_edit), "default_preparer": FieldBox(self.preparer_edit)}
        # the city's first run on this computer's file: optionally the server to use from the next start
        self.server_fields: ServerFields | None = None
        if current is None and not services.on_server:
            self.server_fields = ServerFields()
        self._build()
        self._last_default = ""
        self._prefill(current)
        self.county_radio.toggled.connect(self._on_choice_changed)
        self.county_combo.currentIndexChanged.connect(self._on_choice_changed)

    def _build(self) -> None:
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(form_label("单位类型", True), self.boxes["kind"])
        form.addRow(form_label("所在县区", True), self.boxes["county_code"])
        form.addRow(form_label("单位名称", True), self.boxes["name"])
        form.addRow(form_label("默认填报人", True), self.boxes["default_preparer"])
        if self.server_fields is not None:
            self.server_box = QWidget()
            server_layout = QVBoxLayout(self.server_box)
            server_layout.setContentsMargins(0, 0, 0, 0)
            note = QLabel(SERVER_NOTE)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            server_layout.addWidget(note)
            server_layout.addWidget(self.server_fields)
            form.addRow(form_label("数据库服务器", False), self.server_box)
        self._form = form
        buttons = accept_cancel_row(self, QPushButton("保存"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(560, 320)

    def _prefill(self, current: OfficeInfo | None) -> None:
        if self._services.on_server:  # a database server is the city's only (services/office.py refuses a county)
            self.county_radio.setEnabled(False)
            self.county_radio.setToolTip("数据库服务器只供市中心使用；县（市、区）请用本机的数据文件夹。")
        if current is None and self._services.on_server:
            self.city_radio.setChecked(True)
            self._on_choice_changed()
            return
        if current is None:
            self.county_radio.setChecked(True)
            self._on_choice_changed()
            return
        (self.city_radio if current.is_city else self.county_radio).setChecked(True)
        self.county_combo.set_code(current.county_code or "")
        self.name_edit.setText(current.name)
        self.preparer_edit.setText(current.default_preparer)
        self._last_default = self._default_name()
        self.county_combo.setEnabled(not current.is_city)

    def _default_name(self) -> str:
        if self.city_radio.isChecked():
            return default_office_name(None)
        county = self.county_combo.code()
        return default_office_name(self.county_combo.currentText()) if county else ""

    def _on_choice_changed(self) -> None:
        """Follow the chosen office with the default name unless the user typed their own."""
        self.county_combo.setEnabled(self.county_radio.isChecked())
        if self.server_fields is not None:  # counties always keep the local file
            self._form.setRowVisible(self.server_box, self.city_radio.isChecked())
        if self.name_edit.text().strip() in ("", self._last_default):
            self._last_default = self._default_name()
            self.name_edit.setText(self._last_default)

    def kind(self) -> str:
        if self.city_radio.isChecked():
            return OFFICE_KIND_CITY
        return OFFICE_KIND_COUNTY if self.county_radio.isChecked() else ""

    def _typed_server(self) -> tuple[str, str] | None:
        """The server address typed for the city (None: none, or not the city)."""
        if self.server_fields is None or self.kind() != OFFICE_KIND_CITY:
            return None
        address, password = self.server_fields.typed()
        return (address, password) if address.strip() else None

    def accept(self) -> None:
        county = self.county_combo.code() if self.kind() == OFFICE_KIND_COUNTY else None
        server = self._typed_server()
        try:
            if server is not None:
                server_url(*server)  # a malformed address is refused before anything is written
        except LvqiError as refused:
            messages.show_error(self, refused, "服务器地址不对")
            return
        try:
            self.office = self._services.office.set_up(self.kind(), county, self.name_edit.text(),
                                                       self.preparer_edit.text())
        except ValidationFailed as refused:
            for name, box in self.boxes.items():
                box.show_issues([i for i in refused.issues if i.field == name])
            return
        self._services.forget_office()
        self._services.keys.own()  # the installation's key pair is made at setup
        if server is not None:
            self._remember(server)
        super().accept()

    def _remember(self, server: tuple[str, str]) -> None:
        try:
            shown = remember_server(self._services.data_dir, *server)
        except OSError as exc:
            messages.show_error(self, f"无法在数据文件夹中保存服务器地址（{exc.strerror or exc}），本次设置已保存。"
                                      "请以后在“设置 → 数据库服务器”中再填写。", "无法保存服务器地址")
            return
        messages.inform(self, f"已保存数据库服务器地址：{shown}\n重新启动程序后连接服务器；本次先使用本机的数据文件。",
                        "数据库服务器")
