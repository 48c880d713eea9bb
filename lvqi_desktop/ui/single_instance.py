"""One program per data dir: a second start asks the running window to come to the front."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from lvqi_desktop.paths import DataDir

_MESSAGE = b"raise"


def server_name(data_dir: DataDir) -> str:
    digest = hashlib.sha1(str(data_dir.root).encode("utf-8")).hexdigest()[:16]
    return f"lvqi_desktop-{digest}"


def ask_running_instance_to_raise(data_dir: DataDir, timeout_ms: int = 1500) -> bool:
    """True when a running instance answered (it will bring its window to the front)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(_MESSAGE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class RaiseServer(QObject):
    """Listens for later starts of the program and emits `raise_requested`."""

    raise_requested = Signal()

    def __init__(self, data_dir: DataDir, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
            socket.close()  # a child of the server, freed with it; deleteLater here crashed when the server went first

        socket.readyRead.connect(read)
        if socket.bytesAvailable():
            read()

    def close(self) -> None:
        self._server.close()
