"""Building blocks of every form: a field with its message line, coded drop-downs, labels, value access."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#9a5b00"  # amber, dark enough to read as text
ERROR_FILL = "#fde3e3"
WARNING_FILL = "#fff1cc"
WARNING_PREFIX = "提示："

# Installed on forms: a field with an issue gets a coloured frame (the words are in the message line).
FORM_STYLE = (f'QLineEdit[issue="error"], QComboBox[issue="error"], QPlainTextEdit[issue="error"] '
              f'{{ border: 1px solid {ERROR_COLOUR}; border-radius: 2px; padding: 2px; }}'
              f'QLineEdit[issue="warning"], QComboBox[issue="warning"], QPlainTextEdit[issue="warning"] '
              f'{{ border: 1px solid #e0a000; border-radius: 2px; padding: 2px; }}')


def form_label(text: str, required: bool = False) -> QLabel:
    """A right-aligned field label; required fields carry a red asterisk."""
    label = QLabel(f'<span style="color:{ERROR_COLOUR}">*</span>{text}：' if required else f"{text}：")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.PlainText)
    return label


def selectable_label(text: str = "") -> QLabel:
    """A wrapped label whose text can be selected and copied (a path, a figure, a recorded value)."""
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def issue_lines(issues: Sequence[Issue]) -> tuple[str, str]:
    """(text, colour) for a message line: errors first in red; warnings alone in amber with “提示：”."""
    errors = [i.message for i in issues if i.blocking]
    warnings = [WARNING_PREFIX + i.message for i in issues if not i.blocking]
    return "\n".join(errors + warnings), (ERROR_COLOUR if errors else WARNING_COLOUR)


class FieldBox(QWidget):
    """An input with the line under it where its errors (red) and warnings (amber) appear."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.setSizePolicy(widget.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Preferred)

    def show_issues(self, issues: Sequence[Issue]) -> None:
        text, colour = issue_lines(issues)
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setVisible(bool(text))
        state = "" if not issues else ("error" if any(i.blocking for i in issues) else "warning")
        if self.widget.property("issue") != state:
            self.widget.setProperty("issue", state)
            self.widget.style().unpolish(self.widget)
            self.widget.style().polish(self.widget)


class ChoiceCombo(QComboBox):
    """A drop-down of coded values: shows labels, reads and writes codes ('' for none)."""

    def set_choices(self, choices: Iterable[tuple[str, str]], empty_label: str | None = "") -> None:
        current = self.code()
        self.blockSignals(True)
        self.clear()
        if empty_label is not None:
            self.addItem(empty_label, "")
        for code, label in choices:
            self.addItem(label, code)
        self.blockSignals(False)
        self.set_code(current)

    def code(self) -> str:
        """The chosen code; in an editable drop-down, text typed that matches no entry is returned as is."""
        if self.isEditable() and self.currentText() != self.itemText(self.currentIndex()):
            return self.currentText().strip()
        data = self.currentData()
        return "" if data is None else str(data)

    def set_code(self, code: str | None) -> None:
        index = self.findData(code or "")
        if index < 0 and code:
            self.addItem(code, code)  # a stored value no longer offered: keep it rather than lose it
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))


def line(placeholder: str = "", max_length: int = 0) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    if max_length:
        edit.setMaxLength(max_length)
    return edit


def notes(placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def combo(choices: list[tuple[str, str]] | dict[str, str], empty: str | None = "", min_chars: int = 12) -> ChoiceCombo:
    box = ChoiceCombo()
    box.set_choices(list(choices.items()) if isinstance(choices, dict) else choices, empty)
    box.setMinimumContentsLength(min_chars)
    box.setSizeAdjustPolicy(ChoiceCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


def widget_value(widget: QWidget) -> str | bool:
    """The value of an input as a draft holds it: text, a code, or a checkbox state."""
    if isinstance(widget, ChoiceCombo):
        return widget.code()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    raise TypeError(type(widget).__name__)


def set_widget_value(widget: QWidget, value: object) -> None:
    if isinstance(widget, ChoiceCombo):
        widget.set_code(str(value or ""))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(str(value or ""))
    else:
        raise TypeError(type(widget).__name__)


def changed_signal(widget: QWidget) -> SignalInstance:
    """The signal an input emits when the user changes its value."""
    if isinstance(widget, ChoiceCombo):
        return widget.currentTextChanged if widget.isEditable() else widget.currentIndexChanged
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    raise TypeError(type(widget).__name__)
