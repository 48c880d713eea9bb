"""`lvqi monitor …`: the sample, one report, the month list and completeness, in tables and JSON."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_lvqi as lvqi

PERIOD = "2025-10"  # a past month whatever day the tests run


@pytest.fixture
def root(tmp_path, capsys) -> tuple[Path, list[str]]:
    data = tmp_path / "data"
    assert lvqi(data, capsys, "init", "--county", "141102")[0] == 0
    assert lvqi(data, capsys, "demo", "--enterprises", "3", "--seed", "7")[0] == 0
    code, out, _ = lvqi(data, capsys, "enterprise", "list", "--format", "json")
    return data, [i["uscc"] for i in json.loads(out)["items"]]


def _reports(root: Path) -> int:
    conn = sqlite3.connect(root / "lvqi.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM monitoring_report").fetchone()[0]
    finally:
        conn.close()


def test_monitor_commands_write_and_list(root, capsys) -> None:
    data, usccs = root
    code, out, err = lvqi(data, capsys, "monitor", "sample", "add", "--uscc", usccs[0], "--from", "2025-01-01")
    assert code == 0 and "纳入监测样本" in out, err
    lvqi(data, capsys, "monitor", "sample", "add", "--uscc", usccs[1], "--from", "2025-01-01")
    code, out, err = lvqi(data, capsys, "monitor", "add", "--enterprise", usccs[0], "--period", PERIOD,
                          "--value", "revenue_ytd=1234.5", "--value", "domestic_orders=增加",
                          "--value", "difficulties=招工难、融资难融资贵", "--received", "2025-11-08", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["updated"] is False

    code, out, _ = lvqi(data, capsys, "monitor", "list", "--period", PERIOD, "--format", "json")
    listed = json.loads(out)
    assert code == 0 and listed["count"] == 2 and listed["period"] == PERIOD
    row = next(i for i in listed["items"] if i["uscc"] == usccs[0])
    assert row["values"] == {"revenue_ytd_wan": "1234.50", "domestic_orders": "增加",
                             "difficulties": ["招工难", "融资难融资贵"]}
    assert (row["status"], row["status_label"], row["received_on"]) == ("on_time", "按时报送", "2025-11-08")

    code, out, _ = lvqi(data, capsys, "monitor", "completeness", "--period", PERIOD, "--format", "json")
    done = json.loads(out)
    assert (done["expected"], done["received"], done["on_time"], done["missing"]) == (2, 1, 1, 1)
    assert done["due_on"] == "2025-11-10" and done["on_time_rate"] == 0.5

    code, out, _ = lvqi(data, capsys, "monitor", "completeness", "--period", PERIOD)
    assert "应报 2 家，已报 1 家，按时 1 家（及时率 50.0%）" in out
    code, out, _ = lvqi(data, capsys, "monitor", "list", "--period", PERIOD)
    assert "1,234.50" in out and "按时报送" in out


@pytest.mark.parametrize("extra, words", [
    (["--value", "employees=-1"], "从业人员期末人数不能为负数"),
    (["--value", "labour=很缺"], "用工只能填“短缺/平衡/富余”之一"),
    (["--value", "revenue"], "应写成 项目=数值"),
])
def test_monitor_add_refuses_bad_input_and_writes_nothing(root, capsys, extra, words) -> None:
    data, usccs = root
    lvqi(data, capsys, "monitor", "sample", "add", "--uscc", usccs[0], "--from", "2025-01-01")
    code, out, err = lvqi(data, capsys, "monitor", "add", "--enterprise", usccs[0], "--period", PERIOD, *extra)
    assert code == 1 and words in err and out == ""
    assert _reports(data) == 0


def test_a_month_before_the_sample_and_a_bad_period_are_refused(root, capsys) -> None:
    data, usccs = root
    lvqi(data, capsys, "monitor", "sample", "add", "--uscc", usccs[0], "--from", "2025-06-01")
    code, _, err = lvqi(data, capsys, "monitor", "add", "--enterprise", usccs[0], "--period", "2025-05",
                        "--value", "revenue=1")
    assert code == 1 and "才纳入监测样本" in err
    code, _, err = lvqi(data, capsys, "monitor", "list", "--period", "2025Q4")
    assert code == 1 and "运行监测按月填报" in err
    assert _reports(data) == 0


def test_form_json_is_the_definition(root, capsys) -> None:
    data, _ = root
    code, out, _ = lvqi(data, capsys, "monitor", "form", "--format", "json")
    form = json.loads(out)
    assert code == 0 and form["version"] and any(f["key"] == "revenue_ytd" for f in form["fields"])
