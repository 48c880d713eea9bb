"""The city edition started on the PostgreSQL server: first-run set-up offers only the city; a bad address is told."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QMessageBox

from lvqi_desktop import app
from lvqi_desktop.paths import DataDir
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.backup_sections import BackupSettings
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.setup_dialog import SetupDialog
from tests.ui.safety_window import window_settings

pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures(window_settings.__name__)]


def test_first_start_on_the_server_sets_up_the_city_and_shows_the_main_window(qtbot, tmp_path, pg_url,
                                                                              monkeypatch) -> None:
    seen: list[tuple[bool, bool]] = []

    def accept_as_shown(dialog: SetupDialog) -> int:
        dialog.show()
        seen.append((dialog.city_radio.isChecked(), dialog.county_radio.isEnabled()))
        dialog.grab().save(str(tmp_path / "setup-on-server.png"))
        dialog.preparer_edit.setText("李四")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetupDialog, "exec", accept_as_shown)
    asked: list[bool] = []
    monkeypatch.setattr(app, "choose_operator", lambda services: asked.append(True) or "李四")
    data_dir = DataDir(tmp_path / "local", pg_url)
    window, code = app.start_gui(data_dir)
    assert code == 0 and isinstance(window, MainWindow) and window.isVisible()
    role = urlsplit(pg_url).username
    assert not asked and window.services.office.current_operator == role  # the login role names the clerk
    assert seen == [(True, False)]  # the city chosen, the county choice closed
    assert window.services.office_info().is_city and window.services.on_server
    assert not data_dir.database.exists()  # no local SQLite file was made
    qtbot.waitUntil(lambda: any("pg_dump" in label.text() for label in window.findChildren(QLabel)), timeout=5000)
    window.grab().save(str(tmp_path / "main-on-server.png"))  # the start page says who backs the server up
    settings = BackupSettings(window.services)
    settings.show()
    assert "PostgreSQL 服务器" in settings.location_label.text() and "pg_dump" in settings.rotation_label.text()
    settings.grab().save(str(tmp_path / "settings-on-server.png"))
    answers: list[str] = []

    def read_and_close_the_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            answers.append(box.text())
            box.grab().save(str(tmp_path / "server-test-box.png"))
            box.accept()
        else:
            QTimer.singleShot(50, read_and_close_the_box)

    QTimer.singleShot(50, read_and_close_the_box)
    settings.server_button.click()
    qtbot.waitUntil(lambda: bool(answers), timeout=15000)
    assert "连接成功" in answers[0] and "与本程序一致" in answers[0]
    settings.close()
    window.services.db.dispose()


def test_a_wrong_address_is_told_in_chinese_and_nothing_starts(qtbot, tmp_path, pg_server, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: shown.append(str(text)))
    window, code = app.start_gui(DataDir(tmp_path / "local", pg_server.url(password="wrong")))
    assert window is None and code == 1
    assert len(shown) == 1 and "用户名或密码不对" in shown[0] and "wrong" not in shown[0]
