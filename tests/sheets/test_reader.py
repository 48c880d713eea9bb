"""Reading any sheet: refusals with clear messages, header found below a merged title, synonyms, units."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from lvqi_desktop.models.import_kinds import ENTERPRISES
from lvqi_desktop.sheets.column_mapping import choose_layout
from lvqi_desktop.sheets.column_mapping import fold_header
from lvqi_desktop.sheets.column_mapping import mapping_problems
from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.sheets.reader import read_workbook
from tests.sheets.county_sheets import merged_title_sheet
from tests.sheets.county_sheets import wps_sheet
from tests.sheets.county_sheets import write_rows


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("企业名称,信用代码\n甲,123\n", encoding="utf-8")
    with pytest.raises(SheetRefused, match="不是Excel表格"):
        read_workbook(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    with pytest.raises(SheetRefused, match="不是Excel表格"):
        read_workbook(path)


def test_password_protected_file(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00junk" * 200)
    with pytest.raises(SheetRefused, match="设置了打开密码"):
        read_workbook(path)


def test_empty_file_and_empty_workbook(tmp_path: Path) -> None:
    zero = tmp_path / "空.xlsx"
    zero.write_bytes(b"")
    with pytest.raises(SheetRefused, match="空文件"):
        read_workbook(zero)
    blank = tmp_path / "空表.xlsx"
    Workbook().save(blank)
    with pytest.raises(SheetRefused, match="没有任何数据"):
        read_workbook(blank)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SheetRefused, match="找不到文件"):
        read_workbook(tmp_path / "没有.xlsx")


def test_no_recognisable_header(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "x.xlsx", [["甲", "乙", "丙"], [1, 2, 3]])
    assert choose_layout(read_workbook(path), ENTERPRISES) is None


def test_merged_title_synonyms_and_units_row(tmp_path: Path) -> None:
    layout = choose_layout(read_workbook(merged_title_sheet(tmp_path / "台账.xlsx")), ENTERPRISES)
    assert layout is not None
    assert layout.header_row == 3 and layout.units_row == 4 and layout.first_data_row == 5
    by_header = {c.header: c for c in layout.columns}
    assert by_header["单位名称"].field == "name"
    assert by_header["社会信用代码"].field == "uscc"
    assert by_header["县（市、区）"].field == "county_code"
    assert by_header["法人代表"].field == "legal_representative"
    assert by_header["序号"].field is None
    revenue = by_header["2024年营业收入"]
    assert (revenue.field, revenue.year, revenue.unit) == ("revenue", 2024, "元")
    assert by_header["从业人数"].unit == "人"
    assert mapping_problems(layout, ENTERPRISES) == []


def test_full_width_headers_are_folded(tmp_path: Path) -> None:
    layout = choose_layout(read_workbook(wps_sheet(tmp_path / "wps.xlsx")), ENTERPRISES)
    assert layout is not None and layout.header_row == 1
    fields = [c.field for c in layout.columns]
    assert fields == ["name", "uscc", "county_code", "registered_on", "year", "revenue", "employees", "contact_phone"]
    assert fold_header("＊营业收入 （万元）") == fold_header("营业收入(万元)")
    assert fold_header("营业收入\n(元)").unit == "元"


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "dup.xlsx", [["企业名称", "单位名称", "信用代码"], ["甲", "乙", "x"]])
    layout = choose_layout(read_workbook(path), ENTERPRISES)
    problems = mapping_problems(layout, ENTERPRISES)
    assert any("都对应“企业名称”" in p for p in problems)


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "noid.xlsx", [["企业名称", "联系人", "地址"], ["甲", "乙", "丙"]])
    problems = mapping_problems(choose_layout(read_workbook(path), ENTERPRISES), ENTERPRISES)
    assert any("统一社会信用代码" in p for p in problems)


def test_formula_without_cached_value_is_found(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "f.xlsx", [["企业名称", "信用代码", "营业收入"], ["甲", "x", "=1+1"]])
    sheet = read_workbook(path).sheets[0]
    assert set(sheet.formula_without_value) == {(2, 3)}
    assert sheet.formula_without_value[(2, 3)] == "=1+1"  # kept, so a text column can keep it as words
