"""The named Windows mutex the installer's `AppMutex` looks for: while it exists, setup asks to close the program."""

from __future__ import annotations

import sys

APP_MUTEX = "lvqi_desktop_running"  # the same name as AppMutex= in installer/lvqi_desktop.iss

_handles: list[int] = []  # held until the process ends; Windows drops the mutex with the process


def hold_app_mutex() -> bool:
    """Create the named mutex on Windows (True when held); elsewhere nothing to do (False)."""
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateMutexW.restype = ctypes.c_void_p
    kernel32.CreateMutexW.argtypes = [ctypes.c_void_p, ctypes.c_bool, ctypes.c_wchar_p]
    handle = kernel32.CreateMutexW(None, False, APP_MUTEX)
    if handle:
        _handles.append(handle)
    return bool(handle)
