"""An OS-level lock on the data dir: held by the GUI for its lifetime, tried by CLI writers.

The operating system drops the lock when the holding process dies, so a lock left by a crash
never blocks anyone (no stale-lock clean-up needed).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from lvqi_desktop.errors import DatabaseBusy

if os.name == "nt":
    import msvcrt
else:
    import fcntl


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            if os.name == "nt":
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()).encode())
        fh.flush()
        self._fh = fh
        return True

    def acquire_or_refuse(self, who: str = "图形界面程序") -> None:
        if not self.try_acquire():
            raise DatabaseBusy(f"{who}正在使用这个数据文件夹（{self.path.parent}）。"
                               "请先关闭吕企台账窗口，再用命令行写入数据。")

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            if os.name == "nt":
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
