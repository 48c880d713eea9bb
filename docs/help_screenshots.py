"""Re-make the screenshots in the offline manual (resources/help): every page of a county office on demo data.

Run from the repository: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/help_screenshots.py [OUT_DIR]
The manual shows each page's picture (`page-<name>.png`, names in PICTURES) in its section, plus `visit_form.png`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QTabWidget

WINDOW = (1100, 640)  # about the work area of a 1366×768 laptop at 125 %: what most counties see
SEED = "7"
PICTURES = {"首页": "home", "企业库": "registry", "梯度培育库": "pools", "包联帮扶": "helpers", "入企服务": "visits", "企业诉求": "demands", "运行监测": "monitoring", "双创基地": "bases", "报表": "returns", "数据报送": "exchange", "设置": "settings"}  # page title → file name


def make_demo(data: Path) -> None:
    """The same demo a new user makes: a county office with activity in every pool, monitoring and bases."""
    from lvqi_desktop.cli import main as lvqi

    common = ["--data-dir", str(data), "--operator", "张三"]
    for argv in (["init", "--county", "141102", "--preparer", "张三"],
                 ["demo", "--enterprises", "300", "--activity", "--seed", SEED]):
        if lvqi([*common, *argv]) != 0:
            raise SystemExit(f"lvqi {' '.join(argv)} failed")


def main(out: Path) -> None:
    app = QApplication(sys.argv[:1])
    from lvqi_desktop import __version__
    from lvqi_desktop.app import make_main_window
    from lvqi_desktop.paths import DataDir
    from lvqi_desktop.services.bundle import build_services
    from lvqi_desktop.storage.opening import open_database
    from lvqi_desktop.storage.unit_of_work import Database
    from lvqi_desktop.ui import background
    from lvqi_desktop.ui.visit_form import VisitDialog
    from lvqi_desktop.ui.window_host import WindowHost

    work = Path(tempfile.mkdtemp(prefix="lvqi-help-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "ini"))
    make_demo(work / "data")
    data = DataDir(work / "data")
    services = build_services(data, Database(open_database(data, __version__), operator="张三"))
    services.office.use_operator("张三")
    window = WindowHost(make_main_window).open(services)
    window.resize(*WINDOW)
    window.show()
    for page in window.pages:
        window.show_page(page.title)
        background.wait_for_background()
        for tabs in page.findChildren(QTabWidget):
            tabs.setCurrentIndex(0)
        app.processEvents()
        background.wait_for_background()
        app.processEvents()
        window.grab().save(str(out / f"page-{PICTURES[page.title]}.png"))
    dialog = VisitDialog(services)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "visit_form.png"))
    dialog.reject()
    window.close()
    services.db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "help")
