"""Layout details a clerk meets every day (issue 16 item 7): columns share the width, the figures name their
year, no empty toolbar strip, the status message stops before the office label, Alt+number reaches every
page, Ctrl+C copies the selected rows, pool ledgers keep the register's column order and 小升规 shows the line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QKeySequence

from lvqi_desktop import clock
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.ui.main_window import PAGE_KEYS
from lvqi_desktop.ui.pools.columns import record_columns
from lvqi_desktop.ui.table_models.enterprise_table import enterprise_columns
from lvqi_desktop.validation.pools import RecordDraft
from tests.conftest import make_uscc
from tests.ui.registry.test_registry_page import open_page
from tests.ui.safety_window import open_window
from tests.ui.safety_window import settle
from tests.ui.safety_window import window_settings

pytestmark = pytest.mark.usefixtures(window_settings.__name__)


def add(services, name: str, seed: int, section: str = "C", **fields) -> int:
    return services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, industry_section=section,
                                                     township_code="141102001", **fields)).id


def section_sizes(table) -> list[int]:
    header = table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)]


def test_columns_fill_a_wide_window_and_return_when_it_narrows(qtbot, services):
    year = clock.today().year - 1
    add(services, "吕梁农林牧渔有限公司", seed=1, section="A", years=[YearDraft(year, revenue="88", employees="3")])
    page = open_page(qtbot, services)
    page.resize(1800, 700)
    qtbot.waitUntil(lambda: abs(sum(section_sizes(page.table)) - page.table.viewport().width()) <= 2)
    titles = [c.title for c in page.model.columns]
    industry = titles.index("行业门类")
    label = page.model.index(0, industry).data()
    assert page.table.horizontalHeader().sectionSize(industry) > page.table.fontMetrics().horizontalAdvance(label)
    wide = section_sizes(page.table)
    page.resize(700, 500)
    qtbot.waitUntil(lambda: section_sizes(page.table) != wide)
    assert sum(section_sizes(page.table)) > page.table.viewport().width()  # natural widths, scrolls sideways
    column = titles.index("数据年度")
    assert titles[column + 1] == "营业收入（万元）" and page.model.index(0, column).data() == f"{year}年"


def test_ctrl_c_copies_the_selected_rows_as_tab_separated_text(qtbot, services):
    add(services, "甲一有限公司", seed=2)
    add(services, "乙二有限公司", seed=3)
    add(services, "丙三有限公司", seed=4)
    page = open_page(qtbot, services)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    page.table.selectRow(0)
    page.table.selectionModel().select(page.model.index(2, 0), QItemSelectionModel.SelectionFlag.Select
                                       | QItemSelectionModel.SelectionFlag.Rows)
    page.table.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keySequence(page.table, QKeySequence.StandardKey.Copy)
    lines = QGuiApplication.clipboard().text().splitlines()
    shown = page.model.shown_rows()
    assert len(lines) == 2
    cells = lines[0].split("\t")
    assert len(cells) == len(page.model.columns) and cells[:2] == [shown[0].uscc, shown[0].name]
    assert lines[1].split("\t")[1] == shown[2].name


def test_window_details(qtbot, services):
    _host, window = open_window(qtbot, services)
    window.show_page("首页")
    assert not window._toolbar.isVisible()  # no empty strip on a page without actions
    window.show_page("企业库")
    assert window._toolbar.isVisible()
    shortcuts = {a.shortcut().toString(): a.text() for a in window.view_menu.actions() if not a.shortcut().isEmpty()}
    assert shortcuts["Alt+0"] == "数据报送" and shortcuts["Alt+-"] == "设置"
    assert len(PAGE_KEYS) >= len(window.pages)
    window.resize(1000, 540)
    settle()
    long_text = "已保存：" + "吕梁市离石区某某某某有限公司" * 12
    window.show_status(long_text)
    shown = window.statusBar().currentMessage()
    assert shown.endswith("…") and window.statusBar().toolTip() == long_text
    assert window.statusBar().fontMetrics().horizontalAdvance(shown) < window._office_label.x()


def test_pool_ledgers_keep_the_register_order_and_scale_up_shows_the_line(services):
    register = [c.title for c in enterprise_columns({})][:2]
    for pool in ("scale_up", "srdi"):
        assert [c.title for c in record_columns(pool, {}, pool == "srdi")][:2] == register
    year = clock.today().year - 1
    firm = add(services, "吕梁小升规有限公司", seed=5, years=[YearDraft(year, revenue="1500")])
    services.cultivation.pools.add_to_pool(firm, RecordDraft(pool="scale_up"))
    row = next(r for r in services.cultivation.pools.list_records() if r.enterprise_id == firm)
    assert f"{year}年营业收入1,500.00万元" in row.scale_line and "还差500.00万元" in row.scale_line
