"""Bad input through the command line: a clear Chinese message, exit 1, and nothing changed."""

from __future__ import annotations

import os
import sqlite3

import pytest

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.startup import writer_lock
from tests.conftest import make_uscc

GOOD = make_uscc(seed=21)
NOTHING_SAVED = "未保存，数据库没有改动。"


def counts(cli) -> tuple[int, int, int]:
    return cli.count("enterprise"), cli.count("enterprise_year"), cli.count("change_record")


def add(cli, *extra: str, uscc: str = GOOD, name: str = "吕梁建投有限公司"):
    return cli("enterprise", "add", "--uscc", uscc, "--name", name, *extra)


def with_char(code: str, position: int, ch: str) -> str:
    return code[:position] + ch + code[position + 1:]


@pytest.mark.parametrize(("uscc", "message"), [
    (GOOD[:16], "统一社会信用代码应为18位，现在是16位，请核对"),
    (GOOD + "1", "统一社会信用代码应为18位，现在是19位，请核对"),
    (with_char(GOOD, 17, "0" if GOOD[17] != "0" else "1"), f"统一社会信用代码校验位应为 {GOOD[17]}，请核对"),
    (with_char(GOOD, 10, "I"), "统一社会信用代码不能含有字符 I（代码不使用 I、O、S、V、Z），请核对"),
    (with_char(GOOD, 10, "O"), "统一社会信用代码不能含有字符 O（代码不使用 I、O、S、V、Z）"),
    (with_char(GOOD, 11, "S"), "统一社会信用代码不能含有字符 S（代码不使用 I、O、S、V、Z）"),
    (with_char(GOOD, 12, "V"), "统一社会信用代码不能含有字符 V（代码不使用 I、O、S、V、Z）"),
    (with_char(GOOD, 13, "Z"), "统一社会信用代码不能含有字符 Z（代码不使用 I、O、S、V、Z）"),
    ("", "请填写统一社会信用代码（18位）"),
])
def test_invalid_uscc_is_refused(county_cli, uscc, message) -> None:
    before = counts(county_cli)
    ran = add(county_cli, uscc=uscc)
    assert ran.code == 1
    assert f"错误：{message}" in ran.err
    assert NOTHING_SAVED in ran.err and ran.out == ""
    assert counts(county_cli) == before


def test_duplicate_uscc_names_the_existing_enterprise(county_cli) -> None:
    assert add(county_cli).code == 0
    before = counts(county_cli)
    ran = add(county_cli, name="另一家有限公司")
    assert ran.code == 1
    assert f"错误：统一社会信用代码 {GOOD} 已登记为“吕梁建投有限公司”，不能重复登记。" in ran.err
    assert "已有记录编号 1" in ran.err
    assert counts(county_cli) == before


def test_lower_case_and_full_width_uscc_is_normalised_then_found_duplicate(county_cli) -> None:
    assert add(county_cli).code == 0
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in GOOD.lower())
    ran = add(county_cli, uscc=full_width, name="另一家有限公司")
    assert ran.code == 1 and "已登记为“吕梁建投有限公司”" in ran.err


@pytest.mark.parametrize(("name", "message"), [
    ("", "请填写企业名称"),
    ("   ", "请填写企业名称"),
    ("字" * 10_000, "企业名称不能超过100个字，现在是10000个字"),
])
def test_empty_or_overlong_name_is_refused(county_cli, name, message) -> None:
    before = counts(county_cli)
    ran = add(county_cli, name=name)
    assert ran.code == 1
    assert f"错误：{message}" in ran.err
    assert counts(county_cli) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--employees", "-3"], "2025年从业人员不能为负数"),
    (["--revenue", "-1"], "2025年营业收入不能为负数"),
    (["--revenue", "三千万"], "2025年营业收入应为数字（单位：万元），“三千万”不是数字"),
    (["--employees", "abc"], "2025年从业人员应为整数，“abc”不是整数"),
    (["--assets", "1e999999"], "2025年资产总额数值过大"),
])
def test_bad_figures_are_refused(county_cli, args, message) -> None:
    before = counts(county_cli)
    ran = add(county_cli, "--year", "2025", *args)
    assert ran.code == 1
    assert message in ran.err and ran.err.startswith("错误：")
    assert counts(county_cli) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--phone", "12345"], "联系电话应为11位手机号"),
    (["--township", "141181100"], "所选乡镇（街道）不属于该县（市、区）"),
    (["--registered-on", "昨天"], "成立日期应为日期"),
    (["--ownership", "个人独资"], "企业性质“个人独资”不在可选范围内"),
])
def test_other_bad_fields_are_refused(county_cli, args, message) -> None:
    before = counts(county_cli)
    ran = add(county_cli, *args)
    assert ran.code == 1 and message in ran.err
    assert counts(county_cli) == before


def test_several_problems_are_all_reported(county_cli) -> None:
    ran = add(county_cli, "--phone", "1", "--year", "2025", "--employees", "-1", uscc="123", name="")
    assert ran.code == 1
    errors = [line for line in ran.err.splitlines() if line.startswith("错误：")]
    assert len(errors) == 4


COMMANDS = [
    ["check"], ["enterprise", "list"], ["init", "--county", "141102"],
    ["enterprise", "add", "--uscc", GOOD, "--name", "甲有限公司"], ["demo", "--enterprises", "5"],
]


@pytest.mark.parametrize("args", COMMANDS)
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(cli, args) -> None:
    cli.root.mkdir(parents=True)
    cli.database.write_bytes(b"hello\n")
    ran = cli(*args)
    assert ran.code == 1
    assert "不是吕企台账的数据库（不是 SQLite 文件），程序没有改动它" in ran.err
    assert cli.database.read_bytes() == b"hello\n"
    assert not (cli.root / "backups").exists() or not any((cli.root / "backups").iterdir())


def _make_newer(cli, *, revision: str | None = None, min_version: str | None = None) -> bytes:
    assert cli("init", "--county", "141102").code == 0
    assert cli("demo", "--enterprises", "5", "--seed", "1").code == 0
    conn = sqlite3.connect(cli.database)
    try:
        if revision:
            conn.execute("UPDATE alembic_version SET version_num=?", (revision,))
        if min_version:
            conn.execute("UPDATE app_meta SET value=? WHERE key='min_program_version'", (min_version,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return cli.database.read_bytes()


@pytest.mark.parametrize("args", COMMANDS)
def test_a_database_needing_a_newer_program_is_refused_and_byte_identical(cli, args) -> None:
    before = _make_newer(cli, revision="9999", min_version="9.1.0")
    ran = cli(*args)
    assert ran.code == 1
    assert "需要 9.1.0 或更高版本才能打开" in ran.err and "程序没有改动它" in ran.err
    assert cli.database.read_bytes() == before


def test_a_newer_schema_revision_alone_is_refused(cli) -> None:
    before = _make_newer(cli, revision="9999")
    ran = cli("enterprise", "list")
    assert ran.code == 1
    assert "结构版本（9999）比本程序新" in ran.err
    assert cli.database.read_bytes() == before


@pytest.mark.parametrize("args", COMMANDS)
def test_a_data_dir_that_cannot_be_written_is_refused(tmp_path, capsys, args) -> None:
    from tests.cli.conftest import Cli

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cli = Cli(blocker / "sub", capsys)  # a folder cannot be made under a regular file
    ran = cli(*args)
    assert ran.code == 1
    assert ran.err.startswith("错误：")
    assert "数据文件夹" in ran.err and "--data-dir" in ran.err
    assert "Traceback" not in ran.err
    assert blocker.read_text() == "x"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_data_dir_is_refused(cli) -> None:
    cli.root.mkdir(parents=True)
    cli.root.chmod(0o500)
    try:
        ran = cli("init", "--county", "141102")
    finally:
        cli.root.chmod(0o700)
    assert ran.code == 1 and "无法" in ran.err
    assert not cli.database.exists()


@pytest.mark.parametrize("args", [["enterprise", "add", "--uscc", GOOD, "--name", "甲有限公司"],
                                  ["demo", "--enterprises", "5"]])
def test_writes_are_refused_while_the_gui_holds_the_folder(county_cli, args) -> None:
    before = counts(county_cli)
    lock = writer_lock(DataDir(county_cli.root))
    assert lock.try_acquire()
    try:
        ran = county_cli(*args)
        listed = county_cli("enterprise", "list", "--format", "json")  # reading is fine meanwhile
    finally:
        lock.release()
    assert ran.code == 1
    assert "图形界面程序正在使用这个数据文件夹" in ran.err
    assert counts(county_cli) == before
    assert listed.code == 0 and listed.json()["count"] == before[0]
