"""A county clerk's own ledgers (merged two-row titles, 序号, 合计, loose words), each thing that went wrong
when they were imported: one message per bad cell, loose tiers and ledger words read with a note, 走访人,
合计 in the name column, what the CLI leaves out, the saved report's tab, and the dialog on a clerk's sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook

from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.import_dialog import ImportDialog
from tests.cli.conftest import Cli
from tests.conftest import uscc_for
from tests.services.imports.conftest import dated_importer

TODAY = date(2026, 11, 26)
FIRMS = {n: f"吕梁台账{n}号有限公司" for n in range(1, 6)}


@pytest.fixture
def importer(services) -> ImportService:
    return dated_importer(services, FIRMS, registered_on="2015-03-01", helpers=[("王五", "副县长")])


def ledger(path: Path, titles: list[str], header: list[str], rows: list[list[object]]) -> Path:
    """A county's sheet: merged title rows above the header, a 合计 line at the end."""
    wb = Workbook()
    ws = wb.active
    for r, title in enumerate(titles, start=1):
        ws.cell(r, 1, title)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计"] + [None] * (len(header) - 1))
    wb.save(path)
    return path


def _notes(row) -> list[str]:
    return [f"{cell} {text}" for cell, text in row.notes]


def test_a_uscc_mangled_by_excel_gets_one_message_not_two(importer, tmp_path: Path) -> None:
    path = ledger(tmp_path / "名录.xlsx", ["离石区中小企业名录", "填报单位：离石区中小企业服务中心"],
                  ["序号", "单位名称", "统一社会信用代码", "所属县区"],
                  [[1, "吕梁市丁建材有限公司", "9.1141E+17", "离石区"]])
    (row,) = importer.dry_run(path, "enterprises").rows
    assert row.status == ERROR
    assert len(row.errors) == 1 and row.errors[0][0] == "C4" and "科学计数法" in row.errors[0][1]


def test_a_total_line_in_the_name_column_is_skipped_not_refused(importer, tmp_path: Path) -> None:
    path = ledger(tmp_path / "名录.xlsx", ["名录"], ["单位名称", "统一社会信用代码", "营业收入（万元）", "年度"],
                  [["吕梁市甲有限公司", uscc_for(8), 100, 2024]])  # ledger() ends with 合计 in column A
    plan = importer.dry_run(path, "enterprises")
    assert [r.status for r in plan.rows] == [NEW] and plan.skipped_rows == [4]


def test_a_dash_for_none_is_a_blank_cell_with_a_note(importer, tmp_path: Path) -> None:
    path = ledger(tmp_path / "名录.xlsx", ["名录"], ["单位名称", "统一社会信用代码", "年度", "营业收入（万元）", "成立日期",
                                                  "净利润（万元）"],
                  [["吕梁市甲有限公司", uscc_for(8), 2024, "—", "/", None],
                   ["吕梁市乙有限公司", uscc_for(9), 2024, 10, None, "-5"]])
    plan = importer.dry_run(path, "enterprises")
    assert [r.status for r in plan.rows] == [NEW, NEW]  # not refused as “不是数字”
    assert _notes(plan.rows[0]) == ["D3 “—”表示未填，按空白处理", "E3 “/”表示未填，按空白处理"]
    assert _notes(plan.rows[1]) == []  # a negative figure is a figure


def test_loose_tiers_are_read_with_a_note_and_an_unclear_one_is_refused(importer, services, tmp_path: Path) -> None:
    path = ledger(tmp_path / "专精特新.xlsx", ["专精特新梯度培育企业库", "（截至2024年底）"],
                  ["序号", "企业名称", "统一社会信用代码", "库别", "级别", "入库时间", "认定时间", "文号"], [
                      [1, FIRMS[1], uscc_for(1), "专精特新", "创新型", "2023.5.8", None, None],
                      [2, FIRMS[2], uscc_for(2), "专精特新", "省级专精特新", "2023年5月8日", "2023年9月1日",
                       "晋工信〔2023〕12号"],
                      [3, FIRMS[3], uscc_for(3), "专精特新", "小巨人", "2023.5.8", None, None],
                      [4, FIRMS[4], uscc_for(4), "专精特新", "国家级小巨人", "2023.5.8", None, None],
                  ])
    plan = importer.dry_run(path, "pools")
    first, second, third, fourth = plan.rows
    assert "E4 层级“创新型”读作“创新型中小企业”" in _notes(first)
    assert "E5 层级“省级专精特新”读作“省级专精特新中小企业”" in _notes(second)
    assert any("按“已认定”导入" in n for n in _notes(second))  # a 认定日期 means the title is held
    assert third.status == ERROR and len(third.errors) == 1
    assert third.errors[0][0] == "E6" and "省级专精特新“小巨人”企业或国家级专精特新“小巨人”企业" in third.errors[0][1]
    assert "读作“国家级专精特新“小巨人”企业”" in " ".join(_notes(fourth))
    importer.apply(path, "pools", plan.layout)
    stored = {r.name: (r.tier, r.status) for r in services.cultivation.pools.list_records()}
    assert stored[FIRMS[2]][1] in ("recognized", "已认定") and FIRMS[3] not in stored


def test_a_visit_log_with_a_zoufangren_column_is_imported(importer, services, tmp_path: Path) -> None:
    path = ledger(tmp_path / "走访.xlsx", ["入企服务走访记录表"],
                  ["序号", "走访时间", "企业名称", "统一社会信用代码", "包联领导", "走访人"], [
                      [1, "2024.3.5", FIRMS[1], uscc_for(1), "王五", "李明、张华"],
                      [2, 45400, FIRMS[2], uscc_for(2), None, "刘洋"],
                  ])
    plan = importer.dry_run(path, "visits")
    assert "visitors" in [c.field for c in plan.layout.columns]
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert importer.apply(path, "visits", plan.layout).added == 2


def test_a_helper_list_says_which_row_got_todays_start_date(importer, tmp_path: Path) -> None:
    path = ledger(tmp_path / "包联.xlsx", ["2024年县级领导包联企业名单"],
                  ["序号", "包联领导", "职务", "统一社会信用代码", "企业名称"], [
                      [1, "王五", "副县长", uscc_for(1), FIRMS[1]],
                      [2, "王五", "副县长", uscc_for(2), FIRMS[2]],  # one person, two firms
                  ])
    plan = importer.dry_run(path, "helpers")
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert ("第3行", "包联开始日期未填，按今天 2026-11-26") in plan.rows[0].notes  # not the USCC cell D3


def test_ledger_words_for_status_are_said_and_bad_codes_list_the_choices(importer, services, tmp_path: Path) -> None:
    path = ledger(tmp_path / "诉求.xlsx", ["诉求台账"],
                  ["企业名称", "统一社会信用代码", "类别", "诉求内容", "登记日期", "责任单位", "办理时限", "是否办结",
                   "办结时间", "处理结果", "回访结果"], [
                      [FIRMS[1], uscc_for(1), "融资", "流动资金紧张", "2024.3.5", "县农商行", "2024.4.5", "是",
                       "2024.3.30", "已协调贷款", "满意"],
                      [FIRMS[2], uscc_for(2), "融资", "缺钱", "2024.3.5", "县农商行", "2024.4.5", "是",
                       "2024.3.30", "已协调贷款", "比较满意"],
                  ])
    plan = importer.dry_run(path, "demands")
    closed, unclear = plan.rows
    assert closed.status == NEW and "H3 “是”读作“已办结”" in _notes(closed)
    assert unclear.errors == [("K4", "回访满意度“比较满意”不在可选范围内，可选：满意、基本满意、不满意")]
    importer.apply(path, "demands", plan.layout)
    (demand,) = services.demands.list_demands()
    assert demand.status == "resolved"


def test_the_saved_report_has_a_short_tab_and_the_summary_in_its_title(importer, tmp_path: Path) -> None:
    path = ledger(tmp_path / "名录.xlsx", ["名录"], ["单位名称", "统一社会信用代码"],
                  [["吕梁市甲有限公司", uscc_for(8)], ["吕梁市乙有限公司", "9.1141E+17"]])
    report = importer.save_report(importer.dry_run(path, "enterprises"), tmp_path / "报告.xlsx")
    ws = load_workbook(report).active
    assert ws.title == "导入检查报告" and ws["A1"].alignment.wrap_text  # the summary is read whole
    assert "新增 1" in ws["A1"].value and "合计行" in ws["A1"].value
    assert [c.value for c in ws[4]][1:6] == ["有错误", None, "吕梁市乙有限公司", "B4", ws["F4"].value]
    assert ws["F4"].value.startswith("错误：统一社会信用代码“9.1141E+17”")


def test_the_dialog_on_a_clerks_pool_sheet_shows_the_notes(qtbot, importer, services, monkeypatch,
                                                          tmp_path: Path) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(messages, "inform", lambda *a, **k: None)
    path = ledger(tmp_path / "专精特新.xlsx", ["专精特新梯度培育企业库", "（截至2024年底）"],
                  ["序号", "企业名称", "统一社会信用代码", "库别", "级别", "入库时间", "备注说明"], [
                      [1, FIRMS[1], uscc_for(1), "专精特新", "创新型", "2023.5.8", "表外列"],
                      [2, FIRMS[2], uscc_for(2), "专精特新", "小巨人", "2023.5.8", None],
                  ])
    dialog = ImportDialog(None, importer, "pools", str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
    assert "表头在第 3 行" in dialog.info_label.text()
    assert dialog.field_combo("E").currentData() == "tier" and dialog.field_combo("A").currentData() is None
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    model = dialog.preview_model
    assert [model.data(model.index(r, 1)) for r in range(model.rowCount())] == ["新增", "有错误"]
    assert "读作“创新型中小企业”" in model.data(model.index(0, 4))
    assert "请写明完整层级名称" in model.data(model.index(1, 4))
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.imported and dialog.task is None, timeout=20000)
    assert [r.name for r in services.cultivation.pools.list_records()] == [FIRMS[1]]


def test_the_cli_says_which_columns_it_leaves_and_which_year_it_assumed(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102").code == 0
    path = ledger(tmp_path / "名录.xlsx", ["离石区中小企业名录", "2024年度"],
                  ["序号", "单位名称", "统一社会信用代码", "2024年营业收入（元）", "从业人员", "企业规模说明"],
                  [[1, "吕梁市甲机械有限公司", uscc_for(1), 5_230_000, 56, "小型"]])
    ran = cli("import-xlsx", str(path), "--kind", "enterprises", "--dry-run")
    assert ran.code == 0
    assert "未对应、不导入的列：A“序号”，F“企业规模说明”" in ran.out
    assert "注意：表中没有“年度”列，“从业人员”按其他表头中的年份 2024 年读取" in ran.out
    assert "共 1 行：新增 1" in ran.out and "合计行" in ran.out
