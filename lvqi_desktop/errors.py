"""Expected failures a user can cause; each carries a Chinese message that says what to do."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

LOW_SPACE = 32 << 20  # below this much free space, a failing SQLite read or write is put down to a full disk


class LvqiError(Exception):
    """Base of every expected failure; `str(err)` is the Chinese message shown to the user."""


class NotFound(LvqiError):
    """A record that was asked for does not exist (or not in this office)."""


_Found = TypeVar("_Found")


def require(found: _Found | None, message: str) -> _Found:
    """What a lookup found, or NotFound with `message` when it found nothing."""
    if found is None:
        raise NotFound(message)
    return found


class Cancelled(LvqiError):
    """The user cancelled long work; nothing was written."""

    def __init__(self, message: str = "操作已取消，数据未作任何更改。") -> None:
        super().__init__(message)


class DatabaseRefused(LvqiError):
    """The database file cannot be opened: not SQLite, damaged, or from a newer program."""


class ServerTrouble(LvqiError):
    """The PostgreSQL server failed during a use case (gone away, no rights): rolled back, nothing written."""


class StorageRefused(LvqiError):
    """The data folder cannot be used (not writable, network or removable drive)."""


class ReadOnlyData(LvqiError):
    """A write to data opened read-only (a read-only folder or drive, or --read-only); nothing was written."""

    def __init__(self, message: str = "数据以只读方式打开（数据文件夹或数据库文件是只读的），不能修改，本次操作没有写入任何数据。"
                                      "请把整个数据文件夹复制到本机可写的文件夹后再打开，或请管理员开放写入权限；"
                                      "查看、导出和拷贝副本可以照常进行。") -> None:
        super().__init__(message)

    @staticmethod
    def caused(exc: BaseException) -> bool:
        """Whether SQLite refused a write because the database is open read-only."""
        return "readonly database" in str(getattr(exc, "orig", None) or exc)


class EditConflict(LvqiError):
    """A form's save refused: another clerk (or a package merge) changed the record since the form read it;
    nothing was written."""

    def __init__(self, message: str = "该记录刚被其他人修改，您的修改没有保存。请关闭后重新打开，再录入您的修改。") -> None:
        super().__init__(message)


class BackupFailed(LvqiError):
    """A backup or a copy could not be written; no partial file is left and the database is untouched."""


class DatabaseBusy(LvqiError):
    """Another program (the GUI) holds the database for writing."""


class ExportError(LvqiError):
    """A file could not be written."""

    @classmethod
    def writing(cls, exc: OSError, folder: Path, target: Path, outcome: str, *, denied: str,
                retry: str) -> ExportError:
        """Why writing `target` in `folder` failed, ending in what was not done (`outcome`): the disk (or USB
        stick) is full, no right to write (`denied`, the whole message), or another error and what to try (`retry`)."""
        if exc.errno == errno.ENOSPC:
            return cls(f"“{folder}”所在磁盘（或U盘）空间已满，{outcome}。请清理空间或换一个文件夹后重试。")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return cls(denied)
        return cls(f"写入“{target}”时出错（{exc.strerror or exc}），{outcome}。{retry}")


class DiskFull(LvqiError):
    """The disk is full: the work was not done, nothing was written, the database is intact."""

    @classmethod
    def at(cls, folder: Path, database: Path | None = None) -> DiskFull:
        """The message for `folder`'s disk: how much is free and how much to free (room for the database to
        grow and for one backup of it)."""
        free = free_bytes(folder)
        size = database.stat().st_size if database is not None and database.exists() else 0
        wanted = max(200 << 20, 2 * size + (100 << 20))
        left = f"只剩 {_mb(free)} 可用" if free is not None else "已没有可用空间"
        return cls(f"磁盘已满：“{folder}”所在的磁盘{left}，操作没有完成，也没有写入任何数据（数据库没有损坏）。"
                   f"请腾出至少 {_mb(wanted - (free or 0))} 空间（清空回收站，删除或移走不用的大文件）后再试。")


def _mb(count: int) -> str:
    return f"{max(count, 0) / 2**20:,.0f} MB" if count >= 10 << 20 else f"{max(count, 0) / 2**20:.1f} MB"


def free_bytes(folder: Path) -> int | None:
    """Free space on `folder`'s disk (its nearest existing parent), or None if it cannot be told."""
    for place in (folder, *folder.parents):
        try:
            return shutil.disk_usage(place).free
        except OSError:
            continue
    return None


def is_disk_full(exc: BaseException | None, folder: Path | None = None) -> bool:
    """Whether an error, or one it came from, is a full disk: ENOSPC, SQLite's SQLITE_FULL, or (with
    `folder`) any SQLite/OS error while that folder's disk has almost no space left."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return True
        if getattr(exc, "sqlite_errorcode", None) == 13 or "database or disk is full" in str(exc):  # SQLITE_FULL
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    if folder is None:
        return False
    free = free_bytes(folder)
    return free is not None and free < LOW_SPACE


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


def refuse_blocking(issues: Sequence[Issue]) -> None:
    """ValidationFailed with all of `issues` when any of them blocks a save; warnings alone pass."""
    if any(i.blocking for i in issues):
        raise ValidationFailed(issues)
