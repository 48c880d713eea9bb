"""Composition root: logging, data dir, database, services, QApplication, first run, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

# The Qt-free stack (SQLAlchemy, the models, every service) before PySide6: once loaded, PySide6 reads the
# source of the modules imported after it (its __feature__ check, ~0.1–0.2 s of CPU at start-up).
from lvqi_desktop import smoke as smoke_test  # isort: skip

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QLibraryInfo
from PySide6.QtCore import QLocale
from PySide6.QtCore import QSettings
from PySide6.QtCore import QTimer
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFont
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QMessageBox

from lvqi_desktop import APP_NAME
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.logging_setup import setup_logging
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import resolve_data_dir
from lvqi_desktop.paths import resource
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.services.startup import forget_server
from lvqi_desktop.services.startup import is_read_only
from lvqi_desktop.services.startup import open_services
from lvqi_desktop.services.startup import writer_lock
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.app_mutex import hold_app_mutex
from lvqi_desktop.ui.background import wait_for_background
from lvqi_desktop.ui.dashboard_widget import MONITORING
from lvqi_desktop.ui.dashboard_widget import wire_dashboard
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.main_window import PageSlot
from lvqi_desktop.ui.monitoring.start import MissingReportsWidget
from lvqi_desktop.ui.operator_dialog import choose_operator
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.reminders_widget import RemindersWidget
from lvqi_desktop.ui.session_end import SessionEnd
from lvqi_desktop.ui.setup_dialog import SetupDialog
from lvqi_desktop.ui.single_instance import NOT_FOCUSED
from lvqi_desktop.ui.single_instance import RAISED
from lvqi_desktop.ui.single_instance import WHERE_IT_IS
from lvqi_desktop.ui.single_instance import RaiseServer
from lvqi_desktop.ui.single_instance import ask_to_raise
from lvqi_desktop.ui.single_instance import bring_to_front
from lvqi_desktop.ui.start_page import StartPage
from lvqi_desktop.ui.startup_checks import check_before_opening
from lvqi_desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from lvqi_desktop.ui.pools.page import PoolsPage

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lvqi-desktop", description=f"{APP_NAME}（图形界面）")
    parser.add_argument("--data-dir", help="数据文件夹（默认：本机用户数据目录；也可用环境变量 LVQI_DATA_DIR）")
    parser.add_argument("--database", metavar="URL",
                        help="市中心版：连接 PostgreSQL 数据库服务器（postgresql://角色:密码@服务器/数据库；"
                             "也可用环境变量 LVQI_DATABASE），见 docs/city-server.md")
    parser.add_argument("--smoke", action="store_true",
                        help="自检：在临时（或 --data-dir 指定的）文件夹建库、生成演示数据、导出报表、打开主窗口后退出")
    parser.add_argument("--startup-time", action="store_true",
                        help="自检：打开数据文件夹并显示主窗口后立即退出，打印启动用时（毫秒）")
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


def build_pages(services: Services) -> list[PageSlot]:
    """The navigation, in the order of docs/ui.md; a page and its module load the first time it is shown."""
    return [PageSlot("首页", lambda: StartPage(services)), PageSlot("企业库", lambda: _registry(services)),
            PageSlot("梯度培育库", lambda: _pools(services)), PageSlot("包联帮扶", lambda: _helpers(services)),
            PageSlot("入企服务", lambda: _visits(services)), PageSlot("企业诉求", lambda: _demands(services)),
            PageSlot(MONITORING, lambda: _monitoring(services)), PageSlot("双创基地", lambda: _bases(services)),
            PageSlot("报表", lambda: _returns(services)), PageSlot("数据报送", lambda: _exchange(services)),
            PageSlot("设置", lambda: _settings(services))]


def _registry(services: Services) -> Page:
    from lvqi_desktop.ui.registry_page import RegistryPage
    return RegistryPage(services)


def _pools(services: Services) -> Page:
    from lvqi_desktop.ui.pools.page import PoolsPage
    return PoolsPage(services)


def _helpers(services: Services) -> Page:
    from lvqi_desktop.ui.helpers.page import HelpersPage
    return HelpersPage(services)


def _visits(services: Services) -> Page:
    from lvqi_desktop.ui.visits_page import VisitsPage
    return VisitsPage(services)


def _demands(services: Services) -> Page:
    from lvqi_desktop.ui.demands.page import DemandsPage
    return DemandsPage(services)


def _monitoring(services: Services) -> Page:
    from lvqi_desktop.ui.monitoring.page import MonitoringPage
    return MonitoringPage(services)


def _bases(services: Services) -> Page:
    from lvqi_desktop.ui.bases_page import BasesPage
    return BasesPage(services)


def _returns(services: Services) -> Page:
    from lvqi_desktop.ui.returns_page import ReturnsPage
    return ReturnsPage(services)


def _exchange(services: Services) -> Page:
    from lvqi_desktop.ui.exchange_page import ExchangePage
    return ExchangePage(services)


def _settings(services: Services) -> Page:
    from lvqi_desktop.ui.settings_page import SettingsPage
    return SettingsPage(services)


def wire_start_page(window: MainWindow) -> None:
    """Reminders on the start page open the record they name (building that page then, if it was not yet)."""
    start = window.pages[0]
    assert isinstance(start, StartPage)
    reminders = RemindersWidget(window.services, background=True)

    def pools_page() -> PoolsPage:
        from lvqi_desktop.ui.pools.page import PoolsPage
        pools = window.show_page(PoolsPage.title)
        assert isinstance(pools, PoolsPage)
        return pools

    def open_record(record_id: int) -> None:
        pools_page().open_record(record_id)

    def enter_scale_up(enterprise_id: int) -> None:
        pools_page().add_record(enterprise_id, "scale_up")

    reminders.record_requested.connect(open_record)
    reminders.enterprise_requested.connect(enter_scale_up)

    def open_firm(enterprise_id: int) -> None:
        from lvqi_desktop.ui.registry_page import RegistryPage
        registry = window.show_page(RegistryPage.title)
        assert isinstance(registry, RegistryPage)
        registry.open_enterprise(enterprise_id)

    reminders.firm_requested.connect(open_firm)
    start.add_section(reminders)
    missing = MissingReportsWidget(window.services, background=True)
    missing.open_requested.connect(lambda: window.show_page(MONITORING))
    start.add_section(missing)


def make_main_window(services: Services) -> MainWindow:
    """The main window with its pages (the WindowHost adds undo, backups and history, and shows it)."""
    window = MainWindow(services, build_pages(services))
    wire_start_page(window)
    wire_dashboard(window)
    return window


def open_or_recover(data_dir: DataDir, read_only: bool = False) -> Services | None:
    """The services on the database; one found damaged after a normal exit gets the same offer of the newest
    good backup as after a crash (None: the user declined, or there was none). `read_only`: opened as it is."""
    if read_only:
        return open_services(data_dir, read_only=True)
    try:
        return open_services(data_dir)
    except DatabaseRefused:
        if data_dir.server:  # a server has no local backups to offer
            raise
        if not check_before_opening(data_dir, True):
            return None
        return open_services(data_dir)


def offer_local_file(data_dir: DataDir, exc: LvqiError) -> None:
    """The server saved in 设置 cannot be opened: the way back to the local file, since 设置 is out of reach."""
    if messages.confirm(None, f"{exc}\n\n这个数据库服务器地址是在“设置 → 数据库服务器”中保存的。要清除它、下次启动改用本机的"
                              f"数据文件（{data_dir.database}）吗？服务器上的数据不受影响。", "无法打开数据库"):
        forget_server(data_dir)
        messages.inform(None, "已清除保存的数据库服务器地址。请重新启动程序。", "数据库服务器")


def start_gui(data_dir: DataDir, unclean_exit: bool = False, read_only: bool = False
              ) -> tuple[MainWindow | None, int]:
    """Open everything and show the main window; returns (window, exit code if it must stop).

    After an unclean exit the database is checked first; a damaged one is not opened for editing.
    A `read_only` folder is opened for reading only: no backups, no checks that write, no setup.
    """
    if not read_only and not data_dir.server and not check_before_opening(data_dir, unclean_exit):
        return None, 1
    try:
        services = open_or_recover(data_dir, read_only)
    except LvqiError as exc:
        if data_dir.server_saved:
            offer_local_file(data_dir, exc)
        else:
            messages.show_error(None, exc, "无法打开数据库")
        return None, 1
    if services is None:
        return None, 1
    unfinished = None if read_only else services.exchange.unfinished_import()
    if unfinished:  # the program (or the server) went away in the middle of an import
        messages.inform(None, unfinished, "上次导入报送包未完成")
    behind = services.clock_check.behind()
    if behind is not None and not messages.confirm(
            None, f"{behind}\n\n仍要按现在的日期继续使用吗？选“否”将退出程序，校正时钟后再打开。", "电脑时钟不对",
            default_yes=False):
        services.close()
        return None, 0
    if services.office_info() is None and read_only:
        messages.show_error(None, f"数据文件夹“{data_dir.root}”是只读的，而其中的数据还没有设置所属单位，无法打开。"
                                  "请把数据文件夹复制到可写的本地文件夹后再打开。", "无法打开数据库")
        services.close()
        return None, 1
    if services.office_info() is None:
        dialog = SetupDialog(services)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, 0
        services.forget_office()
    if services.on_server:  # the clerk's own PostgreSQL role names them (docs/city-server.md §2): nothing to pick
        operator: str | None = services.office.current_operator
    else:
        operator = choose_operator(services)
    if operator is None:
        return None, 0
    services.office.use_operator(operator)
    host = WindowHost(make_main_window)
    window = host.open(services)
    assert host.safety is not None
    if not read_only and not data_dir.server:  # the server is backed up with pg_dump (docs/city-server.md)
        host.safety.checks.schedule()  # the daily backup and weekly check, never blocking start-up
    return window, 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    smoke = args.smoke or args.startup_time
    data_dir = smoke_test.smoke_data_dir(args.data_dir) if smoke else resolve_data_dir(args.data_dir, args.database)
    app = make_qapplication()
    if smoke:
        echo_dialogs(app, data_dir)
    try:
        log_path = setup_logging(data_dir.logs)
    except OSError:
        log_path = Path("(无法写入日志)")
    install_excepthook(log_path)
    use_ini_settings(data_dir)
    if data_dir.server_note and not smoke:  # a damaged server.json: told, and the local file opened instead
        log.warning("saved server address ignored: %s", data_dir.server_note)
        messages.show_error(None, data_dir.server_note, "数据库服务器设置")
    if is_read_only(data_dir) and not smoke:
        return run_read_only(app, data_dir)
    lock = writer_lock(data_dir)
    try:
        got_lock = lock.try_acquire()
    except OSError as exc:
        messages.show_error(None, f"数据文件夹“{data_dir.root}”无法使用（{exc.strerror or exc}）。请用 --data-dir 指定一个可写的本地文件夹。",
                            "无法启动")
        return 1
    if not got_lock:
        answer = ask_to_raise(data_dir)
        if answer == RAISED:
            return 0
        if answer == NOT_FOCUSED:
            messages.inform(None, WHERE_IT_IS, "程序已在运行")
            return 0
        messages.show_error(None, "吕企台账已经在运行（同一数据文件夹只能打开一个程序窗口）。"
                                  "请切换到已打开的窗口；如果看不到窗口，请稍候再试。", "程序已在运行")
        return 0
    raise_server = RaiseServer(data_dir)
    hold_app_mutex()  # the installer's AppMutex: an upgrade asks to close the running program first
    if smoke:
        try:
            return run_smoke(data_dir, full=args.smoke)
        finally:
            raise_server.close()
            lock.release()
    raise_server.front = lambda: bring_to_front(None)  # during set-up: the set-up or operator dialog
    health = HealthService(data_dir)
    window, code = start_gui(data_dir, unclean_exit=health.begin_session())
    if window is None:
        if code == 0:  # a damaged database keeps the marker, so the next start checks again
            health.end_session_clean()
        lock.release()
        return code
    host = WindowHost.current
    current = lambda: host.window if host is not None and host.window is not None else window  # noqa: E731
    raise_server.front = lambda: bring_to_front(current())
    QTimer.singleShot(0, window.raise_)
    session_end = SessionEnd(app, [lambda: current().remember_geometry(), raise_server.close, wait_for_background,
                                   lambda: current().services.close(), health.end_session_clean, lock.release])
    try:
        return app.exec()
    finally:
        session_end.run()


def run_read_only(app: QApplication, data_dir: DataDir) -> int:
    """A read-only folder or drive: no lock, no session marker, no backups; the window says so on every page."""
    window, code = start_gui(data_dir, read_only=True)
    if window is None:
        return code
    try:
        return app.exec()
    finally:
        wait_for_background()
        window.services.close()


def echo_dialogs(app: QApplication, data_dir: DataDir) -> None:
    """Smoke modes run unattended: print each message box (title and text) and close it."""

    def close_modal() -> None:
        box = app.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            smoke_test.report(data_dir, f"对话框［{box.windowTitle()}］：{box.text()}")
            box.done(0)

    timer = QTimer(app)
    timer.timeout.connect(close_modal)
    timer.start(100)


def run_smoke(data_dir: DataDir, full: bool) -> int:
    """`--smoke` / `--startup-time`: the Qt-free part (smoke.prepare), then the main window offscreen."""
    run = smoke_test.SmokeRun(data_dir)
    try:
        smoke_test.prepare(run, full=full)
    except LvqiError as exc:
        messages.show_error(None, exc, "无法打开数据库")
        return 1
    services = run.services
    assert services is not None
    try:
        started = time.perf_counter()
        window = make_main_window(services)
        window.show()
        QApplication.processEvents()
        window_ms = (time.perf_counter() - started) * 1000
        if not window.isVisible():
            smoke_test.report(data_dir, "SMOKE FAILED：主窗口没有显示")
            return 1
        if not full:
            smoke_test.report(data_dir, f"STARTUP {smoke_test.process_age_ms() or 0:.0f} ms（进程启动到主窗口显示；主窗口 {window_ms:.0f} ms）")
            return 0
        problems = smoke_test.file_problems(run.files)
        if problems:
            smoke_test.report(data_dir, "SMOKE FAILED：" + "；".join(problems))
            return 1
        smoke_test.report(data_dir, smoke_test.summary(run, window_ms, smoke_test.process_age_ms()))
        return 0
    except Exception as exc:  # noqa: BLE001 - the smoke test must end with a message and a non-zero exit, never hang
        smoke_test.report(data_dir, f"SMOKE FAILED：{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        return 1
    finally:
        wait_for_background()
        services.close()
