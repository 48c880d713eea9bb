"""Undo and redo through the Edit menu: after editing an enterprise in its form, and after archiving."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from lvqi_desktop.services.undo import UndoResult
from lvqi_desktop.ui import registry_page
from lvqi_desktop.ui.registry_page import RegistryPage
from lvqi_desktop.ui.undo_actions import UNDO_IDLE
from lvqi_desktop.ui.undo_actions import kinds_of
from tests.ui.safety_window import add
from tests.ui.safety_window import open_window
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


def registry(window) -> RegistryPage:
    page = window.show_page("企业库")
    assert isinstance(page, RegistryPage)
    page.ensure_loaded()
    return page


def names(page: RegistryPage) -> list[str]:
    return sorted(r.name for r in page.model.shown_rows())


def rename_in_form(monkeypatch, qtbot, new_name: str) -> None:
    real = registry_page.make_enterprise_dialog

    def make(services, enterprise_id, parent, archived):
        dialog = real(services, enterprise_id, parent, archived)

        def run() -> int:
            dialog.show()
            name = dialog.basic.widget("name")
            assert isinstance(name, QLineEdit)
            name.setText(new_name)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            return dialog.result()

        dialog.exec = run
        return dialog

    monkeypatch.setattr(registry_page, "make_enterprise_dialog", make)


def test_undo_and_redo_an_edit_made_in_the_form(qtbot, services, monkeypatch):
    enterprise_id = add(services, "吕梁某某科技有限公司", seed=1)
    host, window = open_window(qtbot, services)
    undo = host.safety.undo
    assert undo.undo_action.text() == "撤销：新增企业 吕梁某某科技有限公司"
    assert undo.undo_action.shortcut().toString() == "Ctrl+Z"
    assert undo.redo_action.shortcut().toString() == "Ctrl+Y"
    assert not undo.redo_action.isEnabled()
    assert window.edit_menu.actions()[:2] == [undo.undo_action, undo.redo_action]
    page = registry(window)
    rename_in_form(monkeypatch, qtbot, "吕梁新名字科技有限公司")
    page.open_enterprise(enterprise_id)
    assert names(page) == ["吕梁新名字科技有限公司"]
    assert undo.undo_action.text().startswith("撤销：修改企业 ")
    assert undo.undo_action.isEnabled()

    undo.undo_action.trigger()
    assert names(page) == ["吕梁某某科技有限公司"]
    assert services.enterprises.rows_by_ids([enterprise_id])[0].name == "吕梁某某科技有限公司"
    assert window.statusBar().currentMessage().startswith("已撤销：修改企业 ")
    assert undo.redo_action.isEnabled() and undo.redo_action.text().startswith("重做：修改企业 ")
    assert undo.undo_action.text() == "撤销：新增企业 吕梁某某科技有限公司"

    undo.redo_action.trigger()
    assert names(page) == ["吕梁新名字科技有限公司"]
    assert window.statusBar().currentMessage().startswith("已重做：修改企业 ")
    assert not undo.redo_action.isEnabled()


def test_undo_and_redo_an_archive(qtbot, services, monkeypatch):
    enterprise_id = add(services, "吕梁某某有限公司", seed=2)
    add(services, "吕梁另一家有限公司", seed=3)
    host, window = open_window(qtbot, services)
    undo = host.safety.undo
    page = registry(window)
    page._select_ids([enterprise_id])
    monkeypatch.setattr(registry_page, "ask_archive_reason", lambda parent, ns: "重复登记")
    page.archive_action.trigger()
    assert names(page) == ["吕梁另一家有限公司"]
    assert undo.undo_action.text() == "撤销：归档企业 吕梁某某有限公司"

    history = host.safety.history.show()  # an open history window follows the undo
    before = history.page.model.rowCount()
    undo.undo_action.trigger()
    assert names(page) == ["吕梁另一家有限公司", "吕梁某某有限公司"]
    assert history.page.model.rowCount() == before + 1
    assert any(r.action_label == "撤销" for r in history.page.model.shown_rows())
    assert window.statusBar().currentMessage() == "已撤销：归档企业 吕梁某某有限公司"
    assert undo.redo_action.text() == "重做：归档企业 吕梁某某有限公司"

    undo.redo_action.trigger()
    assert names(page) == ["吕梁另一家有限公司"]
    assert services.enterprises.rows_by_ids([enterprise_id])[0].archived


def test_nothing_to_undo_disables_both_actions(qtbot, services):
    host, _window = open_window(qtbot, services)
    undo = host.safety.undo
    assert undo.undo_action.text() == UNDO_IDLE and not undo.undo_action.isEnabled()
    assert not undo.redo_action.isEnabled()


def test_ctrl_z_in_a_text_field_undoes_the_typing_first_then_the_saved_data(qtbot, services):
    add(services, "吕梁某某有限公司", seed=4)
    add(services, "吕梁另一家有限公司", seed=5)
    host, window = open_window(qtbot, services)
    undo = host.safety.undo
    page = registry(window)
    window.activateWindow()
    page.search_edit.setFocus()
    qtbot.waitUntil(page.search_edit.hasFocus)
    qtbot.keyClicks(page.search_edit, "lv")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.text() == ""  # the typing went, the saved data stayed
    assert services.enterprises.counts() == (2, 0)
    assert undo.undo_action.text() == "撤销：新增企业 吕梁另一家有限公司"
    assert not page.search_edit.isUndoAvailable()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.enterprises.counts() == (1, 1)  # nothing typed left: Ctrl+Z undid the last save
    assert window.statusBar().currentMessage() == "已撤销：新增企业 吕梁另一家有限公司"
    assert undo.undo_action.text() == "撤销：新增企业 吕梁某某有限公司"
    assert names(page) == ["吕梁某某有限公司"]


def test_undo_result_tables_map_to_the_kinds_pages_reload_on():
    result = UndoResult("撤销：x", {"enterprise_year": (1,), "enterprise": (1,), "cultivation_record": (2,),
                                   "helper_assignment": (3,), "demand": (4,)})
    assert kinds_of(result) == ["enterprise", "pool", "assignment", "demand"]
