"""Importing visits (入企服务记录) from Excel: firm by USCC, helpers by name, duplicates (same firm, day
and helpers) unchanged, every refusal at its cell with nothing written, all-or-nothing, CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import ImportRefused
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.validation.assignments import HelperDraft
from tests.conftest import uscc_for
from tests.services.imports.conftest import cli_with_firm
from tests.services.imports.conftest import dated_importer
from tests.services.imports.conftest import template_sheet
from tests.sheets.county_sheets import write_rows

TODAY = date(2026, 11, 26)
FIRMS = {n: f"吕梁走访{n}号有限公司" for n in range(1, 4)}


@pytest.fixture
def importer(services) -> ImportService:
    return dated_importer(services, FIRMS, registered_on="2015-03-01", helpers=[("王五", "副县长"), ("赵六", "科员")])


def _sheet(importer: ImportService, tmp_path: Path, rows: list[dict[str, object]], name: str = "v.xlsx") -> Path:
    return template_sheet(importer, "visits", tmp_path, rows, name)


def _visits(services) -> list[tuple[str, date, str, tuple[str, ...], str]]:
    return sorted((v.enterprise_name, v.visited_on, v.channel, tuple(sorted(v.helper_names)), v.visitors)
                  for v in services.visits.list_visits())


def test_visits_are_logged_with_helpers_and_a_second_import_adds_nothing(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "走访日期": "2026.3.1", "帮扶干部": "王五、赵六", "宣讲政策": "吕企发〔2022〕22号，稳岗补贴。"},
        {"n": 2, "走访日期": "2026年3月2日", "服务方式": "电话", "走访人员": "李科长"},
    ])
    plan = importer.dry_run(path, "visits")
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert ("C2", "日期“2026.3.1”改写为 2026-03-01") in plan.rows[0].notes
    assert _visits(services) == []
    result = importer.apply(path, "visits", plan.layout)
    assert (result.added, result.skipped) == (2, 0) and result.backup is not None
    assert _visits(services) == [(FIRMS[1], date(2026, 3, 1), "visit", ("王五", "赵六"), ""),
                                 (FIRMS[2], date(2026, 3, 2), "phone", (), "李科长")]
    assert services.visits.list_visits()[1].policies_explained == "吕企发〔2022〕22号，稳岗补贴。"
    batches = {h.batch_id for h in services.history.list(limit=None) if "从Excel导入入企服务记录" in h.summary}
    assert len(batches) == 1
    again = importer.dry_run(path, "visits")
    assert [r.status for r in again.rows] == [UNCHANGED, UNCHANGED]
    assert "未重复登记" in again.rows[0].warnings[0][1]
    assert importer.apply(path, "visits").added == 0 and len(_visits(services)) == 2


def test_a_county_sheet_with_synonyms(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "走访台账.xlsx", [
        ["序号", "单位名称", "信用代码", "服务日期", "走访方式", "包联领导", "企业情况"],
        [1, FIRMS[3], uscc_for(3), date(2026, 5, 6), "座谈", "王五", "订单下降"],
    ], title="离石区入企服务台账", merge_to=7)
    plan = importer.dry_run(path, "visits")
    assert [r.status for r in plan.rows] == [NEW]
    importer.apply(path, "visits", plan.layout)
    (v,) = services.visits.list_visits()
    assert (v.channel, v.helper_names, v.firm_reported) == ("meeting", ("王五",), "订单下降")


BAD_ROWS = [
    ({"走访日期": "2026-03-01", "帮扶干部": "王五"}, "A2", "不在本单位企业库中"),
    ({"n": 1, "走访日期": "", "帮扶干部": "王五"}, "C2", "请填写走访日期"),
    ({"n": 1, "走访日期": "2027-01-01", "帮扶干部": "王五"}, "C2", "不能登记未来的走访"),
    ({"n": 1, "走访日期": "2010-01-01", "帮扶干部": "王五"}, "C2", "早于企业成立日期"),
    ({"n": 1, "走访日期": "2026-03-01", "帮扶干部": "孙七"}, "E2", "帮扶干部“孙七”不在包联帮扶名单中"),
    ({"n": 1, "走访日期": "2026-03-01"}, "G2", "请填写走访人员"),
    ({"n": 1, "走访日期": "2026-03-01", "帮扶干部": "王五", "服务方式": "飞鸽传书"}, "D2", "服务方式“飞鸽传书”不在可选范围内"),
    ({"n": 1, "走访日期": "2026-03-01", "帮扶干部": "王五", "专项活动": "不存在的活动"}, "F2", "不在活动列表中"),
]


@pytest.mark.parametrize(("row", "cell", "message"), BAD_ROWS)
def test_each_bad_row_is_refused_at_its_cell_and_nothing_is_written(importer, services, tmp_path: Path,
                                                                    row: dict[str, object], cell: str,
                                                                    message: str) -> None:
    path = _sheet(importer, tmp_path, [dict(row)])
    plan = importer.dry_run(path, "visits")
    assert [r.status for r in plan.rows] == [ERROR]
    assert any(c == cell and message in m for c, m in plan.rows[0].errors), plan.rows[0].errors
    assert importer.apply(path, "visits").skipped == 1
    assert _visits(services) == []


def test_two_helpers_with_one_name_are_refused_by_name(importer, services, tmp_path: Path) -> None:
    services.helpers.save_helper(HelperDraft(name="王五", post="科长", unit="工信局"))
    plan = importer.dry_run(_sheet(importer, tmp_path, [{"n": 1, "走访日期": "2026-03-01", "帮扶干部": "王五"}]), "visits")
    assert plan.rows[0].errors == [("E2", "包联帮扶名单中有 2 位“王五”，无法确定是哪一位。请把姓名填在“走访人员”列，导入后在走访记录中选择")]


def test_duplicated_rows_in_the_file_report_both(importer, tmp_path: Path) -> None:
    row = {"n": 1, "走访日期": "2026-03-01", "帮扶干部": "王五"}
    plan = importer.dry_run(_sheet(importer, tmp_path, [dict(row), {**row, "帮扶干部": "赵六"}, dict(row)]), "visits")
    assert [r.status for r in plan.rows] == [ERROR, NEW, ERROR]
    assert "（第 2 行、第 4 行）" in plan.rows[0].errors[0][1]


def test_all_or_nothing_writes_nothing_when_a_row_fails(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [{"n": 1, "走访日期": "2026-03-01", "帮扶干部": "王五"},
                                       {"n": 2, "走访日期": "2027-03-01", "帮扶干部": "王五"}])
    with pytest.raises(ImportRefused, match="没有导入任何数据"):
        importer.apply(path, "visits", all_or_nothing=True)
    assert _visits(services) == []


def test_cli_dry_run_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = cli_with_firm(tmp_path, capsys, FIRMS[1])
    path = write_rows(tmp_path / "a.xlsx", [["统一社会信用代码", "企业名称", "走访日期", "走访人员"],
                                            [uscc_for(1), FIRMS[1], "2026-03-01", "李科长"]])
    ran = cli("import-xlsx", str(path), "--kind", "visits", "--dry-run", "--format", "json")
    assert ran.code == 0
    data = ran.json()
    assert data["kind"] == "visits" and data["summary"]["new"] == 1 and cli.count("visit") == 0


def test_a_sheet_without_a_name_column_is_matched_by_uscc(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "走访日期", "帮扶干部"], [uscc_for(1), "2026-03-01", "王五"]])
    plan = importer.dry_run(path, "visits")
    assert [(r.status, r.name) for r in plan.rows] == [(NEW, FIRMS[1])]
