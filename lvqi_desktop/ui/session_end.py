"""The normal exit's clean-up, run once: after the event loop, on quit, or when Windows ends the session."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QSessionManager

log = logging.getLogger(__name__)


class SessionEnd(QObject):
    """Runs `steps` (save, close the database, remove the unclean-exit marker…) exactly once.

    Windows logging off or shutting down may end the process without `exec()` returning, so the same
    clean-up is tied to `commitDataRequest` (the session is ending) and `aboutToQuit` as well.
    """

    def __init__(self, app: QGuiApplication, steps: list[Callable[[], None]]) -> None:
        super().__init__(app)
        self._steps = steps
        self.done = False
        app.commitDataRequest.connect(self._on_session_ending)
        app.aboutToQuit.connect(self.run)

    def _on_session_ending(self, manager: QSessionManager) -> None:
        log.info("Windows 会话结束（注销或关机），按正常退出保存并关闭数据库")
        manager.setRestartHint(QSessionManager.RestartHint.RestartNever)
        self.run()
        QGuiApplication.quit()  # the database is closed now: the program must not go on using it

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        for step in self._steps:
            try:
                step()
            except Exception:  # one failed step must not keep the marker or the lock from going
                log.exception("退出清理步骤失败：%s", getattr(step, "__name__", step))
        QSettings().sync()
