"""Importing demands (企业诉求) from Excel: new ones numbered as the ledger does, numbered ones edited
old → new, every refusal at its cell with nothing written, re-import adds nothing, all-or-nothing, CLI."""

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
from lvqi_desktop.validation.demands import DemandDraft
from tests.conftest import uscc_for
from tests.services.imports.conftest import cli_with_firm
from tests.services.imports.conftest import dated_importer
from tests.services.imports.conftest import template_sheet
from tests.sheets.county_sheets import write_rows

TODAY = date(2026, 11, 26)
FIRMS = {n: f"吕梁诉求{n}号有限公司" for n in range(1, 4)}


@pytest.fixture
def importer(services) -> ImportService:
    return dated_importer(services, FIRMS)


def _sheet(importer: ImportService, tmp_path: Path, rows: list[dict[str, object]], name: str = "d.xlsx") -> Path:
    return template_sheet(importer, "demands", tmp_path, rows, name)


def _demands(services) -> list[tuple[str, str, str, str, str]]:
    return sorted((d.number, d.enterprise_name, d.category, d.description, d.status)
                  for d in services.demands.list_demands())


def test_new_demands_are_numbered_pending_with_cleaning_reported(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "诉求类别": "融资", "诉求内容": "流动资金紧张，希望对接银行贷款。", "受理日期": "2026.3.1"},
        {"n": 2, "诉求类别": "用工", "诉求内容": "招工难", "受理日期": "2026年3月2日", "紧急程度": "紧急",
         "诉求来源": "12345转办"},
    ])
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [NEW, NEW]
    assert ("I2", "日期“2026.3.1”改写为 2026-03-01") in plan.rows[0].notes
    assert _demands(services) == []
    result = importer.apply(path, "demands", plan.layout)
    assert (result.added, result.skipped) == (2, 0) and result.backup is not None
    assert _demands(services) == [
        ("141102-2026-0001", FIRMS[1], "finance", "流动资金紧张，希望对接银行贷款。", "pending"),
        ("141102-2026-0002", FIRMS[2], "labour", "招工难", "pending")]
    (second,) = [d for d in services.demands.list_demands() if d.number.endswith("0002")]
    assert (second.urgency, second.source, second.received_on) == ("urgent", "hotline", date(2026, 3, 2))
    assert [e.kind for e in services.demands.detail(second.id).events] == ["create"]
    batches = {h.batch_id for h in services.history.list(limit=None) if "从Excel导入企业诉求" in h.summary}
    assert len(batches) == 1
    # the same sheet again adds nothing
    again = importer.dry_run(path, "demands")
    assert [r.status for r in again.rows] == [UNCHANGED, UNCHANGED]
    assert "141102-2026-0001" in again.rows[0].warnings[0][1]
    assert importer.apply(path, "demands").added == 0 and len(_demands(services)) == 2


def test_a_county_sheet_with_synonyms(importer, services, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "诉求台账.xlsx", [
        ["序号", "单位名称", "信用代码", "问题类别", "问题描述", "反映日期", "承办单位"],
        [1, FIRMS[3], uscc_for(3), "用地/厂房", "厂房审批慢", date(2026, 5, 6), "自然资源局"],
    ], title="离石区企业诉求台账", merge_to=7)
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [NEW]
    importer.apply(path, "demands", plan.layout)
    (d,) = services.demands.list_demands()
    assert (d.category, d.responsible_unit, d.received_on) == ("land", "自然资源局", date(2026, 5, 6))


BAD_ROWS = [
    ({"诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01"}, "A2", "不在本单位企业库中"),
    ({"n": 1, "诉求类别": "吃饭", "诉求内容": "贷款", "受理日期": "2026-03-01"}, "E2", "诉求类别“吃饭”不在可选范围内"),
    ({"n": 1, "诉求类别": "融资", "诉求内容": "", "受理日期": "2026-03-01"}, "F2", "请填写问题描述"),
    ({"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": ""}, "I2", "请填写受理日期"),
    ({"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2027-01-01"}, "I2", "晚于今天"),
    ({"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01", "办理时限": "2026-02-01"},
     "K2", "办理时限 2026-02-01 早于受理日期 2026-03-01"),
    ({"n": 1, "诉求编号": "141102-2026-0099", "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01"},
     "C2", "诉求编号 141102-2026-0099 不存在"),
    ({"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01", "紧急程度": "特急"},
     "H2", "紧急程度“特急”不在可选范围内"),
]


@pytest.mark.parametrize(("row", "cell", "message"), BAD_ROWS)
def test_each_bad_row_is_refused_at_its_cell_and_nothing_is_written(importer, services, tmp_path: Path,
                                                                    row: dict[str, object], cell: str,
                                                                    message: str) -> None:
    path = _sheet(importer, tmp_path, [dict(row)])
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [ERROR]
    assert any(c == cell and message in m for c, m in plan.rows[0].errors), plan.rows[0].errors
    assert importer.apply(path, "demands").skipped == 1
    assert _demands(services) == []


def test_a_numbered_demand_is_updated_old_to_new(importer, services, tmp_path: Path) -> None:
    saved = services.demands.register(DemandDraft(enterprise_id=services.enterprises.list_rows()[0].id,
                                                  category="finance", description="贷款难",
                                                  received_on=date(2026, 3, 1)))
    firm = next(n for n, name in FIRMS.items() if name == services.demands.list_demands()[0].enterprise_name)
    path = _sheet(importer, tmp_path, [{"n": firm, "诉求编号": saved.number, "诉求类别": "融资",
                                        "诉求内容": "贷款难，需要500万", "责任单位": "金融办"}])
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [UPDATE]
    assert [(c.cell, c.label, c.old, c.new) for c in plan.rows[0].changes] == [
        ("F2", "问题描述", "贷款难", "贷款难，需要500万"), ("J2", "责任单位", "（空）", "金融办")]
    assert importer.apply(path, "demands").updated == 1
    (d,) = services.demands.list_demands()
    assert (d.description, d.responsible_unit) == ("贷款难，需要500万", "金融办")
    assert [e.kind for e in services.demands.detail(d.id).events] == ["create", "edit"]
    # another firm's number is refused
    other = _sheet(importer, tmp_path, [{"n": 3 if firm != 3 else 2, "诉求编号": saved.number, "诉求类别": "融资",
                                         "诉求内容": "x"}], "o.xlsx")
    assert "是另一家企业的诉求" in importer.dry_run(other, "demands").rows[0].errors[0][1]


def test_a_closed_demand_cannot_be_edited_by_import(importer, services, tmp_path: Path) -> None:
    eid = services.enterprises.list_rows()[0].id
    saved = services.demands.register(DemandDraft(enterprise_id=eid, category="finance", description="贷款难",
                                                  received_on=date(2026, 3, 1)))
    services.demands.assign(saved.id, "金融办", date(2026, 4, 1))
    services.demands.resolve(saved.id, "已对接")
    firm = next(n for n, name in FIRMS.items() if name == services.demands.list_demands()[0].enterprise_name)
    path = _sheet(importer, tmp_path, [{"n": firm, "诉求编号": saved.number, "诉求类别": "融资", "诉求内容": "改了"}])
    (row,) = importer.dry_run(path, "demands").rows
    assert row.status == ERROR and "不能直接修改" in row.errors[0][1] and row.errors[0][0] == "C2"


def test_duplicated_rows_in_the_file_report_both(importer, tmp_path: Path) -> None:
    row = {"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01"}
    plan = importer.dry_run(_sheet(importer, tmp_path, [dict(row), dict(row)]), "demands")
    assert [r.status for r in plan.rows] == [ERROR, ERROR]
    assert "（第 2 行、第 3 行）" in plan.rows[1].errors[0][1]


def test_all_or_nothing_writes_nothing_when_a_row_fails(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [{"n": 1, "诉求类别": "融资", "诉求内容": "贷款", "受理日期": "2026-03-01"},
                                       {"n": 2, "诉求类别": "融资", "诉求内容": "", "受理日期": "2026-03-01"}])
    with pytest.raises(ImportRefused, match="第 3 行"):
        importer.apply(path, "demands", all_or_nothing=True)
    assert _demands(services) == []


def test_cli_dry_run_json_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = cli_with_firm(tmp_path, capsys, FIRMS[1])
    path = write_rows(tmp_path / "a.xlsx", [["统一社会信用代码", "企业名称", "诉求类别", "诉求内容", "受理日期"],
                                            [uscc_for(1), FIRMS[1], "融资", "贷款难", "2026-03-01"]])
    ran = cli("import-xlsx", str(path), "--kind", "demands", "--dry-run", "--format", "json")
    assert ran.code == 0
    data = ran.json()
    assert data["kind"] == "demands" and data["summary"]["new"] == 1 and cli.count("demand") == 0
    ran = cli("import-xlsx", str(path), "--kind", "demands")
    assert ran.code == 0 and "新增 1 条" in ran.out and cli.count("demand") == 1


def test_old_closed_cases_come_in_closed_with_their_steps_and_count_in_the_kpis(importer, services,
                                                                                tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "诉求类别": "融资", "诉求内容": "贷款到期续贷", "受理日期": "2026.3.1", "责任单位": "县金融办",
         "办理时限": "2026-03-31", "办理状态": "已解决", "办结日期": "2026.3.20", "办理结果": "已协调续贷500万元",
         "回访满意度": "满意"},
        {"n": 2, "诉求类别": "用工", "诉求内容": "招工难", "受理日期": "2026-04-02", "责任单位": "县人社局",
         "办理时限": "2026-05-02", "办理状态": "正在办理"},
        {"n": 3, "诉求类别": "用地", "诉求内容": "用地指标", "受理日期": "2026-05-06", "责任单位": "县自然资源局",
         "办理时限": "2026-06-06", "办理状态": "已解释", "办结日期": "2026-06-01", "办理结果": "指标已用完，明年优先"},
    ])
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [NEW, NEW, NEW], [r.errors for r in plan.rows]
    importer.apply(path, "demands", plan.layout)
    by_firm = {d.enterprise_name: d for d in services.demands.list_demands()}
    first, second, third = (by_firm[FIRMS[n]] for n in (1, 2, 3))
    assert (first.status, second.status, third.status) == ("resolved", "in_progress", "explained")
    assert [e.kind for e in services.demands.detail(first.id).events] == ["create", "assign", "resolve", "follow_up"]
    assert [e.happened_on for e in services.demands.detail(first.id).events] == [
        date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 20), date(2026, 3, 20)]
    k = services.kpi.kpis("2026")
    assert (k.received, k.closed, k.resolved, k.explained, k.closed_on_time, k.followed_up) == (3, 2, 1, 1, 2, 1)
    again = importer.dry_run(path, "demands")  # the same ledger twice adds nothing
    assert [r.status for r in again.rows] == [UNCHANGED, UNCHANGED, UNCHANGED]


def test_a_closed_state_without_what_closing_needs_is_refused_at_its_cell(importer, services, tmp_path: Path) -> None:
    path = _sheet(importer, tmp_path, [
        {"n": 1, "诉求类别": "融资", "诉求内容": "甲", "受理日期": "2026-03-01", "责任单位": "县金融办",
         "办理时限": "2026-03-31", "办理状态": "已办结", "办理结果": "已解决"},  # no 办结日期
        {"n": 2, "诉求类别": "融资", "诉求内容": "乙", "受理日期": "2026-03-01", "办理状态": "已办结",
         "办结日期": "2026-03-10", "办理结果": "已解决"},  # never assigned: no unit, no time limit
        {"n": 3, "诉求类别": "融资", "诉求内容": "丙", "受理日期": "2026-03-01", "办结日期": "2026-03-10"},
        {"n": 1, "诉求类别": "融资", "诉求内容": "丁", "受理日期": "2026-03-05", "责任单位": "县金融办",
         "办理时限": "2026-03-31", "办理状态": "已办结", "办结日期": "2026-03-01", "办理结果": "已解决"},
        {"n": 2, "诉求类别": "融资", "诉求内容": "戊", "受理日期": "2026-03-05", "办理状态": "办理中",
         "回访满意度": "满意", "责任单位": "县金融办", "办理时限": "2026-03-31"},
    ])
    plan = importer.dry_run(path, "demands")
    assert [r.status for r in plan.rows] == [ERROR] * 5
    reasons = [" ".join(m for _, m in r.errors) for r in plan.rows]
    assert "请填写办结日期" in reasons[0]
    assert "交办必须填写责任单位" in reasons[1] and "交办必须填写办理时限" in reasons[1]
    assert "办理状态为空或“待受理”" in reasons[2] and "办结日期" in reasons[2]
    assert "早于受理日期" in reasons[3]
    assert "只有已办结或已解释的诉求才能登记回访满意度" in reasons[4]
    with pytest.raises(ImportRefused):
        importer.apply(path, "demands", plan.layout, all_or_nothing=True)
    assert _demands(services) == []


def test_a_visit_demand_is_linked_to_the_visit_of_that_day(importer, services, tmp_path: Path) -> None:
    import sqlite3

    from lvqi_desktop.services.visits import VisitService
    from lvqi_desktop.validation.visits import VisitDraft

    with sqlite3.connect(services.data_dir.database) as conn:
        firm = conn.execute("SELECT id FROM enterprise WHERE name = ?", (FIRMS[1],)).fetchone()[0]
    visit = VisitService(services.db, services.office_code, lambda: TODAY).log_visit(
        VisitDraft(firm, date(2026, 3, 1), visitors="张三")).visit_id
    path = _sheet(importer, tmp_path, [
        {"n": 1, "诉求类别": "融资", "诉求内容": "走访时反映流动资金紧张", "受理日期": "2026-03-01", "诉求来源": "包联走访"},
        {"n": 1, "诉求类别": "用工", "诉求内容": "走访后电话反映招工难", "受理日期": "2026-03-05", "诉求来源": "包联走访"},
        {"n": 1, "诉求类别": "税费", "诉求内容": "热线转办", "受理日期": "2026-03-01", "诉求来源": "12345转办"},
    ])
    importer.apply(path, "demands", importer.dry_run(path, "demands").layout)
    linked = {d.description: d.visit_id for d in services.demands.list_demands()}
    assert linked == {"走访时反映流动资金紧张": visit, "走访后电话反映招工难": None, "热线转办": None}
