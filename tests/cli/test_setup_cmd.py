"""`lvqi init` and `lvqi check`: setting the office, JSON and table output, exit codes."""

from __future__ import annotations

import re
import sqlite3

import pytest

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.startup import writer_lock


def test_init_county_prints_the_office(cli) -> None:
    ran = cli("init", "--county", "141102", "--preparer", "张三")
    assert ran.code == 0, ran.err
    assert "已设置本单位：吕梁市离石区中小企业服务中心（141102 离石区）" in ran.out
    assert "默认填报人：张三" in ran.out
    assert cli.database.exists()


def test_init_by_county_name_with_json(cli) -> None:
    ran = cli("init", "--county", "孝义市", "--name", "孝义市中小企业发展中心", "--format", "json")
    assert ran.code == 0, ran.err
    out = ran.json()
    assert re.fullmatch(r"\d{4}( \d{4}){4}", out.pop("key_digits"))  # the key pair is made at setup
    assert out == {"office_kind": "county", "county_code": "141181", "county_label": "孝义市",
                          "name": "孝义市中小企业发展中心", "default_preparer": "管理员",
                          "data_dir": str(cli.root.resolve())}


def test_init_city_and_preparer_from_operator(cli) -> None:
    ran = cli("init", "--city", "--format", "json", operator="王五")
    assert ran.code == 0, ran.err
    out = ran.json()
    assert (out["office_kind"], out["county_code"], out["county_label"], out["name"], out["default_preparer"]) == (
        "city", None, None, "吕梁市中小企业服务中心", "王五")


def test_unknown_county_is_refused_with_the_choices(cli) -> None:
    ran = cli("init", "--county", "140100")
    assert ran.code == 1
    assert "错误：“140100”不是吕梁市的县（市、区）。可选：141102 离石区、" in ran.err
    assert ran.out == ""


@pytest.mark.parametrize("args", [[], ["--county", "141102", "--city"], ["--county"]])
def test_init_usage_errors_exit_2(cli, args) -> None:
    assert cli("init", *args).code == 2


def test_empty_office_name_is_refused(cli) -> None:
    ran = cli("init", "--county", "141102", "--name", "  ")
    assert ran.code == 1
    assert "请填写单位名称" in ran.err


def test_office_cannot_change_once_enterprises_exist(county_cli) -> None:
    assert county_cli("demo", "--enterprises", "3", "--seed", "1").code == 0
    ran = county_cli("init", "--county", "141181")
    assert ran.code == 1
    assert "本机已有企业记录，不能再更改所属单位" in ran.err
    check = county_cli("check", "--format", "json").json()
    assert check["office"]["county_code"] == "141102"


def test_init_refused_while_the_gui_holds_the_folder(cli) -> None:
    cli.root.mkdir(parents=True)
    lock = writer_lock(DataDir(cli.root))
    assert lock.try_acquire()
    try:
        ran = cli("init", "--county", "141102")
    finally:
        lock.release()
    assert ran.code == 1
    assert "正在使用这个数据文件夹" in ran.err and "请先关闭吕企台账窗口" in ran.err
    assert not cli.database.exists()


def test_check_passes_on_a_set_up_database(county_cli) -> None:
    ran = county_cli("check")
    assert ran.code == 0, ran.err
    assert re.search(r"完整性检查\s+通过", ran.out) and re.search(r"结论\s+正常", ran.out)
    out = county_cli("check", "--format", "json").json()
    assert out["ok"] is True and out["problems"] == []
    assert out["office"] == {"office_kind": "county", "county_code": "141102", "county_label": "离石区",
                             "name": "吕梁市离石区中小企业服务中心"}
    assert out["counts"]["enterprises"] == 0 and out["integrity_check"] == "ok"
    assert out["schema_revision"] == out["head_revision"]


def test_check_without_office_exits_1_and_still_prints_its_report(cli) -> None:
    ran = cli("check", "--format", "json")
    assert ran.code == 1
    assert ran.json()["ok"] is False
    assert "错误：尚未设置本单位" in ran.err


def test_check_names_broken_references(county_cli) -> None:
    conn = sqlite3.connect(county_cli.database)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("INSERT INTO enterprise_year (enterprise_id, year, uuid, created_at, updated_at) "
                     "VALUES (42, 2025, 'u-1', '2026-01-01', '2026-01-01')")
        conn.commit()
    finally:
        conn.close()
    ran = county_cli("check")
    assert ran.code == 1
    assert "错误：外键检查发现 1 行记录引用了不存在的数据（表：enterprise_year）。" in ran.err
    assert "1 处问题" in ran.out


def test_check_sees_the_history_protection_removed(county_cli) -> None:
    """After DROP TRIGGER on the append-only history and a delete, `lvqi check` no longer says 正常."""
    conn = sqlite3.connect(county_cli.database)
    try:
        for n in (1, 2, 3):
            conn.execute("INSERT INTO change_record (at, operator, session_id, action, table_name, summary, changes, "
                         "batch_id) VALUES ('2026-01-01', '张三', 's', 'update', 'enterprise', ?, '{}', 'b')",
                         (f"第{n}条",))
        conn.commit()
        assert county_cli("check").code == 0
        conn.execute("DROP TRIGGER change_record_no_delete")
        conn.execute("DELETE FROM change_record WHERE summary = '第2条'")
        conn.commit()
    finally:
        conn.close()
    ran = county_cli("check")
    assert ran.code == 1 and not re.search(r"结论\s+正常", ran.out)
    assert "保护触发器 change_record_no_delete 不存在" in ran.err and "修改记录缺少 1 条" in ran.err
