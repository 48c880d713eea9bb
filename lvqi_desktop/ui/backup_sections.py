"""Backup blocks for other pages: the start page's off-laptop copy reminder, the settings page's section."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction
from PySide6.QtGui import QDesktopServices
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.backups import SERVER_BACKUP
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.server_backups import HOW_TO_RECORD
from lvqi_desktop.services.startup import try_server
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.form_fields import selectable_label
from lvqi_desktop.ui.write_guard import writes

AMBER = "#9a5b00"
MIN_CAP_MB, MAX_CAP_MB = 100, 1024 * 1024


class OffsiteReminder(QFrame):
    """Start page: when the data last left the laptop, and a weekly reminder with a 备份到… button."""

    def __init__(self, services: Services, copy_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setObjectName("offsite_reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel("服务器数据库备份" if services.on_server else "数据备份")
        title.setStyleSheet("font-weight: bold;")
        self.status_label = selectable_label()
        self.reminder_label = selectable_label()
        self.reminder_label.setStyleSheet(f"color: {AMBER};")
        self.copy_button = QPushButton("备份到…")
        self.copy_button.setToolTip("把数据拷一份到U盘")
        self.copy_button.clicked.connect(copy_action.trigger)
        self.copy_button.setVisible(not services.on_server)  # on the server IT backs up (pg_dump)
        row = QHBoxLayout()
        row.addWidget(self.reminder_label, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.status_label)
        layout.addLayout(row)  # filled in when shown (showEvent), not twice at start-up

    def refresh(self) -> None:
        backups = self._services.backups
        try:
            reminder = backups.offsite_reminder()  # when shown, it already says when the data last left
            self.status_label.setText(backups.describe_last_backup() + ("" if reminder else backups.offsite_status()))
        except (LvqiError, OSError) as error:
            self.status_label.setText(f"无法读取备份情况：{error}")
            reminder = None
        self.reminder_label.setText(f"提醒：{reminder}" if reminder else "")
        self.reminder_label.setVisible(bool(reminder))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.refresh()
        super().showEvent(event)


class BackupSettings(QGroupBox):
    """Settings page: where the data is and why, the backup folder, what is kept, and the size cap; on the city's
    server: the server, who backs it up (pg_dump) and its last recorded backup instead."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("数据位置与备份", parent)
        self._services = services
        self.location_label = selectable_label()
        self.rotation_label = selectable_label()
        self.last_label = selectable_label()
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("数据位置：", self.location_label)
        if services.on_server:  # the city edition on PostgreSQL: no local backups folder, IT backs up with pg_dump
            self.server_button = QPushButton("测试服务器连接")
            self.server_button.clicked.connect(self.test_server)
            server_row = QHBoxLayout()
            server_row.addWidget(self.server_button)
            server_row.addStretch(1)
            form.addRow("", server_row)
            form.addRow("备份方式：", self.rotation_label)
            form.addRow("最近备份：", self.last_label)
        else:
            self._add_local_rows(form)
        self.refresh()

    def _add_local_rows(self, form: QFormLayout) -> None:
        """The local SQLite file's backups: the folder, what is kept, the last one, the size cap."""
        self.folder_label = selectable_label(str(self._services.data_dir.backups))
        open_button = QPushButton("打开备份文件夹")
        open_button.clicked.connect(self._open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(open_button)
        self.cap_spin = QSpinBox()
        self.cap_spin.setRange(MIN_CAP_MB, MAX_CAP_MB)
        self.cap_spin.setSingleStep(100)
        self.cap_spin.setSuffix(" MB")
        self.cap_spin.setGroupSeparatorShown(True)
        save_cap = writes(QPushButton("保存"))
        save_cap.clicked.connect(self.save_cap)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.cap_spin)
        cap_row.addWidget(save_cap)
        cap_row.addWidget(QLabel("超过上限时先删除最旧的备份，最新一份总会保留。"), 1)
        form.addRow("备份文件夹：", folder_row)
        form.addRow("保留规则：", self.rotation_label)
        form.addRow("最近备份：", self.last_label)
        form.addRow("备份总容量上限：", cap_row)

    def test_server(self) -> None:
        """The connection test in a worker (a server that does not answer takes seconds); the answer in a box."""
        url = self._services.data_dir.server or ""
        run_in_background(self, lambda _progress: try_server(url), title="正在连接数据库服务器…", read_only=True,
                          on_success=lambda found: messages.inform(self, str(found), "服务器连接正常"),
                          on_failure=lambda error: messages.show_error(self, error, "连不上数据库服务器"))

    def _open_folder(self) -> None:
        self._services.data_dir.backups.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._services.data_dir.backups)))

    def refresh(self) -> None:
        backups = self._services.backups
        self.location_label.setText(backups.location_text())
        if backups.server is not None:
            self.rotation_label.setText(f"{SERVER_BACKUP}\n{HOW_TO_RECORD}。")
            self.last_label.setText(backups.describe_last_backup())
            return
        policy = backups.policy()
        self.rotation_label.setText(
            f"程序每天第一次启动时自动备份，升级、导入、合并和恢复前也会备份。保留最近 {policy.keep_last} 份，"
            f"{policy.daily_days} 天内每天一份，{policy.monthly_months} 个月内每月一份；"
            f"备份经过压缩，并在写入后核对完整。")
        self.last_label.setText(f"{backups.describe_last_backup()}{backups.offsite_status()}")
        self.cap_spin.setValue(max(backups.max_total_bytes() // (1024 * 1024), MIN_CAP_MB))

    def save_cap(self) -> None:
        try:
            self._services.backups.set_max_total_mb(self.cap_spin.value())
        except LvqiError as error:
            messages.show_error(self, error)
            return
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.refresh()
        super().showEvent(event)
