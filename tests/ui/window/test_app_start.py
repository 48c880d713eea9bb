"""Start-up: first run through start_gui, the unclean-exit check, a second instance, unexpected errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtCore import QProcess
from PySide6.QtCore import QSettings
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMainWindow

from lvqi_desktop import app
from lvqi_desktop.errors import ReadOnlyData
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.startup import open_services
from lvqi_desktop.services.startup import writer_lock
from lvqi_desktop.storage.session_marker import SessionMarker
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.setup_dialog import SetupDialog
from lvqi_desktop.ui.single_instance import NOT_FOCUSED
from lvqi_desktop.ui.single_instance import RAISED
from lvqi_desktop.ui.single_instance import WHERE_IT_IS
from lvqi_desktop.ui.single_instance import RaiseServer
from lvqi_desktop.ui.single_instance import ask_running_instance_to_raise
from lvqi_desktop.ui.single_instance import bring_to_front
from lvqi_desktop.ui.window_host import WindowHost
from tests.conftest import make_uscc
from tests.storage.db_damage import checkpoint
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import sha
from tests.ui.safety_window import add
from tests.ui.safety_window import isolate_settings
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


@pytest.fixture
def first_run(monkeypatch) -> list[str]:
    """The setup dialog accepts 离石区 with a preparer; the operator dialog picks 张三."""
    asked: list[str] = []

    def accept_defaults(dialog: SetupDialog) -> int:
        asked.append("setup")
        dialog.show()
        dialog.county_combo.set_code("141102")
        dialog.preparer_edit.setText("张三")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetupDialog, "exec", accept_defaults)
    monkeypatch.setattr(app, "choose_operator", lambda services: asked.append("operator") or "张三")
    return asked


def test_start_gui_on_a_fresh_data_dir_shows_the_main_window(qtbot, tmp_path, first_run):
    data_dir = DataDir(tmp_path / "fresh")
    window, code = app.start_gui(data_dir)
    assert code == 0 and isinstance(window, MainWindow) and window.isVisible()
    assert first_run == ["setup", "operator"]
    assert window.services.office_info().name == "吕梁市离石区中小企业服务中心"
    assert window.services.office.current_operator == "张三"
    assert [p.title for p in window.pages][:2] == ["首页", "企业库"]
    host = WindowHost.current
    assert host is not None and host.window is window and host.safety is not None
    assert host.safety.undo.undo_action in window.edit_menu.actions()
    assert data_dir.database.exists()
    window.services.db.dispose()


def damaged_data_dir(services) -> tuple[DataDir, str]:
    """A data dir with one good backup (2 enterprises), then a third enterprise, then damage."""
    add(services, "吕梁一有限公司", seed=41)
    add(services, "吕梁二有限公司", seed=42)
    services.backups.backup("manual")
    add(services, "吕梁三有限公司", seed=43)
    services.db.dispose()
    checkpoint(services.data_dir.database)
    corrupt_pages(services.data_dir.database, first=5, count=10)
    return services.data_dir, sha(services.data_dir.database)


def test_after_an_unclean_exit_a_damaged_database_is_restored_from_the_newest_good_backup(
        qtbot, services, first_run, told):
    data_dir, damaged = damaged_data_dir(services)
    window, code = app.start_gui(data_dir, unclean_exit=True)
    assert code == 0 and window is not None
    assert [k for k, _ in told] == ["confirm", "inform"]
    assert "现在不能编辑数据" in told[0][1] and "现在从这份备份恢复吗" in told[0][1]
    assert window.services.enterprises.counts() == (2, 0)
    kept = list(data_dir.quarantine.rglob("lvqi.sqlite3"))
    assert len(kept) == 1 and sha(kept[0]) == damaged  # the damaged file is kept aside untouched
    window.services.db.dispose()


def test_declining_the_restore_does_not_open_the_damaged_database(qtbot, services, first_run, told, monkeypatch):
    data_dir, damaged = damaged_data_dir(services)
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: told.append(("confirm", text)) and False)
    window, code = app.start_gui(data_dir, unclean_exit=True)
    assert window is None and code == 1
    assert sha(data_dir.database) == damaged and first_run == []


def test_after_an_unclean_exit_a_good_database_opens_after_the_quick_check(qtbot, services, first_run, told):
    add(services, "吕梁完好有限公司", seed=44)
    services.db.dispose()
    window, code = app.start_gui(services.data_dir, unclean_exit=True)
    assert code == 0 and window is not None and told == []
    window.services.db.dispose()


def test_a_second_instance_asks_the_running_one_to_come_to_the_front(qtbot, data_dir):
    assert not ask_running_instance_to_raise(data_dir, timeout_ms=200)  # nobody is listening yet
    lock = writer_lock(data_dir)
    assert lock.try_acquire()
    server = RaiseServer(data_dir)
    try:
        assert server.listening
        assert not writer_lock(data_dir).try_acquire()  # the second start cannot take the lock…
        with qtbot.waitSignal(server.raise_requested, timeout=5000):
            assert ask_from_a_second_process(qtbot, data_dir) == RAISED  # …so it asks the first to raise its window
    finally:
        server.close()
        lock.release()


def test_main_as_second_instance_returns_at_once_and_the_first_window_is_raised(qtbot, data_dir, monkeypatch, told):
    lock = writer_lock(data_dir)
    assert lock.try_acquire()
    server = RaiseServer(data_dir)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own; put it back afterwards
    try:
        with qtbot.waitSignal(server.raise_requested, timeout=5000):
            assert app.main(["--data-dir", str(data_dir.root)]) == 0
    finally:
        server.close()
        lock.release()
    # Both ends share this test's one thread, so the first cannot answer while the second waits: the second
    # then says where the program is rather than leaving the clerk with nothing.
    assert told == [("inform", WHERE_IT_IS)]


def ask_from_a_second_process(qtbot, data_dir: DataDir) -> str | None:
    """The second start's side of the round trip, run as a real second process so this one's server can answer."""
    code = ("import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication; "
            "from lvqi_desktop.paths import DataDir; from lvqi_desktop.ui.single_instance import ask_to_raise; "
            "app = QCoreApplication([]); print(ask_to_raise(DataDir(Path(sys.argv[1])), timeout_ms=10000))")
    second = QProcess()
    second.setProgram(sys.executable)
    second.setArguments(["-c", code, str(data_dir.root)])
    second.setWorkingDirectory(str(Path(__file__).resolve().parents[3]))  # lvqi_desktop importable from here
    second.start()
    qtbot.waitUntil(lambda: second.state() == QProcess.ProcessState.NotRunning, timeout=30000)
    answer = bytes(second.readAllStandardOutput().data()).decode().strip()
    return None if answer == "None" else answer


@pytest.mark.parametrize(("focused", "answer"), [(True, RAISED), (False, NOT_FOCUSED)])
def test_the_first_instance_answers_whether_its_window_took_the_focus(qtbot, data_dir, focused, answer):
    server = RaiseServer(data_dir)
    asked: list[str] = []
    server.front = lambda: asked.append("front") or focused
    try:
        assert ask_from_a_second_process(qtbot, data_dir) == answer
        assert asked == ["front"]
    finally:
        server.close()


def test_bring_to_front_restores_a_minimized_window_and_prefers_an_open_modal_dialog(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    assert bring_to_front(window)
    assert not window.isMinimized() and window.isVisible()
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    dialog.hide()
    dialog.showMinimized()
    assert bring_to_front(window)
    assert not dialog.isMinimized() and dialog.isVisible()
    dialog.close()


def test_main_writes_the_unclean_exit_marker_while_running_and_removes_it_on_a_clean_exit(
        qtbot, tmp_path, first_run, monkeypatch):
    data_dir = DataDir(tmp_path / "run")
    marker = SessionMarker(data_dir)
    seen: list[bool] = []

    def run_event_loop() -> int:
        seen.append(marker.left_behind())
        WindowHost.current.window.close()
        return 0

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))
    assert app.main(["--data-dir", str(data_dir.root)]) == 0
    assert seen == [True] and not marker.left_behind()
    assert HealthService(data_dir).begin_session() is False  # the next start is a clean one
    isolate_settings(tmp_path)


def test_session_end_runs_the_normal_exit_clean_up_before_the_event_loop_returns(
        qtbot, tmp_path, first_run, monkeypatch):
    """Windows logging off may end the process inside exec(): the clean-up runs on aboutToQuit already."""
    data_dir = DataDir(tmp_path / "logoff")
    marker = SessionMarker(data_dir)
    seen: list[tuple[bool, bool, bool]] = []

    def run_event_loop() -> int:
        window = WindowHost.current.window
        window.resize(900, 640)
        before = marker.left_behind()
        QApplication.instance().aboutToQuit.emit()  # what Qt emits when the session ends
        probe = writer_lock(data_dir)
        seen.append((before, marker.left_behind(), probe.try_acquire()))
        probe.release()
        return 0

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))
    assert app.main(["--data-dir", str(data_dir.root)]) == 0
    assert seen == [(True, False, True)]  # marker gone and the lock free while the window still existed
    assert QSettings().value("main_window/geometry") is not None  # the window's size was saved
    assert HealthService(data_dir).begin_session() is False
    isolate_settings(tmp_path)


class Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_unexpected_error_dialog_and_the_program_goes_on(qtbot, monkeypatch,
                                                                                           tmp_path):
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages, "show_unexpected",
                        lambda parent, summary, detail, log_path: shown.append((summary, detail, log_path)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook(tmp_path / "logs" / "lvqi.log")
    emitter = Emitter()
    after: list[str] = []

    def broken_slot() -> None:
        raise ZeroDivisionError("测试用的意外错误")

    emitter.fired.connect(broken_slot)
    emitter.fired.emit()
    QTimer.singleShot(0, lambda: after.append("still running"))
    qtbot.waitUntil(lambda: bool(after))
    assert len(shown) == 1
    summary, detail, log_path = shown[0]
    assert summary == "ZeroDivisionError: 测试用的意外错误"
    assert "Traceback" in detail and "broken_slot" in detail
    assert log_path == str(tmp_path / "logs" / "lvqi.log")


def test_open_services_still_works_after_start_gui_closed_its_database(qtbot, tmp_path, first_run):
    data_dir = DataDir(tmp_path / "again")
    window, _code = app.start_gui(data_dir)
    window.services.db.dispose()
    again = open_services(data_dir)
    assert again.office_info() is not None
    again.db.dispose()


def test_a_read_only_folder_opens_saying_so_on_every_page_and_refuses_a_write(qtbot, services, monkeypatch):
    """The read-only path `main` takes when the folder cannot be written (as root chmod would not do it)."""
    add(services, "只读窗口有限公司", seed=51)
    services.db.dispose()
    before = sha(services.data_dir.database)
    monkeypatch.setattr(app, "choose_operator", lambda s: "测试员")
    window, code = app.start_gui(services.data_dir, read_only=True)
    assert code == 0 and window is not None
    assert "只读" in window.windowTitle()
    notice = window.findChild(QLabel, "read_only_notice")
    assert notice is not None and "只读" in notice.text()
    for page in window.pages:
        window.show_page(page.title)
        qtbot.wait(10)
        assert notice.isVisible(), page.title
    window.grab().save("/tmp/r19_read_only_window.png")
    assert window.services.enterprises.counts()[0] == 1
    with pytest.raises(ReadOnlyData, match="只读"):
        window.services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=52), name="不该写入有限公司",
                                                         township_code="141102001", industry_section="C"))
    settle()
    window.services.db.dispose()
    assert sha(services.data_dir.database) == before
