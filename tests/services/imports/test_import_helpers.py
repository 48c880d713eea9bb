"""Importing helpers and their assignments (包联领导及包联关系) from Excel: people matched by name or added,
assignments checked for overlaps (also between rows of the sheet), ended old → new, refusals at their cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import ImportRefused
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import HelperDraft
from tests.conftest import uscc_for
from tests.services.imports.conftest import cli_with_firm
from tests.services.imports.conftest import dated_importer
from tests.services.imports.conftest import template_sheet
from tests.sheets.county_sheets import write_rows

TODAY = date(2026, 11, 26)
FIRMS = {n: f"吕梁包联{n}号有限公司" for n in range(1, 4)}


@pytest.fixture
def importer(services) -> ImportService:
    return dated_importer(services, FIRMS, helpers=[("王五", "副县长")])


def _sheet(importer: ImportService, tmp_path: Path, rows: list[dict[str, object]], name: str = "h.xlsx") -> Path:
    return template_sheet(importer, "helpers", tmp_path, rows, name)


def _pairs(services) -> list[tuple[str, str, str, date, date | None]]:
    return sorted((a.enterprise_name, a.helper_name, a.role, a.from_date, a.to_date)
                  for a in services.helpers.assignments())


def test_people_are_matched_or_added_and_paired(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "包联领导姓名": "王五", "角色": "包联领导", "包联开始日期": "2026.1.1"},
        {"n": 2, "包联领导姓名": "赵六", "职务": "科长", "工作单位": "县工信局", "层级": "县级", "包联开始日期": "2026-02-01"},
        {"n": 3, "包联领导姓名": "赵六", "包联开始日期": "2026-02-01"},
    ])
    plan = importer.dry_run(path, "helpers")
    assert [r.status for r in plan.rows] == [NEW, NEW, NEW]
    assert ("I2", "日期“2026.1.1”改写为 2026-01-01") in plan.rows[0].notes
    assert _pairs(services) == []
    result = importer.apply(path, "helpers", plan.layout)
    assert (result.added, result.skipped) == (3, 0)
    assert _pairs(services) == [(FIRMS[1], "王五", "lead", date(2026, 1, 1), None),
                                (FIRMS[2], "赵六", "helper", date(2026, 2, 1), None),
                                (FIRMS[3], "赵六", "helper", date(2026, 2, 1), None)]
    assert sorted(h.name for h in services.helpers.list_helpers()) == ["王五", "赵六"]  # 赵六 added once
    batches = {h.batch_id for h in services.history.list(limit=None) if "从Excel导入包联领导及包联关系" in h.summary}
    assert len(batches) == 1
    assert [r.status for r in importer.dry_run(path, "helpers").rows] == [UNCHANGED] * 3


def test_a_running_assignment_is_ended_and_a_helpers_post_updated(importer, services, tmp_path: Path) -> None:
    (wang,) = services.helpers.list_helpers()
    eid = next(r.id for r in services.enterprises.list_rows() if r.name == FIRMS[1])
    services.helpers.assign(AssignmentDraft(eid, wang.id, None, "lead", date(2026, 1, 1)))
    path = _sheet(importer, tmp_path, [{"n": 1, "包联领导姓名": "王五", "职务": "县长", "角色": "包联领导",
                                        "包联结束日期": "2026-06-30"}])
    plan = importer.dry_run(path, "helpers")
    assert [r.status for r in plan.rows] == [UPDATE]
    assert [(c.cell, c.label, c.old, c.new) for c in plan.rows[0].changes] == [
        ("D2", "王五的职务", "副县长", "县长"), ("J2", "包联结束日期", "（空）", "2026-06-30")]
    assert importer.apply(path, "helpers").updated == 1
    assert _pairs(services) == [(FIRMS[1], "王五", "lead", date(2026, 1, 1), date(2026, 6, 30))]
    assert services.helpers.list_helpers()[0].post == "县长"


BAD_ROWS = [
    ({"包联领导姓名": "王五"}, "A2", "不在本单位企业库中"),
    ({"n": 1, "包联领导姓名": "赵六", "层级": "省级"}, "F2", "层级“省级”不在可选范围内"),
    ({"n": 1, "包联领导姓名": "王五", "包联开始日期": "2026-05-01", "包联结束日期": "2026-04-01"},
     "J2", "早于开始日期"),
    ({"n": 1, "包联领导姓名": "王五", "角色": "组长"}, "H2", "角色“组长”不在可选范围内"),
    ({"n": 1, "包联领导姓名": "王五", "包联开始日期": "2026-13-01"}, "I2", "不是有效日期"),
]


@pytest.mark.parametrize(("row", "cell", "message"), BAD_ROWS)
def test_each_bad_row_is_refused_at_its_cell_and_nothing_is_written(importer, services, tmp_path: Path,
                                                                    row: dict[str, object], cell: str,
                                                                    message: str) -> None:
    path = _sheet(importer, tmp_path, [dict(row)])
    plan = importer.dry_run(path, "helpers")
    assert [r.status for r in plan.rows] == [ERROR]
    assert any(c == cell and message in m for c, m in plan.rows[0].errors), plan.rows[0].errors
    assert importer.apply(path, "helpers").skipped == 1
    assert _pairs(services) == [] and len(services.helpers.list_helpers()) == 1


def test_two_leads_of_one_firm_in_the_sheet_are_refused(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "包联领导姓名": "王五", "角色": "包联领导", "包联开始日期": "2026-01-01"},
        {"n": 1, "包联领导姓名": "赵六", "角色": "包联领导", "包联开始日期": "2026-03-01"},
    ])
    plan = importer.dry_run(path, "helpers")
    assert [r.status for r in plan.rows] == [NEW, ERROR]
    assert plan.rows[1].errors[0][0] == "H3" and "同一时间只能有一名包联领导" in plan.rows[1].errors[0][1]
    importer.apply(path, "helpers")
    assert [p[1] for p in _pairs(services)] == ["王五"]
    assert sorted(h.name for h in services.helpers.list_helpers()) == ["王五"]  # 赵六's only row failed


def test_a_stopped_helper_is_refused(importer, services, tmp_path: Path) -> None:
    services.helpers.save_helper(HelperDraft(name="孙七", active=False))
    plan = importer.dry_run(_sheet(importer, tmp_path, [{"n": 1, "包联领导姓名": "孙七"}]), "helpers")
    assert plan.rows[0].errors == [("C2", "帮扶干部“孙七”已停用，请先在“包联帮扶”中启用后再导入")]


def test_all_or_nothing_writes_nothing_when_a_row_fails(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [{"n": 1, "包联领导姓名": "赵六"}, {"包联领导姓名": "王五"}])
    with pytest.raises(ImportRefused, match="没有导入任何数据"):
        importer.apply(path, "helpers", all_or_nothing=True)
    assert _pairs(services) == [] and len(services.helpers.list_helpers()) == 1


def test_cli_dry_run_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = cli_with_firm(tmp_path, capsys, FIRMS[1])
    path = write_rows(tmp_path / "a.xlsx", [["统一社会信用代码", "企业名称", "帮扶干部", "开始日期"],
                                            [uscc_for(1), FIRMS[1], "赵六", "2026-03-01"]])
    ran = cli("import-xlsx", str(path), "--kind", "helpers", "--dry-run", "--format", "json")
    assert ran.code == 0
    data = ran.json()
    assert data["kind"] == "helpers" and data["summary"]["new"] == 1
    assert cli.count("helper") == 0 and cli.count("helper_assignment") == 0
    assert cli("import-xlsx", str(path), "--kind", "helpers").code == 0
    assert cli.count("helper") == 1 and cli.count("helper_assignment") == 1
