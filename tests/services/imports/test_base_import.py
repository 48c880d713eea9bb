"""导入Excel on the 双创基地 page's ledger: new bases at their level, updates by name, bad rows refused at their cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.validation.bases import BaseDraft
from tests.services.bases.conftest import TODAY
from tests.services.imports.conftest import dated_importer
from tests.sheets.county_sheets import write_rows

HEADERS = ["序号", "基地名称", "基地类型", "运营主体", "面积（平方米）", "认定层级", "市级认定日期", "市级认定文号", "联系电话"]


@pytest.fixture
def importer(services, bases) -> ImportService:
    bases.save_base(BaseDraft(name="离石区返乡创业园", kind="返乡创业园", operator_name="甲公司", floor_area="1200"))
    return dated_importer(services, today=TODAY)


def _sheet(tmp_path: Path) -> Path:
    return write_rows(tmp_path / "双创基地台账.xlsx", [HEADERS,
        [1, "离石区电商产业园", "电商产业园", "乙公司", "5000", "市级", "2025-06-01", "吕中小发〔2025〕8号", "13912345678"],
        [2, "离石区返乡创业园", "", "", "1500", "", "", "", ""],  # stored: only the area changes
        [3, "离石区扶贫车间", "扶贫车间", "", "-3", "", "", "", ""],  # area not positive
        [4, "离石区智创城", "火星基地", "", "", "", "", "", ""],  # unknown kind
        [5, "离石区开发区小微企业园", "开发区小微企业园", "", "", "市级", "", "", ""],  # 市级 without date and document
        [6, "离石区电商产业园", "电商产业园", "", "", "", "", "", ""],  # the name twice in the file
    ])


def test_dry_run_reports_each_row_and_apply_writes_only_the_good_ones(importer, services, bases, tmp_path) -> None:
    path = _sheet(tmp_path)
    plan = importer.dry_run(path, "bases")
    assert [r.status for r in plan.rows] == [ERROR, UPDATE, ERROR, ERROR, ERROR, ERROR]
    assert any("同名基地在表中重复出现" in e for _, e in plan.rows[0].errors)
    assert [(c.label, c.old, c.new) for c in plan.rows[1].changes] == [("面积（平方米）", "1200.0", "1500.0")]
    assert any(cell == "E4" and "大于 0" in e for cell, e in plan.rows[2].errors)
    assert any(cell == "C5" and "火星基地" in e for cell, e in plan.rows[3].errors)
    assert any("市级认定" in e for _, e in plan.rows[4].errors)
    assert [b.name for b in bases.list_bases()] == ["离石区返乡创业园"]  # a dry run writes nothing
    result = importer.apply(path, "bases", plan.layout)
    assert (result.added, result.updated, result.skipped) == (0, 1, 5)
    assert bases.list_bases()[0].floor_area_m2 == 1500


def test_new_bases_are_registered_at_their_level_and_a_second_import_changes_nothing(importer, bases,
                                                                                     tmp_path) -> None:
    path = write_rows(tmp_path / "b.xlsx", [HEADERS,
        [1, "离石区电商产业园", "电商产业园", "乙公司", "5000", "市级", "2025-06-01", "吕中小发〔2025〕8号", "13912345678"],
        [2, "离石区扶贫车间", "扶贫车间", "", "", "", "", "", ""]])
    plan = importer.dry_run(path, "bases")
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert importer.apply(path, "bases", plan.layout).added == 2
    rows = {b.name: b for b in bases.list_bases()}
    assert (rows["离石区电商产业园"].level_label, rows["离石区电商产业园"].document_no) == ("市级", "吕中小发〔2025〕8号")
    assert rows["离石区扶贫车间"].level_label == "培育"
    timeline = bases.timeline(rows["离石区电商产业园"].id)
    assert [e.to_level for e in timeline] == ["city"]
    again = importer.dry_run(path, "bases")
    assert [r.status for r in again.rows] == [UNCHANGED, UNCHANGED]


def test_the_template_reads_back_and_its_example_row_is_refused(importer, tmp_path) -> None:
    template = importer.write_template("bases", tmp_path / "模板.xlsx")
    plan = importer.dry_run(template, "bases")
    assert [r.status for r in plan.rows] == [ERROR]
    assert "导入模板自带的示例行" in plan.rows[0].errors[0][1]


def test_the_check_report_names_bases_by_their_own_name_column(importer, tmp_path) -> None:
    from openpyxl import load_workbook

    path = _sheet(tmp_path)
    report = importer.save_report(importer.dry_run(path, "bases"), tmp_path / "检查报告.xlsx")
    ws = load_workbook(report).active
    headers = [c.value for c in ws[2]]
    assert headers == ["行号", "结果", "基地名称", "单元格", "说明"]  # no empty 信用代码 column, no 企业名称
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert any(r[2] == "离石区扶贫车间" and r[3] == "E4" and "大于 0" in r[4] for r in rows)
    red = [r for r in ws.iter_rows(min_row=3) if str(r[-1].value).startswith("错误")]
    assert red and all(c.fill.fill_type == "solid" for c in red[0])  # the whole row, not a stray column
