"""Settings › 报表表头与签署: typed in the real settings page, stored, and printed on the exported returns."""

from __future__ import annotations

import re
import subprocess

import openpyxl
from PySide6.QtCore import Qt

from lvqi_desktop.ui.settings_page import SettingsPage
from tests.exporters.conftest import needs_poppler


def _type(qtbot, edit, text: str) -> None:
    """Typed when ASCII; Chinese is pasted (QTest cannot type characters outside the keyboard)."""
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def _fill(qtbot, page: SettingsPage) -> None:
    section = page.return_form_section
    for key, text in (("issuer", "吕梁市中小企业服务中心"), ("approval", "吕中小企字〔2026〕1号"),
                      ("valid_until", "2027年12月"), ("unit_head", "王五"), ("statistician", "李四"),
                      ("phone", "0358-8221234")):
        _type(qtbot, section.edits[key], text)
    row = section.return_ids.index("visit_summary")
    section.table.item(row, 1).setText("吕中小企表9号")


@needs_poppler
def test_values_set_in_settings_print_on_the_return(qtbot, services, tmp_path) -> None:
    page = SettingsPage(services)
    qtbot.addWidget(page)
    page.resize(900, 1400)
    _fill(qtbot, page)
    page.show()
    page.return_form_section.grab().save(str(tmp_path / "settings_return_form.png"))
    with qtbot.waitSignal(page.status_message):
        qtbot.mouseClick(page.return_form_section.save_button, Qt.MouseButton.LeftButton)
    assert SettingsPage(services).return_form_section.edits["unit_head"].text() == "王五"  # stored
    result = services.returns.export(["visit_summary"], "2026Q3", ["xlsx", "pdf"], tmp_path)
    (pdf,) = [p for p in result.paths if p.suffix == ".pdf"]
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    for expected in ("表号：吕中小企表9号", "制定机关：吕梁市中小企业服务中心", "批准（备案）文号：吕中小企字〔2026〕1号",
                     "有效期至：2027年12月", "单位负责人：王五", "统计负责人：李四", "联系电话：0358-8221234",
                     "填报单位（盖章）"):
        assert expected in text, expected
    (book,) = [p for p in result.paths if p.suffix == ".xlsx"]
    ws = openpyxl.load_workbook(book).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "表　　号：吕中小企表9号" in cells
    assert any("单位负责人：王五" in c and "联系电话：0358-8221234" in c for c in cells)


def test_a_phone_with_letters_is_refused_and_said_under_the_field(qtbot, services) -> None:
    page = SettingsPage(services)
    qtbot.addWidget(page)
    section = page.return_form_section
    _type(qtbot, section.edits["phone"], "call me")
    section.save()
    assert "联系电话只能包含数字" in section.boxes["phone"].message.text()
    assert services.returns.form_settings().phone == ""
