"""pytest-qt: enter a month in the grid with the keyboard, see errors and warnings, and completeness change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.form_fields import ERROR_FILL
from lvqi_desktop.ui.form_fields import WARNING_FILL
from lvqi_desktop.ui.monitoring.page import MonitoringPage
from lvqi_desktop.ui.monitoring.start import MissingReportsWidget
from tests.ui.monitoring.conftest import column_of
from tests.ui.monitoring.conftest import on_today
from tests.ui.monitoring.conftest import open_page


def _type(qtbot, page: MonitoringPage, row: int, key: str, text: str) -> None:
    page.grid.setCurrentIndex(page.model.index(row, column_of(page, key)))
    page.grid.setFocus()
    qtbot.keyClick(page.grid, text[0])  # typing starts editing
    editor = page.grid.focusWidget()
    assert editor is not page.grid
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter commits and moves down (queued by the delegate)
    qtbot.waitUntil(lambda: page.grid.state() != page.grid.State.EditingState, timeout=2000)


def test_entering_a_month_in_the_grid_changes_completeness(qtbot, services, monitored) -> None:
    monitored(name="甲公司")
    monitored(name="乙公司")
    page = open_page(qtbot, services)
    assert page.period == "2026-10" and page.model.rowCount() == 2
    assert "应报 2 家，已报 0 家" in page.completeness_label.text()
    assert page.model.data(page.model.index(0, 1)) == "逾期未报"
    _type(qtbot, page, 0, "revenue_ytd", "1234.5")
    assert page.grid.currentIndex().row() == 1  # Enter moved down
    _type(qtbot, page, 1, "revenue_ytd", "88")
    assert page.model.data(page.model.index(0, 1)) == "已修改，未保存"
    page.activateWindow()
    qtbot.waitActive(page)
    qtbot.keyClick(page.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    assert "已保存 2 家企业的2026年10月月报" in page.grid_message.text()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert "应报 2 家，已报 2 家" in page.completeness_label.text()
    assert page.model.data(page.model.index(0, column_of(page, "revenue_ytd"))) in ("1234.5", "88")
    assert page.model.data(page.model.index(0, 1)) == "逾期报送"


def test_errors_are_red_with_the_message_and_nothing_is_saved(qtbot, services, mon, monitored) -> None:
    monitored(name="甲公司")
    page = open_page(qtbot, services)
    _type(qtbot, page, 0, "employees", "-5")
    assert not page.save()
    index = page.model.index(0, column_of(page, "employees"))
    assert page.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == ERROR_FILL
    assert "从业人员期末人数不能为负数" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "不能为负数" in page.grid_message.text()
    assert page.model.data(page.model.index(0, 1)) == "有错误，未保存"
    assert mon.completeness("2026-10").received == 0


def test_warnings_are_amber_and_saved_only_when_confirmed(qtbot, services, mon, monitored, monkeypatch) -> None:
    eid = monitored(name="甲公司")
    for month in ("2026-07", "2026-08", "2026-09"):
        mon.save_report(ReportDraft(eid, month, {"revenue": "100"}, date(2026, 11, 1)))
    page = open_page(qtbot, services)
    _type(qtbot, page, 0, "revenue", "300")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    assert not page.save()
    index = page.model.index(0, column_of(page, "revenue"))
    assert page.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == WARNING_FILL
    assert page.model.data(page.model.index(0, 1)) == "待核实"
    assert mon.completeness("2026-10").received == 0
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    assert page.save()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert mon.report_values(eid, "2026-10") == {"revenue": 300_000_000}


def test_start_page_block_lists_who_is_missing(qtbot, services, mon, monitored) -> None:
    a = monitored(name="甲公司")
    monitored(name="乙公司")
    widget = MissingReportsWidget(services, monitoring=on_today(services))
    qtbot.addWidget(widget)
    assert "2026年10月月报未报 2 家，已逾期" in widget.label.text()
    mon.save_report(ReportDraft(a, "2026-10", {"revenue": "1"}))
    widget.refresh()
    assert "未报 1 家" in widget.label.text() and "乙公司" in widget.label.text()


def test_statisticians_tab_adds_a_person(qtbot, services, monitored) -> None:
    monitored(name="甲公司")
    page = open_page(qtbot, services)
    page.person_name.setText("张三")
    page.person_phone.setText("13800000001")
    page.add_statistician()
    assert page.people_table.rowCount() == 1 and page.people_table.item(0, 1).text() == "张三"
    assert "已登记统计人员" in page.people_message.text()
