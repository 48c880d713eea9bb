"""A start-page block: who has not yet sent the monthly monitoring report being collected now."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import Completeness
from lvqi_desktop.services.monitoring_rows import month_of_code
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.county_filter import county_names

SHOWN = 8


class MissingReportsWidget(QWidget):
    """"运行监测：2026年10月月报未报 3 家（逾期）：甲、乙、丙"; hidden while nobody is monitored."""

    open_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None,
                 monitoring: MonitoringService | None = None, background: bool = False) -> None:
        super().__init__(parent)
        self.background = background  # counted off the GUI thread (start-up must not wait for it)
        self._service = monitoring or services.monitoring
        self._counties = county_names(services)  # the city edition names each firm's county
        self.label = QLabel()
        self.label.setWordWrap(True)
        button = QPushButton("打开运行监测")
        button.clicked.connect(self.open_requested.emit)
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        if not self.background:
            self.show_missing(self._service.missing_now())
            return
        self.setVisible(False)  # nothing to say until counted
        run_in_background(self, lambda _progress: self._service.missing_now(), title="正在检查运行监测报送",
                          on_success=self.show_missing, show_dialog=False, read_only=True)

    def show_missing(self, done: Completeness) -> None:
        self.setVisible(done.expected > 0)
        label = month_of_code(done.period).label
        missing = done.missing
        if not missing:
            self.label.setText(f"运行监测：{label}月报已全部报送（{done.received:,} 家），完成。")
            self.label.setStyleSheet("color: #1b7f3b;")
            return
        overdue = any(r.status == "overdue" for r in missing)
        counties = self._counties
        names = "、".join(f"{r.name}（{counties.get(r.county_code, r.county_code)}）" if counties is not None else r.name
                         for r in missing[:SHOWN]) + (" 等" if len(missing) > SHOWN else "")
        word = f"已逾期（截止 {done.due_on.isoformat()}）" if overdue else f"截止 {done.due_on.isoformat()}"
        self.label.setText(f"运行监测：{label}月报未报 {len(missing):,} 家，{word}：{names}")
        self.label.setStyleSheet(f"color: {'#c62828' if overdue else '#9a6700'};")
