"""Start-up imports no file-format library: openpyxl, reportlab and pypinyin load when first used (issue 21)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "reportlab", "pypinyin", "python_calamine", "xlrd")


def test_opening_the_program_loads_no_file_format_library(tmp_path) -> None:
    code = ("import sys\n"
            "from lvqi_desktop import app\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
