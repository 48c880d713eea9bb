"""导入Excel on the 双创基地 page: the real import dialog (exec'd, driven by a timer) previews a ledger, imports it,
and the page shows the new bases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lvqi_desktop.ui import messages
from lvqi_desktop.ui.bases_page import BasesPage
from lvqi_desktop.ui.import_dialog import ImportDialog
from tests.sheets.county_sheets import write_rows
from tests.ui.ui_activity import throwaway_settings


def test_import_bases_through_the_pages_dialog(qtbot, services, bases, monkeypatch, tmp_path: Path) -> None:
    throwaway_settings(tmp_path)
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, *a, **k: told.append(text))
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: True)
    path = write_rows(tmp_path / "双创基地台账.xlsx", [
        ["序号", "基地名称", "基地类型", "运营主体", "面积（平方米）", "认定层级"],
        [1, "离石区电商产业园", "电商产业园", "乙公司", "5000", "培育"],
        [2, "离石区扶贫车间", "火星基地", "", "", ""],
    ])
    page = BasesPage(services)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    assert page.import_action in page.page_actions() and page.import_action.text() == "导入Excel"
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ImportDialog):
            QTimer.singleShot(50, drive)
            return
        seen["title"] = dialog.windowTitle()
        dialog.load(str(path))  # what 选择文件… does with the chosen file
        qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.plan is not None and dialog.task is None, timeout=10000)
        model = dialog.preview_model
        seen["statuses"] = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
        seen["reason"] = model.data(model.index(1, 4))
        seen["columns"] = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
                           if not dialog.preview_table.isColumnHidden(c)]
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.imported and dialog.task is None, timeout=20000)
        dialog.reject()

    QTimer.singleShot(0, drive)
    with qtbot.waitSignal(page.data_changed, timeout=30000) as changed:
        page.import_action.trigger()
    assert changed.args == ["base"]
    assert seen["title"] == "从Excel导入：小微企业双创基地"
    assert seen["statuses"] == ["新增", "有错误"]
    assert seen["columns"][:3] == ["行号", "结果", "基地名称"]  # no USCC column for a kind matched by name
    assert "C3" in str(seen["reason"]) and "火星基地" in str(seen["reason"])
    assert any("新增 1 条" in t for t in told)
    assert [b.name for b in services.bases.list_bases()] == ["离石区电商产业园"]
    assert page.bases.count_label.text() == "共 1 个"
