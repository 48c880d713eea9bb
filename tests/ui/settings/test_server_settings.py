"""设置 → 数据库服务器: type the city server's address, test it, save it for the next start, clear it again."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.engine import make_url

from lvqi_desktop import app
from lvqi_desktop.paths import SERVER_FILE_NAME
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import resolve_data_dir
from lvqi_desktop.paths import save_server
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.settings_page import SettingsPage
from lvqi_desktop.ui.setup_dialog import SetupDialog
from tests.conftest import open_services
from tests.conftest import set_up_city
from tests.pg_cluster import SUPER_PASSWORD
from tests.ui.safety_window import close_windows
from tests.ui.safety_window import isolate_settings
from tests.ui.safety_window import settle


@pytest.fixture(autouse=True)
def ini_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("LVQI_DATABASE", raising=False)
    isolate_settings(tmp_path)
    yield
    settle()
    close_windows()


def answer_boxes(qtbot, answers: list[str], press_yes: bool = True) -> None:
    """Read and close the next message box the real code shows (from a timer: the box is modal)."""

    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            answers.append(box.text())
            yes = box.button(QMessageBox.StandardButton.Yes)
            (yes.click if press_yes and yes is not None else box.accept)()
        else:
            QTimer.singleShot(50, close)

    QTimer.singleShot(50, close)


@pytest.fixture
def city_page(qtbot, blank_services):
    set_up_city(blank_services)
    blank_services.office.use_operator("测试员")
    page = SettingsPage(blank_services)
    qtbot.addWidget(page)
    page.show()
    return page


def test_only_the_city_edition_has_the_server_section(qtbot, services) -> None:
    page = SettingsPage(services)  # 离石区: a county always keeps its local file
    qtbot.addWidget(page)
    assert not hasattr(page, "server_fields")
    assert not any("数据库服务器" in box.title() for box in page.findChildren(QGroupBox))


def test_a_wrong_address_is_refused_in_chinese_and_nothing_is_saved(qtbot, city_page) -> None:
    answers: list[str] = []
    qtbot.keyClicks(city_page.server_fields.address_edit, "http://10.12.0.5/lvqi")
    answer_boxes(qtbot, answers)
    city_page.server_save_button.click()
    assert len(answers) == 1 and "不是数据库服务器地址" in answers[0] and "postgresql://" in answers[0]
    assert not (city_page.services.data_dir.root / SERVER_FILE_NAME).exists()


def test_saving_keeps_the_password_out_of_sight_and_clear_goes_back(qtbot, city_page, tmp_path) -> None:
    data_dir = city_page.services.data_dir
    assert "本机数据文件" in city_page.server_now_label.text() and "没有保存" in city_page.server_saved_label.text()
    qtbot.keyClicks(city_page.server_fields.address_edit, "postgresql://zhangsan@10.12.0.5:5432/lvqi")
    qtbot.keyClicks(city_page.server_fields.password_edit, "s3cret#pw")
    answers: list[str] = []
    answer_boxes(qtbot, answers)
    city_page.server_save_button.click()
    assert len(answers) == 1 and "重新启动程序后生效" in answers[0] and "s3cret" not in answers[0]
    section = next(box for box in city_page.findChildren(QGroupBox) if "数据库服务器" in box.title())
    city_page.resize(1000, 800)
    section.grab().save(str(tmp_path / "settings-server-saved.png"))
    shown = " ".join(label.text() for label in city_page.findChildren(QLabel))
    assert "zhangsan:***@10.12.0.5:5432/lvqi" in shown and "s3cret" not in shown
    assert city_page.server_fields.password_edit.text() == ""
    saved = json.loads(data_dir.server_file.read_text(encoding="utf-8"))
    assert saved == {"database": "postgresql://zhangsan:s3cret%23pw@10.12.0.5:5432/lvqi"}
    assert resolve_data_dir(str(data_dir.root)).server == saved["database"]  # what the next start opens
    assert "本机数据文件" in city_page.server_now_label.text()  # this run stays where it is

    answers.clear()
    answer_boxes(qtbot, answers, press_yes=True)
    city_page.server_clear_button.click()
    assert len(answers) == 1 and "本机的数据文件" in answers[0]
    assert not data_dir.server_file.exists() and resolve_data_dir(str(data_dir.root)).server is None
    assert "没有保存" in city_page.server_saved_label.text()


@pytest.mark.postgresql
def test_typed_address_tested_saved_and_opened_at_the_next_start(qtbot, city_page, pg_server, pg_url, tmp_path,
                                                                   monkeypatch) -> None:
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    address = pg_server.url(database, user=pg_server.user)  # no password: it goes into its own field
    assert SUPER_PASSWORD not in address
    qtbot.keyClicks(city_page.server_fields.address_edit, address)
    qtbot.keyClicks(city_page.server_fields.password_edit, "wrong")
    answers: list[str] = []
    answer_boxes(qtbot, answers)
    city_page.server_fields.test_button.click()
    qtbot.waitUntil(lambda: bool(answers), timeout=20000)
    assert "用户名或密码不对" in answers[0] and "wrong" not in answers[0]

    city_page.server_fields.password_edit.clear()
    qtbot.keyClicks(city_page.server_fields.password_edit, SUPER_PASSWORD)
    answers.clear()
    answer_boxes(qtbot, answers)
    city_page.server_fields.test_button.click()
    qtbot.waitUntil(lambda: bool(answers), timeout=20000)
    assert "连接成功" in answers[0] and "数据库是空的" in answers[0] and SUPER_PASSWORD not in answers[0]

    answers.clear()
    answer_boxes(qtbot, answers)
    city_page.server_save_button.click()
    assert "重新启动程序后生效" in answers[0]
    root = city_page.services.data_dir.root
    city_page.services.db.dispose()

    # the server's database set up for the city by another clerk; this computer starts again with no --database
    first = open_services(DataDir(tmp_path / "other", pg_url))
    first.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    first.db.dispose()
    monkeypatch.setattr(app, "choose_operator", lambda services: "李四")
    window, code = app.start_gui(resolve_data_dir(str(root)))
    assert code == 0 and isinstance(window, MainWindow)
    assert window.services.on_server and window.services.office_info().is_city
    window.services.db.dispose()


def test_a_damaged_saved_address_is_told_at_start_and_the_local_file_opens(qtbot, tmp_path, monkeypatch) -> None:
    root = tmp_path / "data"
    root.mkdir()
    (root / SERVER_FILE_NAME).write_text('{"database": ["not", "an", "address"]}', encoding="utf-8")
    opened: list[DataDir] = []
    monkeypatch.setattr(app, "start_gui", lambda data_dir, **_: (opened.append(data_dir), (None, 0))[1])
    answers: list[str] = []
    answer_boxes(qtbot, answers)
    assert app.main(["--data-dir", str(root)]) == 0
    assert len(answers) == 1 and "已忽略" in answers[0] and "设置 → 数据库服务器" in answers[0]
    assert opened[0].server is None and opened[0].root == root.resolve()


def choose_city(qtbot, blank_services) -> SetupDialog:
    dialog = SetupDialog(blank_services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_fields is not None and not dialog.server_fields.isVisible()  # a county: no server
    qtbot.mouseClick(dialog.city_radio, Qt.MouseButton.LeftButton)
    assert dialog.server_fields.isVisible()
    dialog.preparer_edit.setText("王芳")  # keyClicks types ASCII only offscreen
    return dialog


def test_first_run_city_refuses_a_malformed_server_address_before_writing(qtbot, blank_services) -> None:
    dialog = choose_city(qtbot, blank_services)
    qtbot.keyClicks(dialog.server_fields.address_edit, "10.12.0.5/lvqi")
    answers: list[str] = []
    answer_boxes(qtbot, answers)
    dialog.accept()
    assert len(answers) == 1 and "不是数据库服务器地址" in answers[0]
    assert dialog.result() != QDialog.DialogCode.Accepted and blank_services.office_info() is None
    assert not blank_services.data_dir.server_file.exists()


@pytest.mark.postgresql
def test_first_run_city_tests_and_keeps_the_server_address(qtbot, blank_services, pg_server, pg_url,
                                                           tmp_path) -> None:
    dialog = choose_city(qtbot, blank_services)
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    qtbot.keyClicks(dialog.server_fields.address_edit, pg_server.url(database, user=pg_server.user))
    qtbot.keyClicks(dialog.server_fields.password_edit, SUPER_PASSWORD)
    dialog.grab().save(str(tmp_path / "setup-city-server.png"))
    answers: list[str] = []
    answer_boxes(qtbot, answers)
    dialog.server_fields.test_button.click()
    qtbot.waitUntil(lambda: bool(answers), timeout=20000)
    assert "连接成功" in answers[0]
    answers.clear()
    answer_boxes(qtbot, answers)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and blank_services.office_info().is_city
    assert "重新启动程序后" in answers[0] and SUPER_PASSWORD not in answers[0]
    assert make_url(resolve_data_dir(str(blank_services.data_dir.root)).server) == make_url(pg_url)


def test_a_saved_server_that_cannot_be_reached_offers_the_way_back(qtbot, tmp_path) -> None:
    root = tmp_path / "data"
    save_server(root, "postgresql://zhangsan:s3cret@127.0.0.1:1/lvqi")  # nothing listens on port 1
    data_dir = resolve_data_dir(str(root))
    assert data_dir.server_saved and "s3cret" not in repr(data_dir)
    answers: list[str] = []
    answer_boxes(qtbot, answers)  # 清除 and use the local file?  Yes
    QTimer.singleShot(0, lambda: answer_boxes(qtbot, answers))  # then: 已清除
    window, code = app.start_gui(data_dir)
    assert window is None and code == 1
    assert len(answers) == 2 and "连接不上数据库服务器" in answers[0] and "改用本机" in answers[0]
    assert "s3cret" not in answers[0] and "已清除" in answers[1]
    assert not data_dir.server_file.exists() and resolve_data_dir(str(root)).server is None
