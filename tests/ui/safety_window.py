"""Helpers for the data-safety GUI tests: a real main window with undo, backups and history installed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from lvqi_desktop.app import make_main_window
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.ui import background
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.window_host import WindowHost
from tests.conftest import make_uscc


def isolate_settings(tmp_path) -> None:
    """Window and column layouts go to a throw-away ini, never to the developer's own settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()


@pytest.fixture
def window_settings(tmp_path):
    """Throw-away settings for the test; its windows closed and its background work finished after it
    (import it into a test module and name it in `pytestmark = pytest.mark.usefixtures(...)`)."""
    isolate_settings(tmp_path)
    yield
    settle()
    close_windows()


def open_window(qtbot, services) -> tuple[WindowHost, MainWindow]:
    """A window through the WindowHost (a restore replaces it, so close_windows() ends it, not qtbot)."""
    host = WindowHost(make_main_window)
    window = host.open(services)
    qtbot.waitExposed(window)
    return host, window


def close_windows() -> None:
    host = WindowHost.current
    if host is not None and host.window is not None:
        host.window.close()
        host.window.deleteLater()
    WindowHost.current = None


def add(services, name: str, seed: int) -> int:
    return services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=seed), name=name,
                                                     township_code="141102001", industry_section="C")).id


def settle() -> None:
    background.wait_for_background()
    QApplication.processEvents()
