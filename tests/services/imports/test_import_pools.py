"""Importing cultivation pool records from Excel: our template, a county's own sheet with synonyms,
every refusal with its cell and reason (and nothing written), updates old → new, all-or-nothing, CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.imports.service import ERROR
from lvqi_desktop.services.imports.service import NEW
from lvqi_desktop.services.imports.service import UNCHANGED
from lvqi_desktop.services.imports.service import UPDATE
from lvqi_desktop.services.imports.service import ImportRefused
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.validation.pools import RecordDraft
from tests.cli.conftest import Cli
from tests.conftest import uscc_for
from tests.services.imports.conftest import dated_importer
from tests.sheets.county_sheets import fill_template
from tests.sheets.county_sheets import write_rows

TODAY = date(2026, 11, 26)
FIRMS = {n: f"吕梁测试{n}号有限公司" for n in range(1, 5)}


@pytest.fixture
def importer(services, fixed_clock) -> ImportService:
    fixed_clock.set(TODAY)
    return dated_importer(services, FIRMS)


def _sheet(importer: ImportService, tmp_path: Path, rows: list[dict[str, object]], name: str = "p.xlsx") -> Path:
    template = importer.write_template("pools", tmp_path / "模板.xlsx")
    return fill_template(template, [{"企业名称": FIRMS.get(r.pop("n", 0), "某公司"), **r} for r in rows],
                         tmp_path / name)


def _records(services) -> list[tuple[str, str, str, str]]:
    return sorted((r.name, r.pool_label, r.tier, r.status) for r in services.cultivation.pools.list_records())


def test_template_rows_enter_the_pools_with_cleaning_reported(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业", "状态": "培育中",
         "入库日期": "2025.3.1"},
        {"n": 2, "统一社会信用代码": uscc_for(2), "培育库": "小升规培育库", "入库日期": "2025年3月1日",
         "奖补资金（万元）": "50000元"},
    ])
    plan = importer.dry_run(path, "pools")
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert ("F2", "日期“2025.3.1”改写为 2025-03-01") in plan.rows[0].notes
    assert any("换算为万元" in note for _, note in plan.rows[1].notes)
    assert _records(services) == []  # the dry run wrote nothing

    result = importer.apply(path, "pools", plan.layout, plan=plan)
    assert (result.added, result.updated, result.skipped) == (2, 0, 0) and result.backup is not None
    assert _records(services) == [(FIRMS[1], "专精特新梯度培育库", "innovative_sme", "cultivating"),
                                  (FIRMS[2], "小升规培育库", None, "survey")]
    (rec,) = [r for r in services.cultivation.pools.list_records() if r.pool == "scale_up"]
    assert rec.entered_on == date(2025, 3, 1)
    assert [t.kind for t in services.cultivation.pools.timeline(rec.id)] == ["enter"]
    batches = {h.batch_id for h in services.history.list(limit=None) if "从Excel导入培育库记录" in h.summary}
    assert len(batches) == 1


def test_a_county_sheet_with_synonyms_and_a_merged_title(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "县里的表.xlsx", [
        ["序号", "单位名称", "社会信用代码", "所属培育库", "梯度层级", "培育状态", "入库时间"],
        [1, FIRMS[3], uscc_for(3), "上市挂牌后备企业资源库", "基础层", "推荐入库", date(2025, 6, 1)],
        ["合计", "", "", "", "", "", ""],
    ], title="离石区培育库企业名单", merge_to=7)
    plan = importer.dry_run(path, "pools")
    assert plan.layout.header_row == 2 and [r.status for r in plan.rows] == [NEW] and plan.skipped_rows == [4]
    importer.apply(path, "pools", plan.layout)
    assert _records(services) == [(FIRMS[3], "上市挂牌后备企业资源库", "basic", "recommended")]


BAD_ROWS = [
    ({"统一社会信用代码": uscc_for(9), "培育库": "专精特新", "层级": "创新型中小企业"},
     "A2", "不在本单位企业库中，请先登记或导入该企业"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "", "层级": "创新型中小企业"}, "C2", "请填写培育库"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "孵化库"}, "C2", "培育库“孵化库”不在可选范围内"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "基础层"},
     "D2", "“专精特新梯度培育库”没有“基础层”这一层级"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新"}, "D2", "请选择层级"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "国家级专精特新“小巨人”企业"},
     "D2", "须先持有有效的省级专精特新中小企业称号"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业", "状态": "已认定"},
     "G2", "状态为“已认定”时请填写认定日期"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业", "入库日期": "2027-01-01"},
     "F2", "入库日期 2027-01-01 晚于今天"),
    ({"n": 1, "统一社会信用代码": "9.1141E+17", "培育库": "专精特新", "层级": "创新型中小企业"},
     "A2", "Excel已把后几位数字丢掉"),
    ({"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业", "入库日期": "2025-02-30"},
     "F2", "不是有效日期"),
    ({"n": 2, "统一社会信用代码": uscc_for(2), "培育库": "小升规", "状态": "已入统"}, "L2", "请填写入统年月"),
]


@pytest.mark.parametrize(("row", "cell", "message"), BAD_ROWS)
def test_each_bad_row_is_refused_at_its_cell_and_nothing_is_written(importer, services, tmp_path: Path,
                                                                    row: dict[str, object], cell: str,
                                                                    message: str) -> None:
    path = _sheet(importer, tmp_path, [dict(row)])
    plan = importer.dry_run(path, "pools")
    assert [r.status for r in plan.rows] == [ERROR]
    assert any(c == cell and message in m for c, m in plan.rows[0].errors), plan.rows[0].errors
    result = importer.apply(path, "pools")
    assert (result.added, result.updated, result.skipped) == (0, 0, 1)
    assert _records(services) == []


def test_the_template_example_row_is_never_imported(importer, tmp_path: Path) -> None:
    template = importer.write_template("pools", tmp_path / "模板.xlsx")
    plan = importer.dry_run(template, "pools")
    assert plan.rows[0].status == ERROR and plan.rows[0].errors[0][1] == "这是导入模板自带的示例行，请删除后再导入"


def test_same_firm_twice_in_one_pool_reports_both_rows(importer, services, tmp_path: Path) -> None:
    row = {"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业"}
    path = _sheet(importer, tmp_path, [dict(row), dict(row), {**row, "培育库": "小升规", "层级": ""}])
    plan = importer.dry_run(path, "pools")
    assert [r.status for r in plan.rows] == [ERROR, ERROR, NEW]
    assert "同一企业的同一培育库在表中重复出现（第 2 行、第 3 行）" in plan.rows[0].errors[0][1]


def test_a_firm_already_in_the_pool_is_updated_old_to_new_then_unchanged(importer, services, tmp_path: Path) -> None:
    first = _sheet(importer, tmp_path, [{"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新",
                                         "层级": "创新型中小企业", "入库日期": "2025-03-01"}])
    importer.apply(first, "pools")
    again = _sheet(importer, tmp_path, [{"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新",
                                         "层级": "创新型中小企业", "状态": "已申报", "责任人": "王五"}], "again.xlsx")
    plan = importer.dry_run(again, "pools")
    assert [r.status for r in plan.rows] == [UPDATE]
    assert [(c.cell, c.label, c.old, c.new) for c in plan.rows[0].changes] == [
        ("E2", "状态", "培育中", "已申报"), ("K2", "责任人", "（空）", "王五")]
    assert importer.apply(again, "pools").updated == 1
    (rec,) = services.cultivation.pools.list_records()
    assert (rec.status, rec.responsible_person, rec.entered_on) == ("applied", "王五", date(2025, 3, 1))
    assert [t.kind for t in services.cultivation.pools.timeline(rec.id)] == ["enter", "status"]
    assert [r.status for r in importer.dry_run(again, "pools").rows] == [UNCHANGED]


def test_a_status_the_pool_does_not_allow_from_the_current_one_is_refused(importer, services,
                                                                           tmp_path: Path) -> None:
    importer.apply(_sheet(importer, tmp_path, [{"n": 2, "统一社会信用代码": uscc_for(2), "培育库": "小升规"}]), "pools")
    path = _sheet(importer, tmp_path, [{"n": 2, "统一社会信用代码": uscc_for(2), "培育库": "小升规", "状态": "已入统",
                                        "入统年月": "2026-03"}], "b.xlsx")
    plan = importer.dry_run(path, "pools")
    assert plan.rows[0].errors == [("E2", "“摸底/储备”不能直接改为“已入统”。当前可改为：培育中、已达标待入统、退库")]
    assert importer.apply(path, "pools").updated == 0
    assert _records(services)[0][3] == "survey"


def test_all_or_nothing_writes_nothing_when_a_row_fails(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新", "层级": "创新型中小企业"},
        {"统一社会信用代码": uscc_for(9), "培育库": "专精特新", "层级": "创新型中小企业"}])
    with pytest.raises(ImportRefused, match="没有导入任何数据"):
        importer.apply(path, "pools", all_or_nothing=True)
    assert _records(services) == []
    assert importer.apply(path, "pools").added == 1


def test_cli_dry_run_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    path = write_rows(tmp_path / "a.xlsx", [["统一社会信用代码", "企业名称", "培育库", "层级"],
                                            [uscc_for(9), "某公司", "专精特新", "创新型中小企业"]])
    ran = cli("import-xlsx", str(path), "--kind", "pools", "--dry-run", "--format", "json")
    assert ran.code == 1
    data = ran.json()
    assert data["kind"] == "pools" and data["summary"]["error"] == 1
    assert [m["field"] for m in data["mapping"]] == ["uscc", "name", "pool", "tier"]
    assert "不在本单位企业库中" in data["rows"][0]["errors"][0]["message"]
    assert cli.count("cultivation_record") == 0


def test_moving_up_from_a_held_title_carries_it_and_starts_the_new_tier_afresh(importer, services,
                                                                                tmp_path: Path) -> None:
    eid = next(r.id for r in services.enterprises.list_rows() if r.name == FIRMS[1])
    services.cultivation.pools.add_to_pool(eid, RecordDraft(pool="srdi", tier="srdi_provincial", status="recognized",
                                                            recognized_on="2025-01-01", document_no="晋工信〔2025〕1号"))
    path = _sheet(importer, tmp_path, [{"n": 1, "统一社会信用代码": uscc_for(1), "培育库": "专精特新",
                                        "层级": "国家级专精特新“小巨人”企业"}])
    plan = importer.dry_run(path, "pools")
    assert [r.status for r in plan.rows] == [UPDATE], plan.rows[0].errors
    changes = {c.label: (c.old, c.new) for c in plan.rows[0].changes}
    assert changes["状态"] == ("已认定", "培育中") and changes["认定文号"] == ("晋工信〔2025〕1号", "（空）")
    assert changes["层级"][1] == "国家级专精特新“小巨人”企业"
    importer.apply(path, "pools")
    (rec,) = services.cultivation.pools.list_records()
    assert (rec.tier, rec.status, rec.recognized_on) == ("little_giant_national", "cultivating", None)
    assert services.cultivation.pools.timeline(rec.id)[-1].kind == "tier"


def test_cancel_while_writing_writes_nothing(importer, services, tmp_path: Path) -> None:
    class CancelWhileWriting(SilentProgress):
        def update(self, done: int, total: int, message: str = "") -> None:
            if "写入" in message:
                self.cancel_event.set()

    path = _sheet(importer, tmp_path, [{"n": n, "统一社会信用代码": uscc_for(n), "培育库": "小升规"} for n in FIRMS])
    with pytest.raises(Cancelled):
        importer.apply(path, "pools", progress=CancelWhileWriting())
    assert _records(services) == []
