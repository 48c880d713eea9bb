"""Where a file dialog opens: the page's own last folder, or the last folder used, else Documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QWidget

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


def ask_save_path(parent: QWidget | None, caption: str, folder_key: str, file_name: str, file_filter: str,
                  suffix: str) -> Path | None:
    """The save-as dialog in the folder kept under `folder_key` (else Documents), proposing `file_name`; the path
    chosen, with `suffix` (".xlsx") added when it was left off, its folder kept for next time; None if cancelled."""
    folder = QSettings().value(folder_key) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, str(Path(str(folder)) / file_name), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    QSettings().setValue(folder_key, str(path.parent))
    return path
