"""`lvqi history`: table and JSON output, filters and exit codes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from lvqi_desktop import clock
from lvqi_desktop.cli import main
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.validation.visits import VisitDraft
from tests.conftest import make_uscc


@pytest.fixture
def filled(services, data_dir):
    """Two enterprises by two operators, one archived; the services are closed so the CLI opens the file."""
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=1), name="甲有限公司"))
    services.office.use_operator("李四")
    saved = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=2), name="乙有限公司"))
    services.enterprises.archive(saved.id, "已注销")
    services.db.dispose()
    return data_dir


def run(data_dir, *args: str) -> int:
    return main(["--data-dir", str(data_dir.root), "history", *args])


def test_json_lists_items_newest_first_with_snake_case_keys(filled, capsys) -> None:
    assert run(filled, "--format", "json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["count"] == len(out["items"]) >= 5
    first = out["items"][0]
    assert (first["action"], first["operator"], first["table"], first["summary"]) == (
        "archive", "李四", "enterprise", "归档企业 乙有限公司")
    datetime.fromisoformat(first["at"])
    assert {"id", "at", "operator", "session_id", "action", "action_label", "table", "table_label", "record_id",
            "record_uuid", "summary", "batch_id", "reverts_batch_id", "changes"} == first.keys()
    reason = next(c for c in first["changes"] if c["field"] == "archive_reason")
    assert reason == {"field": "archive_reason", "label": "归档原因", "old": None, "new": "已注销",
                      "old_text": "（空）", "new_text": "已注销"}
    ids = [i["id"] for i in out["items"]]
    assert ids == sorted(ids, reverse=True)


def test_filters_by_table_operator_since_and_limit(filled, capsys) -> None:
    assert run(filled, "--format", "json", "--table", "企业", "--operator", "李四") == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(i["table"], i["operator"], i["action"]) for i in items] == [
        ("enterprise", "李四", "archive"), ("enterprise", "李四", "insert")]
    assert run(filled, "--format", "json", "--limit", "1") == 0
    assert json.loads(capsys.readouterr().out)["count"] == 1
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    assert run(filled, "--format", "json", "--since", tomorrow) == 0
    assert json.loads(capsys.readouterr().out) == {"items": [], "count": 0}
    assert run(filled, "--format", "json", "--until", clock.today().isoformat(), "--table", "enterprise") == 0
    assert json.loads(capsys.readouterr().out)["count"] == 3


def test_table_output_in_chinese(filled, capsys) -> None:
    assert run(filled, "--table", "enterprise") == 0
    out = capsys.readouterr().out
    assert "操作员" in out and "归档企业 乙有限公司" in out and "归档原因：（空） → 已注销" in out
    assert "共 3 条。" in out
    assert run(filled, "--since", (clock.today() + timedelta(days=1)).isoformat()) == 0
    assert "没有符合条件的修改记录" in capsys.readouterr().out


def test_unknown_table_exits_1_with_a_chinese_message(filled, capsys) -> None:
    assert run(filled, "--table", "nonsense") == 1
    err = capsys.readouterr().err
    assert "不认识的表" in err and "enterprise（企业）" in err


@pytest.mark.parametrize("args", [["--since", "2026-13-01"], ["--limit", "0"], ["--format", "xml"]])
def test_bad_arguments_exit_2(filled, capsys, args) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(filled, *args)
    assert stopped.value.code == 2


def test_period_lists_what_changed_in_its_data_since_an_earlier_print(services, data_dir, fixed_clock, capsys) -> None:
    """Issue 15 §1: after printing 2026Q3 on 11-27, a late Q3 visit and an edited Q3 visit are listed;
    an edit to a Q4 visit and anything before the print are not."""
    fixed_clock.set(datetime(2026, 11, 26, 9, 0))
    firm = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=3), name="丙有限公司")).id
    q3 = services.visits.log_visit(VisitDraft(firm, date(2026, 8, 10), visitors="王五")).visit_id
    q4 = services.visits.log_visit(VisitDraft(firm, date(2026, 10, 12), visitors="王五")).visit_id
    fixed_clock.set(datetime(2026, 11, 28, 9, 0))  # the 2026Q3 returns were printed on 11-27
    services.visits.update_visit(q3, replace(services.visits.draft_of(q3), remarks="补记：企业反映用电问题"))
    services.visits.update_visit(q4, replace(services.visits.draft_of(q4), remarks="第四季度的备注"))
    late = services.visits.log_visit(VisitDraft(firm, date(2026, 9, 5), visitors="赵六")).visit_id
    services.db.dispose()
    assert run(data_dir, "--period", "2026Q3", "--since", "2026-11-27", "--format", "json") == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert {(i["table"], i["record_id"], i["action"]) for i in items if i["table"] == "visit"} == {
        ("visit", late, "insert"), ("visit", q3, "update")}
    assert all(i["record_id"] != q4 for i in items if i["table"] == "visit")
    edited = next(i for i in items if i["record_id"] == q3 and i["table"] == "visit")
    assert [c["new"] for c in edited["changes"] if c["field"] == "remarks"] == ["补记：企业反映用电问题"]
    assert run(data_dir, "--period", "2026Q3", "--since", "2026-11-29") == 0
    assert "没有符合条件的修改记录" in capsys.readouterr().out
    assert run(data_dir, "--period", "2026Q5") == 1
    assert "期别" in capsys.readouterr().err
