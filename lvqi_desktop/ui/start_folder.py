"""Where a file dialog opens when the page has no folder of its own: the last folder used, else Documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

_KEY = "file_dialogs/last_folder"


def start_folder(start: str = "") -> str:
    """`start` when given, else the last folder a file dialog chose (if it still exists), else Documents."""
    if start:
        return start
    last = QSettings().value(_KEY, "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return last
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def start_file(name: str) -> str:
    """A suggested file name placed in `start_folder()`."""
    return str(Path(start_folder()) / name)


def remember_folder(chosen: str) -> str:
    """Remember the folder of a chosen file or folder for the next dialog; returns `chosen` unchanged."""
    if chosen:
        path = Path(chosen)
        QSettings().setValue(_KEY, str(path if path.is_dir() else path.parent))
    return chosen
