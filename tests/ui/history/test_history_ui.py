"""The 修改记录 tab of the enterprise form and the global history page (工具 → 修改记录…)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lvqi_desktop import clock
from lvqi_desktop.ui import table_export
from lvqi_desktop.ui.history_page import EMPTY_TEXT
from lvqi_desktop.ui.history_page import HistoryPage
from lvqi_desktop.ui.history_page import changes_text
from lvqi_desktop.ui.history_widgets import RecordHistoryWidget
from lvqi_desktop.ui.registry_page import make_enterprise_dialog
from tests.ui.safety_window import add
from tests.ui.safety_window import open_window
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


def rename(services, enterprise_id: int, name: str) -> None:
    draft = services.enterprises.draft(enterprise_id)
    draft.name = name
    services.enterprises.save(draft, enterprise_id)


def test_the_enterprise_form_has_a_history_tab_showing_the_change(qtbot, services):
    enterprise_id = add(services, "吕梁旧名有限公司", seed=11)
    rename(services, enterprise_id, "吕梁新名有限公司")
    dialog = make_enterprise_dialog(services, enterprise_id, None, archived=False)
    qtbot.addWidget(dialog)
    tabs = dialog.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[-1] == "修改记录"
    history = tabs.widget(tabs.count() - 1)
    assert isinstance(history, RecordHistoryWidget) and not history.loaded
    dialog.show()
    tabs.setCurrentIndex(tabs.count() - 1)
    assert history.loaded
    summaries = history.rows_shown()
    assert len(summaries) == 2 and summaries[0].startswith("修改企业") and summaries[1].startswith("新增企业")
    newest = history.tree.topLevelItem(0)
    assert newest.text(1) == "测试员" and newest.text(2) == "修改"
    fields = {newest.child(i).text(3): (newest.child(i).text(4), newest.child(i).text(5))
              for i in range(newest.childCount())}
    assert fields["企业名称"] == ("吕梁旧名有限公司", "吕梁新名有限公司")
    assert history.count_label.text() == "共 2 次修改，最新的在前"


def test_a_new_enterprise_form_has_no_history_tab(qtbot, services):
    dialog = make_enterprise_dialog(services, None, None, archived=False)
    qtbot.addWidget(dialog)
    assert "修改记录" not in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_history_page_filters_by_operator_and_table(qtbot, services):
    first = add(services, "吕梁甲有限公司", seed=12)
    services.office.use_operator("李四")
    rename(services, first, "吕梁甲乙有限公司")
    add(services, "吕梁丙有限公司", seed=13)
    page = HistoryPage(services)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    assert {r.operator for r in page.model.shown_rows()} == {"测试员", "李四"}
    assert [page.operator_combo.itemText(i) for i in range(page.operator_combo.count())] == ["全部", "李四", "测试员"]
    assert page.count_label.text() == f"共 {page.model.rowCount()} 条"

    page.set_operator("李四")
    rows = page.model.shown_rows()
    assert rows and {r.operator for r in rows} == {"李四"}
    assert sorted(r.action_label for r in rows) == ["修改", "新增"]
    assert any("吕梁丙有限公司" in r.summary for r in rows)
    page.list.select_key(rows[0].id)
    assert page.detail.topLevelItemCount() == 1

    page.set_operator("测试员")
    assert {r.operator for r in page.model.shown_rows()} == {"测试员"}
    page.set_table("enterprise")
    assert {r.table for r in page.model.shown_rows()} == {"enterprise"}


def test_history_page_date_range_and_empty_state(qtbot, services):
    add(services, "吕梁甲有限公司", seed=14)
    page = HistoryPage(services)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    assert page.model.rowCount() >= 1
    page.until_edit.set_value(clock.today() - timedelta(days=2))
    assert page.model.rowCount() == 0
    assert page.list.currentIndex() == 1 and page.list.empty_label.text() == EMPTY_TEXT


def test_history_export_goes_through_the_shared_table_export(qtbot, services, monkeypatch, tmp_path):
    enterprise_id = add(services, "吕梁导出有限公司", seed=15)
    rename(services, enterprise_id, "吕梁导出二有限公司")
    page = HistoryPage(services)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    target = tmp_path / "history.xlsx"
    monkeypatch.setattr(table_export, "ask_export_path", lambda parent, title: target)
    monkeypatch.setattr(table_export.messages, "inform_with_action", lambda *a, **k: False)
    page.export_action.trigger()
    settle()
    qtbot.waitUntil(target.exists)
    row = next(r for r in page.model.shown_rows() if r.action == "update")
    assert "企业名称：吕梁导出有限公司 → 吕梁导出二有限公司" in changes_text(row)


def test_tools_menu_opens_one_history_window(qtbot, services):
    add(services, "吕梁窗口有限公司", seed=16)
    host, window = open_window(qtbot, services)
    menu = host.safety.history
    assert menu.action in window.tools_menu.actions()
    menu.action.trigger()
    first = menu.history
    assert first is not None and first.isVisible() and first.page.model.rowCount() >= 1
    menu.action.trigger()
    assert menu.history is first
