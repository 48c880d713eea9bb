"""The 报表 page driven through its widgets: pick, validate the period, export in the background, cancel."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.ui.returns_page import ReturnsPage

pytestmark = pytest.mark.usefixtures("page_settings")


def open_page(qtbot, services, folder) -> ReturnsPage:
    page = ReturnsPage(services)
    qtbot.addWidget(page)
    page.folder.setText(str(folder))
    page.show()
    return page


def check(page: ReturnsPage, *ids: str) -> None:
    for i in range(page.list.count()):
        item = page.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ids:
            item.setCheckState(Qt.CheckState.Checked)


def test_catalogue_with_descriptions_and_defaults(qtbot, services, tmp_path) -> None:
    page = open_page(qtbot, services, tmp_path)
    assert page.title == "报表"
    assert page.list.count() == len(services.returns.catalogue())
    assert page.list.item(0).text().startswith("梯度培育企业汇总表（季、年）\n各培育库分层级统计")
    assert page.preparer.text() == "测试员"
    assert page.kind.currentData() == "quarter"
    assert not page.export_button.isEnabled()  # nothing checked yet
    check(page, "demand_ledger")
    assert page.export_button.isEnabled()
    assert "至" in page.period_note.text()


def test_period_problems_are_shown_and_block_export(qtbot, services, tmp_path) -> None:
    page = open_page(qtbot, services, tmp_path)
    check(page, "pool_summary")
    page.kind.setCurrentIndex(0)  # 月报
    assert "不能按月报导出" in page.period_note.text() and not page.export_button.isEnabled()
    page.kind.setCurrentIndex(2)
    page.year.setValue(2099)
    assert "尚未开始" in page.period_note.text() and not page.export_button.isEnabled()


def test_export_runs_in_the_background_and_offers_to_open(qtbot, services, tmp_path) -> None:
    out = tmp_path / "U盘"
    out.mkdir()
    page = open_page(qtbot, services, out)
    check(page, "demand_ledger", "srdi_ledger")
    page.kind.setCurrentIndex(2)
    page.year.setValue(2026)
    page.pdf.setChecked(False)
    with qtbot.waitSignal(page.status_message, timeout=20000) as status:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert status.args[0].startswith("已导出2026年度报表 2 张")
    assert page.open_file.isVisible() and page.open_folder.isVisible()
    assert os.listdir(out) == ["吕梁市离石区中小企业服务中心报表（2026年度）.xlsx"]


def test_cancel_leaves_no_file(qtbot, services, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    page = open_page(qtbot, services, out)
    check(page, "demand_ledger")
    task = page.export()
    task.progress.cancel_event.set()  # what the progress dialog's 取消 does
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)
    assert "已取消导出" in page.outcome.text() and not page.open_file.isVisible()
    assert os.listdir(out) == []


def test_opens_on_the_last_finished_quarter_and_warns_for_a_running_one(qtbot, services, tmp_path, fixed_clock) -> None:
    from datetime import date

    import openpyxl

    fixed_clock.set(date(2026, 11, 26))
    out = tmp_path / "U盘"
    out.mkdir()
    page = open_page(qtbot, services, out)
    assert page.period_code() == "2026Q3"  # the last quarter that has ended, as 数据报送 opens
    check(page, "pool_summary")
    assert "尚未结束" not in page.period_note.text() and page.export_button.isEnabled()
    page.part.setCurrentIndex(3)  # 第四季度, running on 11-26
    assert "2026年第四季度尚未结束" in page.period_note.text() and "#8a5a00" in page.period_note.styleSheet()
    assert page.export_button.isEnabled()  # allowed, with the warning in view
    page.pdf.setChecked(False)
    with qtbot.waitSignal(page.status_message, timeout=20000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert "注意：2026年第四季度尚未结束" in page.outcome.text()
    (name,) = os.listdir(out)
    sheet = openpyxl.load_workbook(out / name).worksheets[0]
    heading = " ".join(str(c.value) for row in sheet.iter_rows(max_row=6) for c in row if c.value)
    assert "（期别未结束，数据截至 2026-11-26）" in heading
