"""Backups through the GUI: 立即备份, 备份到…, 从备份恢复… (round trip), the sections, the background checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel

from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.services.db_health import HealthReport
from lvqi_desktop.ui import backup_actions
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.registry_page import RegistryPage
from lvqi_desktop.ui.restore_dialog import RestoreDialog
from lvqi_desktop.ui.startup_checks import BackgroundChecks
from tests.ui.safety_window import add
from tests.ui.safety_window import open_window
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    """Every message box, as (kind, text), answered without a user."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "inform_with_action", lambda parent, text, *a, **k: shown.append(("done", text))
                        and False)
    monkeypatch.setattr(messages, "inform", lambda parent, text, *a, **k: shown.append(("inform", text)))
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: shown.append(("error", str(text))))
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: shown.append(("confirm", text)) or True)
    return shown


def age_label(window) -> QLabel:
    label = window.findChild(QLabel, "backup_age")
    assert label is not None
    return label


def registry_names(window) -> list[str]:
    page = window.show_page("企业库")
    assert isinstance(page, RegistryPage)
    page.ensure_loaded()
    return sorted(r.name for r in page.model.shown_rows())


def test_the_file_menu_has_the_backup_actions_and_the_status_bar_the_age(qtbot, services):
    host, window = open_window(qtbot, services)
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["立即备份(&B)", "备份到(&O)…", "从备份恢复(&R)…"]
    assert texts[-1] == "退出(&X)"
    assert age_label(window).text() == "还没有备份"


def test_backup_now_writes_a_backup_and_updates_the_status_bar(qtbot, services, told):
    add(services, "吕梁备份有限公司", seed=21)
    host, window = open_window(qtbot, services)
    host.safety.backups.backup_now()
    settle()
    qtbot.waitUntil(lambda: bool(told))
    made = list(services.data_dir.backups.glob("lvqi-*-manual.sqlite3.gz"))
    assert len(made) == 1
    assert told[0][0] == "done" and made[0].name in told[0][1]
    assert age_label(window).text() == "上次备份：0 分钟前"
    assert window.statusBar().currentMessage() == f"已备份：{made[0].name}"


def test_backup_to_a_folder_writes_a_file_and_the_start_page_shows_the_date(qtbot, services, told, monkeypatch,
                                                                            tmp_path):
    add(services, "吕梁拷出有限公司", seed=22)
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(backup_actions, "ask_backup_folder", lambda parent: stick)
    monkeypatch.setattr(backup_actions.backup_password, "ask_password", lambda parent, twice: "")
    host, window = open_window(qtbot, services)
    reminder = host.safety.reminder
    assert reminder is not None and reminder.reminder_label.isVisibleTo(reminder)
    assert reminder.reminder_label.text().startswith("提醒：还没有把数据拷出过这台电脑")
    assert reminder.status_label.text() == "还没有备份。"  # the reminder already says it; not twice
    host.safety.backups.copy_to_action.trigger()
    settle()
    qtbot.waitUntil(lambda: bool(told))
    written = list(stick.iterdir())
    assert len(written) == 1 and written[0].stat().st_size > 0
    assert told == [("done", told[0][1])] and str(written[0]) in told[0][1]
    assert "最近一次拷出本机" in reminder.status_label.text()
    assert not reminder.reminder_label.isVisibleTo(reminder)


def test_cancelling_the_folder_choice_does_nothing(qtbot, services, told, monkeypatch):
    monkeypatch.setattr(backup_actions, "ask_backup_folder", lambda parent: None)
    host, _window = open_window(qtbot, services)
    assert host.safety.backups.copy_to() is None and told == []


def open_restore_dialog(qtbot, services) -> RestoreDialog:
    dialog = RestoreDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def test_the_restore_dialog_lists_backups_with_date_size_kind_and_counts(qtbot, services):
    add(services, "吕梁一有限公司", seed=23)
    services.backups.backup("manual")
    add(services, "吕梁二有限公司", seed=24)
    bad = services.data_dir.backups / "lvqi-20200101-000000-manual.sqlite3.gz"
    bad.write_bytes(b"not a backup")
    dialog = open_restore_dialog(qtbot, services)
    rows = dialog.model.shown_rows()
    assert len(rows) == 2
    model = dialog.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[:4] == ["备份时间", "类型", "大小", "在册企业（家）"]
    good_row = dialog.model.position_of(str(rows[0].path)) if rows[0].usable else 1
    text = [model.data(model.index(good_row, c)) for c in range(model.columnCount())]
    assert text[1] == "手动备份" and text[3] == "1" and text[6] == "可以恢复"
    assert dialog.count_label.text() == "共 2 份备份，1 份可以恢复"
    assert dialog.restore_button.isEnabled()  # the newest usable one is selected
    qtbot.keyPress(dialog.list.table, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)  # Ctrl held
    dialog.list.select_key(str(bad))
    qtbot.keyRelease(dialog.list.table, Qt.Key.Key_Control)
    assert len(dialog.list.table.selectionModel().selectedRows()) == 1  # the bad one, not both
    assert not dialog.restore_button.isEnabled()


def test_an_empty_backup_folder_says_what_to_do(qtbot, services):
    dialog = open_restore_dialog(qtbot, services)
    assert dialog.list.currentIndex() == 1 and "立即备份" in dialog.list.empty_label.text()


def test_restore_round_trip_reopens_the_window_on_the_restored_data(qtbot, services, told, monkeypatch):
    add(services, "吕梁甲有限公司", seed=25)
    add(services, "吕梁乙有限公司", seed=26)
    backup = services.backups.backup("manual").path
    add(services, "吕梁丙有限公司", seed=27)
    host, old = open_window(qtbot, services)
    assert registry_names(old) == ["吕梁丙有限公司", "吕梁乙有限公司", "吕梁甲有限公司"]

    def drive(services, parent) -> RestoreDialog:
        dialog = RestoreDialog(services, parent)

        def run() -> int:
            dialog.show()
            settle()
            qtbot.waitUntil(lambda: dialog.loaded)
            dialog.list.select_key(str(backup))
            qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
            return dialog.result()

        dialog.exec = run
        return dialog

    monkeypatch.setattr(backup_actions, "make_restore_dialog", drive)
    with qtbot.waitSignal(host.safety.backups.restored, timeout=20000):
        host.safety.backups.restore_action.trigger()
    new = host.window
    assert new is not None and new is not old and new.isVisible() and not old.isVisible()
    assert registry_names(new) == ["吕梁乙有限公司", "吕梁甲有限公司"]
    kinds = [k for k, _ in told]
    assert kinds == ["confirm", "inform"] and "如需撤销这次恢复" in told[1][1]
    assert list(services.data_dir.backups.glob("lvqi-*-before-restore.sqlite3.gz"))
    assert new.statusBar().currentMessage() == f"已从备份恢复：{backup.name}"

    # the restore can itself be undone: restore the safety backup through the new window
    safety = next(services.data_dir.backups.glob("lvqi-*-before-restore.sqlite3.gz"))
    with qtbot.waitSignal(host.safety.backups.restored, timeout=20000):
        host.safety.backups.restore_file(safety)
    newest = host.window
    assert registry_names(newest) == ["吕梁丙有限公司", "吕梁乙有限公司", "吕梁甲有限公司"]
    newest.services.db.dispose()


def test_a_refused_restore_says_why_and_keeps_the_window(qtbot, services, told, tmp_path):
    add(services, "吕梁保留有限公司", seed=28)
    host, window = open_window(qtbot, services)
    junk = tmp_path / "junk.sqlite3.gz"
    junk.write_bytes(b"junk")
    host.safety.backups.restore_file(junk)
    settle()
    qtbot.waitUntil(lambda: bool(told))
    assert told[0][0] == "error" and ("不是 SQLite 数据库" in told[0][1] or "损坏" in told[0][1])
    assert host.window is window
    assert registry_names(window) == ["吕梁保留有限公司"]


def test_settings_page_section_says_where_and_why_and_saves_the_cap(qtbot, services, told):
    host, window = open_window(qtbot, services)
    page = window.show_page("设置")  # the section is made with the page, the first time it is shown
    section = host.safety.settings
    assert section is not None
    assert "数据" in section.location_label.text() and "网络共享盘" in section.location_label.text()
    shown = " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())
    assert not [w for w in ("SQLite", "WAL", "ext4", "个人目录") if w in shown]  # clerks' words, not IT's
    assert "另行指定" in shown  # the test's data folder is not the default one, and the page says so
    assert section.folder_label.text() == str(services.data_dir.backups)
    assert "保留最近 10 份" in section.rotation_label.text()
    section.cap_spin.setValue(500)
    section.save_cap()
    assert services.backups.max_total_bytes() == 500 * 1024 * 1024


def test_background_checks_make_the_daily_backup_and_the_weekly_check(qtbot, services):
    add(services, "吕梁后台有限公司", seed=29)
    host, window = open_window(qtbot, services)
    checks = host.safety.checks
    with qtbot.waitSignal(host.safety.backups.backups_changed, timeout=20000):
        checks.run_backup()
    qtbot.waitUntil(lambda: checks.finished, timeout=20000)
    assert list(services.data_dir.backups.glob("lvqi-*-startup.sqlite3.gz"))
    assert window.statusBar().currentMessage() == "每周数据库完整性检查：正常"
    from lvqi_desktop.services.db_health import HealthService
    assert not HealthService(services.data_dir, services.db).full_check_due()


def test_a_failing_background_backup_shows_a_message_not_a_crash(qtbot, services, told, monkeypatch):
    host, window = open_window(qtbot, services)

    def fail(progress=None):
        raise BackupFailed("磁盘空间不足")

    monkeypatch.setattr(services.backups, "backup_if_due", fail)
    checks = host.safety.checks
    checks.run_backup()
    settle()
    qtbot.waitUntil(lambda: checks.finished, timeout=20000)
    assert told[0][0] == "error" and "自动备份没有做成" in told[0][1] and "磁盘空间不足" in told[0][1]


def test_damage_found_by_the_weekly_check_offers_the_newest_good_backup(qtbot, services, told, monkeypatch):
    add(services, "吕梁好备份有限公司", seed=30)
    services.backups.backup("manual")
    host, window = open_window(qtbot, services)
    good = services.backups.list_backups()[0]
    report = HealthReport(False, "integrity_check", "数据库检查发现损坏（测试）。", "page 5", good)
    with qtbot.waitSignal(host.safety.backups.restored, timeout=20000):
        BackgroundChecks._checked(host.safety.checks, report)
    assert [k for k, _ in told] == ["confirm", "inform"]
    assert host.window is not window
    assert list(services.data_dir.quarantine.iterdir())  # the "damaged" file was moved aside, untouched
    host.window.services.db.dispose()


def test_restore_dialog_exec_returns_the_chosen_file(qtbot, services, told, monkeypatch):
    services.backups.backup("manual")
    dialog = open_restore_dialog(qtbot, services)
    dialog.restore_selected()
    assert dialog.result() == QDialog.DialogCode.Accepted and isinstance(dialog.chosen, Path)
