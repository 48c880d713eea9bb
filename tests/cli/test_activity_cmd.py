"""`lvqi helper|visit|demand|kpi`: outputs, JSON conventions and exit codes (against the real date)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from lvqi_desktop import clock


def test_write_and_list_through_the_cli(lvqi) -> None:
    today = clock.today()
    assert lvqi("helper", "add", "--name", "张三", "--post", "副区长", "--level", "县级")[0] == 0
    code, out, _ = lvqi("helper", "list", "--format", "json")
    helpers = json.loads(out)
    assert code == 0 and helpers["count"] == 1
    assert helpers["items"][0]["level"] == "county" and helpers["items"][0]["level_label"] == "县级"
    assert lvqi("helper", "assign", "--enterprise", "1", "--helper", "1", "--role", "包联领导",
                "--from", str(today.replace(day=1)))[0] == 0
    code, out, _ = lvqi("visit", "add", "--enterprise", "1", "--date", str(today), "--helper", "1",
                        "--channel", "电话", "--demand-category", "用工", "--demand-description", "缺焊工",
                        "--format", "json")
    number = json.loads(out)["demand_numbers"][0]
    assert code == 0 and number == f"141102-{today.year}-0001"
    code, out, _ = lvqi("visit", "list", "--period", today.strftime("%Y-%m"), "--format", "json")
    visits = json.loads(out)
    assert visits["count"] == 1 and visits["items"][0]["channel_label"] == "电话"
    assert visits["items"][0]["visited_on"] == today.isoformat()
    code, out, _ = lvqi("helper", "coverage", "--format", "json")
    assert json.loads(out)["items"][0]["month_visits"] == 1

    due = today + timedelta(days=10)
    assert lvqi("demand", "transition", number, "交办", "--unit", "区人社局", "--due", str(due))[0] == 0
    assert lvqi("demand", "transition", number, "start")[0] == 0
    code, out, _ = lvqi("demand", "list", "--status", "办理中", "--format", "json")
    listed = json.loads(out)
    item = listed["items"][0]
    assert listed["count"] == 1 and item["number"] == number
    assert (item["status"], item["status_label"], item["category"], item["category_label"]) == (
        "in_progress", "办理中", "labour", "用工")
    assert item["due_on"] == due.isoformat() and item["overdue"] is False
    assert item["allowed_actions"] == ["assign", "progress", "resolve", "explain", "edit"]
    code, out, _ = lvqi("demand", "list", "--overdue", "--format", "json")
    assert json.loads(out) == {"items": [], "count": 0}

    code, out, err = lvqi("demand", "transition", number, "resolve")
    assert code == 1 and "办结必须填写办理结果" in err and "数据库没有改动" in err
    code, out, err = lvqi("demand", "transition", number, "follow_up", "--satisfaction", "满意")
    assert code == 1 and "不能登记回访满意度" in err
    assert lvqi("demand", "transition", number, "resolve", "--result", "已招到焊工")[0] == 0
    assert lvqi("demand", "transition", number, "回访", "--satisfaction", "满意")[0] == 0

    code, out, _ = lvqi("kpi", "--period", str(today.year), "--format", "json")
    kpi = json.loads(out)
    assert code == 0 and kpi["period"] == str(today.year)
    assert (kpi["demands_received"], kpi["demands_closed"], kpi["demands_closed_on_time"]) == (1, 1, 1)
    assert (kpi["satisfaction_rate"], kpi["enterprises_served"]) == (1.0, 1)
    code, out, _ = lvqi("kpi", "--period", str(today.year))
    assert code == 0 and "满意率" in out and "100.0%" in out
    code, out, _ = lvqi("demand", "board")
    assert code == 0 and "已办结" in out
    code, out, _ = lvqi("demand", "sheet", number)
    assert code == 0 and json.loads(out)["responsible_unit"] == "区人社局"


def test_exit_codes_for_bad_input(lvqi) -> None:
    future = clock.today() + timedelta(days=40)
    code, _, err = lvqi("kpi", "--period", f"{future.year + 1}")
    assert code == 1 and "尚未开始" in err
    code, _, err = lvqi("visit", "list", "--period", "2026Q9")
    assert code == 1 and "无法识别" in err
    code, _, err = lvqi("visit", "add", "--enterprise", "1", "--date", str(future), "--visitors", "王五")
    assert code == 1 and "不能登记未来的走访" in err
    code, out, _ = lvqi("visit", "list", "--format", "json")
    assert json.loads(out)["count"] == 0
    code, _, err = lvqi("demand", "list", "--status", "不存在")
    assert code == 1 and "可选" in err
    code, _, err = lvqi("demand", "transition", "141102-2026-9999", "start")
    assert code == 1 and "找不到编号" in err
    assert lvqi("helper", "add", "--name", "李四")[0] == 0
    code, _, err = lvqi("helper", "assign", "--enterprise", "1", "--helper", "1", "--from", "2026-03-01",
                        "--to", "2026-02-01")
    assert code == 1 and "早于开始日期" in err
    code, _, err = lvqi("helper", "add", "--name", "王五", "--level", "省级")
    assert code == 1 and "层级“省级”不在可选范围内，可选：市级、县级" in err
    code, out, _ = lvqi("helper", "list", "--format", "json")
    assert json.loads(out)["count"] == 1
    with pytest.raises(SystemExit) as usage:
        lvqi("kpi")
    assert usage.value.code == 2
