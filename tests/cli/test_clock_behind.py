"""A clock set back (2009-01-01): CLI commands that write dated records ask on a terminal, refuse in a script
unless `--accept-clock` is given, and reading commands only warn. The clock is moved with time-machine."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from tests.cli.conftest import Cli
from tests.conftest import make_uscc

DEAD_BATTERY = datetime(2009, 1, 1, 8, 0)
ROOT = Path(__file__).resolve().parents[2]


def _add(cli: Cli, seed: int, name: str, *flags: str):
    return cli(*flags, "enterprise", "add", "--uscc", make_uscc(seed=seed), "--name", name)


def test_a_script_writing_with_the_clock_behind_is_refused_and_nothing_is_written(county_cli: Cli) -> None:
    assert _add(county_cli, 81, "吕梁时钟甲有限公司").code == 0
    with time_machine.travel(DEAD_BATTERY, tick=False):
        refused = _add(county_cli, 82, "吕梁时钟乙有限公司")
        listed = county_cli("enterprise", "list")
    assert refused.code == 1
    assert "2009-01-01" in refused.err and "--accept-clock" in refused.err and "没有执行" in refused.err
    assert "Traceback" not in refused.err
    assert county_cli.count() == 1
    assert listed.code == 0 and "吕梁时钟甲有限公司" in listed.out and "提示：电脑的日期现在是 2009-01-01" in listed.err


def test_accept_clock_lets_a_script_write_with_that_date(county_cli: Cli) -> None:
    assert _add(county_cli, 83, "吕梁时钟丙有限公司").code == 0
    with time_machine.travel(DEAD_BATTERY, tick=False):
        done = _add(county_cli, 84, "吕梁时钟丁有限公司", "--accept-clock")
    assert done.code == 0, done.err
    assert "提示：电脑的日期现在是 2009-01-01" in done.err
    assert county_cli.count() == 2


def test_a_right_clock_writes_without_asking(county_cli: Cli) -> None:
    assert _add(county_cli, 85, "吕梁时钟戊有限公司").code == 0
    done = _add(county_cli, 86, "吕梁时钟己有限公司")
    assert done.code == 0 and "是否仍按" not in done.err and "提示" not in done.err


def _on_a_terminal(root: Path, answer: str, *args: str) -> tuple[int, str]:
    """`lvqi ARGS` as a child process whose stdin is a real terminal (a pty) answering `answer`, clock at 2009."""
    primary, secondary = os.openpty()
    code = ("import sys, time_machine, datetime; "
            "time_machine.travel(datetime.datetime(2009, 1, 1, 8, 0), tick=False).start(); "
            "from lvqi_desktop.cli import main; sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    try:
        os.write(primary, answer.encode() + b"\n")
        ran = subprocess.run([sys.executable, "-c", code, "--data-dir", str(root), *args], stdin=secondary,
                             capture_output=True, env=env, timeout=120, check=False)
    finally:
        os.close(secondary)
        os.close(primary)
    return ran.returncode, ran.stderr.decode("utf-8")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
@pytest.mark.parametrize(("answer", "code", "firms"), [("y", 0, 2), ("n", 1, 1), ("", 1, 1)])
def test_on_a_terminal_the_user_is_asked_before_dating_records_from_that_clock(county_cli: Cli, answer: str,
                                                                            code: int, firms: int) -> None:
    assert _add(county_cli, 87, "吕梁时钟庚有限公司").code == 0
    returned, err = _on_a_terminal(county_cli.root, answer, "enterprise", "add", "--uscc", make_uscc(seed=88),
                                   "--name", "吕梁时钟辛有限公司")
    assert "是否仍按 2009-01-01 记录？[y/N]" in err
    assert returned == code, err
    assert "Traceback" not in err
    assert county_cli.count() == firms
