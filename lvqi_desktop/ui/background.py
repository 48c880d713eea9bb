"""Runs long work off the GUI thread with a progress dialog and a working Cancel."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtCore import QRunnable
from PySide6.QtCore import Qt
from PySide6.QtCore import QThreadPool
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressDialog
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.progress import Progress
from lvqi_desktop.ui import messages

log = logging.getLogger(__name__)

_POOL = QThreadPool()
_POOL.setMaxThreadCount(1)  # database work is serialised, as Anki does
_READ_POOL = QThreadPool()  # read-only summaries (the start page's dashboard) need not queue behind that work:
_READ_POOL.setMaxThreadCount(1)  # SQLite in WAL mode lets a reader run beside the writer


class TaskSignals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _QtProgress:
    """The Progress protocol, reporting through queued signals; cancel sets an event."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self.cancel_event = threading.Event()

    def update(self, done: int, total: int, message: str = "") -> None:
        self._signals.progressed.emit(done, total, message)

    def raise_if_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()


class BackgroundTask(QRunnable):
    """One piece of work; `signals` report progress and the outcome on the GUI thread."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self.progress = _QtProgress(self.signals)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure reaches the GUI thread, none is swallowed
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.succeeded, result)

    @staticmethod
    def _emit(signal: object, value: object) -> None:
        try:
            signal.emit(value)  # type: ignore[attr-defined]
        except RuntimeError:  # the receiver was destroyed while we worked (the program is closing)
            pass


_RUNNING: set[BackgroundTask] = set()


def run_in_background(parent: QWidget | None, work: Callable[[Progress], Any], *, title: str,
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None] | None = None,
                      show_dialog: bool = True, read_only: bool = False) -> BackgroundTask:
    """Start `work(progress)`; show progress after 400 ms; route the outcome to the callbacks.
    `read_only` work that never writes runs in its own lane instead of queueing behind the database work."""
    task = BackgroundTask(work)
    dialog: QProgressDialog | None = None
    if show_dialog:
        dialog = QProgressDialog(title, "取消", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.progress.cancel_event.set)

        def on_progress(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(message)

        task.signals.progressed.connect(on_progress)

    def finish() -> None:
        _RUNNING.discard(task)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

    def asker_gone() -> bool:  # the window that asked was closed or replaced meanwhile (e.g. by a restore)
        return parent is not None and not shiboken6.isValid(parent)

    def succeeded(result: object) -> None:
        finish()
        if asker_gone():
            log.info("background work finished after its window was closed: %s", title)
            return
        on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if asker_gone():
            log.warning("background work failed after its window was closed: %s", title, exc_info=exc)
            return
        if on_failure is not None:
            on_failure(exc)
        elif isinstance(exc, LvqiError):
            messages.show_error(parent, exc)
        else:
            raise exc  # reaches the app's excepthook dialog

    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    _RUNNING.add(task)
    (_READ_POOL if read_only else _POOL).start(task)
    return task


def wait_for_background(msecs: int = 30000) -> bool:
    """Block until queued work is done (tests and shutdown)."""
    return _POOL.waitForDone(msecs) and _READ_POOL.waitForDone(msecs)
