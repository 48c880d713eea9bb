"""Two clerks on one database file for the GUI tests: the warning box that tells the second one, closed by a timer."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QMessageBox


def close_next_message_box(seen: list[str]) -> None:
    """When the warning shows: note its title and text, then press its OK button (a timer polls for it)."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, poll)
            return
        seen.extend([box.windowTitle(), box.text()])
        box.button(QMessageBox.StandardButton.Ok).click()
    QTimer.singleShot(20, poll)
