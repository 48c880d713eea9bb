"""A panel of the start page (首页) whose figures are counted when it is shown, and again once marked stale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.background import run_in_background


class StartPanel(QFrame):
    """The counting in the background (or, with `background=False`, right away) and the heading; a panel
    says in `reload` what to count and how to show it, and in `show_failure` why it could not."""

    loaded = Signal()

    def __init__(self, services: Services, title: str, parent: QWidget | None = None, today: date | None = None,
                 background: bool = True) -> None:
        super().__init__(parent)
        self.services = services
        self._today = today
        self.background = background
        self.stale = True
        self.loading = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")

    def today(self) -> date:
        return self._today or self.services.demands.today()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.stale and not self.loading:
            QTimer.singleShot(0, self.reload)  # after the window has painted

    def mark_stale(self, *_: object) -> None:
        self.stale = True
        if self.isVisible() and not self.loading:
            self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def show_failure(self, exc: BaseException) -> None:
        raise NotImplementedError

    def count(self, work: Callable[[], Any], show: Callable[[Any], None], title: str) -> None:
        """`show(work())`; in the background (read-only lane, no progress dialog) unless the panel was made without."""
        self.stale = False
        if not self.background:
            show(work())
            return
        self.loading = True

        def done(result: Any) -> None:
            if not isValid(self):  # the window closed (or a restore replaced it) while we counted
                return
            self.loading = False
            show(result)
            if self.stale and self.isVisible():
                self.reload()

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.loading = False
            self.show_failure(exc)

        run_in_background(self, lambda _progress: work(), title=title, on_success=done, on_failure=failed,
                          show_dialog=False, read_only=True)
