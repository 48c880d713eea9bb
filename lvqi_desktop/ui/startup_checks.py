"""Start-up safety: the quick check after an unclean exit, then the daily backup and weekly full check in the background."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backup_rows import BackupMade
from lvqi_desktop.services.db_health import HealthReport
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

AFTER_SHOWN_MS = 1500  # let the window paint and the first page load first
DAMAGED_TITLE = "数据库已损坏"


def wait_for(parent: QWidget | None, work: Callable[[Progress], Any], title: str) -> Any:
    """Run `work` in the background with a progress dialog and wait for it; returns its result or raises."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def succeeded(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(error: BaseException) -> None:
        outcome["error"] = error
        loop.quit()

    run_in_background(parent, work, title=title, on_success=succeeded, on_failure=failed)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _recovery_question(report: HealthReport) -> str:
    return (f"{report.explanation}\n\n现在从这份备份恢复吗？选择“否”将退出程序，数据文件保持原样，"
            "下次启动时会再次检查。")


def check_before_opening(data_dir: DataDir, unclean_exit: bool, parent: QWidget | None = None) -> bool:
    """After an unclean exit run the quick check; if it fails explain, offer the newest good backup.

    Returns whether the database may be opened for editing. An emptied database (0 bytes while backups
    exist) is treated the same way whatever the last exit was.
    """
    health = HealthService(data_dir)
    if not unclean_exit and not health.emptied():
        return True
    try:
        report: HealthReport = wait_for(parent, lambda p: health.check_at_start(True, p),
                                        "上次程序没有正常退出，正在检查数据库…" if unclean_exit else "正在检查数据库…")
    except LvqiError as error:
        messages.show_error(parent, f"无法检查数据库：{error}", DAMAGED_TITLE)
        return False
    if report.ok:
        return True
    log.error("start-up %s failed: %s", report.check, report.finding)
    good = report.newest_good_backup
    if good is None:
        messages.show_error(parent, report.explanation, DAMAGED_TITLE)
        return False
    if not messages.confirm(parent, _recovery_question(report), DAMAGED_TITLE, default_yes=True):
        return False
    try:
        result = wait_for(parent, lambda p: health.recover(good.path, p), "正在从备份恢复…")
    except LvqiError as error:
        messages.show_error(parent, f"{error}\n\n没有恢复。请把数据文件夹“{data_dir.root}”整个复制给技术人员处理。",
                            "无法恢复")
        return False
    result.database.dispose()  # start_gui opens the restored file itself
    messages.inform(parent, result.message(), "已从备份恢复")
    return True


class BackgroundChecks:
    """After the window appears: the start-up backup when due, then the weekly integrity check."""

    def __init__(self, window: MainWindow, on_backup: Callable[[], None],
                 on_damaged: Callable[[HealthReport], None]) -> None:
        self._window = window
        self._on_backup = on_backup
        self._on_damaged = on_damaged
        self.finished = False

    def schedule(self, delay_ms: int = AFTER_SHOWN_MS) -> None:
        QTimer.singleShot(delay_ms, self._window, self.run_backup)

    def run_backup(self) -> None:
        services = self._window.services
        run_in_background(self._window, services.backups.backup_if_due, title="正在自动备份…",
                          on_success=self._backup_done, on_failure=self._backup_failed, show_dialog=False)

    def _backup_done(self, made: BackupMade | None) -> None:
        if made is not None:
            self._window.show_status(f"已自动备份：{made.path.name}" + (f"（{made.rotation_note}）" if made.rotation_note else ""))
            self._on_backup()
        self.run_full_check()

    def _backup_failed(self, error: BaseException) -> None:
        log.error("start-up backup failed", exc_info=error)
        messages.show_error(self._window, f"启动时的自动备份没有做成：{error}\n\n已保存的数据不受影响。"
                                          "请用“文件 → 立即备份”再试一次。", "自动备份失败")
        self.run_full_check()

    def run_full_check(self) -> None:
        health = self._window.services.health
        try:
            due = health.full_check_due()
        except LvqiError as error:
            log.warning("cannot tell when the last full check ran: %s", error)
            due = True
        if not due:
            self.finished = True
            return
        run_in_background(self._window, health.run_full_check, title="正在检查数据库…",
                          on_success=self._checked, on_failure=self._check_failed, show_dialog=False)

    def _checked(self, report: HealthReport) -> None:
        self.finished = True
        if report.ok:
            self._window.show_status("每周数据库完整性检查：正常")
            return
        log.error("weekly %s failed: %s", report.check, report.finding)
        self._on_damaged(report)

    def _check_failed(self, error: BaseException) -> None:
        self.finished = True
        log.error("weekly integrity check could not run", exc_info=error)
        messages.show_error(self._window, f"每周的数据库完整性检查没有完成：{error}\n\n程序会在下次启动时再试。",
                            "检查未完成")
