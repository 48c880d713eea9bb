"""备份到… with a password through the window, and a restore that asks for it (issue 18 item 8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lvqi_desktop.ui import backup_actions
from lvqi_desktop.ui.backup_password import PasswordDialog
from lvqi_desktop.ui.backup_password import ask_password
from tests.ui.backups.test_backup_ui import registry_names
from tests.ui.backups.test_backup_ui import told  # noqa: F401 (fixtures)
from tests.ui.safety_window import add
from tests.ui.safety_window import open_window
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)

SECRET = "离石区2026备份"


def test_the_password_dialog_wants_the_same_password_twice(qtbot, tmp_path):
    seen: list[str] = []

    def type_and_accept() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PasswordDialog) and w.isVisible())
        dialog.password.setText(SECRET)
        dialog.again.setText("不一样的密码")
        dialog.accept()
        seen.append(dialog.problem.text())
        dialog.again.setText(SECRET)
        dialog.grab().save(str(tmp_path / "password.png"))
        dialog.accept()

    QTimer.singleShot(50, type_and_accept)
    assert ask_password(None, twice=True) == SECRET
    assert seen == ["两次输入的密码不一致。"]


def test_a_locked_copy_through_the_window_and_back(qtbot, services, told, monkeypatch, tmp_path):  # noqa: F811
    add(services, "吕梁加密有限公司", seed=31)
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(backup_actions, "ask_backup_folder", lambda parent: stick)
    asked: list[bool] = []
    monkeypatch.setattr(backup_actions.backup_password, "ask_password",
                        lambda parent, twice: asked.append(twice) or SECRET)
    host, window = open_window(qtbot, services)
    host.safety.backups.copy_to_action.trigger()
    settle()
    qtbot.waitUntil(lambda: bool(told))
    (locked,) = stick.iterdir()
    assert locked.name.endswith(".lvqi-locked") and "加密备份到" in told[0][1]
    add(services, "吕梁后加有限公司", seed=32)
    with qtbot.waitSignal(host.safety.backups.restored, timeout=20000):
        host.safety.backups.restore_file(locked)
    assert asked == [True, False]
    assert registry_names(host.window) == ["吕梁加密有限公司"]
    host.window.services.db.dispose()
