"""Fixtures for the GUI tests: throw-away settings for a page test (name it in the module's `pytestmark`), and
message boxes answered without a user; a page shown at a size, text typed as a user (or a Chinese IME) types it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from lvqi_desktop.ui import background
from lvqi_desktop.ui import messages
from tests.conftest import open_services
from tests.ui.ui_activity import throwaway_settings


@pytest.fixture
def page_settings(tmp_path) -> Iterator[None]:
    """Window and column layouts go to a throw-away ini, never to the developer's own settings; the page's
    background work is finished before the next test (`pytestmark = pytest.mark.usefixtures("page_settings")`)."""
    throwaway_settings(tmp_path)
    yield
    background.wait_for_background()


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    """Every message box, as (kind, text): informed, refused, or confirmed with 是."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, *a, **k: shown.append(("inform", text)))
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: shown.append(("error", str(text))))
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: shown.append(("confirm", text)) or True)
    return shown


@pytest.fixture
def other_clerk(services):
    """王五's program on the same database file as `services` (two clerks: the edit-conflict tests)."""
    services.office.add_operator("王五")
    other = open_services(services.data_dir)
    other.office.use_operator("王五")
    yield other
    other.close()


def shown_at(qtbot, page, width: int, height: int):
    """`page` at width × height, shown and told so (on_shown: its first load), as the main window shows a page."""
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    page.on_shown()
    return page


def main_window(qtbot, services, size: tuple[int, int] | None = None):
    """The program's main window over `services`, shown (at `size`, when given) as a clerk opens the program."""
    from lvqi_desktop.app import make_main_window

    window = make_main_window(services)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    return window


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user: keys for ASCII, an input-method commit (as a Chinese IME sends) for the rest."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
