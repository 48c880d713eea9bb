"""pytest-qt: the per-firm form, the month loading in the background, answer drop-downs, fees and settings."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui import record_dialog
from lvqi_desktop.ui.monitoring.form import MonitoringReportDialog
from lvqi_desktop.ui.monitoring.form import MultiChoice
from tests.services.monitoring.conftest import TODAY
from tests.ui.monitoring.conftest import column_of
from tests.ui.monitoring.conftest import open_page


def _dialog(qtbot, services, mon, eid: int, month: str = "2026-10") -> MonitoringReportDialog:
    dialog = MonitoringReportDialog(services, eid, month, monitoring=mon)
    qtbot.addWidget(dialog)
    return dialog


def test_a_report_entered_in_the_firm_form_shows_in_grid_and_completeness(qtbot, services, mon, monitored,
                                                                          monkeypatch) -> None:
    monitored(name="甲公司")
    monitored(name="乙公司")
    page = open_page(qtbot, services)
    assert "应报 2 家，已报 0 家" in page.completeness_label.text()

    def fill(dialog: MonitoringReportDialog) -> int:
        assert dialog.data.name == "甲公司"
        dialog.widget("revenue_ytd").setText("1234.5")
        dialog.widget("employees").setText("120")
        combo = dialog.widget("domestic_orders")
        combo.setCurrentIndex(combo.findData("增加"))
        difficulties: MultiChoice = dialog.widget("difficulties")
        difficulties.boxes["招工难"].setChecked(True)
        difficulties.boxes["订单不足"].setChecked(True)
        assert dialog.save()
        return dialog.result()

    monkeypatch.setattr(record_dialog, "exec_dialog", fill)
    row = next(n for n, r in enumerate(page.model.rows) if r.name == "甲公司")
    page.grid.setCurrentIndex(page.model.index(row, 0))
    assert page.open_firm_form()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert page.model.text(row, "revenue_ytd") == "1234.5"
    assert page.model.text(row, "domestic_orders") == "增加"
    assert page.model.text(row, "difficulties") == "订单不足、招工难"
    assert page.model.data(page.model.index(row, 1)) == "逾期报送"
    assert "应报 2 家，已报 1 家" in page.completeness_label.text()
    assert "已保存：甲公司" in page.grid_message.text()


def test_an_invalid_value_shows_under_its_field_and_saves_nothing(qtbot, services, mon, monitored,
                                                                  monkeypatch) -> None:
    eid = monitored(name="甲公司")
    dialog = _dialog(qtbot, services, mon, eid)
    dialog.show()
    dialog.widget("employees").setText("-5")
    dialog.widget("revenue").setText("12")
    assert not dialog.save()
    box = dialog.boxes["employees"]
    assert box.message.isVisible() and "不能为负数" in box.message.text()
    assert box.message.styleSheet() == "color: #c62828;"
    assert not dialog.boxes["revenue"].message.isVisible()
    assert mon.report_values(eid, "2026-10") is None
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *a, **k: asked.append(text) or False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc asks before discarding what was typed
    assert asked and dialog.isVisible()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    dialog.reject()
    assert not dialog.isVisible()


def test_the_form_shows_last_month_last_year_and_the_computed_yoy(qtbot, services, mon, monitored) -> None:
    eid = monitored(name="甲公司")
    mon.save_report(ReportDraft(eid, "2025-10", {"revenue_ytd": "100"}, date(2025, 11, 5)))
    mon.save_report(ReportDraft(eid, "2026-09", {"revenue_ytd": "90"}, date(2026, 10, 5)))
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "120"}, date(2026, 11, 5)))
    mon.save_report(ReportDraft(eid, "2026-10", {"revenue_ytd": "125"}, date(2026, 11, 6)))
    dialog = _dialog(qtbot, services, mon, eid)
    assert dialog.widget("revenue_ytd").text() == "125"
    assert dialog.data.last_month["revenue_ytd"] == "90" and dialog.data.last_year["revenue_ytd"] == "100"
    assert dialog.yoy_labels["revenue_ytd"].text() == "+25.0%"
    assert dialog.tabs.count() == 2 and dialog.tabs.tabText(1) == "修改记录"
    dialog.history.reload()
    assert len(dialog.history.rows_shown()) >= 2


def test_a_warning_needs_confirmation_in_the_form(qtbot, services, mon, monitored, monkeypatch) -> None:
    eid = monitored(name="甲公司")
    for month in ("2026-07", "2026-08", "2026-09"):
        mon.save_report(ReportDraft(eid, month, {"revenue": "100"}, date(2026, 11, 1)))
    dialog = _dialog(qtbot, services, mon, eid)
    dialog.show()
    dialog.widget("revenue").setText("300")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    assert not dialog.save()
    assert "相差超过50%" in dialog.boxes["revenue"].message.text()
    assert mon.report_values(eid, "2026-10") is None
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    assert dialog.save()
    assert mon.report_values(eid, "2026-10") == {"revenue": 300_000_000}


def test_changing_the_month_loads_in_the_background(qtbot, services, mon, monitored) -> None:
    eid = monitored(name="甲公司")
    mon.save_report(ReportDraft(eid, "2026-09", {"revenue_ytd": "77"}, date(2026, 10, 5)))
    page = open_page(qtbot, services)
    assert page.loaded_period == "2026-10" and page.model.text(0, "revenue_ytd") == ""
    page.month_box.setCurrentIndex(page.month_box.findData("2026-09"))
    assert page.loading and page.model.rowCount() == 0  # returned at once; nothing typed can land in October
    assert not page.save()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert page.loaded_period == "2026-09" and page.model.text(0, "revenue_ytd") == "77"
    assert "2026年9月" in page.completeness_label.text()


def test_the_answer_drop_down_writes_the_option(qtbot, services, mon, monitored) -> None:
    eid = monitored(name="甲公司")
    page = open_page(qtbot, services)
    page.grid.setCurrentIndex(page.model.index(0, column_of(page, "operation_status")))
    page.grid.setFocus()
    qtbot.keyClick(page.grid, "2")  # typing starts editing; a digit picks the option by number
    editor = page.grid.focusWidget()
    assert isinstance(editor, QComboBox) and editor.currentText() == "一般"
    editor.setCurrentIndex(editor.findText("差"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.grid.state() != page.grid.State.EditingState, timeout=2000)
    assert page.model.text(0, "operation_status") == "差"
    assert page.save()
    assert mon.report_values(eid, "2026-10") == {"operation_status": "差"}


def test_a_fee_is_marked_paid_and_settings_are_saved(qtbot, services, mon, monitored) -> None:
    eid = monitored(name="甲公司", since=date(2026, 1, 1))
    person = mon.add_statistician(eid, "张三", "13800000001", date(2026, 1, 1))
    for m in range(1, 11):
        mon.save_report(ReportDraft(eid, f"2026-{m:02d}", {"employees": "10"}, date(2026, m + 1, 1)))
    page = open_page(qtbot, services)
    assert not page.mark_fee_paid()  # nothing selected
    page.people_table.selectRow(0)
    assert not page.mark_fee_paid()  # not in the ledger yet: the service's message
    assert "请先登记本年度采集费" in page.people_message.text()
    page.record_fees()
    page.people_table.selectRow(0)
    assert page.mark_fee_paid()
    assert page.people_table.item(0, 8).text().endswith("（已发放）")
    row = next(r for r in mon.assessment(2026) if r.statistician.id == person.id)
    assert row.paid and row.paid_on == TODAY
    page.due_day.setValue(15)
    page.pass_rate.setValue(80)
    page.fee.setText("-1")
    assert not page.save_settings()
    assert page.settings_boxes["fee_fen"].message.text()
    assert mon.settings().due_day == 10
    page.fee.setText("0.2")
    assert page.save_settings()
    saved = mon.settings()
    assert (saved.due_day, saved.pass_on_time_rate, saved.fee_fen) == (15, 0.8, 200_000)
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
