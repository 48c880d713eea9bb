"""The city edition on the PostgreSQL server: 设置, the start page, the status bar and the File menu's backup actions
say that IT backs the server up with pg_dump and show its last backup, never a local backups folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel

from lvqi_desktop.paths import DataDir
from lvqi_desktop.ui import backup_actions
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.settings_page import SettingsPage
from tests.conftest import open_services
from tests.conftest import set_up_city
from tests.ui.safety_window import open_window
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings  # noqa: F401 (fixture)

pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("window_settings")]


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    """The information boxes and the outcome box, as (kind, text), answered without a user."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, *a, **k: shown.append(("inform", text)))
    monkeypatch.setattr(messages, "inform_with_action", lambda parent, text, *a, **k: shown.append(("done", text))
                        and False)
    return shown


@pytest.fixture
def city(tmp_path: Path, pg_url: str):
    s = open_services(DataDir(tmp_path / "local", pg_url))
    set_up_city(s)
    s.office.use_operator("测试员")
    yield s
    s.db.dispose()


def form_labels(section) -> list[str]:
    form = section.layout()
    assert isinstance(form, QFormLayout)
    return [w.text() for i in range(form.rowCount())
            if (item := form.itemAt(i, QFormLayout.ItemRole.LabelRole)) and isinstance(w := item.widget(), QLabel)]


def test_on_the_server_the_pages_name_pg_dump_and_show_the_server_s_last_backup(qtbot, city, told, monkeypatch,
                                                                              tmp_path) -> None:
    host, window = open_window(qtbot, city)
    age = window.findChild(QLabel, "backup_age")
    assert age is not None and age.text() == "服务器备份：未登记"
    reminder = host.safety.reminder
    assert reminder is not None and not reminder.copy_button.isVisibleTo(reminder)  # no USB copy of a server
    assert "服务器数据库还没有登记过备份" in reminder.status_label.text()
    assert reminder.reminder_label.text().startswith("提醒：没有服务器数据库的备份记录")

    page = window.show_page("设置")
    assert isinstance(page, SettingsPage)
    settings = host.safety.settings
    assert settings is not None
    assert form_labels(settings) == ["数据位置：", "备份方式：", "最近备份："]  # no local folder, rules or size cap
    assert "pg_dump" in settings.rotation_label.text() and "backup --record" in settings.rotation_label.text()
    assert "还没有登记过备份" in settings.last_label.text()

    host.safety.backups.backup_now_action.trigger()
    host.safety.backups.restore_action.trigger()
    assert [kind for kind, _ in told] == ["inform", "inform"]
    assert all("信息科" in text and "pg_dump" in text for _, text in told)
    told.clear()

    folder = tmp_path / "服务器备份"
    folder.mkdir()
    monkeypatch.setattr(backup_actions, "ask_backup_folder", lambda parent: folder)
    host.safety.backups.copy_to_action.trigger()  # this computer has pg_dump (PostgreSQL is installed here)
    settle()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    dumps = list(folder.iterdir())
    assert len(dumps) == 1 and dumps[0].read_bytes()[:5] == b"PGDMP"
    assert told[0][0] == "done" and dumps[0].name in told[0][1]
    assert age.text() == "服务器备份：0 分钟前"
    assert dumps[0].name in reminder.status_label.text() and not reminder.reminder_label.isVisibleTo(reminder)
    assert dumps[0].name in settings.last_label.text()
    assert not city.data_dir.backups.exists()  # nothing was written to a local backups folder
