"""The start page (首页): the office, how many enterprises it keeps, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.page import Page

REGISTRY_TITLE = "企业库"


class StartPage(Page):
    title = "首页"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.office_label = QLabel()
        self.office_label.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.counts_label = QLabel()
        self.counts_label.setStyleSheet("font-size: 12pt;")
        self.next_step_label = QLabel("还没有企业。先到“企业库”新增企业，或从Excel导入企业名单。")
        self.next_step_label.setWordWrap(True)
        self.open_registry_button = QPushButton("打开企业库")
        self.open_registry_button.clicked.connect(lambda: self.open_page_requested.emit(REGISTRY_TITLE))
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_step_label)
        next_row.addWidget(self.open_registry_button)
        next_row.addStretch(1)
        self._sections = QVBoxLayout()
        self._sections.setSpacing(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.office_label)
        layout.addWidget(self.counts_label)
        layout.addLayout(next_row)
        layout.addLayout(self._sections)
        layout.addStretch(1)
        self.refresh()

    def add_section(self, widget: QWidget) -> None:
        """Add a block below the counts (reminders, dashboard), in the order added."""
        self._sections.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)

    def refresh(self) -> None:
        info = self.services.office_info()
        self.office_label.setText(info.name if info else "")
        current, archived = self.services.enterprises.counts()
        self.counts_label.setText(f"在册企业 {current:,} 家，已归档 {archived:,} 家")
        empty = current == 0
        self.next_step_label.setVisible(empty)
        self.open_registry_button.setVisible(empty)

    def on_shown(self) -> None:
        self.refresh()

    def on_data_changed(self, kind: str) -> None:
        if kind in ("enterprise", "office"):
            self.refresh()
