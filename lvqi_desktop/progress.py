"""The progress protocol long work reports through; Qt-free so services and exporters can use it."""

from __future__ import annotations

import threading
from typing import Protocol

from lvqi_desktop.errors import Cancelled


class Progress(Protocol):
    def update(self, done: int, total: int, message: str = "") -> None: ...

    def raise_if_cancelled(self) -> None: ...


class SilentProgress:
    """Reports nowhere; cancellable through its event (used by the CLI and tests)."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()

    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def raise_if_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()


NO_PROGRESS = SilentProgress()
