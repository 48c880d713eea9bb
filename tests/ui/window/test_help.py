"""帮助: the bundled manual opens at the current page's part with F1, finds text, and has 常见问题."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from lvqi_desktop.paths import resource
from lvqi_desktop.ui.help_dialog import HelpDialog
from tests.ui.safety_window import close_windows
from tests.ui.safety_window import isolate_settings
from tests.ui.safety_window import open_window


@pytest.fixture(autouse=True)
def ini_settings(tmp_path):
    isolate_settings(tmp_path)
    yield
    close_windows()


def _open_helps() -> list[HelpDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()]


def _in_view(dialog: HelpDialog, text: str) -> bool:
    """Whether `text` is on the part of the manual the window shows."""
    view = dialog.browser.viewport().rect()
    first = dialog.browser.cursorForPosition(view.topLeft()).position()
    last = dialog.browser.cursorForPosition(view.bottomRight()).position()
    return first <= dialog.browser.document().find(text).position() <= last


def test_f1_opens_the_part_of_the_manual_for_the_page_shown(qtbot, services):
    _, window = open_window(qtbot, services)
    window.resize(1100, 600)
    window.show_page("入企服务")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window.current_page(), Qt.Key.Key_F1)
    [dialog] = _open_helps()
    qtbot.waitExposed(dialog)
    assert dialog.browser.verticalScrollBar().value() > 0
    assert _in_view(dialog, "登记每一次走访") and not _in_view(dialog, "全部企业的名录")
    dialog.search_edit.setText("备份到")
    assert dialog.find_next() and dialog.browser.textCursor().selectedText() == "备份到"
    dialog.search_edit.setText("没有这个词语")
    assert not dialog.find_next() and "没有找到" in dialog.search_result.text()
    dialog.close()


def test_every_page_and_the_faq_have_a_part(qtbot, services):
    _, window = open_window(qtbot, services)
    text = resource("help/manual.html").read_text(encoding="utf-8")
    for page in window.pages:
        if page.title:
            assert f'<a name="{page.title}">' in text, page.title
    for question in ("换了新电脑", "U盘", "报送包被退回", "导入Excel时有些行没有导入"):
        assert question in text
    [faq] = [a for a in window.help_menu.actions() if a.text().startswith("常见问题")]
    faq.trigger()
    [dialog] = _open_helps()
    qtbot.waitExposed(dialog)
    assert _in_view(dialog, "换了新电脑，怎样把数据搬过去")
    dialog.close()


def test_the_manual_shows_its_screenshots() -> None:
    text = resource("help/manual.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', text)
    assert len(images) >= 2
    sections = re.split(r'<h2><a name="', text)[1:]
    without = [s.split('"')[0] for s in sections if "<img " not in s]
    assert without == ["修改记录", "常见问题"]  # every page's part shows that page (修改记录 is a window, not a page)
    assert [i for i in images if not (resource("help/manual.html").parent / i).is_file()] == []
