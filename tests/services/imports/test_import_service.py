"""Dry run and import of enterprises: statuses, cells and reasons, updates old → new, all-or-nothing,
one history batch after a backup, remembered mappings, and the three sheet shapes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook

from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import ImportRefused
from tests.conftest import make_uscc
from tests.sheets.county_sheets import USCC
from tests.sheets.county_sheets import fill_template
from tests.sheets.county_sheets import merged_title_sheet
from tests.sheets.county_sheets import wps_sheet
from tests.sheets.county_sheets import write_rows

HEAD = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "从业人员（人）"]


def _by_row(plan) -> dict:
    return {r.row: r for r in plan.rows}


def test_template_has_header_example_notes_lists_and_text_ids(importer, tmp_path: Path) -> None:
    path = importer.write_template("enterprises", tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert ws["A1"].value == "统一社会信用代码" and ws["B1"].value == "企业名称"
    assert ws["A2"].value and ws["A2"].number_format == "@" and ws["A3"].number_format == "@"
    assert "填写说明" in wb.sheetnames
    lists = wb["_lists"]
    assert lists.sheet_state == "hidden"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("'_lists'!" in f for f in formulas)
    county_values = {c.value for c in lists[1]} | {lists.cell(row=r, column=1).value for r in range(1, 20)}
    assert "离石区" in county_values
    notes = [r[0].value for r in wb["填写说明"].iter_rows(min_row=2) if r[0].value]
    assert "统一社会信用代码" in notes


@pytest.mark.parametrize("kind", ["pools", "helpers", "visits", "demands"])
def test_templates_for_every_kind(importer, tmp_path: Path, kind: str) -> None:
    path = importer.write_template(kind, tmp_path / f"{kind}.xlsx")
    wb = load_workbook(path)
    assert wb.worksheets[0]["A1"].value == "统一社会信用代码" and "_lists" in wb.sheetnames


def test_our_template_round_trip(importer, services, tmp_path: Path) -> None:
    template = importer.write_template("enterprises", tmp_path / "模板.xlsx")
    path = fill_template(template, [
        {"统一社会信用代码": USCC[0], "企业名称": "吕梁市甲机械制造有限公司", "行业门类": "C 制造业", "企业性质": "民营",
         "是否规上": "否", "年度": 2024, "营业收入（万元）": 1234.5, "从业人员（人）": 56, "成立日期": date(2015, 3, 18)},
        {"统一社会信用代码": USCC[1], "企业名称": "吕梁市乙商贸有限公司", "年度": 2024, "营业收入（万元）": "800"},
    ], tmp_path / "填好.xlsx")
    plan = importer.dry_run(path, "enterprises")
    assert plan.summary == {NEW: 2, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
    result = importer.apply(path, "enterprises")
    assert (result.added, result.updated) == (2, 0)
    rows = {r.uscc: r for r in services.enterprises.list_rows()}
    first = rows[USCC[0]]
    assert first.industry_section == "C" and first.latest_revenue_fen == 1_234_500_000 and first.latest_employees == 56
    assert first.registered_on == date(2015, 3, 18)
    draft = services.enterprises.draft(first.id)
    assert draft.ownership_type == "private"


def test_dry_run_writes_nothing_and_lists_statuses_with_cells(importer, services, tmp_path: Path) -> None:
    services.enterprises.save(EnterpriseDraft(uscc=USCC[0], name="吕梁市甲机械制造有限公司",
                                              years=[YearDraft(2024, revenue="100", employees="10")]))
    services.enterprises.save(EnterpriseDraft(uscc=USCC[1], name="吕梁市乙商贸有限公司",
                                              years=[YearDraft(2024, revenue="50")]))
    path = write_rows(tmp_path / "a.xlsx", [HEAD,
                                            [USCC[0], "吕梁市甲机械制造有限公司", 2024, 120, 10],  # update
                                            [USCC[1], "吕梁市乙商贸有限公司", 2024, 50, None],  # unchanged
                                            [USCC[2], "吕梁市丙化工有限公司", 2024, 30, 5],  # new
                                            [USCC[3][:17] + "0", "吕梁市丁食品有限公司", 2024, "三千万", 5]])  # errors
    plan = importer.dry_run(path, "enterprises")
    rows = _by_row(plan)
    assert [rows[r].status for r in (2, 3, 4, 5)] == [UPDATE, UNCHANGED, NEW, ERROR]
    change = rows[2].changes
    assert [(c.cell, c.label, c.old, c.new) for c in change] == [("D2", "2024年营业收入", "100.00", "120.00")]
    assert list(dict(rows[5].errors)) == ["A5"] and "校验位" in dict(rows[5].errors)["A5"]
    assert "不是数字" in dict(rows[5].pending)["D5"]  # an unreadable figure alone would only mark the firm 资料待补充
    assert services.enterprises.counts() == (2, 0)


def test_blank_cells_do_not_clear_stored_values(importer, services, tmp_path: Path) -> None:
    township = services.reference.townships("141102")[0]
    saved = services.enterprises.save(EnterpriseDraft(uscc=USCC[0], name="吕梁市甲机械制造有限公司",
                                                      contact_phone="13912345678", township_code=township.code,
                                                      above_scale=True, above_scale_since="2024-03"))
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "企业名称", "联系电话", "地址", "乡镇（街道）", "是否规上"],
                                            [USCC[0], "吕梁市甲机械制造有限公司", None, "离石区滨河路1号", "", ""]])
    result = importer.apply(path, "enterprises")
    assert result.updated == 1
    draft = services.enterprises.draft(saved.id)
    assert draft.contact_phone == "13912345678" and draft.address == "离石区滨河路1号"
    assert draft.township_code == township.code and draft.above_scale is True


def test_import_applies_valid_rows_in_one_batch_after_a_backup(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1],
                                            [USCC[1], "吕梁市乙有限公司", 2024, 20, 2],
                                            ["bad", "吕梁市丙有限公司", 2024, 30, 3]])
    result = importer.apply(path, "enterprises")
    assert (result.added, result.updated, result.skipped) == (2, 0, 1)
    assert result.backup is not None and result.backup.exists() and "before-import" in result.backup.name
    assert services.enterprises.counts() == (2, 0)
    history = services.history.list(limit=None)
    batch_ids = {h.batch_id for h in history if "从Excel导入企业" in h.summary}
    assert len(batch_ids) == 1
    assert any(h.is_batch for h in history if h.batch_id in batch_ids)
    again = importer.dry_run(path, "enterprises")
    assert again.summary[UNCHANGED] == 2 and again.summary[ERROR] == 1


def test_all_or_nothing_writes_nothing_when_a_row_fails(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1],
                                            [USCC[1], "", 2024, 20, 2]])
    with pytest.raises(ImportRefused, match="第 3 行"):
        importer.apply(path, "enterprises", all_or_nothing=True)
    assert services.enterprises.counts() == (0, 0)
    ok = write_rows(tmp_path / "b.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1]])
    assert importer.apply(ok, "enterprises", all_or_nothing=True).added == 1


def test_duplicated_uscc_in_the_file_reports_both_rows(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1],
                                            [USCC[1], "吕梁市乙有限公司", 2024, 10, 1],
                                            [USCC[0], "吕梁市甲分公司", 2024, 20, 2]])
    rows = _by_row(importer.dry_run(path, "enterprises"))
    assert rows[2].status == rows[4].status == ERROR and rows[3].status == NEW
    assert "第 2 行、第 4 行" in rows[2].errors[0][1] and "第 2 行、第 4 行" in rows[4].errors[0][1]


def test_uscc_mangled_by_excel_is_refused_with_its_row(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [9.1141e17, "吕梁市甲有限公司", 2024, 10, 1],
                                            ["9.1141E+17", "吕梁市乙有限公司", 2024, 10, 1]])
    rows = _by_row(importer.dry_run(path, "enterprises"))
    assert rows[2].status == ERROR and rows[2].errors[0][0] == "A2" and "已经丢失" in rows[2].errors[0][1]
    assert rows[3].errors[0][0] == "A3" and "科学计数法" in rows[3].errors[0][1]


def test_formula_without_cached_value_is_reported_by_cell(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, "=5+5", 1],
                                            ["=A1", "吕梁市乙有限公司", 2024, 1, 1]])
    rows = _by_row(importer.dry_run(path, "enterprises"))
    assert rows[2].status == NEW and rows[2].status_label == "新增（有待补充）"  # a figure: taken without it
    assert rows[2].pending[0][0] == "D2" and "没有保存计算结果" in rows[2].pending[0][1]
    assert rows[3].status == ERROR and rows[3].errors[0][0] == "A3" and "没有保存计算结果" in rows[3].errors[0][1]


def test_two_columns_for_one_field_refuse_the_import(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [["企业名称", "单位名称", "信用代码"], ["甲", "乙", USCC[0]]])
    with pytest.raises(ImportRefused, match="一个字段只能对应一列"):
        importer.dry_run(path, "enterprises")
    with pytest.raises(ImportRefused):
        importer.apply(path, "enterprises")
    assert services.enterprises.counts() == (0, 0)


def test_no_header_is_refused(importer, tmp_path: Path) -> None:
    from lvqi_desktop.sheets.reader import SheetRefused

    path = write_rows(tmp_path / "a.xlsx", [["甲", "乙"], [1, 2]])
    with pytest.raises(SheetRefused, match="没有找到可识别的表头"):
        importer.dry_run(path, "enterprises")


def test_merged_title_sheet_with_units_row(importer, services, tmp_path: Path) -> None:
    plan = importer.dry_run(merged_title_sheet(tmp_path / "台账.xlsx"), "enterprises")
    rows = _by_row(plan)
    assert rows[5].status == NEW and rows[6].status == NEW, [r.errors for r in plan.rows]
    assert plan.skipped_rows == [7] and "合计行" in plan.summary_text()
    assert ("G5", "按表头单位“元”换算为万元：5000000 元 → 500 万元") in rows[5].notes
    assert ("I5", "“√”读作“是”") in rows[5].notes
    assert any(c == "F6" and "2019-06-01" in n for c, n in rows[6].notes)
    assert any("2024 年读取" in n for n in plan.layout.notes)
    importer.apply(plan.path, "enterprises", plan.layout)
    by_uscc = {r.uscc: r for r in services.enterprises.list_rows()}
    assert by_uscc[USCC[0]].latest_revenue_fen == 500 * 1_000_000 and by_uscc[USCC[0]].latest_year == 2024
    assert by_uscc[USCC[0]].latest_employees == 56
    assert by_uscc[USCC[1]].latest_revenue_fen == 1234.56 * 1_000_000


def test_wps_sheet_with_full_width_and_mixed_dates(importer, services, tmp_path: Path) -> None:
    plan = importer.dry_run(wps_sheet(tmp_path / "wps.xlsx"), "enterprises")
    rows = _by_row(plan)
    assert all(r.status == NEW for r in plan.rows), [r.errors for r in plan.rows]
    notes2 = dict(rows[2].notes)
    assert "全角字符改为半角" in notes2["B2"] and "2023-05-08" in notes2["D2"] and "全角" in notes2["F2"]
    assert "首尾空格" in dict(rows[3].notes)["A3"]
    assert "万元" in dict(rows[3].notes)["F3"] and "人" in dict(rows[3].notes)["G3"]
    assert "Excel日期序号 45054" in dict(rows[4].notes)["D4"]
    importer.apply(plan.path, "enterprises", plan.layout)
    got = {r.uscc: r for r in services.enterprises.list_rows()}
    assert got[USCC[2]].name == "吕梁市丙化工有限公司" and got[USCC[2]].latest_revenue_fen == 1_234_500_000
    assert got[USCC[3]].registered_on == got[USCC[4]].registered_on == date(2023, 5, 8)
    assert got[USCC[3]].latest_revenue_fen == 800 * 1_000_000


def test_other_county_is_refused_for_a_county_office(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "企业名称", "所属县区"],
                                            [make_uscc("141121", seed=5), "文水县某有限公司", "文水县"]])
    rows = _by_row(importer.dry_run(path, "enterprises"))
    assert rows[2].status == ERROR and rows[2].errors[0][0] == "C2" and "文水县" in rows[2].errors[0][1]


def test_confirmed_mapping_is_remembered_for_the_same_headers(importer, services, tmp_path: Path) -> None:
    header = ["代码", "企业", "收入"]
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "企业", "联系人"], [USCC[0], "吕梁市甲有限公司", "王五"]])
    layout = importer.open_sheet(path, "enterprises")
    assert {c.header: c.field for c in layout.columns}["企业"] is None
    confirmed = layout.with_mapping({2: "name"})
    importer.remember_mapping("enterprises", confirmed)
    second = write_rows(tmp_path / "b.xlsx", [["信用代码", "企业", "联系人"], [USCC[1], "吕梁市乙有限公司", "赵六"]])
    again = importer.open_sheet(second, "enterprises")
    assert {c.header: c.field for c in again.columns}["企业"] == "name" and again.notes
    assert importer.dry_run(second, "enterprises", again).summary[NEW] == 1
    assert header  # a different header set is not affected
    other = importer.open_sheet(write_rows(tmp_path / "c.xlsx", [["信用代码", "企业", "地址"], [USCC[2], "x", "y"]]),
                                "enterprises")
    assert {c.header: c.field for c in other.columns}["企业"] is None


def test_report_is_saved_with_errors_highlighted(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1],
                                            ["bad", "吕梁市乙有限公司", 2024, 10, 1]])
    plan = importer.dry_run(path, "enterprises")
    report = importer.save_report(plan, tmp_path / "报告.xlsx")
    ws = load_workbook(report).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    bad = [i for i, v in enumerate(values, start=3) if v[1] == "有错误"]
    assert bad and ws.cell(row=bad[0], column=1).fill.fgColor.rgb.endswith("F8D7DA")
    assert str(values[bad[0] - 3][5]).startswith("错误：")


def test_cancel_during_dry_run(importer, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1]])
    progress = SilentProgress()
    progress.cancel_event.set()
    with pytest.raises(Cancelled):
        importer.dry_run(path, "enterprises", progress=progress)


def test_not_yet_supported_kind_says_so(importer, tmp_path: Path) -> None:
    template = importer.write_template("monitoring", tmp_path / "p.xlsx")
    with pytest.raises(ImportRefused, match="尚未开放"):
        importer.dry_run(template, "monitoring")


def test_xls_and_json_mapping_survive(importer, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(HEAD)
    path = tmp_path / "a.xlsx"
    wb.save(path)
    plan = importer.dry_run(path, "enterprises")
    assert plan.rows == [] and json.dumps(plan.summary)


def test_import_rechecks_when_the_register_changed_after_the_preview(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1],
                                            [USCC[1], "吕梁市乙有限公司", 2024, 20, 2]])
    plan = importer.dry_run(path, "enterprises")
    assert plan.summary[NEW] == 2
    services.enterprises.save(EnterpriseDraft(uscc=USCC[0], name="吕梁市甲有限公司"))  # someone else, meanwhile
    result = importer.apply(path, "enterprises", plan.layout, plan=plan)
    assert (result.added, result.updated) == (1, 1)
    assert services.enterprises.counts() == (2, 0)


def test_import_uses_the_previewed_plan_when_nothing_changed(importer, services, tmp_path: Path,
                                                             monkeypatch) -> None:
    from lvqi_desktop.services.imports import service as xlsx_import

    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10, 1]])
    plan = importer.dry_run(path, "enterprises")
    monkeypatch.setattr(xlsx_import._Evaluator, "run", lambda self: pytest.fail("checked twice"))
    assert importer.apply(path, "enterprises", plan.layout, plan=plan).added == 1


def test_cancel_during_import_writes_nothing(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, *[[make_uscc(seed=900 + i), f"吕梁市{i}号有限公司", 2024, 10, 1]
                                                    for i in range(30)]])

    class CancelWhileWriting(SilentProgress):
        def update(self, done: int, total: int, message: str = "") -> None:
            if "写入" in message:
                self.cancel_event.set()

    with pytest.raises(Cancelled):
        importer.apply(path, "enterprises", progress=CancelWhileWriting())
    assert services.enterprises.counts() == (0, 0)


def test_the_template_example_row_is_valid_but_never_imported(importer, services, tmp_path: Path) -> None:
    template = importer.write_template("enterprises", tmp_path / "模板.xlsx")
    plan = importer.dry_run(template, "enterprises")
    assert [r.status for r in plan.rows] == [ERROR]
    assert plan.rows[0].errors == [("A2", "这是导入模板自带的示例行，请删除后再导入")]


def test_an_import_is_one_undoable_step(importer, services, tmp_path: Path) -> None:
    services.enterprises.save(EnterpriseDraft(uscc=USCC[2], name="吕梁市丙化工有限公司"))
    result = importer.apply(wps_sheet(tmp_path / "wps.xlsx"), "enterprises")
    assert (result.added, result.updated) == (2, 1)
    assert services.undo.undo_label() == f"撤销：{result.label}"
    services.undo.undo()
    assert services.enterprises.counts() == (1, 2)  # the two new ones archived, never deleted
    (left,) = services.enterprises.list_rows()
    assert left.uscc == USCC[2] and left.latest_revenue_fen is None and left.registered_on is None


def test_yearly_figures_of_a_year_the_city_received_are_refused(importer, services, tmp_path: Path) -> None:
    """A locked year (the city accepted the 2024 package): the bulk import refuses its figures, changes nothing."""

    from lvqi_desktop.errors import ValidationFailed
    from lvqi_desktop.storage import period_lock

    with services.db.unit_of_work() as uow:
        period_lock.lock_period(uow.session, "2024", "00000000-0000-0000-0000-000000000000", clock.now())
        uow.commit()
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[2], "吕梁市丙化工有限公司", 2024, 30, 5]])
    with pytest.raises(ValidationFailed) as err:
        importer.apply(path, "enterprises")
    assert "2024年" in str(err.value) and "重新打开该期" in str(err.value)
    assert services.enterprises.counts() == (0, 0)


def test_new_firms_written_in_several_chunks_all_arrive_with_their_years(importer, services, tmp_path: Path,
                                                                         monkeypatch) -> None:
    from lvqi_desktop.services.imports import service as xlsx_import

    monkeypatch.setattr(xlsx_import, "_INSERT_CHUNK", 2)  # 5 new firms: chunks of 2, 2 and 1
    firms = [[make_uscc(seed=70 + n), f"吕梁分批{n}号有限公司", 2024, 100 + n, 10 + n] for n in range(5)]
    path = write_rows(tmp_path / "a.xlsx", [HEAD, *firms])
    result = importer.apply(path, "enterprises")
    assert result.added == 5
    rows = {r.name: r for r in services.enterprises.list_rows()}
    assert sorted(rows) == sorted(f[1] for f in firms)
    assert [rows[f[1]].latest_employees for f in firms] == [10, 11, 12, 13, 14]
    assert len({r.id for r in rows.values()}) == 5
