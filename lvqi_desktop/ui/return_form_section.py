"""Settings › 报表表头与签署: the 表号 of each return, 制定机关, 批准文号, 有效期至, and the foot's names and phone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.returns.settings import LABELS
from lvqi_desktop.services.returns.settings import ReturnFormSettings
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.write_guard import writes

NOTE = ("报表右上角印“表号、制定机关、批准（备案）文号、有效期至”，表尾印“单位负责人、统计负责人、填表人、联系电话、报出日期”。"
        "没有的可以留空，打印后手填；填表人取导出时填写的姓名（默认本单位默认填报人）。")
PLACEHOLDERS = {"issuer": "如 吕梁市中小企业服务中心", "approval": "如 吕中小企字〔2026〕1号", "valid_until": "如 2027年12月",
                "unit_head": "姓名", "statistician": "姓名", "phone": "如 0358-8221234"}


class ReturnFormSection(QGroupBox):
    """Edits ReturnFormSettings; 保存 stores them through the return service (one transaction)."""

    status_message = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("报表表头与签署", parent)
        self.services = services
        self.edits: dict[str, QLineEdit] = {}
        self.boxes: dict[str, FieldBox] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, label in LABELS.items():
            edit = QLineEdit()
            edit.setPlaceholderText(PLACEHOLDERS[key])
            self.edits[key] = edit
            self.boxes[key] = FieldBox(edit)
            form.addRow(f"{label}：", self.boxes[key])
        entries = services.returns.catalogue()
        self.table = QTableWidget(len(entries), 2)
        self.table.setHorizontalHeaderLabels(["报表", "表号"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(220)
        self.return_ids = [e.return_id for e in entries]
        for row, entry in enumerate(entries):
            title = QTableWidgetItem(entry.title)
            title.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, title)
            self.table.setItem(row, 1, QTableWidgetItem(""))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.save_button = writes(QPushButton("保存"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        settings = self.services.returns.form_settings()
        for key, edit in self.edits.items():
            edit.setText(getattr(settings, key))
        for row, return_id in enumerate(self.return_ids):
            self.table.item(row, 1).setText(settings.form_numbers.get(return_id, ""))

    def values(self) -> ReturnFormSettings:
        numbers = {rid: self.table.item(row, 1).text() for row, rid in enumerate(self.return_ids)}
        return ReturnFormSettings(**{k: e.text() for k, e in self.edits.items()}, form_numbers=numbers)

    def save(self) -> None:
        try:
            self.services.returns.set_form_settings(self.values())
        except ValidationFailed as refused:
            for key, box in self.boxes.items():
                box.show_issues([i for i in refused.issues if i.field == key])
            self.message.setText("；".join(i.message for i in refused.issues if i.field.startswith("form_no")))
            return
        for box in self.boxes.values():
            box.show_issues([])
        self.message.clear()
        self.refresh()
        self.status_message.emit("已保存：报表表头与签署")
