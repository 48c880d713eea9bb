"""`lvqi-desktop --smoke` / `--startup-time` (what the frozen build runs) and their bad-input messages."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from lvqi_desktop.smoke import file_problems


def run_gui(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "lvqi_desktop", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_smoke_then_startup_time_then_newer_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = run_gui("--smoke", "--data-dir", str(data))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SMOKE OK" in done.stdout and "演示企业 60 家" in done.stdout
    assert "PostgreSQL 驱动 psycopg 3." in done.stdout  # the city edition's server driver loads (not connected)
    written = sorted((data / "smoke-returns").iterdir())
    assert {p.suffix for p in written} == {".xlsx", ".pdf"} and not file_problems(written)
    assert (data / "smoke-output.txt").read_text(encoding="utf-8").startswith("SMOKE OK")

    done = run_gui("--startup-time", "--data-dir", str(data))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("STARTUP ")

    with sqlite3.connect(data / "lvqi.sqlite3") as conn:
        conn.execute("UPDATE app_meta SET value='9.0.0' WHERE key='min_program_version'")
    done = run_gui("--smoke", "--data-dir", str(data))
    assert done.returncode == 1
    assert "需要 9.0.0 或更高版本" in done.stdout


def test_file_problems_names_missing_empty_and_wrong_files(tmp_path: Path) -> None:
    empty, wrong = tmp_path / "a.xlsx", tmp_path / "b.pdf"
    empty.write_bytes(b"")
    wrong.write_bytes(b"not a pdf")
    problems = file_problems([empty, wrong])
    assert any("为空" in p for p in problems) and any("内容不对" in p for p in problems)
    assert file_problems([]) == ["没有生成 .xlsx 文件", "没有生成 .pdf 文件"]
