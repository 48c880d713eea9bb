"""`lvqi enterprise add` and `lvqi enterprise list`: writing through the service, filters, table and JSON."""

from __future__ import annotations

import sqlite3
from datetime import date
from datetime import datetime

import pytest

from lvqi_desktop.cli.output import display_width
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import wan
from tests.conftest import make_uscc

USCC = make_uscc(seed=11)


def add(cli, *extra: str, uscc: str = USCC, name: str = "吕梁建投有限公司", operator: str | None = None):
    return cli("enterprise", "add", "--uscc", uscc, "--name", name, *extra, operator=operator)


@pytest.fixture
def listed(county_cli):
    """One enterprise added by hand with figures, plus 40 demo enterprises."""
    ran = add(county_cli, "--township", "凤山街道", "--section", "C", "--phone", "13812345678",
              "--registered-on", "2019-03-05", "--ownership", "民营", "--year", "2025", "--revenue", "1234.56",
              "--main-revenue", "1000", "--employees", "30", "--assets", "800", "--liabilities", "300")
    assert ran.code == 0, ran.err
    assert county_cli("demo", "--enterprises", "40", "--seed", "5").code == 0
    return county_cli


def test_add_prints_the_saved_enterprise(county_cli) -> None:
    ran = add(county_cli, "--township", "141102002", "--year", "2025", "--revenue", "1234.56", "--employees", "30",
              "--section", "c")
    assert ran.code == 0, ran.err
    assert ran.out == "已登记：吕梁建投有限公司（编号 1，规模：小型）\n"
    assert county_cli.count() == 1


def test_add_json_and_warnings_on_stderr(county_cli) -> None:
    ran = add(county_cli, "--year", "2025", "--assets", "100", "--liabilities", "150", "--format", "json")
    assert ran.code == 0, ran.err
    out = ran.json()
    assert (out["id"], out["name"], out["size_class"], out["size_class_label"]) == (1, "吕梁建投有限公司", None, None)
    assert out["warnings"] == ["2025年负债总额大于资产总额（资不抵债），请确认数据无误"]
    assert "提示：2025年负债总额大于资产总额" in ran.err


def test_add_writes_as_the_operator_or_the_default_preparer(county_cli) -> None:
    assert add(county_cli).code == 0
    county_cli.add_operator("王五")
    assert add(county_cli, uscc=make_uscc(seed=12), name="乙有限公司", operator="王五").code == 0
    conn = sqlite3.connect(county_cli.database)
    try:
        rows = conn.execute("SELECT operator, summary FROM change_record WHERE table_name='enterprise' "
                            "AND action='insert' ORDER BY id").fetchall()
    finally:
        conn.close()
    assert [op for op, _ in rows] == ["张三", "王五"]


def test_list_json_follows_the_conventions(listed) -> None:
    ran = listed("enterprise", "list", "--search", "lljt", "--format", "json")
    assert ran.code == 0, ran.err
    out = ran.json()
    assert out["count"] == len(out["items"]) == 1
    item = out["items"][0]
    assert item == {
        "id": 1, "uuid": item["uuid"], "uscc": USCC, "name": "吕梁建投有限公司",
        "county_code": "141102", "county_label": "离石区", "township_code": "141102002", "township_label": "凤山街道",
        "industry_section": "C", "industry_section_label": "制造业", "size_class": "3", "size_class_label": "小型",
        "above_scale": False, "business_status": "active", "business_status_label": "在营",
        "legal_representative": "", "contact_person": "", "contact_phone": "13812345678",
        "registered_on": "2019-03-05", "latest_year": 2025, "latest_revenue_wan": "1234.56", "latest_employees": 30,
        "archived": False, "updated_at": item["updated_at"], "incomplete": [],
    }
    datetime.fromisoformat(item["updated_at"])
    date.fromisoformat(item["registered_on"])


def test_list_filters(listed) -> None:
    def ids(*args: str) -> set[int]:
        ran = listed("enterprise", "list", "--format", "json", *args)
        assert ran.code == 0, ran.err
        return {i["id"] for i in ran.json()["items"]}

    every = ids()
    assert len(every) == 41
    assert ids("--search", "lvliangjiantou") == ids("--search", USCC[8:14]) == {1}
    assert 1 in ids("--township", "凤山街道") == ids("--township", "141102002")
    assert 1 in ids("--section", "C") and 1 not in ids("--section", "F")
    assert 1 in ids("--size", "3")
    unclassified = ids("--size", "none")
    assert unclassified == every - ids("--size", "1") - ids("--size", "2") - ids("--size", "3") - ids("--size", "4")
    above, below = ids("--above-scale", "yes"), ids("--above-scale", "no")
    assert above | below == every and not above & below
    assert ids("--archived") == set()


def test_list_table_is_aligned_for_chinese(listed) -> None:
    ran = listed("enterprise", "list", "--search", "lljt")
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0].startswith("统一社会信用代码    企业名称")  # 16 columns padded to the 18 of a code
    assert lines[2].startswith(USCC + "  吕梁建投有限公司")
    name_column = display_width(lines[0][:lines[0].index("企业名称")])
    township_at = lines[0].index("乡镇（街道）")
    assert display_width(lines[2][:lines[2].index("凤山街道")]) == display_width(lines[0][:township_at])
    assert name_column == 20
    assert "1,234.56（2025）" in lines[2]
    assert lines[-1] == "共 1 家企业"


def test_print_table_aligns_by_display_width(capsys) -> None:
    print_table(["名称", "n"], [["吕梁ab", "1"], ["x", "22"]], right=[False, True])
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["名称     n", "------  --", "吕梁ab   1", "x       22"]
    assert len({display_width(line) for line in lines}) == 1


@pytest.mark.parametrize(("fen", "text"), [(1234560000, "1234.56"), (12000000, "12.00"), (12345600, "12.3456"),
                                           (-5000000, "-5.00"), (1, "0.000001"), (None, None)])
def test_money_is_an_exact_decimal_string_in_wan(fen, text) -> None:
    assert wan(fen) == text


def test_list_before_init_is_refused(cli) -> None:
    ran = cli("enterprise", "list")
    assert ran.code == 1
    assert "本数据文件夹还没有设置所属单位" in ran.err


@pytest.mark.parametrize(("args", "message"), [
    (["--section", "Z"], "行业门类应为 A–T 中的一个字母"),
    (["--township", "不存在镇"], "找不到名为“不存在镇”的乡镇（街道）"),
    (["--county", "北京"], "不是吕梁市的县（市、区）代码或名称"),
])
def test_bad_list_filters_are_refused(county_cli, args, message) -> None:
    ran = county_cli("enterprise", "list", *args)
    assert ran.code == 1 and message in ran.err


@pytest.mark.parametrize("args", [
    ["enterprise"], ["enterprise", "list", "--size", "5"], ["enterprise", "list", "--above-scale", "maybe"],
    ["enterprise", "add", "--name", "x"], ["enterprise", "add", "--uscc", USCC, "--name", "x", "--year", "去年"],
    ["nonsense"],
])
def test_usage_errors_exit_2(county_cli, args) -> None:
    assert county_cli(*args).code == 2


def test_figures_without_a_year_are_a_usage_error(county_cli) -> None:
    ran = add(county_cli, "--revenue", "100")
    assert ran.code == 2
    assert "填写年度数据时必须用 --year 指明年度" in ran.err
    assert county_cli.count() == 0
