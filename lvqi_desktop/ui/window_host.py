"""Owns the main window: adds the data-safety parts, and after a restore reopens it on the restored database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject

from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backup_rows import RestoreResult
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.db_health import HealthReport
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.backup_actions import BackupActions
from lvqi_desktop.ui.backup_sections import BackupSettings
from lvqi_desktop.ui.backup_sections import OffsiteReminder
from lvqi_desktop.ui.history_window import HistoryMenu
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.start_page import StartPage
from lvqi_desktop.ui.startup_checks import BackgroundChecks
from lvqi_desktop.ui.undo_actions import UndoActions

log = logging.getLogger(__name__)

REOPEN_NOTE = "程序窗口将重新打开，显示恢复后的数据。"


class DataSafety(QObject):
    """Undo/redo, backups, history and the backup sections of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.undo = UndoActions(window)
        self.backups = BackupActions(window)
        self.history = HistoryMenu(window)
        self.undo.changed.connect(self.history.on_data_changed)
        self.reminder: OffsiteReminder | None = None
        self.settings: BackupSettings | None = None
        window.for_each_page(self._add_sections)
        self.checks = BackgroundChecks(window, self.backups.backups_changed.emit, self.offer_recovery)

    def _add_sections(self, page: Page) -> None:
        """The backup reminder on the start page, the backup settings on 设置 (when that page is built)."""
        if isinstance(page, StartPage):
            self.reminder = OffsiteReminder(self.window.services, self.backups.copy_to_action)
            page.add_section(self.reminder)
            self.backups.backups_changed.connect(self.reminder.refresh)
            return
        # imported when a page other than the start page is built, not at start-up
        from lvqi_desktop.ui.settings_page import SettingsPage

        if isinstance(page, SettingsPage):
            self.settings = BackupSettings(self.window.services)
            page.add_section(self.settings)
            self.backups.backups_changed.connect(self.settings.refresh)

    def offer_recovery(self, report: HealthReport) -> None:
        """A check found damage while the window is open: explain, offer the newest good backup."""
        good = report.newest_good_backup
        if good is None:
            messages.show_error(self.window, f"{report.explanation}\n\n请关闭程序，不要继续录入。", "数据库已损坏")
            return
        if not messages.confirm(self.window, f"{report.explanation}\n\n现在从这份备份恢复吗？",
                                "数据库已损坏", default_yes=True):
            messages.show_error(self.window, "没有恢复。数据库已损坏，继续录入的内容可能丢失；"
                                             "请尽快恢复备份，或把数据文件夹交给技术人员处理。", "数据库已损坏")
            return
        health = self.window.services.health

        def work(progress: Progress) -> RestoreResult:
            return health.recover(good.path, progress)

        run_in_background(self.window, work, title="正在从备份恢复…", on_success=self.backups.restored.emit)


class WindowHost(QObject):
    """Makes the main window with `make_window(services)`; `current` is the host of the running program."""

    current: ClassVar[WindowHost | None] = None

    def __init__(self, make_window: Callable[[Services], MainWindow]) -> None:
        super().__init__()
        self._make_window = make_window
        self.window: MainWindow | None = None
        self.safety: DataSafety | None = None
        WindowHost.current = self

    def open(self, services: Services) -> MainWindow:
        window = self._make_window(services)
        self.safety = DataSafety(window)
        self.safety.backups.restored.connect(self.reopen)
        self.window = window
        window.show()
        return window

    def reopen(self, result: RestoreResult) -> MainWindow:
        """After a restore: the old services are stale, so build new ones and a new window on them."""
        old = self.window
        assert old is not None
        messages.inform(old, f"{result.message()}\n\n{REOPEN_NOTE}", "恢复完成")
        services = build_services(old.services.data_dir, result.database)
        window = self.open(services)
        window.show_status(f"已从备份恢复：{result.restored_from.name}")
        old.close()
        old.deleteLater()
        log.info("main window reopened after restoring %s", result.restored_from)
        return window
