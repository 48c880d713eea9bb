"""The row at the foot of a small dialog: its default button (Enter) and 取消, at the right."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QPushButton


def accept_cancel_row(dialog: QDialog, accept: QPushButton) -> QHBoxLayout:
    """`accept` (the default button) accepts the dialog, 取消 rejects it."""
    accept.setDefault(True)
    accept.clicked.connect(dialog.accept)
    cancel = QPushButton("取消")
    cancel.clicked.connect(dialog.reject)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(accept)
    buttons.addWidget(cancel)
    return buttons
