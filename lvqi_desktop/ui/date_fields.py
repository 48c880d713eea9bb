"""Date inputs for forms: a calendar drop-down showing 2026-11-26, and an optional one that may stay empty."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock

DATE_FORMAT = "yyyy-MM-dd"


class DateEdit(QDateEdit):
    """A date with a calendar pop-up; `value()` is a datetime.date."""

    edited = Signal()

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setMinimumDate(QDate(1950, 1, 1))
        self.setMaximumDate(QDate(2099, 12, 31))
        self.set_value(value or clock.today())
        self.dateChanged.connect(lambda _d: self.edited.emit())

    def value(self) -> date:
        d = self.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))


class OptionalDateEdit(QWidget):
    """A date that may be left empty: the check box says whether it is set."""

    edited = Signal()

    def __init__(self, check_text: str, value: date | None = None, default: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.date_edit = DateEdit(value or default)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date_edit, 1)
        self.check.toggled.connect(self._on_toggled)
        self.date_edit.edited.connect(self.edited.emit)
        self.set_value(value)
        self.setFocusProxy(self.check)

    def _on_toggled(self, on: bool) -> None:
        self.date_edit.setEnabled(on)
        self.edited.emit()

    def value(self) -> date | None:
        return self.date_edit.value() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self.date_edit.set_value(value)
        self.check.setChecked(value is not None)
        self.date_edit.setEnabled(value is not None)
