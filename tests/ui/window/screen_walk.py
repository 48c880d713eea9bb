"""Walks the real program on the screen it is given (a subprocess of test_screen_fit): every page, every tab of a
page, and every dialog its toolbar actions open; reports the sizes as JSON and optionally saves screenshots."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtCore import QRect
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QMessageBox
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QWidget

BUTTON_WORDS = ("保存", "取消", "确定", "关闭", "确认导入", "下一步", "导入")
SKIP_ACTIONS = ("撤销", "重做")  # undo/redo change data without a dialog


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")[:40]


class Walk:
    def __init__(self, window: QWidget, shots: Path | None) -> None:
        self.window = window
        self.shots = shots
        self.pages: list[dict] = []
        self.dialogs: list[dict] = []
        self.where = ""
        self._watch()

    def _watch(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            self.record_dialog(modal)
        QTimer.singleShot(40, self._watch)

    def record_dialog(self, dialog: QWidget) -> None:
        image = dialog.grab()
        QApplication.processEvents()
        title = f"{type(dialog).__name__} {dialog.windowTitle()}"
        buttons = []
        for button in dialog.findChildren(QAbstractButton):
            if button.isVisibleTo(dialog) and button.text().replace("&", "") in BUTTON_WORDS:
                top_left = button.mapTo(dialog, QPoint(0, 0))
                inside = dialog.rect().contains(QRect(top_left, button.size()))
                buttons.append({"text": button.text(), "inside": inside,
                                "visible": not button.visibleRegion().isEmpty()})
        self.dialogs.append({"where": self.where, "dialog": title, "frame": rect(dialog.frameGeometry()),
                             "size": [dialog.width(), dialog.height()], "buttons": buttons})
        if self.shots is not None and not isinstance(dialog, QMessageBox | QFileDialog):
            image.save(str(self.shots / f"dialog-{len(self.dialogs):02d}-{slug(title)}.png"))
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    def record_page(self, name: str, page: QWidget) -> None:
        QApplication.processEvents()
        self.window.grab()
        hint, page_hint = self.window.minimumSizeHint(), page.minimumSizeHint()
        viewport = page.parentWidget().size()
        self.pages.append({"page": name, "minimum": [hint.width(), hint.height()],
                           "page_minimum": [page_hint.width(), page_hint.height()],
                           "viewport": [viewport.width(), viewport.height()],
                           "frame": rect(self.window.frameGeometry())})
        if self.shots is not None:
            self.window.grab().save(str(self.shots / f"page-{len(self.pages):02d}-{slug(name)}.png"))

    def trigger_actions(self, page: QWidget) -> None:
        tables = [t for t in page.findChildren(QTableView) if t.isVisible() and t.model() is not None
                  and t.model().rowCount() > 0]
        if tables:
            tables[0].selectRow(0)
        for action in page.page_actions():
            if action.isEnabled() and action.text() not in SKIP_ACTIONS:
                self.where = f"{self.pages[-1]['page']} › {action.text()}"
                action.trigger()
                QApplication.processEvents()


def walk(window, shots: Path | None) -> dict:
    from lvqi_desktop.ui import background

    walker = Walk(window, shots)
    for page in window.pages:
        window.show_page(page.title)
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisible()][:1]
        indexes = range(tabs[0].count()) if tabs else [None]
        for index in indexes:
            name = page.title
            if index is not None:
                tabs[0].setCurrentIndex(index)
                name += f" › {tabs[0].tabText(index)}"
            background.wait_for_background()
            walker.record_page(name, page)
            walker.trigger_actions(page)
            background.wait_for_background()
            QApplication.processEvents()
    extras(window, walker)
    return {"pages": walker.pages, "dialogs": walker.dialogs,
            "screen": rect(window.screen().availableGeometry())}


def extras(window, walker: Walk) -> None:
    """Dialogs no toolbar action opens directly: the monthly report, a demand step, 修改记录."""
    from datetime import date

    from lvqi_desktop.services.monitoring import MonitoringService
    from lvqi_desktop.ui.demands.steps import StepDialog
    from lvqi_desktop.ui.monitoring.form import MonitoringReportDialog

    services = window.services
    firm = services.enterprises.list_rows()[0]
    monitoring = MonitoringService(services.db, services.office_county)
    monitoring.add_to_sample(firm.id, date(2026, 1, 1))
    walker.where = "运行监测 › 按企业填报"
    MonitoringReportDialog(services, firm.id, "2026-11", window, monitoring=monitoring).exec()
    demands = services.demands.list_demands()
    if demands:
        walker.where = "企业诉求 › 办理 › 交办"
        StepDialog(services, demands[0], "assign", window).exec()
    walker.where = "工具 › 修改记录"
    history = None
    for action in window.tools_menu.actions():
        if action.text().startswith("修改记录"):
            action.trigger()
    for top in QApplication.topLevelWidgets():
        if type(top).__name__ == "HistoryWindow" and top.isVisible():
            history = top
    if history is not None:
        walker.record_dialog(history)


def main(edition: str, out: str, shots: str = "") -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from PySide6.QtCore import QSettings

    from lvqi_desktop import __version__
    from lvqi_desktop.app import make_main_window
    from lvqi_desktop.paths import DataDir
    from lvqi_desktop.services.bundle import build_services
    from lvqi_desktop.services.demo.activity import generate_activity
    from lvqi_desktop.storage.opening import open_database
    from lvqi_desktop.storage.unit_of_work import Database
    from lvqi_desktop.ui.window_host import WindowHost

    app = QApplication(sys.argv[:1])
    work = Path(tempfile.mkdtemp(prefix="lvqi-screen-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "ini"))
    data_dir = DataDir(work / "data")
    services = build_services(data_dir, Database(open_database(data_dir, __version__), operator="张三"))
    if edition == "city":
        services.office.set_up("city", None, "吕梁市中小企业服务中心", "张三")
    else:
        services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
    services.forget_office()
    services.office.use_operator("张三")
    services.demo.generate(120, 7, _Silent())
    generate_activity(services.db, services.office_code, helpers=5, assignments=10, visits=30, demands=10, seed=7)
    window = WindowHost(make_main_window).open(services)
    window.showMaximized()
    QApplication.processEvents()
    shots_dir = Path(shots) if shots else None
    if shots_dir is not None:
        shots_dir.mkdir(parents=True, exist_ok=True)
    report = walk(window, shots_dir)
    Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    window.close()
    services.db.dispose()
    app.quit()


class _Silent:
    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def raise_if_cancelled(self) -> None:
        pass


if __name__ == "__main__":
    main(*sys.argv[1:])
