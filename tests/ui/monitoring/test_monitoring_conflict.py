"""Two clerks on one database, the real 运行监测 grid: a month another clerk saved meanwhile is not written over."""

from __future__ import annotations

from lvqi_desktop.services.monitoring import ReportDraft
from tests.ui.monitoring.conftest import column_of
from tests.ui.monitoring.conftest import on_today
from tests.ui.monitoring.conftest import open_page
from tests.ui.monitoring.test_monitoring_page import _type
from tests.ui.two_clerks import close_next_message_box


def test_the_grid_saved_after_another_clerk_is_told_which_firm_and_keeps_the_edits(qtbot, services, mon, monitored,
                                                                                  other_clerk) -> None:
    firm = monitored(name="甲公司")
    page = open_page(qtbot, services)  # the grid read 甲公司's October: not reported yet
    on_today(other_clerk).save_reports("2026-10", [ReportDraft(firm, "2026-10", {"revenue_ytd": "500"})])  # 王五 first
    _type(qtbot, page, 0, "revenue_ytd", "1234.5")
    seen: list[str] = []
    close_next_message_box(seen)
    assert page.save() is False
    assert seen[0] == "记录已被他人修改"
    assert "甲公司 2026年10月" in seen[1] and "该记录已被 王五 于" in seen[1]
    assert mon.report_values(firm, "2026-10")["revenue_ytd"] == 500_000_000  # 王五's 500 万元 stands (in 分)
    cell = page.model.index(0, column_of(page, "revenue_ytd"))
    assert page.model.data(cell) == "1234.5" and page.model.data(page.model.index(0, 1)) == "已修改，未保存"

    page.refresh()  # the clerk reloads: 王五's figure shows, and a change on top of it goes in
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert page.model.data(cell) == "500"
    _type(qtbot, page, 0, "revenue_ytd", "1234.5")
    assert page.save() is True
    assert mon.report_values(firm, "2026-10")["revenue_ytd"] == 1_234_500_000
