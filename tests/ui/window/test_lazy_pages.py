"""The main window builds a page the first time it is shown, not at start-up (issue 21: a shorter cold start)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolBar

from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.registry_page import RegistryPage
from lvqi_desktop.ui.settings_page import SettingsPage
from tests.ui.safety_window import add
from tests.ui.safety_window import open_window
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


def _toolbar_texts(window) -> list[str]:
    return [a.text() for a in window.findChild(QToolBar, "page_toolbar").actions()]


def test_only_the_start_page_is_built_until_another_is_chosen(qtbot, services) -> None:
    add(services, "吕梁懒加载有限公司", seed=71)
    _host, window = open_window(qtbot, services)
    assert [p.title for p in window.built_pages()] == ["首页"]
    assert not window.findChildren(RegistryPage) and not window.findChildren(SettingsPage)
    assert window._nav.count() == 11 and window._nav.item(1).text() == "企业库"  # listed all the same

    jump = next(a for a in window.view_menu.actions() if a.text() == "企业库")
    jump.trigger()  # Alt+2, as a user would
    registry = window.current_page()
    assert isinstance(registry, RegistryPage) and window.findChildren(RegistryPage) == [registry]
    assert [p.title for p in window.built_pages()] == ["首页", "企业库"]
    assert "新增" in _toolbar_texts(window)  # its toolbar came with it
    qtbot.waitUntil(lambda: registry.model.rowCount() == 1)

    window._nav.setCurrentRow(0)
    window._nav.setCurrentRow(1)
    assert window.current_page() is registry  # built once, kept
    assert not window.findChildren(SettingsPage)


def test_a_page_built_later_still_reaches_the_window(qtbot, services) -> None:
    """Its saves reach the undo menu and its status messages the status bar, like those built at start-up."""
    host, window = open_window(qtbot, services)
    settings = window.show_page("设置")
    assert isinstance(settings, SettingsPage) and host.safety is not None
    assert host.safety.settings is not None and settings.isAncestorOf(host.safety.settings)  # 数据位置与备份
    undo = host.safety.undo.undo_action
    assert not undo.isEnabled()
    add(services, "吕梁后建页面有限公司", seed=72)
    registry = window.show_page("企业库")
    registry.data_changed.emit("enterprise")
    assert undo.isEnabled() and "吕梁后建页面有限公司" in undo.text()
    registry.status_message.emit("已保存：吕梁后建页面有限公司")
    assert window.statusBar().currentMessage() == "已保存：吕梁后建页面有限公司"


def test_asking_for_pages_builds_what_is_asked(qtbot, services) -> None:
    _host, window = open_window(qtbot, services)
    assert len(window.pages) == 11 and len(window.built_pages()) == 1  # counting builds nothing
    last = window.pages[-1]
    assert isinstance(last, SettingsPage) and [p.title for p in window.built_pages()] == ["首页", "设置"]
    assert window._nav.currentRow() == 0  # asked for, not shown
    assert all(isinstance(p, Page) for p in window.pages) and len(window.built_pages()) == 11
