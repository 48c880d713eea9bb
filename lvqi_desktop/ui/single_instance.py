"""One program per data dir: a second start asks the running window to come to the front."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtCore import Signal
from PySide6.QtNetwork import QLocalServer
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from lvqi_desktop.paths import DataDir

_MESSAGE = b"raise"
RAISED = "raised"  # the first instance's window (or its open dialog) has the focus now
NOT_FOCUSED = "not-focused"  # it was restored and raised but Windows did not let it take the focus
ASFW_ANY = 0xFFFFFFFF
WHERE_IT_IS = ("吕企台账已经在运行（同一数据文件夹只能打开一个程序窗口）。\n\n"
               "请点击屏幕下方任务栏上的吕企台账图标（闪烁的那个）切换到已打开的窗口；"
               "如果它正在做较长的工作（如备份、导入），请稍候再点。")


def server_name(data_dir: DataDir) -> str:
    digest = hashlib.sha1(str(data_dir.root).encode("utf-8")).hexdigest()[:16]
    return f"lvqi_desktop-{digest}"


def ask_running_instance_to_raise(data_dir: DataDir, timeout_ms: int = 1500) -> bool:
    """True when a running instance answered (it will bring its window to the front)."""
    return ask_to_raise(data_dir, timeout_ms) is not None


def ask_to_raise(data_dir: DataDir, timeout_ms: int = 1500) -> str | None:
    """Ask the running instance to come to the front: None if nobody listens, else RAISED or NOT_FOCUSED.

    No answer in time (the first instance is busy) counts as NOT_FOCUSED: the clerk is then told where it is.
    """
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return None
    allow_foreground_for_others()  # we have the focus now; Windows lets the first instance take it only if we pass it on
    socket.write(_MESSAGE + b" " + str(os.getpid()).encode("ascii"))
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    answer = b""
    if socket.waitForReadyRead(timeout_ms):
        answer = bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return RAISED if answer.startswith(RAISED.encode("ascii")) else NOT_FOCUSED


def allow_foreground_for_others() -> None:
    """On Windows, AllowSetForegroundWindow(ASFW_ANY): the running instance may activate its window."""
    if sys.platform == "win32":
        import ctypes

        ctypes.WinDLL("user32").AllowSetForegroundWindow(ctypes.c_uint32(ASFW_ANY))


def bring_to_front(window: QWidget | None) -> bool:
    """Restore, raise and activate the window, or the modal dialog open over it; True if it got the focus."""
    target = QApplication.activeModalWidget() or window
    if target is None:
        return False
    if target.isMinimized():
        target.showNormal()
    target.show()
    target.raise_()
    target.activateWindow()
    return has_focus(target)


def has_focus(widget: QWidget) -> bool:
    """On Windows whether the widget's window is the foreground window; elsewhere Qt cannot tell, so True."""
    if sys.platform != "win32":
        return True
    import ctypes

    user32 = ctypes.WinDLL("user32")
    user32.GetForegroundWindow.restype = ctypes.c_void_p
    return user32.GetForegroundWindow() == int(widget.window().winId())


class RaiseServer(QObject):
    """Listens for later starts of the program and emits `raise_requested`."""

    raise_requested = Signal()

    def __init__(self, data_dir: DataDir, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.front: Callable[[], bool] = lambda: True  # brings the program to the front; False if not focused
        self._server = QLocalServer(self)
        name = server_name(data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crash would block listen()
        self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _on_connection(self) -> None:
        socket = self._server.nextPendingConnection()
        if socket is None:
            return

        def read() -> None:
            if bytes(socket.readAll().data()).startswith(_MESSAGE):
                self.raise_requested.emit()
                socket.write((RAISED if self.front() else NOT_FOCUSED).encode("ascii"))
                socket.flush()
            # waits for the answer to be written; the socket is a child of the server, freed with it
            # (deleteLater here crashed when the server went first)
            socket.disconnectFromServer()

        socket.readyRead.connect(read)
        if socket.bytesAvailable():
            read()

    def close(self) -> None:
        self._server.close()
