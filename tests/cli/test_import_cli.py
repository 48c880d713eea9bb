"""`lvqi import-xlsx` and `lvqi import-template` through the same service as the GUI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.sheets.county_sheets import USCC
from tests.sheets.county_sheets import write_rows

HEAD = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）"]


@pytest.fixture
def county_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    return cli


def test_dry_run_with_refusals_exits_1_and_prints_its_summary(county_cli: Cli, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, "500万元"],
                                            ["9.1141E+17", "吕梁市乙有限公司", 2024, 10]])
    ran = county_cli("import-xlsx", str(path), "--kind", "enterprises", "--dry-run")
    assert ran.code == 1
    assert "新增 1" in ran.out and "有错误 1" in ran.out and "错误 A3" in ran.out and "已整理 D2" in ran.out
    assert county_cli.count() == 0


def test_dry_run_json(county_cli: Cli, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10]])
    ran = county_cli("import-xlsx", str(path), "--kind", "enterprises", "--dry-run", "--format", "json")
    assert ran.code == 0
    data = ran.json()
    assert data["summary"]["new"] == 1 and data["rows"][0]["status"] == "new" and data["header_row"] == 1
    assert [m["field"] for m in data["mapping"]] == ["uscc", "name", "year", "revenue"]


def test_import_then_all_or_nothing(county_cli: Cli, tmp_path: Path) -> None:
    bad = write_rows(tmp_path / "bad.xlsx", [HEAD, [USCC[0], "吕梁市甲有限公司", 2024, 10], [USCC[1], "", 2024, 5]])
    ran = county_cli("import-xlsx", str(bad), "--kind", "enterprises", "--all-or-nothing")
    assert ran.code == 1 and "没有导入任何数据" in ran.err and county_cli.count() == 0
    ran = county_cli("import-xlsx", str(bad), "--kind", "enterprises", "--report", str(tmp_path / "r.xlsx"))
    assert ran.code == 0 and "新增 1 家" in ran.out and "1 行有错误未导入" in ran.err
    assert county_cli.count() == 1 and (tmp_path / "r.xlsx").exists()


def test_bad_file_is_refused_with_a_message(county_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("hello", encoding="utf-8")
    ran = county_cli("import-xlsx", str(path), "--kind", "enterprises", "--dry-run")
    assert ran.code == 1 and "不是Excel表格" in ran.err


def test_template(county_cli: Cli, tmp_path: Path) -> None:
    ran = county_cli("import-template", str(tmp_path / "t.xlsx"), "--kind", "enterprises")
    assert ran.code == 0 and (tmp_path / "t.xlsx").exists()
