"""Kill a writer process at random moments of a scenario and check the database after every kill."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lvqi_desktop import __version__
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.opening import open_database
from tests.faults.scenarios import Scenario

WRITER = Path(__file__).resolve().with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class KillOutcome:
    scenario: str
    run: int
    delay: float  # seconds between the writer being ready and the kill
    killed_mid_write: bool  # False: the writer had already finished
    found: str  # what the scenario's check saw, or why it failed
    torn: bool = False


class ForkServer:
    """writer.py serve: one process that forks a fresh writer for each run (POSIX)."""

    def __init__(self, log: IO[str]) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WRITER), "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1, cwd=ROOT)

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the writer server died; see its log")
        return line.strip()

    def start(self, scenario: str, data_dir: Path, state: dict, run: int) -> int:
        assert self.proc.stdin is not None
        job = {"scenario": scenario, "data_dir": str(data_dir), "state": state, "run": run}
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self._line()
        if not line.startswith("READY "):
            raise RuntimeError(f"the writer ended before it was ready ({line}); see its log")
        return int(line.split()[1])

    def kill(self, pid: int) -> bool:
        """SIGKILL the writer; True if it was still writing."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        line = self._line()
        _, _, status = line.split()
        code = int(status)
        if os.WIFEXITED(code) and os.WEXITSTATUS(code) != 0:
            raise RuntimeError(f"the writer failed (exit {os.WEXITSTATUS(code)}); see its log")
        return os.WIFSIGNALED(code) and os.WTERMSIG(code) == signal.SIGKILL

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


class Spawner:
    """A new writer process per run (where there is no fork; slower: every run imports again)."""

    def __init__(self, log: IO[str]) -> None:
        self.log = log
        self.proc: subprocess.Popen[str] | None = None

    def start(self, scenario: str, data_dir: Path, state: dict, run: int) -> int:
        self.proc = subprocess.Popen([sys.executable, str(WRITER), "run", scenario, str(data_dir), json.dumps(state),
                                      str(run)], stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"the writer ended before it was ready ({line}); see its log")
        return self.proc.pid

    def kill(self, pid: int) -> bool:
        assert self.proc is not None
        running = self.proc.poll() is None
        self.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        code = self.proc.wait(timeout=30)
        if not running and code != 0:
            raise RuntimeError(f"the writer failed (exit {code}); see its log")
        return running

    def close(self) -> None:
        pass


@contextmanager
def writers(log_path: Path) -> Iterator[ForkServer | Spawner]:
    """The writer processes for a series of runs; a writer's own failure ends it with its log's last lines."""
    with open(log_path, "a", encoding="utf-8") as log:
        pool: ForkServer | Spawner = ForkServer(log) if hasattr(os, "fork") else Spawner(log)
        try:
            yield pool
        except RuntimeError as exc:
            log.flush()
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            raise RuntimeError(f"{exc}\n" + "\n".join(tail)) from exc
        finally:
            pool.close()


def verify_restart(data_dir: DataDir) -> None:
    """What the next start would do: replay the -wal, pass integrity_check, open at the head schema."""
    conn = sqlite3.connect(data_dir.database)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchmany(5)]
    finally:
        conn.close()
    assert result == ["ok"], f"integrity_check after the kill: {result}"
    open_database(data_dir, __version__).dispose()


def run_kills(scenario: Scenario, root: Path, kills: int, rng: random.Random,
              pool: ForkServer | Spawner) -> list[KillOutcome]:
    """Prepare the scenario's data dir under `root`, then kill its writer `kills` times."""
    data_dir = DataDir(root / scenario.name)
    state = scenario.prepare(data_dir)
    outcomes = []
    for run in range(1, kills + 1):
        before = scenario.before(data_dir, state)
        pid = pool.start(scenario.name, data_dir.root, state, run)
        delay = rng.uniform(0, scenario.max_delay)
        time.sleep(delay)
        mid_write = pool.kill(pid)
        try:
            verify_restart(data_dir)
            found, torn = scenario.check(data_dir, state, before, run), False
        except AssertionError as exc:
            found, torn = str(exc), True
        outcomes.append(KillOutcome(scenario.name, run, delay, mid_write, found, torn))
    return outcomes
