"""pytest --windows-sharing: Windows' file-sharing rules for the program's own renames and deletes, on Linux.

On Windows a file open in any process cannot be renamed, replaced or deleted, and antivirus holds every new
file for a moment. Here, for os.replace / os.rename / os.unlink / os.remove called from lvqi_desktop code
(directly or through pathlib):
- a file this process has open (any descriptor in /proc/self/fd, SQLite's included) cannot be renamed,
  replaced (as source or target) or deleted: PermissionError, winerror 32, every time;
- a file not met before (by inode and modification time) is "being scanned": the first attempt on it fails
  the same way, the next succeeds — so every retry path of lvqi_desktop.atomic_files runs.
Calls from tests, pytest and libraries pass through: only the program is held to the rules.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SHARING_VIOLATION = 32
MESSAGE = "另一个程序正在使用此文件，进程无法访问。（--windows-sharing 模拟）"


def violation(path: object) -> PermissionError:
    exc = PermissionError(errno.EACCES, MESSAGE, os.fspath(path))  # type: ignore[arg-type]
    exc.winerror = SHARING_VIOLATION  # type: ignore[attr-defined]
    return exc


def open_paths() -> set[str]:
    """Every file this process has open, by absolute path."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return found


def called_from_program(depth: int = 2) -> bool:
    """Whether the first caller outside pathlib (and this module) is lvqi_desktop code."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_globals.get("__name__") in ("pathlib", __name__):
        frame = frame.f_back
    return frame is not None and str(frame.f_globals.get("__name__", "")).startswith("lvqi_desktop")


class SharingRules:
    """The two rules; `refused` counts the attempts they failed (reported at the end of the run)."""

    def __init__(self) -> None:
        self.scanned: set[tuple[int, int, int]] = set()
        self.refused = 0

    def check(self, *paths: object) -> None:
        held = open_paths()
        for path in paths:
            if isinstance(path, int):
                continue
            absolute = os.path.abspath(os.fsdecode(path))  # type: ignore[arg-type]
            if absolute in held:
                self.refused += 1
                raise violation(path)
            try:
                st = os.stat(absolute)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino, st.st_mtime_ns)
            if key not in self.scanned:
                self.scanned.add(key)
                self.refused += 1
                raise violation(path)


def _guarded(original: Callable[..., Any], rules: SharingRules, both: bool) -> Callable[..., Any]:
    def guarded(src: Any, dst: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and called_from_program():
            rules.check(src, dst) if both else rules.check(src)
        return original(src, dst, *args, **kwargs) if both else original(src, *args, **kwargs)

    return guarded


@contextmanager
def windows_sharing() -> Iterator[SharingRules]:
    """Apply the rules to os.replace, os.rename, os.unlink and os.remove while the block runs."""
    rules = SharingRules()
    originals = {name: getattr(os, name) for name in ("replace", "rename", "unlink", "remove")}
    try:
        for name, original in originals.items():
            setattr(os, name, _guarded(original, rules, both=name in ("replace", "rename")))
        yield rules
    finally:
        for name, original in originals.items():
            setattr(os, name, original)
