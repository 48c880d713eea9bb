"""A read-only data folder (or `--read-only`) is not unusable: listing, checking and copying work, writers are
refused in Chinese, and the database is left exactly as it was.

As root, chmod does not stop writes, so there the folder is opened through the `--read-only` flag — the same
read-only opening (SQLite mode=ro, no migration, no backup, no lock) a read-only folder switches on by itself."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.conftest import make_uscc

USCC = make_uscc(seed=11)
AS_ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def read_only_cli(county_cli: Cli) -> Iterator[tuple[Cli, list[str]]]:
    """The county's folder with one firm, then made read-only; yields the CLI and the extra flags to pass."""
    assert county_cli("enterprise", "add", "--uscc", USCC, "--name", "只读测试有限公司").code == 0
    assert county_cli("backup").code == 0
    if AS_ROOT:
        yield county_cli, ["--read-only"]
        return
    files = [county_cli.database, *county_cli.root.rglob("*")]
    for path in files:
        if path.is_file():
            path.chmod(0o400)
    county_cli.root.chmod(0o500)
    try:
        yield county_cli, []
    finally:
        county_cli.root.chmod(0o700)
        for path in files:
            if path.is_file():
                path.chmod(0o600)


def test_reading_commands_work_and_say_read_only_once(read_only_cli: tuple[Cli, list[str]], tmp_path: Path) -> None:
    cli, flags = read_only_cli
    before = _digest(cli.database)
    listed = cli(*flags, "enterprise", "list")
    assert listed.code == 0, listed.err
    assert "只读测试有限公司" in listed.out
    assert listed.err.count("只读方式打开") == 1
    checked = cli(*flags, "check")
    assert checked.code == 0, checked.err
    assert "正常" in checked.out
    backups = cli(*flags, "backups")
    assert backups.code == 0, backups.err
    assert "manual" in backups.out or "手动" in backups.out
    out = tmp_path / "copy"
    out.mkdir()
    copied = cli(*flags, "backup", "--out", str(out))
    assert copied.code == 0, copied.err
    assert "已拷到" in copied.out
    assert any(out.iterdir())
    assert _digest(cli.database) == before


def test_writing_commands_are_refused_in_chinese(read_only_cli: tuple[Cli, list[str]]) -> None:
    cli, flags = read_only_cli
    before = _digest(cli.database)
    added = cli(*flags, "enterprise", "add", "--uscc", make_uscc(seed=12), "--name", "不该写入有限公司")
    assert added.code == 1
    assert "只读" in added.err and "Traceback" not in added.err
    assert ("--read-only" in added.err) if flags else ("--data-dir" in added.err)
    made = cli(*flags, "backup")
    assert made.code == 1
    assert "只读" in made.err and "backup --out" in made.err
    assert cli.count() == 1
    assert _digest(cli.database) == before


def test_read_only_folder_without_a_database_is_refused(cli: Cli) -> None:
    ran = cli("--read-only", "enterprise", "list")
    assert ran.code == 1
    assert "没有可读取的数据库" in ran.err
    assert not cli.database.exists()


@pytest.mark.skipif(not AS_ROOT or not Path("/proc/self/mountinfo").exists(), reason="needs root and Linux mounts")
def test_read_only_mount_is_found_without_the_flag(county_cli: Cli, tmp_path: Path) -> None:
    """As root: a read-only bind mount of the folder (a write-protected drive) switches to read-only by itself."""
    import subprocess

    assert county_cli("enterprise", "add", "--uscc", USCC, "--name", "只读测试有限公司").code == 0
    assert county_cli("backup").code == 0
    (county_cli.root / "backups" / ".index.json").unlink(missing_ok=True)  # the listing must read the backup itself
    mounted = tmp_path / "ro"
    mounted.mkdir()
    if subprocess.run(["mount", "--bind", str(county_cli.root), str(mounted)], capture_output=True).returncode:
        pytest.skip("bind mounts are not allowed here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)], capture_output=True).returncode:
            pytest.skip("read-only remounts are not allowed here")
        on_drive = Cli(mounted, county_cli._capsys)
        listed = on_drive("enterprise", "list")
        assert listed.code == 0, listed.err
        assert "只读测试有限公司" in listed.out and "只读方式打开" in listed.err
        backups = on_drive("backups")
        assert backups.code == 0 and "不能恢复" not in backups.out and "手动备份" in backups.out, backups.out
        assert "could not" not in backups.err
        refused = on_drive("enterprise", "add", "--uscc", make_uscc(seed=12), "--name", "不该写入有限公司")
        assert refused.code == 1 and "是只读的" in refused.err
    finally:
        subprocess.run(["umount", str(mounted)], capture_output=True)
