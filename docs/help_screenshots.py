"""Re-make the screenshots in the offline manual (resources/help): demo data on a throwaway folder.

Run from the repository: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/help_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from lvqi_desktop import __version__
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database


def settle(app: QApplication, seconds: float) -> None:
    """Let background loading finish and the widgets paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def main(out: Path) -> None:
    app = QApplication([])
    from lvqi_desktop.ui.registry_page import RegistryPage  # after the QApplication exists
    from lvqi_desktop.ui.visit_form import VisitDialog

    data = DataDir(Path(tempfile.mkdtemp()) / "data")
    services = build_services(data, Database(open_database(data, __version__), operator="张三"))
    services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
    services.forget_office()
    services.office.use_operator("张三")
    services.demo.generate(40, seed=7)
    page = RegistryPage(services)
    page.resize(1100, 560)
    page.show()
    page.on_shown()
    settle(app, 1.5)
    page.grab().save(str(out / "registry.png"))
    dialog = VisitDialog(services)
    dialog.show()
    settle(app, 0.5)
    dialog.grab().save(str(out / "visit_form.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "help")
