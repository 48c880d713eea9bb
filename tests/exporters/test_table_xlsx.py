"""The generic table export: typed cells, text stays text, nothing becomes a formula, print set-up."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import ExportError
from lvqi_desktop.exporters.table_xlsx import write_table_xlsx
from lvqi_desktop.progress import SilentProgress

HEADERS = ["统一社会信用代码", "企业名称", "营业收入（万元）", "从业人员", "成立日期", "规上", "联系电话"]
ROWS = [
    ["91141102MA0K1234X5", "吕梁建投集团有限公司", 1234.5, 120, date(2015, 6, 18), True, "13812345678"],
    ["91141102MA0K5678Y6", "=HYPERLINK(\"http://x\")", 0.01, 3, None, False, "0358-8221234"],
    ["91141102MA0K0000A1", "+1 公司", None, None, None, False, "@cmd"],
]


@pytest.fixture
def sheet(tmp_path):
    path = write_table_xlsx(tmp_path / "out" / "企业库.xlsx", "企业库（测试）", HEADERS, ROWS,
                            text_columns={0, 6})
    workbook = openpyxl.load_workbook(path)
    yield workbook.active
    workbook.close()


def test_title_is_merged_over_all_columns_and_header_follows(sheet):
    assert sheet["A1"].value == "企业库（测试）"
    assert "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == HEADERS


def test_numbers_stay_numbers_with_formats(sheet):
    revenue, employees = sheet["C3"], sheet["D3"]
    assert revenue.value == 1234.5 and revenue.data_type == "n" and revenue.number_format == "#,##0.00"
    assert employees.value == 120 and employees.number_format == "#,##0"
    assert sheet["E3"].value.date() == date(2015, 6, 18) and sheet["E3"].number_format == "yyyy-mm-dd"
    assert sheet["F3"].value == "是" and sheet["F4"].value == "否"
    assert sheet["C5"].value is None


def test_text_columns_and_formula_looking_text_are_strings(sheet):
    assert sheet["A3"].value == "91141102MA0K1234X5" and sheet["A3"].data_type == "s"
    assert sheet["A3"].number_format == "@"
    name = sheet["B4"]
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"
    assert sheet["B5"].value == "+1 公司" and sheet["B5"].data_type == "s"
    assert sheet["G5"].value == "@cmd" and sheet["G5"].data_type == "s"


def test_print_set_up(sheet):
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G5"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text
    assert sheet.column_dimensions["B"].width >= 20


def test_no_formula_in_sheet_xml(tmp_path):
    import zipfile

    path = write_table_xlsx(tmp_path / "x.xlsx", "标题", ["名称"], [["=1+1"], ["=SUM(A1:A2)"]], set())
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "=1+1" in xml


def test_replaces_existing_file_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"old")
    write_table_xlsx(target, "标题", ["名称"], [["甲"]], set())
    assert openpyxl.load_workbook(target).active["A3"].value == "甲"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


def test_cancel_leaves_nothing_behind(tmp_path):
    progress = SilentProgress()
    progress.cancel_event.set()
    with pytest.raises(Cancelled):
        write_table_xlsx(tmp_path / "x.xlsx", "标题", ["名称"], [["甲"]] * 10, set(), progress=progress)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        write_table_xlsx(blocker / "x.xlsx", "标题", ["名称"], [["甲"]], set())
