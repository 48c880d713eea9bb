"""Fixtures for the command-line tests: run `lvqi` in-process and read what it printed and wrote."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lvqi_desktop.cli import main
from tests.conftest import make_uscc


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def run_lvqi(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`lvqi --data-dir ROOT ARGS…` in-process: (exit code, stdout, stderr); argparse's usage errors give theirs."""
    capsys.readouterr()
    try:
        code = main(["--data-dir", str(root), *args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


class Cli:
    """`cli("enterprise", "list")` runs `lvqi --data-dir ROOT enterprise list` and captures its output."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self._capsys = capsys

    def __call__(self, *args: str, operator: str | None = None) -> Ran:
        return Ran(*run_lvqi(self.root, self._capsys, *(["--operator", operator] if operator else []), *args))

    def add_operator(self, name: str) -> None:
        """Register an operator as the settings page does (the CLI refuses an unregistered --operator)."""
        from lvqi_desktop.paths import DataDir
        from tests.conftest import open_services

        services = open_services(DataDir(self.root))
        try:
            services.office.add_operator(name)
        finally:
            services.db.dispose()

    @property
    def database(self) -> Path:
        return self.root / "lvqi.sqlite3"

    def count(self, table: str = "enterprise") -> int:
        conn = sqlite3.connect(self.database)
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """A CLI on an empty data folder."""
    return Cli(tmp_path / "data", capsys)


@pytest.fixture
def county_cli(cli: Cli) -> Cli:
    """A CLI on a data folder set up for 离石区 (141102), default preparer 张三."""
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    return cli


@pytest.fixture
def lvqi(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`lvqi(*argv)` → (exit code, stdout, stderr) on a data folder set up for 离石区 with one firm, id 1."""
    data = str(tmp_path / "cli-data")

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--data-dir", data, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init", "--county", "141102")[0] == 0
    assert run("enterprise", "add", "--uscc", make_uscc(seed=7), "--name", "吕梁命令行测试有限公司",
               "--registered-on", "2012-05-01")[0] == 0
    return run
