"""The fields of one demand as registered (category, description, urgency, responsible unit, due date), reusable in forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.record_dialog import edited_signal
from lvqi_desktop.ui.record_dialog import field_box
from lvqi_desktop.ui.record_dialog import new_form_layout
from lvqi_desktop.ui.record_dialog import value_of
from lvqi_desktop.validation.workdays import WORKDAY_RULE
from lvqi_desktop.validation.workdays import uncovered_note

REQUIRED = ("category", "description")


class DemandFields(QGroupBox):
    """One demand's inputs with their message lines; `boxes` maps DemandDraft field names to FieldBoxes."""

    edited = Signal(str)  # the draft field changed
    remove_requested = Signal()

    def __init__(self, choices: dict[str, dict[str, str]], title: str = "", removable: bool = False,
                 default_due: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.boxes: dict[str, FieldBox] = {}
        self.form = new_form_layout()
        self._add("category", "诉求类别", combo(choices["category"], "（请选择）", 10), required=True)
        self._add("description", "问题描述", notes("企业反映的具体问题", 3), required=True)
        self._add("suggestion", "企业诉求/建议", notes("企业希望怎样解决（可不填）", 2))
        urgency = self._add("urgency", "紧急程度", combo(choices["urgency"], None, 8))
        urgency.set_code("normal")
        self._add("responsible_unit", "责任单位", line("如 区工信局（交办时也可再填）", 100))
        self._add("due_on", "办理时限", OptionalDateEdit("设定时限", default=default_due))
        self.calendar_note = QLabel(WORKDAY_RULE + uncovered_note([default_due]))
        self.calendar_note.setWordWrap(True)
        self.calendar_note.setStyleSheet("color: #666;")
        self.form.addRow("", self.calendar_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(self.form)
        self.remove_button = QPushButton("删除此诉求")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_requested.emit)
        self.remove_button.setVisible(removable)
        if removable:
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.remove_button)
            layout.addLayout(row)

    def _add(self, name: str, label: str, widget: Any, required: bool = False) -> Any:
        box = field_box(widget)
        self.boxes[name] = box
        self.form.addRow(form_label(label, required), box)
        edited_signal(widget).connect(lambda *_, n=name: self.edited.emit(n))
        return widget

    def widget(self, name: str) -> Any:
        return self.boxes[name].widget

    def values(self) -> dict[str, Any]:
        return {name: value_of(box.widget) for name, box in self.boxes.items()}

    def required_filled(self) -> bool:
        values = self.values()
        return all(str(values[name]).strip() for name in REQUIRED)

    def read_into(self, draft: DemandDraft) -> DemandDraft:
        draft.category = self.widget("category").code()
        draft.description = self.widget("description").toPlainText()
        draft.suggestion = self.widget("suggestion").toPlainText()
        draft.urgency = self.widget("urgency").code()
        draft.responsible_unit = self.widget("responsible_unit").text()
        draft.due_on = self.widget("due_on").value()
        return draft

    def fill(self, draft: DemandDraft) -> None:
        self.widget("category").set_code(draft.category)
        self.widget("description").setPlainText(draft.description)
        self.widget("suggestion").setPlainText(draft.suggestion)
        self.widget("urgency").set_code(draft.urgency)
        self.widget("responsible_unit").setText(draft.responsible_unit)
        self.widget("due_on").set_value(draft.due_on)
