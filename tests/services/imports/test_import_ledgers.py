"""Messy county ledgers as WPS/Excel users make them (issue 17): each comes in whole except what would make a
record wrong or ambiguous; what is missing is listed as 资料待补充 and kept in 备注, never silently dropped."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from lvqi_desktop.models.enterprise import parse_marks
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UPDATE
from tests.conftest import make_uscc

U = [make_uscc(seed=700 + i) for i in range(12)]


def _book(path: Path, rows: list[list[object]], merges: tuple[str, ...] = (), hidden: list[list[object]] | None = None
          ) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    if hidden is not None:
        h = wb.create_sheet("旧表")
        for row in hidden:
            h.append(row)
        h.sheet_state = "hidden"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def _stored(services, uscc: str):
    with services.db.unit_of_work() as uow:
        e = uow.enterprises.by_uscc("141102", uscc)
        return (e.name, e.above_scale, e.above_scale_since, e.registered_on, e.remarks, e.incomplete,
                {y.year: (y.revenue_fen, y.employees, y.rd_expense_fen) for y in e.years})


def _plan(importer, path: Path):
    return {r.row: r for r in importer.dry_run(path, "enterprises").rows}


def test_two_header_rows_with_a_year_merged_over_its_measures(importer, services, tmp_path: Path) -> None:
    path = _book(tmp_path / "两行表头.xlsx", [
        ["离石区重点企业台账"],
        ["序号", "企业名称", "统一社会信用代码", "2023年", None, None, "2024年", None, None, None],
        [None, None, None, "营业收入", "从业人数", "研发投入", "营业收入", "从业人数", "研发投入", None],
        [1, "吕梁市两行甲有限公司", U[0], 100, 10, 5, 120, 12, 6, "重点"],
        [2, "吕梁市两行乙有限公司", U[1], 200, 20, None, 210, 22, None, None],
    ], merges=("A1:J1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:I2"))
    plan = importer.dry_run(path, "enterprises")
    assert plan.layout.header_row == 3 and plan.layout.first_data_row == 4
    assert [r.status for r in plan.rows] == [NEW, NEW]
    unmapped = [c.header for c in plan.layout.columns if not c.field]
    assert unmapped == ["序号", "（无表头的第 J 列）"]  # never dropped unseen
    importer.apply(path, "enterprises", plan.layout, plan=plan)
    assert _stored(services, U[0])[6] == {2023: (100_000_000, 10, 5_000_000), 2024: (120_000_000, 12, 6_000_000)}


def test_one_row_per_firm_and_year_is_one_firm_with_its_years(importer, services, tmp_path: Path) -> None:
    path = _book(tmp_path / "长表.xlsx", [
        ["企业名称", "统一社会信用代码", "年度", "营业收入（万元）", "从业人员（人）"],
        ["吕梁市长表甲有限公司", U[0], 2022, 80, 8],
        ["吕梁市长表甲有限公司", U[0], 2023, 90, 9],
        ["吕梁市长表甲有限公司", U[0], 2024, 100, 10],
        ["吕梁市长表乙有限公司", U[1], 2024, 50, 5],
        ["吕梁市长表乙某公司", U[1], 2023, 40, 4],  # one USCC, two names: which one is right?
        ["吕梁市长表丙有限公司", U[2], 2024, 30, 3],
        ["吕梁市长表丙有限公司", U[2], 2024, 31, 3],  # one year twice with other figures
    ])
    rows = _plan(importer, path)
    assert sorted(rows) == [2, 5, 6, 7, 8]
    assert rows[2].status == NEW and any("第 2 行、第 3 行、第 4 行是同一企业" in n for _, n in rows[2].notes)
    assert [rows[r].status for r in (5, 6, 7, 8)] == [ERROR] * 4
    assert "企业名称" in rows[5].errors[0][1] and "2024年“营业收入”（30 / 31）" in rows[7].errors[0][1]
    importer.apply(path, "enterprises")
    assert sorted(_stored(services, U[0])[6]) == [2022, 2023, 2024]


def test_years_side_by_side(importer, services, tmp_path: Path) -> None:
    path = _book(tmp_path / "宽表.xlsx", [
        ["企业名称", "统一社会信用代码", "2023年营业收入", "2024年营业收入", "2024年从业人员"],
        ["吕梁市宽表甲有限公司", U[3], "1,000", "1200万元", "30人"],
    ])
    (row,) = importer.dry_run(path, "enterprises").rows
    assert row.status == NEW and not row.pending
    importer.apply(path, "enterprises")
    assert _stored(services, U[3])[6] == {2023: (1_000_000_000, None, None), 2024: (1_200_000_000, 30, None)}


def test_above_scale_without_its_month_comes_in_marked(importer, services, tmp_path: Path) -> None:
    path = _book(tmp_path / "规上.xlsx", [
        ["企业名称", "统一社会信用代码", "是否规上", "入统年月"],
        *[[f"吕梁市规上{n}号有限公司", U[n], "是", None] for n in range(4)],
        ["吕梁市规上4号有限公司", U[4], "是", "2015.6"],
    ])
    plan = importer.dry_run(path, "enterprises")
    assert [r.status_label for r in plan.rows] == ["新增（有待补充）"] * 4 + ["新增"]
    assert plan.rows[0].pending == [("D2", "已标记为规上企业，请填写入统年月（如 2026-03）（未导入该项）")]
    importer.apply(path, "enterprises")
    _, above, since, _, _, marks, _ = _stored(services, U[0])
    assert (above, since) == (True, None) and list(parse_marks(marks)) == ["above_scale_since"]
    assert _stored(services, U[4])[2] == "2015-06" and _stored(services, U[4])[5] == ""


def test_text_dates_of_every_form(importer, services, tmp_path: Path, fixed_clock) -> None:
    fixed_clock.set(date(2026, 11, 26))
    forms = ["2015.6", "2015年6月", "2015-06", "2016年3月5日", "20170618", 2015.6, 2015.1, "不详", "2031-01-01"]
    path = _book(tmp_path / "日期.xlsx", [["企业名称", "统一社会信用代码", "成立日期"],
                                         *[[f"吕梁市日期{n}号有限公司", U[n], v] for n, v in enumerate(forms)]])
    rows = list(importer.dry_run(path, "enterprises").rows)
    assert all(r.status == NEW for r in rows)
    assert [bool(r.pending) for r in rows] == [True, True, True, False, False, True, True, True, True]
    assert "只写到月（2015年6月），按 2015-06-01 记录" in rows[1].pending[0][1]
    assert "可能是2015年1月，也可能是" in rows[6].pending[0][1]
    assert "不能晚于今天" in rows[8].pending[0][1]
    importer.apply(path, "enterprises")
    stored = [_stored(services, U[n])[3] for n in range(len(forms))]
    assert stored == [date(2015, 6, 1)] * 3 + [date(2016, 3, 5), date(2017, 6, 18), date(2015, 6, 1), None, None, None]
    assert _stored(services, U[7])[4] == "导入时未能采用的原文：成立日期“不详”"


def test_numbers_stored_as_text_with_units(importer, services, tmp_path: Path) -> None:
    path = _book(tmp_path / "单位.xlsx", [
        ["企业名称", "统一社会信用代码", "年度", "营业收入", "从业人员", "研发费用"],
        ["吕梁市单位甲有限公司", U[0], "2024年", "1,234.5万元", "45人", "5000000元"],
        ["吕梁市单位乙有限公司", U[1], 2024, "1.2亿元", "１２", "约50万"],
    ])
    rows = _plan(importer, path)
    assert rows[2].status == NEW and not rows[2].pending
    assert rows[3].status_label == "新增（有待补充）" and rows[3].pending[0][0] == "F3"
    importer.apply(path, "enterprises")
    assert _stored(services, U[0])[6] == {2024: (1_234_500_000, 45, 500_000_000)}
    assert _stored(services, U[1])[6] == {2024: (12_000_000_000, 12, None)}
    assert "2024年研发费用“约50万”" in _stored(services, U[1])[4]


def test_total_and_note_lines_are_skipped(importer, tmp_path: Path) -> None:
    path = _book(tmp_path / "合计.xlsx", [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "年度"],
        ["吕梁市合计甲有限公司", U[0], 10, 2024],
        ["合  计", None, 10, None],
        ["注：本表数据截至2024年底", None, None, None],
        ["填表人：张三　审核人：李四", None, None, None],
    ])
    plan = importer.dry_run(path, "enterprises")
    assert [r.status for r in plan.rows] == [NEW] and plan.skipped_rows == [3, 4, 5]


def test_a_hidden_sheet_is_not_read(importer, tmp_path: Path) -> None:
    old = [["企业名称", "统一社会信用代码", "所属县区", "法定代表人"], ["吕梁市旧表有限公司", U[5], "离石区", "王"]]
    path = _book(tmp_path / "隐藏.xlsx", [["企业名称", "统一社会信用代码"], ["吕梁市新表有限公司", U[6]]], hidden=old)
    plan = importer.dry_run(path, "enterprises")
    assert plan.layout.sheet.name == "台账" and [r.name for r in plan.rows] == ["吕梁市新表有限公司"]


def test_one_name_under_two_usccs_is_refused(importer, services, tmp_path: Path) -> None:
    services.enterprises.save(EnterpriseDraft(uscc=U[9], name="吕梁市已登记有限公司", county_code="141102"))
    path = _book(tmp_path / "重名.xlsx", [
        ["企业名称", "统一社会信用代码"],
        ["吕梁市重名有限公司", U[0]],
        ["吕梁市重名有限公司", U[1]],
        ["吕梁市已登记有限公司", U[2]],
        ["吕梁市不重名有限公司", U[3]],
    ])
    rows = _plan(importer, path)
    assert [rows[r].status for r in (2, 3, 4, 5)] == [ERROR, ERROR, ERROR, NEW]
    assert "第 2 行、第 3 行" in rows[2].errors[0][1] and "已有同名企业" in rows[4].errors[0][1]


def test_real_headers_codes_out_of_list_and_a_formula_in_remarks(importer, services, tmp_path: Path) -> None:
    township = services.reference.townships("141102")[0]
    path = _book(tmp_path / "表头.xlsx", [
        ["企业名称", "统一社会信用代码", "所在乡镇（街道）", "行业类别", "企业性质", "备注", "联系电话"],
        ["吕梁市表头甲有限公司", U[0], township.label, "制造业", "民营", "=B2&\"核实\"", "13912345678"],
        ["吕梁市表头乙有限公司", U[1], "不存在镇", "批发和零售业", "个体户", None, "8221234"],
    ])
    rows = _plan(importer, path)
    assert rows[2].status_label == "新增（有待补充）" and "按公式原文作为文字保存" in rows[2].notes[0][1]
    assert rows[3].status == NEW and sorted(c for c, _ in rows[3].pending) == ["C3", "E3", "G3"]
    importer.apply(path, "enterprises")
    with services.db.unit_of_work() as uow:
        a = uow.enterprises.by_uscc("141102", U[0])
        b = uow.enterprises.by_uscc("141102", U[1])
        assert (a.township_code, a.industry_section, a.remarks) == (township.code, "C", '=B2&"核实"')
        assert (b.township_code, b.industry_section, b.ownership_type, b.contact_phone) == (None, "F", None, "")
        assert b.remarks == "导入时未能采用的原文：企业性质“个体户”；联系电话“8221234”；乡镇（街道）“不存在镇”"


def test_importing_the_missing_facts_clears_the_marks(importer, services, tmp_path: Path) -> None:
    first = _book(tmp_path / "一.xlsx", [["企业名称", "统一社会信用代码", "是否规上", "成立日期"],
                                        ["吕梁市补充有限公司", U[0], "是", "2015年6月"]])
    importer.apply(first, "enterprises")
    assert set(parse_marks(_stored(services, U[0])[5])) == {"above_scale_since", "registered_on"}
    second = _book(tmp_path / "二.xlsx", [["统一社会信用代码", "企业名称", "入统年月"],
                                         [U[0], "吕梁市补充有限公司", "2020-03"]])
    (row,) = importer.dry_run(second, "enterprises").rows
    assert row.status == UPDATE and ("资料待补充", "2 项", "1 项") in [(c.label, c.old, c.new) for c in row.changes]
    importer.apply(second, "enterprises")
    assert list(parse_marks(_stored(services, U[0])[5])) == ["registered_on"]


def test_an_xls_ledger_with_two_header_rows(importer, services, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is needed to write the .xls")
    from tests.sheets.test_sheet_reader_xls import convert_to_xls

    source = _book(tmp_path / "老台账.xlsx", [
        ["企业名称", "统一社会信用代码", "2024年", None, "是否规上"],
        [None, None, "营业收入", "从业人数", None],
        ["吕梁市老台账有限公司", U[0], 300, 30, "√"],
    ], merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2"))
    convert_to_xls([source], tmp_path)
    (row,) = importer.dry_run(tmp_path / "老台账.xls", "enterprises").rows
    assert row.status_label == "新增（有待补充）"
    importer.apply(tmp_path / "老台账.xls", "enterprises")
    assert _stored(services, U[0])[6] == {2024: (300_000_000, 30, None)}


# ---- 资料待补充: the list the clerk works through

def _messy_import(importer, tmp_path: Path) -> Path:
    path = _book(tmp_path / "待补充.xlsx", [
        ["企业名称", "统一社会信用代码", "是否规上", "入统年月", "成立日期", "年度", "营业收入（万元）"],
        ["吕梁市待补甲有限公司", U[0], "是", None, "2015年6月", 2024, 100],
        ["吕梁市待补乙有限公司", U[1], "否", None, "2016-03-05", 2024, "约50"],
        ["吕梁市齐全丙有限公司", U[2], "否", None, "2016-03-05", 2024, 30],
    ])
    importer.apply(path, "enterprises")
    return path


def test_the_list_round_trip_fills_only_the_open_cells_and_clears_the_marks(importer, services, tmp_path: Path
                                                                            ) -> None:
    from openpyxl import load_workbook

    _messy_import(importer, tmp_path)
    listed, firms = importer.write_incomplete_list(tmp_path / "清单.xlsx")
    assert firms == 2
    wb = load_workbook(listed)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert headers == ["统一社会信用代码", "企业名称", "成立日期", "入统年月", "2024年营业收入（万元）", "待补充说明"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert set(rows) == {U[0], U[1]}
    open_cells = {(ws.cell(r, 1).value, headers[c - 1]) for r in rows.values() for c in range(3, 6)
                  if not ws.cell(r, c).protection.locked}
    assert open_cells == {(U[0], "成立日期"), (U[0], "入统年月"), (U[1], "2024年营业收入（万元）")}
    assert ws.protection.sheet and "只写到月" in ws.cell(rows[U[0]], 6).value
    ws.cell(rows[U[0]], 3).value = "2015-06-18"
    ws.cell(rows[U[0]], 4).value = "2018-03"
    ws.cell(rows[U[1]], 5).value = 55
    wb.save(listed)
    plan = importer.dry_run(listed, "enterprises")
    assert [r.status for r in plan.rows] == [UPDATE, UPDATE] and not any(r.pending for r in plan.rows)
    assert "待补充说明" in [c.header for c in plan.layout.columns if not c.field]
    importer.apply(listed, "enterprises", plan.layout, plan=plan)
    name, above, since, registered, _, marks, years = _stored(services, U[0])
    assert (above, since, registered, marks) == (True, "2018-03", date(2015, 6, 18), "")
    assert _stored(services, U[1])[6][2024][0] == 55_000_000 and _stored(services, U[1])[5] == ""
    assert importer.write_incomplete_list(tmp_path / "再导.xlsx")[1] == 0


def test_reminder_filter_cli_and_the_form_clear(importer, services, tmp_path: Path, capsys) -> None:
    from tests.cli.conftest import Cli

    _messy_import(importer, tmp_path)
    got = [(r.name, r.kind_label) for r in services.cultivation.reminders.reminders() if r.kind == "incomplete"]
    assert got == [("吕梁市待补乙有限公司", "资料待补充"), ("吕梁市待补甲有限公司", "资料待补充")]
    marked = services.enterprises.list_rows(EnterpriseFilter(incomplete=True))
    assert [r.name for r in marked] == ["吕梁市待补甲有限公司", "吕梁市待补乙有限公司"]
    assert "已标记为规上企业，请填写入统年月" in marked[0].incomplete[1]
    ran = Cli(services.data_dir.root, capsys)("enterprise", "list", "--incomplete")
    assert ran.code == 0 and "共 2 家企业，资料待补充" in ran.out and "吕梁市待补乙有限公司（" in ran.out
    # the clerk fills 入统年月 in the form: that mark goes, the one for the month-only date stays
    draft = services.enterprises.draft(marked[0].id)
    draft.above_scale_since = "2018-03"
    services.enterprises.save(draft, marked[0].id)
    assert list(parse_marks(_stored(services, U[0])[5])) == ["registered_on"]
