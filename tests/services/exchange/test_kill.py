"""A SIGKILL in the middle of an import leaves the city database as it was before."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import open_services
from tests.services.exchange.conftest import db_state
from tests.services.exchange.conftest import make_county

CHILD = Path(__file__).with_name("import_child.py")
ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


def _start(city_root: Path, mode: str, package: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(CHILD), str(city_root), mode, str(package)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen[str], word: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == word:
            return
    raise AssertionError(f"child ended before {word}: {proc.stderr.read() if proc.stderr else ''}")


def test_kill_mid_import_leaves_city_unchanged(tmp_path, city):
    county = make_county(tmp_path / "county", enterprises=600)
    usb = tmp_path / "usb"
    usb.mkdir()
    package = county.exchange.export_package("2026Q3", usb, with_returns=False).path
    county.db.dispose()
    city_root = city.data_dir.root
    city.db.dispose()
    before = db_state(city)

    proc = _start(city_root, "pause", package)  # killed after the writes, before the commit
    _wait_for(proc, "MERGED")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert db_state(city) == before

    rng = random.Random(7)
    for _ in range(3):  # and at random moments of a normal run
        proc = _start(city_root, "run", package)
        _wait_for(proc, "READY")
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = db_state(city)
        if after != before:  # the import finished before the kill: all of it is there
            assert after["package_received"] == 1 and after["enterprise"] == 600
            break

    again = open_services(city.data_dir)  # the database still opens, and the import can be done afterwards
    x = again.exchange
    plan = x.dry_run([package])
    if plan.counties[0].status == "apply":
        x.apply(plan)
    assert db_state(again)["enterprise"] == 600
    again.db.dispose()
