"""Start-up imports no file-format library (openpyxl, reportlab and pypinyin load when first used) and no page
module but the start page's (each page's module loads when the page is first shown) (issue 21)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("openpyxl", "reportlab", "pypinyin", "python_calamine", "xlrd")
PAGES = ("lvqi_desktop.ui.registry_page", "lvqi_desktop.ui.pools.page", "lvqi_desktop.ui.helpers.page",
         "lvqi_desktop.ui.visits_page", "lvqi_desktop.ui.demands.page", "lvqi_desktop.ui.monitoring.page",
         "lvqi_desktop.ui.bases_page", "lvqi_desktop.ui.returns_page", "lvqi_desktop.ui.exchange_page",
         "lvqi_desktop.ui.settings_page")


def loaded_at_start(tmp_path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` are imported once the program's entry module is."""
    code = ("import sys\n"
            "from lvqi_desktop import app\n"
            f"print(','.join(m for m in {modules!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    return [m for m in done.stdout.strip().split(",") if m]


def test_opening_the_program_loads_no_file_format_library(tmp_path) -> None:
    assert loaded_at_start(tmp_path, HEAVY) == []


def test_opening_the_program_loads_no_page_module_but_the_start_pages(tmp_path) -> None:
    assert loaded_at_start(tmp_path, PAGES) == []
