"""Canary: PySide6 6.12.0 on Python < 3.12 corrupts None's refcount and later aborts the whole run."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_leak_references_to_none(qapp) -> None:
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        obj.setObjectName("x")
    drift = sys.getrefcount(None) - before
    # On 3.12+ None is immortal (drift 0); on the bad pairing drift is about -2000.
    assert drift > -100, (
        f"None refcount fell by {-drift} over 2000 void Qt calls: this PySide6/Python pairing "
        "(PySide6 6.12 on Python < 3.12) will abort the process. Use Python 3.12+ or PySide6 < 6.12.")
