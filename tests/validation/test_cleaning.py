"""Every cleaning rule of validation/import_cleaning.py: the value, and the note that reports the change."""

from __future__ import annotations

from datetime import date
from datetime import datetime

import pytest

from lvqi_desktop.models.import_kinds import ENTERPRISES
from lvqi_desktop.validation.import_cleaning import clean_cell
from lvqi_desktop.validation.import_cleaning import code_lookup

F = ENTERPRISES.field


def test_empty_cells_are_empty_and_blank_spaces_are_reported() -> None:
    assert clean_cell(None, F("name")).text == ""
    blank = clean_cell("   ", F("name"))
    assert blank.text == "" and blank.notes == ["只有空格，按空白处理"]


def test_full_width_letters_and_digits_are_folded_and_reported() -> None:
    cell = clean_cell("ＡＢＣ有限公司１２３", F("name"))
    assert cell.text == "ABC有限公司123"
    assert cell.notes and "全角字符改为半角" in cell.notes[0]


def test_a_full_width_space_is_reported_as_a_space() -> None:
    assert clean_cell("吕梁市某公司\u3000", F("name")).notes == ["去掉了首尾空格"]


def test_stray_spaces_are_removed_and_reported() -> None:
    assert clean_cell("  吕梁市某公司 ", F("name")).notes == ["去掉了首尾空格"]
    inner = clean_cell("吕梁市  某公司", F("name"))
    assert inner.text == "吕梁市 某公司" and inner.notes == ["去掉了多余的空格"]
    assert clean_cell("吕梁市某公司", F("name")).notes == []


def test_uscc_turned_into_a_number_is_refused() -> None:
    cell = clean_cell(9.1141e17, F("uscc"))
    assert cell.error and "后几位数字已经丢失" in cell.error and "文本" in cell.error
    text = clean_cell("9.1141E+17", F("uscc"))
    assert text.error and "科学计数法" in text.error


def test_uscc_full_width_and_spaces_are_folded() -> None:
    cell = clean_cell("９１１４ 1102MA0K1234X5", F("uscc"))
    assert cell.text == "91141102MA0K1234X5" and cell.error is None
    assert any("全角字符改为半角" in n for n in cell.notes)


def test_short_numeric_code_is_read_as_text_and_reported() -> None:
    cell = clean_cell(3311.0, F("industry_class"))
    assert cell.text == "3311" and cell.notes == ["数字 3311.0 按文本“3311”读取"]


@pytest.mark.parametrize(("value", "unit", "expected", "note"), [
    (1234.5, None, "1234.5", None),
    ("1,234.50", None, "1234.5", None),
    ("500万元", None, "500", "去掉单元格中的单位“万元”"),
    ("5000000元", None, "500", "按单元格单位“元”换算为万元"),
    (5_000_000, "元", "500", "按表头单位“元”换算为万元"),
    (12345, "千元", "1234.5", "按表头单位“千元”换算为万元"),
    ("８００", None, "800", "全角字符改为半角"),
])
def test_money_units(value, unit, expected, note) -> None:
    cell = clean_cell(value, F("revenue"), unit=unit)
    assert cell.text == expected and cell.error is None
    if note:
        assert any(note in n for n in cell.notes), cell.notes
    else:
        assert cell.notes == []


def test_money_that_is_not_a_number_is_left_for_the_record_check() -> None:
    assert clean_cell("三千万", F("revenue")).text == "三千万"


@pytest.mark.parametrize(("value", "expected", "reported"), [
    (date(2023, 5, 8), "2023-05-08", False),
    (datetime(2023, 5, 8, 0, 0), "2023-05-08", False),
    ("2023-05-08", "2023-05-08", False),
    ("2023.5.8", "2023-05-08", True),
    ("2023年5月8日", "2023-05-08", True),
    ("2023/05/08", "2023-05-08", True),
    ("20230508", "2023-05-08", True),
    (45054, "2023-05-08", True),
    (45054.0, "2023-05-08", True),
    ("２０２３．５．８", "2023-05-08", True),
])
def test_dates(value, expected, reported) -> None:
    cell = clean_cell(value, F("registered_on"))
    assert cell.text == expected and cell.error is None
    assert bool(cell.notes) == reported


def test_serial_date_note_names_the_serial() -> None:
    assert clean_cell(45054, F("registered_on")).notes == ["Excel日期序号 45054 换算为 2023-05-08"]


@pytest.mark.parametrize("value", ["2023.13.1", "明年", "2023-02-30"])
def test_bad_dates_are_refused(value) -> None:
    assert clean_cell(value, F("registered_on")).error


@pytest.mark.parametrize(("value", "expected", "reported"), [
    ("是", "是", False), ("否", "否", False), ("√", "是", True), ("×", "否", True), ("Y", "是", True),
    ("N", "否", True), (True, "是", False), (1.0, "是", True), (0.0, "否", True),
])
def test_yes_no(value, expected, reported) -> None:
    cell = clean_cell(value, F("above_scale"))
    assert cell.text == expected and bool(cell.notes) == reported


def test_unreadable_yes_no_is_refused() -> None:
    assert "是" in (clean_cell("也许", F("above_scale")).error or "")


@pytest.mark.parametrize(("value", "expected"), [("2024-03", "2024-03"), ("2024.3", "2024-03"),
                                                 ("2024年3月", "2024-03"), (date(2024, 3, 1), "2024-03")])
def test_months(value, expected) -> None:
    assert clean_cell(value, F("above_scale_since")).text == expected


def test_years_and_counts() -> None:
    assert clean_cell(2024.0, F("year")).text == "2024"
    year = clean_cell("2024年", F("year"))
    assert year.text == "2024" and year.notes
    assert clean_cell("明年", F("year")).error
    count = clean_cell("45人", F("employees"))
    assert count.text == "45" and count.notes == ["去掉单元格中的单位“人”：45"]
    assert clean_cell(56.0, F("employees")).text == "56"


def test_coded_values_by_label_or_code() -> None:
    lookup = code_lookup({"C": "制造业", "F": "批发和零售业"})
    assert clean_cell("C 制造业", F("industry_section"), lookup=lookup).text == "C"
    assert clean_cell("制造业", F("industry_section"), lookup=lookup).text == "C"
    assert clean_cell("ｃ", F("industry_section"), lookup=lookup).text == "C"
    assert clean_cell("采矿", F("industry_section"), lookup=lookup).error
    owner = code_lookup(ENTERPRISES.field("ownership_type").codes)  # type: ignore[arg-type]
    assert clean_cell("民营", F("ownership_type"), lookup=owner).text == "private"


def test_a_part_of_a_compound_label_is_understood_unless_two_codes_share_it() -> None:
    from lvqi_desktop.models.demands import DEMAND_CATEGORIES

    lookup = code_lookup(DEMAND_CATEGORIES)
    assert (lookup["用地"], lookup["厂房"], lookup["证照"], lookup["环保"], lookup["要素保障"]) == (
        "land", "land", "approval", "env_safety", "utilities")
    shared = code_lookup({"a": "用地/厂房", "b": "厂房/仓库"})
    assert shared["用地"] == "a" and "厂房" not in shared and shared["仓库"] == "b"
