"""`lvqi operator`: list, add, rename and retire operators through the same service as the 设置 page."""

from __future__ import annotations

import sqlite3


def _history_operators(cli) -> set[str]:
    conn = sqlite3.connect(cli.database)
    try:
        return {row[0] for row in conn.execute("SELECT DISTINCT operator FROM change_record")}
    finally:
        conn.close()


def test_list_add_rename_retire(county_cli) -> None:
    cli = county_cli
    assert cli("operator", "list", "--format", "json").json() == {
        "items": [{"name": "张三", "default_preparer": True}], "count": 1}
    ran = cli("operator", "add", "李四")
    assert ran.code == 0, ran.err
    assert "已添加操作员：李四" in ran.out
    assert cli("operator", "add", "王五", operator="李四").code == 0  # a change made by 李四
    ran = cli("operator", "rename", "李四", "李思")
    assert ran.code == 0, ran.err
    assert "李四 → 李思" in ran.out
    names = [i["name"] for i in cli("operator", "list", "--format", "json").json()["items"]]
    assert names == ["张三", "李思", "王五"]
    assert "操作员改名：李四 → 李思" in cli("history", "--format", "json").out
    ran = cli("operator", "retire", "李思")
    assert ran.code == 0, ran.err
    assert "已停用操作员：李思" in ran.out
    table = cli("operator", "list").out
    assert "张三" in table and "李思" not in table
    # a retired operator can no longer write, and the history keeps the names changes were made under
    refused = cli("operator", "add", "王五", operator="李思")
    assert refused.code == 1 and "操作员“李思”没有登记" in refused.err
    assert {"张三", "李四"} <= _history_operators(cli)


def test_refusals_are_chinese_messages(county_cli) -> None:
    cli = county_cli
    ran = cli("operator", "rename", "没有此人", "王五")
    assert ran.code == 1 and "没有名为“没有此人”的操作员" in ran.err
    cli("operator", "add", "李四")
    ran = cli("operator", "rename", "李四", "张三")
    assert ran.code == 1 and "已有名为“张三”的操作员" in ran.err
    ran = cli("operator", "retire", "张三")  # the default preparer is who this command runs as
    assert ran.code == 1 and "是当前操作员，不能停用" in ran.err
    ran = cli("operator", "retire", "张三", operator="李四")
    assert ran.code == 0, ran.err
    ran = cli("operator", "add", "")
    assert ran.code == 1 and "请填写操作员姓名" in ran.err


def test_global_operator_option_is_not_taken_by_the_subcommand(county_cli) -> None:
    cli = county_cli
    cli("operator", "add", "李四")
    ran = cli("operator", "rename", "李四", "李思", operator="张三")
    assert ran.code == 0, ran.err
    assert "操作员改名：李四 → 李思" in cli("history", "--operator", "张三", "--format", "json").out
