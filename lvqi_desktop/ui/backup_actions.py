"""File menu: 立即备份, 备份到…, 从备份恢复…; and the status bar's age of the last backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtCore import QSettings
from PySide6.QtCore import QStandardPaths
from PySide6.QtCore import QTimer
from PySide6.QtCore import QUrl
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QWidget

from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backup_rows import BackupMade
from lvqi_desktop.services.backup_rows import OffsiteCopy
from lvqi_desktop.services.backup_rows import RestoreResult
from lvqi_desktop.services.backup_rows import ServerBackup
from lvqi_desktop.services.backup_rows import age_text
from lvqi_desktop.services.backup_rows import size_text
from lvqi_desktop.services.backups import SERVER_BACKUP
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.server_backups import NO_PG_DUMP
from lvqi_desktop.ui import backup_password
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.restore_dialog import RestoreDialog
from lvqi_desktop.ui.write_guard import writes

AGE_REFRESH_MS = 5 * 60 * 1000
_LAST_FOLDER_KEY = "backup/last_offsite_folder"


def backup_age_text(services: Services) -> str:
    """"上次备份：3 小时前" for the status bar (on the city's server: its last recorded pg_dump)."""
    if services.backups.server is not None:
        return services.backups.server.status_text()
    try:
        age = services.backups.last_backup_age()
    except OSError:
        return "备份：无法读取备份文件夹"
    return "还没有备份" if age is None else f"上次备份：{age_text(age)}"


def ask_backup_folder(parent: QWidget | None) -> Path | None:
    """Where to write a copy (a USB stick); tests replace this."""
    folder = QSettings().value(_LAST_FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    chosen = QFileDialog.getExistingDirectory(parent, "备份到…（选择U盘或其他文件夹）", str(folder))
    if not chosen:
        return None
    QSettings().setValue(_LAST_FOLDER_KEY, chosen)
    return Path(chosen)


def open_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def make_restore_dialog(services: Services, parent: QWidget) -> RestoreDialog:
    """A seam for tests, which drive the dialog instead of exec()."""
    return RestoreDialog(services, parent)


class BackupActions(QObject):
    """The backup actions of one main window; `restored` carries the result to whoever reopens the window."""

    backups_changed = Signal()  # a backup or an off-laptop copy was made: the start page and settings refresh
    restored = Signal(object)  # RestoreResult: the services are stale; the window must be rebuilt

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.backup_now_action = writes(QAction("立即备份(&B)", window))
        self.backup_now_action.setStatusTip("现在在本机备份文件夹中做一份备份")
        self.backup_now_action.triggered.connect(self.backup_now)
        self.copy_to_action = QAction("备份到(&O)…", window)
        self.copy_to_action.setStatusTip("把数据拷一份到U盘或其他文件夹，电脑丢失或损坏时也不会丢数据")
        self.copy_to_action.triggered.connect(self.copy_to)
        self.restore_action = writes(QAction("从备份恢复(&R)…", window))
        self.restore_action.setStatusTip("用一份备份替换当前的全部数据（恢复前会先备份当前数据）")
        self.restore_action.triggered.connect(self.restore)
        menu = window.file_menu
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.backup_now_action, self.copy_to_action, self.restore_action):
            menu.insertAction(first, action)
        if first is not None:
            menu.insertSeparator(first)
        self._timer = QTimer(self, interval=AGE_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_age)
        self._timer.start()
        self.backups_changed.connect(self.refresh_age)
        self.refresh_age()
        if window.services.on_server:  # the database is on the city's server: IT backs it up with pg_dump
            self.backup_now_action.setStatusTip("数据库在服务器上，由信息科用 pg_dump 备份（点此查看说明）")
            self.copy_to_action.setStatusTip("用本机的 pg_dump 把服务器数据库备份到一个文件夹（本机需装有 PostgreSQL 客户端）")
            self.restore_action.setStatusTip("数据库在服务器上，由信息科用 pg_restore 恢复（点此查看说明）")

    @property
    def services(self) -> Services:
        return self._window.services

    def refresh_age(self) -> None:
        self._window.set_backup_age(backup_age_text(self.services))

    # ---- 立即备份
    def backup_now(self) -> BackgroundTask | None:
        if self.services.on_server:
            messages.inform(self._window, SERVER_BACKUP, "数据库在服务器上")
            return None

        def work(progress: Progress) -> BackupMade:
            return self.services.backups.backup("manual", progress)

        def done(made: BackupMade) -> None:
            self.backups_changed.emit()
            self._window.show_status(f"已备份：{made.path.name}")
            text = (f"已备份到本机备份文件夹：“{made.path.name}”（{size_text(made.size_bytes)}），"
                    "并已核对可以恢复。" + (f"\n\n{made.rotation_note}" if made.rotation_note else ""))
            if messages.inform_with_action(self._window, text, "打开备份文件夹", "备份完成"):
                open_folder(made.path.parent)

        return run_in_background(self._window, work, title="正在备份…", on_success=done)

    # ---- 备份到…
    def copy_to(self) -> BackgroundTask | None:
        if self.services.backups.server is not None:
            return self.dump_server()
        folder = ask_backup_folder(self._window)
        if folder is None:
            return None
        password = backup_password.ask_password(self._window, twice=True)
        if password is None:
            return None

        def work(progress: Progress) -> OffsiteCopy:
            return self.services.backups.copy_to(folder, progress, password)

        def done(copy: OffsiteCopy) -> None:
            self.backups_changed.emit()
            self._window.show_status(f"已备份到：{copy.path}")
            text = (f"已把数据{'加密' if password else ''}备份到“{copy.path}”（{size_text(copy.size_bytes)}），并已读回核对。"
                    "请把U盘拔下，放在这台电脑以外的地方保管。")
            if messages.inform_with_action(self._window, text, "打开所在文件夹", "备份完成"):
                open_folder(copy.path.parent)

        return run_in_background(self._window, work, title=f"正在备份到“{folder}”…", on_success=done)

    def dump_server(self) -> BackgroundTask | None:
        """On the city's server: pg_dump into a chosen folder when this computer has it; otherwise say who backs up."""
        server = self.services.backups.server
        assert server is not None
        if not server.can_dump():
            messages.inform(self._window, f"{NO_PG_DUMP}\n\n{server.describe()}", "数据库在服务器上")
            return None
        folder = ask_backup_folder(self._window)
        if folder is None:
            return None

        def done(made: ServerBackup) -> None:
            self.backups_changed.emit()
            self._window.show_status(f"已备份服务器数据库：{made.file_name}")
            text = (f"已用 pg_dump 把服务器数据库备份为“{folder / made.file_name}”（{size_text(made.size_bytes)}），"
                    "并已登记，各办事员的首页都会显示这次备份。恢复请交信息科用 pg_restore（docs/city-server.md）。")
            if messages.inform_with_action(self._window, text, "打开所在文件夹", "备份完成"):
                open_folder(folder)

        return run_in_background(self._window, lambda _progress: server.dump_to(folder),
                                 title="正在用 pg_dump 备份服务器数据库…", on_success=done)

    # ---- 从备份恢复…
    def restore(self) -> BackgroundTask | None:
        if self.services.on_server:
            messages.inform(self._window, SERVER_BACKUP, "数据库在服务器上")
            return None
        dialog = make_restore_dialog(self.services, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        return self.restore_file(dialog.chosen)

    def restore_file(self, path: Path) -> BackgroundTask | None:
        """Restore a confirmed backup in the background (asking the password of a locked copy first);
        on success emit `restored`."""
        password = ""
        if self.services.backups.needs_password(path):
            password = backup_password.ask_password(self._window, twice=False) or ""
            if not password:
                return None

        def work(progress: Progress) -> RestoreResult:
            return self.services.backups.restore(path, confirmed=True, progress=progress, password=password)

        return run_in_background(self._window, work, title="正在从备份恢复…", on_success=self.restored.emit)
