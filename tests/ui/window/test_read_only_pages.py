"""A read-only data folder opens with every write action greyed out, saying why, on every page and in the forms;
exporting, printing and 备份到… stay available (issue 19 item 6).

As root chmod does not stop writes, so there the window is opened the way `main` opens a folder it found
read-only (start_gui(read_only=True)); otherwise the folder really is made read-only first."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QToolBar

from lvqi_desktop import app
from lvqi_desktop.services.startup import is_read_only
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.registry_page import RegistryPage
from tests.ui.safety_window import add
from tests.ui.safety_window import close_windows
from tests.ui.safety_window import isolate_settings
from tests.ui.safety_window import settle

AS_ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
WHY = "数据文件夹只读"
# What a user reads on a button or toolbar entry that would change data, and on those that only read or copy.
WRITE_TEXTS = {"新增", "编辑", "修改", "归档", "退库/归档", "更换", "结束", "导入Excel", "变更状态", "批量变更状态",
               "保存", "按企业填报", "加入样本", "登记本年度采集费", "标记已发放", "保存设置", "新增目标", "修改目标",
               "删除目标", "解散", "修改…", "添加", "改名…", "停用", "生成报送包", "重新打开本期…", "导入回执…", "确认导入",
               "出具回执…", "添加条件", "修改所选条件", "删除所选条件", "保存板块名称", "添加年度", "保存当前年度"}
READ_TEXTS = {"导出Excel", "打印", "查找", "导出Excel…", "备份到…", "打开备份文件夹"}


@pytest.fixture
def read_only_window(qtbot, services, tmp_path, monkeypatch) -> Iterator[MainWindow]:
    isolate_settings(tmp_path)
    add(services, "只读页面有限公司", seed=61)
    services.db.dispose()
    root = services.data_dir.root
    files = [p for p in root.rglob("*") if p.is_file()]
    if not AS_ROOT:
        for path in files:
            path.chmod(0o400)
        root.chmod(0o500)
        assert is_read_only(services.data_dir)
    monkeypatch.setattr(app, "choose_operator", lambda s: "测试员")
    window, code = app.start_gui(services.data_dir, read_only=True)
    assert code == 0 and window is not None
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        settle()
        window.services.db.dispose()
        close_windows()
        root.chmod(0o700)
        for path in files:
            path.chmod(0o600)


def _visible_controls(window: MainWindow) -> list[tuple[str, bool, str]]:
    """(text, enabled, tooltip) of every toolbar entry and visible button the current page shows."""
    toolbar = window.findChild(QToolBar, "page_toolbar")
    shown = [(a.text(), a.isEnabled(), a.toolTip()) for a in toolbar.actions() if a.isVisible()]
    page = window.current_page()
    shown += [(b.text(), b.isEnabled(), b.toolTip()) for b in page.findChildren(QAbstractButton) if b.isVisible()]
    return shown


def test_every_page_greys_out_its_write_actions_and_keeps_export(qtbot, read_only_window, tmp_path) -> None:
    window = read_only_window
    writes_seen, reads_seen = set(), set()
    for page in window.pages:
        window.show_page(page.title)
        qtbot.wait(20)
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisible()]
        for tab_widget, index in [(None, 0)] + [(t, i) for t in tabs for i in range(t.count())]:
            if tab_widget is not None:
                tab_widget.setCurrentIndex(index)
                qtbot.wait(20)
            for text, enabled, tip in _visible_controls(window):
                if text in WRITE_TEXTS:
                    assert not enabled and tip.startswith(WHY), (page.title, index, text)
                    writes_seen.add(text)
                elif text in READ_TEXTS:
                    assert enabled, (page.title, index, text)
                    reads_seen.add(text)
        window.grab().save(f"/tmp/s19_read_only_{page.title}.png")
    assert {"新增", "编辑", "归档", "导入Excel", "修改…", "停用", "新增目标", "保存设置", "登记本年度采集费"} <= writes_seen
    assert {"导出Excel", "打印", "备份到…"} <= reads_seen
    returns = window.show_page("报表")
    returns.folder.setText(str(tmp_path))
    next(b for b in returns.findChildren(QPushButton) if b.text() == "全选").click()
    assert returns.export_button.isEnabled()  # the returns can still be exported
    out = tmp_path / "returns"
    out.mkdir()
    returns.folder.setText(str(out))
    qtbot.mouseClick(returns.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: returns.task is None and returns.result is not None, timeout=60000)
    assert any(p.suffix == ".xlsx" for p in out.iterdir())
    menu = {a.text(): a.isEnabled() for a in window.file_menu.actions()}
    assert menu["立即备份(&B)"] is False and menu["从备份恢复(&R)…"] is False and menu["备份到(&O)…"] is True
    edit = {a.text(): a for a in window.edit_menu.actions()}
    assert all(not a.isEnabled() for a in edit.values() if a.text().startswith(("撤销", "重做")))


def test_selecting_a_firm_does_not_turn_editing_back_on_and_its_form_cannot_save(qtbot, read_only_window) -> None:
    window = read_only_window
    registry = window.show_page("企业库")
    assert isinstance(registry, RegistryPage)
    qtbot.waitUntil(lambda: registry.model.rowCount() == 1)
    registry.table.selectRow(0)
    qtbot.wait(20)
    assert not registry.edit_action.isEnabled() and not registry.archive_action.isEnabled()
    assert registry.export_action.isEnabled()
    seen: list[tuple[bool, str, str]] = []

    def look_and_close() -> None:
        form = QApplication.activeModalWidget()
        assert isinstance(form, QDialog)
        save = next(b for b in form.findChildren(QPushButton) if b.text() == "保存")
        seen.append((save.isEnabled(), save.toolTip(), form.windowTitle()))
        form.grab().save("/tmp/s19_read_only_form.png")
        form.reject()

    QTimer.singleShot(300, look_and_close)
    registry.open_enterprise(registry.current_row().id)
    assert seen and seen[0][0] is False and seen[0][1].startswith(WHY)


def test_the_key_dialog_shows_the_fingerprint_but_cannot_enrol(qtbot, read_only_window) -> None:
    window = read_only_window
    exchange = window.show_page("数据报送")
    dialog = exchange.open_keys()
    qtbot.waitExposed(dialog)
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    assert not buttons["核对无误，确认登记"].isEnabled()
    assert buttons["核对无误，确认登记"].toolTip().startswith(WHY)
    assert buttons["导出本机公钥…"].isEnabled()
    dialog.grab().save("/tmp/s19_read_only_keys.png")
    dialog.reject()


def test_a_form_can_be_blocked_for_another_reason_and_its_own_logic_cannot_undo_it(qtbot) -> None:
    from lvqi_desktop.ui.write_guard import block_writes
    from lvqi_desktop.ui.write_guard import writes

    form = QDialog()
    qtbot.addWidget(form)
    save, close = writes(QPushButton("保存", form)), QPushButton("关闭", form)
    block_writes(form, "该企业是交口县报送的数据，市中心只能查看。")
    save.setEnabled(True)  # what a form does when a field is filled
    save.setToolTip("保存修改")
    assert not save.isEnabled() and save.toolTip() == "该企业是交口县报送的数据，市中心只能查看。"
    assert close.isEnabled()
