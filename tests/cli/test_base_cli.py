"""`lvqi base …`: list (table and JSON), add, level, tenant add/out, year; refusals exit 1 and write nothing."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.conftest import Cli
from tests.conftest import uscc_for


@pytest.fixture
def county_cli(tmp_path, capsys) -> Cli:
    """`lvqi` on a data folder set up for 离石区 (141102)."""
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    return cli


def _firm(county_cli: Cli, n: int, name: str) -> str:
    uscc = uscc_for(9000 + n)
    assert county_cli("enterprise", "add", "--uscc", uscc, "--name", name, "--section", "C").code == 0
    return uscc


def test_add_list_level_tenant_year(county_cli: Cli) -> None:
    ran = county_cli("base", "add", "--name", "离石区电商产业园", "--kind", "电商产业园",
                     "--operating-entity", "吕梁某运营有限公司", "--operating-entity-type", "民营企业", "--area", "8000", "--level", "市级", "--city-recognized-on",
                     "2024-05-01", "--city-document-no", "吕中小企发〔2024〕2号")
    assert ran.code == 0, ran.err
    assert "已登记双创基地：离石区电商产业园（电商产业园，市级" in ran.out
    uscc = _firm(county_cli, 1, "吕梁入驻商贸有限公司")
    ran = county_cli("base", "tenant", "add", "--base", "离石区电商产业园", "--uscc", uscc, "--moved-in-on", "2025-03-01")
    assert ran.code == 0, ran.err
    assert county_cli("base", "level", "--base", "1", "--to", "申报省级", "--on", "2025-09-01").code == 0
    assert county_cli("base", "year", "--base", "1", "--year", "2025", "--tenants", "18", "--new-tenants", "4",
                      "--jobs", "150").code == 0
    listed = county_cli("base", "list", "--year", "2025", "--format", "json").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["name"], item["kind"], item["level"], item["level_label"], item["current_tenants"]) == (
        "离石区电商产业园", "ecommerce", "provincial_applied", "申报省级", 1)
    assert item["year"] == {"year": 2025, "tenants": 18, "new_tenants": 4, "jobs": 150, "linked_tenants": 1,
                            "linked_new_tenants": 1, "above_scale_tenants": 0, "srdi_tenants": 0}
    table = county_cli("base", "list")
    assert table.code == 0 and "离石区电商产业园" in table.out and "共 1 个双创基地" in table.out
    assert county_cli("base", "tenant", "out", "--base", "1", "--uscc", uscc, "--on", "2026-01-01").code == 0
    assert county_cli.count("base_tenant") == 1


def test_refusals_exit_1_and_change_nothing(county_cli: Cli) -> None:
    ran = county_cli("base", "add", "--name", "甲园区", "--kind", "ecommerce", "--level", "省级")
    assert ran.code == 1 and "省级认定日期" in ran.err and "未保存" in ran.err
    assert county_cli.count("incubation_base") == 0
    assert county_cli("base", "add", "--name", "甲园区", "--kind", "ecommerce").code == 0
    ran = county_cli("base", "level", "--base", "甲园区", "--to", "市级", "--on", "2025-01-01", "--document-no", "x")
    assert ran.code == 1 and "不能从“培育”直接变为“市级”" in ran.err
    uscc = _firm(county_cli, 2, "吕梁已归档有限公司")
    conn = sqlite3.connect(county_cli.database)  # the CLI has no archive command: archive as the GUI would
    with conn:
        conn.execute("UPDATE enterprise SET archived_at = '2026-01-01 00:00:00' WHERE uscc = ?", (uscc,))
    conn.close()
    ran = county_cli("base", "tenant", "add", "--base", "甲园区", "--uscc", uscc, "--moved-in-on", "2025-01-01")
    assert ran.code == 1 and "已在企业库中归档" in ran.err
    other = _firm(county_cli, 3, "吕梁在册有限公司")
    ran = county_cli("base", "tenant", "add", "--base", "甲园区", "--uscc", other, "--moved-in-on", "2025-03-01",
                     "--moved-out-on", "2025-01-01")
    assert ran.code == 1 and "早于入驻日期" in ran.err
    assert county_cli.count("base_tenant") == 0
    assert county_cli.count("base_level_event") == 1


def test_the_change_history_names_the_person_not_the_operating_entity(county_cli: Cli) -> None:
    county_cli.add_operator("李四")
    ran = county_cli("base", "add", "--name", "乙园区", "--kind", "ecommerce", "--operating-entity", "吕梁某运营有限公司",
                     operator="李四")
    assert ran.code == 0, ran.err
    history = county_cli("history", "--table", "incubation_base", "--format", "json").json()["items"]
    assert {i["operator"] for i in history} == {"李四"}
    listed = county_cli("base", "list", "--format", "json").json()["items"]
    assert listed[0]["operator_name"] == "吕梁某运营有限公司"
    refused = county_cli("base", "add", "--name", "丙园区", "--kind", "ecommerce", "--operator", "吕梁某运营有限公司")
    assert refused.code == 2 and "--operator" in refused.err
    assert county_cli.count("incubation_base") == 1
