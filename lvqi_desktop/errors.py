"""Expected failures a user can cause; each carries a Chinese message that says what to do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class LvqiError(Exception):
    """Base of every expected failure; `str(err)` is the Chinese message shown to the user."""


class NotFound(LvqiError):
    """A record that was asked for does not exist (or not in this office)."""


class Cancelled(LvqiError):
    """The user cancelled long work; nothing was written."""

    def __init__(self, message: str = "操作已取消，数据未作任何更改。") -> None:
        super().__init__(message)


class DatabaseRefused(LvqiError):
    """The database file cannot be opened: not SQLite, damaged, or from a newer program."""


class StorageRefused(LvqiError):
    """The data folder cannot be used (not writable, network or removable drive)."""


class BackupFailed(LvqiError):
    """A backup or a copy could not be written; no partial file is left and the database is untouched."""


class DatabaseBusy(LvqiError):
    """Another program (the GUI) holds the database for writing."""


class ExportError(LvqiError):
    """A file could not be written."""


@dataclass(frozen=True)
class Issue:
    """One validation finding at one field; `blocking` errors stop a save, warnings do not."""

    field: str
    message: str
    blocking: bool = True


class ValidationFailed(LvqiError):
    """A record was refused; `issues` says which field and why, in Chinese."""

    def __init__(self, issues: Sequence[Issue], existing_id: int | None = None) -> None:
        self.issues = list(issues)
        self.existing_id = existing_id  # set when the refusal names an existing record (duplicate)
        super().__init__("；".join(i.message for i in self.issues if i.blocking) or "数据未通过校验")
