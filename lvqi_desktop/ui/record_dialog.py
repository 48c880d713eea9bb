"""The base of the small forms on the helper, visit and demand pages: fields with messages under them, 保存 · 取消."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QAbstractSpinBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.checked_save import CheckedSave
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.form_fields import FORM_STYLE
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import changed_signal
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.form_fields import widget_value
from lvqi_desktop.ui.read_only import hidden_banner
from lvqi_desktop.ui.read_only import show_read_only
from lvqi_desktop.ui.screen_fit import scroll_dialog
from lvqi_desktop.ui.write_guard import writes

CHECK_DELAY_MS = 300


def exec_dialog(dialog: QDialog) -> int:
    """Run a dialog's own event loop (the one seam tests replace, to fill the dialog in instead)."""
    return dialog.exec()


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when accepted."""
    return exec_dialog(dialog) == QDialog.DialogCode.Accepted


def value_of(widget: QWidget) -> Any:
    """What an input holds, for the dirty check and the required check."""
    if isinstance(widget, DateEdit | OptionalDateEdit | QSpinBox):
        return widget.value()
    if hasattr(widget, "field_value"):
        return widget.field_value()
    return widget_value(widget)


def edited_signal(widget: QWidget) -> Any:
    if isinstance(widget, DateEdit | OptionalDateEdit) or hasattr(widget, "edited"):
        return widget.edited
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    return changed_signal(widget)


def field_box(widget: QWidget) -> FieldBox:
    """A FieldBox as wide as the form, so a long message is not squeezed under a narrow input (kept left)."""
    box = FieldBox(widget)
    if widget.sizePolicy().horizontalPolicy() != QSizePolicy.Policy.Expanding:
        box.layout().setAlignment(widget, Qt.AlignmentFlag.AlignLeft)
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return box


def new_form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form


class RecordDialog(CheckedSave, QDialog):
    """Subclasses add fields with `add_field`, implement `submit()` (raise ValidationFailed to refuse)
    and may implement `check()` for messages as the user types."""

    def __init__(self, title: str, parent: QWidget | None = None, save_text: str = "保存") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(FORM_STYLE)
        self.boxes: dict[str, FieldBox] = {}
        self._required: set[str] = set()
        self._touched: set[str] = set()
        self._show_all = False
        self._initial: dict[str, Any] = {}
        self.saved = False
        self.sent_by: str | None = None  # city edition: the county that sent the record shown (read-only)
        self.read_only_banner = hidden_banner()
        self.form = new_form_layout()
        self.general_messages = QLabel()
        self.general_messages.setWordWrap(True)
        self.save_button = writes(QPushButton(save_text))
        self.save_button.setToolTip(f"{save_text}（Ctrl+S）")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.general_messages.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        self.form_widget = QWidget()
        self.form_widget.setLayout(self.form)
        self.body = QVBoxLayout()
        self.body.addWidget(self.form_widget)
        self.body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_banner)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.general_messages)  # a row of its own: long messages wrap instead of being cut
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)

    # ---- building
    def add_field(self, name: str, label: str, widget: QWidget, required: bool = False,
                  form: QFormLayout | None = None) -> QWidget:
        """Add a labelled input with its message line; returns the input."""
        box = field_box(widget)
        self.boxes[name] = box
        if required:
            self._required.add(name)
        if isinstance(widget, QAbstractSpinBox):
            widget.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 8)
        (form or self.form).addRow(form_label(label, required), box)
        edited_signal(widget).connect(lambda *_, n=name: self._on_edited(n))
        return widget

    def widget(self, name: str) -> Any:
        return self.boxes[name].widget

    def finish_building(self, size: QSize | None = None) -> None:
        """Call at the end of a subclass's __init__: remember the starting values, set 保存's state, and size
        the dialog to its content (at least `size`) within the screen; the fields scroll, the buttons stay."""
        self._initial = self.values()
        self._update_save_enabled()
        wanted = self.sizeHint().expandedTo(self.size()).expandedTo(size or QSize())
        self.content_scroll = scroll_dialog(self, wanted, keep=2)

    def open_read_only(self, county: str | None, what: str, others: Sequence[QWidget] = ()) -> None:
        """City edition: show a county's record without letting it be edited (nothing happens for None).
        `others`: inputs and write buttons besides the fields and 保存; call after `finish_building`."""
        if not county:
            return
        self.sent_by = county
        buttons = [w for w in others if isinstance(w, QPushButton)]
        inputs = [*self.boxes.values(), *(w for w in others if not isinstance(w, QPushButton))]
        show_read_only(self, self.read_only_banner, what, county, inputs, [self.save_button, *buttons],
                       self.cancel_button)

    # ---- values
    def values(self) -> dict[str, Any]:
        return {name: value_of(box.widget) for name, box in self.boxes.items()}

    def is_dirty(self) -> bool:
        return self.values() != self._initial

    def required_filled(self) -> bool:
        values = self.values()
        return all(str(values[name]).strip() not in ("", "None") for name in self._required)

    def _update_save_enabled(self) -> None:
        self.save_button.setEnabled(self.required_filled())

    def _on_edited(self, name: str) -> None:
        self._touched.add(name)
        self._update_save_enabled()
        self._check_timer.start()

    # ---- messages
    def check(self) -> list[Issue]:
        """Issues to show as the user types (none by default)."""
        return []

    def run_check(self) -> None:
        try:
            issues = self.check()
        except LvqiError:
            return
        self.show_issues([i for i in issues if self._show_all or self._top(i.field) in self._touched])

    @staticmethod
    def _top(field: str) -> str:
        return field

    def box_for(self, field: str) -> FieldBox | None:
        return self.boxes.get(field)

    def show_issues(self, issues: Sequence[Issue]) -> None:
        """Each message under its field; the rest beside the buttons."""
        placed: dict[int, list[Issue]] = {}
        rest: list[Issue] = []
        for issue in issues:
            box = self.box_for(issue.field)
            if box is None:
                rest.append(issue)
            else:
                placed.setdefault(id(box), []).append(issue)
        for box in self.all_boxes():
            box.show_issues(placed.get(id(box), []))
        text, colour = issue_lines(rest)
        self.general_messages.setText(text)
        self.general_messages.setStyleSheet(f"color: {colour};")
        self.general_messages.setVisible(bool(text))

    def all_boxes(self) -> list[FieldBox]:
        return list(self.boxes.values())

    # ---- saving
    def submit(self) -> None:
        """Send the form to the service; raise ValidationFailed to refuse."""
        raise NotImplementedError

    def _store(self) -> None:
        self.submit()
        self.saved = True

    def _focus_first(self, issues: Sequence[Issue]) -> None:
        first = next((i for i in issues if i.blocking), None)
        box = self.box_for(first.field) if first is not None else None
        if box is not None:
            box.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        """Esc, 取消 or closing: ask before throwing typed changes away (none in a read-only form)."""
        if not self.saved and not self.sent_by and self.is_dirty() and not messages.confirm(
                self, "有尚未保存的内容。确定放弃吗？", "放弃修改"):
            return
        super().reject()

