"""Composition root: logging, data dir, database, services, QApplication, first run, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QDialog

from lvqi_desktop import APP_NAME, __version__
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.logging_setup import setup_logging
from lvqi_desktop.paths import DataDir, resolve_data_dir, resource
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.startup import open_services, writer_lock
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.operator_dialog import choose_operator
from lvqi_desktop.ui.registry_page import RegistryPage
from lvqi_desktop.ui.settings_page import SettingsPage
from lvqi_desktop.ui.setup_dialog import SetupDialog
from lvqi_desktop.ui.single_instance import RaiseServer, ask_running_instance_to_raise
from lvqi_desktop.ui.start_page import StartPage

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lvqi-desktop", description=f"{APP_NAME}（图形界面）")
    parser.add_argument("--data-dir", help="数据文件夹（默认：本机用户数据目录；也可用环境变量 LVQI_DATA_DIR）")
    return parser.parse_args(argv)


def make_qapplication() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName("lvqi_desktop")
    QCoreApplication.setApplicationName(APP_NAME)
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    font = QFont(app.font())
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
                      font.family()])
    app.setFont(font)
    try:
        app.setWindowIcon(QIcon(str(resource("icons/lvqi.png"))))
    except FileNotFoundError:
        pass
    return app


def install_excepthook(log_path: Path) -> None:
    """Anything raised in a slot ends in one dialog with copyable details, never a silent exit."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
        detail = "".join(traceback.format_exception(exc_type, exc, tb))  # type: ignore[arg-type]
        log.error("unexpected error\n%s", detail)
        if isinstance(exc, LvqiError):
            messages.show_error(QApplication.activeWindow(), exc)
            return
        messages.show_unexpected(QApplication.activeWindow(), f"{exc_type.__name__}: {exc}", detail, str(log_path))

    sys.excepthook = hook


def use_ini_settings(data_dir: DataDir) -> None:
    """Window and column layouts go to an ini file in the data dir, not the registry."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir.root / "ui"))


def build_pages(services: Services) -> list:
    return [StartPage(services), RegistryPage(services), SettingsPage(services)]


def start_gui(data_dir: DataDir) -> tuple[MainWindow | None, int]:
    """Open everything and show the main window; returns (window, exit code if it must stop)."""
    try:
        services = open_services(data_dir)
    except LvqiError as exc:
        messages.show_error(None, exc, "无法打开数据库")
        return None, 1
    if services.office_info() is None:
        dialog = SetupDialog(services)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, 0
        services.forget_office()
    operator = choose_operator(services)
    if operator is None:
        return None, 0
    services.office.use_operator(operator)
    window = MainWindow(services, build_pages(services))
    window.show()
    return window, 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = resolve_data_dir(args.data_dir)
    app = make_qapplication()
    try:
        log_path = setup_logging(data_dir.logs)
    except OSError:
        log_path = Path("(无法写入日志)")
    install_excepthook(log_path)
    use_ini_settings(data_dir)
    lock = writer_lock(data_dir)
    try:
        got_lock = lock.try_acquire()
    except OSError as exc:
        messages.show_error(None, f"数据文件夹“{data_dir.root}”无法使用（{exc}）。请用 --data-dir 指定一个可写的本地文件夹。",
                            "无法启动")
        return 1
    if not got_lock:
        if ask_running_instance_to_raise(data_dir):
            return 0
        messages.show_error(None, "吕企台账已经在运行（同一数据文件夹只能打开一个程序窗口）。"
                                  "请切换到已打开的窗口；如果看不到窗口，请稍候再试。", "程序已在运行")
        return 0
    raise_server = RaiseServer(data_dir)
    window, code = start_gui(data_dir)
    if window is None:
        lock.release()
        return code
    raise_server.raise_requested.connect(lambda: bring_to_front(window))
    QTimer.singleShot(0, window.raise_)
    try:
        return app.exec()
    finally:
        raise_server.close()
        window.services.db.dispose()
        lock.release()


def bring_to_front(window: MainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
