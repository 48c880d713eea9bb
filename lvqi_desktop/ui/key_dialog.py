"""密钥登记: this office's key fingerprint, exporting its public key, and enrolling the other side's key
after comparing its 20 digits by phone (the county enrols the city's key, the city each county's)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.exchange.keys import KeyView
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.start_folder import remember_folder
from lvqi_desktop.ui.start_folder import start_folder
from lvqi_desktop.ui.write_guard import writes


class KeyDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("密钥登记")
        self.resize(760, 520)
        self.keys = services.keys
        info = services.office_info()
        self.is_city = bool(info and info.is_city)
        self.offered: KeyView | None = None
        layout = QVBoxLayout(self)
        own = QGroupBox("本机公钥")
        own_row = QHBoxLayout(own)
        self.own_label = QLabel()
        self.own_label.setStyleSheet("font-size: 16pt;")
        export = QPushButton("导出本机公钥…")
        export.clicked.connect(self._export)
        own_row.addWidget(self.own_label, 1)
        own_row.addWidget(export)
        layout.addWidget(own)
        other = "县区" if self.is_city else "市中心"
        box = QGroupBox(f"登记{other}的公钥")
        form = QFormLayout(box)
        choose = QPushButton("选择公钥文件（.lvqi-key）" + ("或报送包…" if self.is_city else "…"))
        choose.clicked.connect(self._choose)
        self.offer_label = QLabel("尚未选择文件")
        self.offer_label.setWordWrap(True)
        self.digits_edit = QLineEdit()
        self.digits_edit.setPlaceholderText(f"请{other}在电话里念出其程序显示的 20 位数字，逐位输入")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("更换已登记的密钥时必填，如：换了新电脑、密钥丢失")
        self.confirm_button = writes(QPushButton("核对无误，确认登记"))
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm_typed)
        form.addRow(choose, self.offer_label)
        form.addRow("对方念的指纹", self.digits_edit)
        form.addRow("更换原因", self.reason_edit)
        form.addRow("", self.confirm_button)
        layout.addWidget(box)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["单位", "指纹", "状态", "登记", "作废"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.own_label.setText(f"指纹：{self.keys.own_digits()}")
        except LvqiError as exc:
            self.own_label.setText(str(exc))
        views = self.keys.keys()
        self.table.setRowCount(len(views))
        for r, v in enumerate(views):
            cells = [f"{v.office_name}（{v.office_code}）", v.digits, v.status_label,
                     f"{v.confirmed_at} {v.confirmed_by}".strip(), f"{v.revoked_at} {v.revoked_reason}".strip()]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if not self.is_city and self.offered is None and not any(v.status == "active" for v in views):
            try:
                shipped = self.keys.installer_city_key()
            except LvqiError:
                shipped = None
            if shipped is not None and shipped.status == "pending":
                self.offered = shipped
                self.offer_label.setText(f"安装程序附带了市中心的公钥，待核对。本机读到的指纹：{shipped.digits}。"
                                         "请市中心念出其程序显示的指纹，逐位一致才登记。")
                self.confirm_button.setEnabled(True)

    def _export(self) -> None:
        folder = remember_folder(QFileDialog.getExistingDirectory(self, "选择保存公钥文件的文件夹（如U盘）", start_folder()))
        if folder:
            try:
                path = self.keys.export_public(folder)
            except LvqiError as exc:
                messages.show_error(self, exc)
                return
            messages.inform(self, f"已保存公钥文件：{path}\n请交给对方，并在电话里念出指纹：{self.keys.own_digits()}")

    def _choose(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择对方的公钥文件", start_folder(),
                                               "公钥文件或报送包 (*.lvqi-key *.lvqi);;所有文件 (*)")
        remember_folder(path)
        if path:
            self.offer_file(path)

    def offer_file(self, path: str) -> None:
        """Read the key a file offers (recorded as pending) and ask for the digits read aloud."""
        try:
            self.offered = self.keys.offer(path)
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        v = self.offered
        if v.status == "pending":
            self.offer_label.setText(f"{v.office_name}（{v.office_code}）的公钥，待核对。"
                                     f"本机读到的指纹：{v.digits}。请对方念出其程序显示的指纹，逐位一致才登记。")
        else:
            self.offer_label.setText(f"{v.office_name}的这把公钥{v.status_label}（指纹 {v.digits}）。")
        self.confirm_button.setEnabled(v.status == "pending")
        self.refresh()

    def confirm_typed(self) -> None:
        if self.offered is None:
            return
        try:
            view = self.keys.confirm(self.offered.office_code, self.digits_edit.text(), self.reason_edit.text())
        except LvqiError as exc:
            messages.show_error(self, exc)
            return
        self.confirm_button.setEnabled(False)
        self.digits_edit.clear()
        self.reason_edit.clear()
        self.offer_label.setText(f"已登记{view.office_name}的公钥（指纹 {view.digits}）。")
        self.refresh()
