"""An OS-level lock on the data dir: held by the GUI for its lifetime, tried by CLI writers.

The operating system drops the lock when the holding process dies, so a lock left by a crash
never blocks anyone (no stale-lock clean-up needed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from lvqi_desktop.errors import DatabaseBusy

if sys.platform == "win32":  # (not os.name: mypy knows msvcrt only under this check)
    import msvcrt
else:
    import fcntl


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def try_acquire(self, role: str = "gui") -> bool:
        """Take the lock without waiting; False when another process holds it. The file says who holds it
        ("<pid> gui" or "<pid> cli")."""
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            if sys.platform == "win32":
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()} {role}".encode())
        fh.flush()
        self._fh = fh
        return True

    def acquire_or_refuse(self) -> None:
        """Take the lock for a command-line writer, or say who holds it: the program's window or another command."""
        if not self.try_acquire("cli"):
            if self._holder() == "cli":
                raise DatabaseBusy(f"另一个命令行命令正在写入这个数据文件夹（{self.path.parent}）。"
                                   "请等它完成后再运行本命令。")
            raise DatabaseBusy(f"图形界面程序正在使用这个数据文件夹（{self.path.parent}）。"
                               "请先关闭吕企台账窗口，再用命令行写入数据。")

    def _holder(self) -> str:
        """The holder's role from the lock file (byte 0 is the one Windows locks, so it is skipped)."""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(1)
                return fh.read(64).decode("ascii", "replace").rpartition(" ")[2]
        except OSError:
            return ""

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            if sys.platform == "win32":
                self._fh.seek(0)
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> InstanceLock:
        self.acquire_or_refuse()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
