"""The per-firm form of 运行监测: one enterprise's month, generated from the form definition.

Money as 万元 text, counts, questionnaire answers as drop-downs, difficulties as checkboxes, remarks; beside
each figure last month's report and last year's same month for reference, and the computed YoY (read-only).
Saved through the same service call as the grid, so the checks are the same; warnings need a confirmation.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.monitoring import FirmMonth
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import NeedsConfirmation
from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.services.monitoring_rows import month_of_code
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.history_widgets import RecordHistoryWidget
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.ui.record_dialog import edited_signal
from lvqi_desktop.ui.record_dialog import field_box
from lvqi_desktop.validation.monitoring_form import MULTI_SEPARATORS
from lvqi_desktop.validation.monitoring_form import FormField

REFERENCE_STYLE = "color: #555;"
COLUMNS = ("", "本月填报", "上月", "上年同月", "同比")


def yoy_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


class MultiChoice(QWidget):
    """Checkboxes for a multi-select field, in the definition's order, three to a row."""

    edited = Signal()

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for n, choice in enumerate(choices):
            box = QCheckBox(choice)
            box.toggled.connect(lambda _on: self.edited.emit())
            layout.addWidget(box, n // 3, n % 3)
            self.boxes[choice] = box

    def field_value(self) -> list[str]:
        return [c for c, box in self.boxes.items() if box.isChecked()]

    def set_value(self, text: str) -> None:
        for sep in MULTI_SEPARATORS[1:]:
            text = text.replace(sep, MULTI_SEPARATORS[0])
        picked = {t.strip() for t in text.split(MULTI_SEPARATORS[0])}
        for choice, box in self.boxes.items():
            box.setChecked(choice in picked)


class MonitoringReportDialog(RecordDialog):
    """填报运行监测月报 for one enterprise and month; a 修改记录 tab when the month was reported before."""

    def __init__(self, services: Services, enterprise_id: int, month: str, parent: QWidget | None = None,
                 monitoring: MonitoringService | None = None) -> None:
        self.services = services
        self.monitoring = monitoring or services.monitoring
        self.form_def = self.monitoring.form
        self.data: FirmMonth = self.monitoring.firm_month(enterprise_id, month)
        self.enterprise_id = enterprise_id
        self.period = self.data.period
        label = month_of_code(self.period).label
        super().__init__(f"运行监测月报：{self.data.name} {label}", parent)
        self.saved_reports: list[object] = []
        # the heading: who and which month, and where the reference columns come from
        heading = QLabel(f"<b>{self.data.name}</b>　统一社会信用代码 {self.data.uscc}　报告期 {label}")
        note = QLabel(f"金额单位：万元。“上月”为{month_of_code(shift_month(self.period, -1)).label}已报数，"
                      f"“上年同月”为{month_of_code(shift_month(self.period, -12)).label}；同比由程序计算，不需填写。")
        note.setStyleSheet(REFERENCE_STYLE)
        # the figures: label · input · last month · last year · YoY
        self.yoy_labels: dict[str, QLabel] = {}
        figures = QGridLayout()
        figures.setHorizontalSpacing(12)
        figures.setVerticalSpacing(4)
        for c, text in enumerate(COLUMNS):
            head = QLabel(text)
            head.setStyleSheet("font-weight: bold;")
            head.setAlignment(Qt.AlignmentFlag.AlignRight if c != 1 else Qt.AlignmentFlag.AlignLeft)
            figures.addWidget(head, 0, c)
        row = 1
        answers = new_grid()
        others = new_grid()
        for f in self.form_def.fields:
            widget = self._input(f)
            box = field_box(widget)
            self.boxes[f.key] = box
            edited_signal(widget).connect(lambda *_, n=f.key: self._on_edited(n))
            if f.numeric:
                label = form_label(f"{f.label}（{f.unit}）" if f.unit else f.label)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                figures.addWidget(label, row, 0)
                figures.addWidget(box, row, 1)
                for c, text in ((2, self.data.last_month.get(f.key, "")), (3, self.data.last_year.get(f.key, ""))):
                    ref = QLabel(text or "—")
                    ref.setStyleSheet(REFERENCE_STYLE)
                    ref.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                    ref.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                    figures.addWidget(ref, row, c)
                yoy = QLabel(yoy_text(self.data.yoy.get(f.key)))
                yoy.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                yoy.setToolTip("同比 =（本月 − 上年同月）÷ 上年同月，保存后按已报数计算")
                self.yoy_labels[f.key] = yoy
                figures.addWidget(yoy, row, 4)
                row += 1
            else:
                target = answers if f.kind == "choice" else others
                label = form_label(f.label)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                n = target.rowCount()
                target.addWidget(label, n, 0)
                target.addWidget(box, n, 1)
        answers.setColumnStretch(1, 1)
        others.setColumnStretch(1, 1)
        # place it all in a scrollable page; the base's QFormLayout stays empty
        page = QWidget()
        body = QGridLayout(page)
        body.addWidget(heading, 0, 0, 1, 2)
        body.addWidget(note, 1, 0, 1, 2)
        body.addLayout(figures, 2, 0)
        right = QVBoxLayout()
        right.setSpacing(4)
        questionnaire = QLabel("问卷")
        questionnaire.setStyleSheet("font-weight: bold;")
        right.addWidget(questionnaire)
        right.addLayout(answers)
        right.addLayout(others)
        right.addStretch(1)
        body.addLayout(right, 2, 1)
        body.setAlignment(figures, Qt.AlignmentFlag.AlignTop)
        body.setColumnStretch(1, 1)
        figures.setColumnMinimumWidth(1, self.fontMetrics().horizontalAdvance("中") * 13)
        body.setHorizontalSpacing(24)
        body.setRowStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        self.form_widget.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "月报")
        self.history: RecordHistoryWidget | None = None
        if self.data.report_id is not None:
            self.history = RecordHistoryWidget(services, "monitoring_report", self.data.report_id)
            self.tabs.addTab(self.history, "修改记录")
        stretch = self.body.itemAt(self.body.count() - 1)
        if stretch is not None and stretch.spacerItem() is not None:  # the base's stretch: let the tabs fill
            self.body.removeItem(stretch)
        self.body.insertWidget(0, self.tabs, 1)
        for f in self.form_def.fields:
            self._set(f, self.data.values.get(f.key, ""))
        self.finish_building(QSize(1120, 700))
        ownership = services.ownership  # a county firm's months are the county's to report
        self.open_read_only(ownership.sent_by("monitoring_report", self.data.report_id)
                            or ownership.sent_by("enterprise", enterprise_id), "监测月报")
        first = self.form_def.fields[0].key
        self.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- building
    def _input(self, f: FormField) -> QWidget:
        if f.numeric:
            edit = QLineEdit()
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setPlaceholderText("可留空")
            edit.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * 9)
            return edit
        if f.kind == "choice":
            combo = ChoiceCombo()
            combo.set_choices(((c, c) for c in f.choices), "（未填）")
            return combo
        if f.kind == "multi":
            return MultiChoice(f.choices)
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        return text

    def _set(self, f: FormField, text: str) -> None:
        widget = self.widget(f.key)
        if isinstance(widget, MultiChoice):
            widget.set_value(text)
        elif isinstance(widget, ChoiceCombo):
            widget.set_code(text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)

    # ---- messages: the service names fields "<enterprise id>.<key>"
    @staticmethod
    def _top(field: str) -> str:
        return field.partition(".")[2] or field

    def box_for(self, field: str) -> FieldBox | None:
        return self.boxes.get(self._top(field))

    # ---- saving
    def draft(self) -> ReportDraft:
        values: dict[str, object] = {}
        for f in self.form_def.fields:
            value = self.values()[f.key]
            if isinstance(value, list):
                if value:
                    values[f.key] = value
            elif str(value).strip():
                values[f.key] = str(value).strip()
        return ReportDraft(self.enterprise_id, self.period, values, version=self.data.version)  # refused if changed since

    def submit(self) -> None:
        draft = self.draft()
        try:
            self.saved_reports = self.monitoring.save_reports(self.period, [draft])
        except NeedsConfirmation as asked:
            self.show_issues(asked.issues)
            if not messages.confirm(self, str(asked) + "\n\n确认以上数值无误并保存吗？", "请核实"):
                raise NeedsConfirmation(asked.issues) from None
            self.saved_reports = self.monitoring.save_reports(self.period, [draft], confirmed=True)


def new_grid() -> QGridLayout:
    grid = QGridLayout()
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(4)
    return grid
