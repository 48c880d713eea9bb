"""One demand's case: its fields, the append-only progress log, and a button for each step its status allows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demand_rows import DemandDetail
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.demands.steps import STEP_BUTTONS
from lvqi_desktop.ui.demands.steps import DemandDialog
from lvqi_desktop.ui.demands.steps import StepDialog
from lvqi_desktop.ui.demands.tables import event_columns
from lvqi_desktop.ui.demands.tables import handling
from lvqi_desktop.ui.form_fields import selectable_label
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.read_only import hidden_banner
from lvqi_desktop.ui.read_only import show_read_only
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.screen_fit import fit_to_screen
from lvqi_desktop.ui.start_folder import ask_save_path
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.table_models.status_table import STATUS_COLOURS
from lvqi_desktop.ui.write_guard import writes

_SHEET_FOLDER_KEY = "demand_detail/handover_folder"


def _date(value: object) -> str:
    return value.isoformat() if value is not None else "—"  # type: ignore[attr-defined]


class DemandDetailDialog(QDialog):
    """Open a case; each step is its own small form and one transaction. `changed` is True after any step."""

    FIELDS = (("enterprise", "企业"), ("category", "类别 / 来源"), ("urgency", "紧急程度"), ("received", "受理日期"),
              ("unit", "责任单位"), ("co_units", "协办单位"), ("due", "办理时限"), ("helper", "包联领导"),
              ("description", "问题描述"), ("suggestion", "企业诉求/建议"), ("result", "办理结果"),
              ("closed", "办结日期"), ("follow_up", "回访"))

    def __init__(self, services: Services, demand_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.demand_id = demand_id
        self.changed = False
        self.detail: DemandDetail | None = None
        self.sent_by = services.ownership.sent_by("demand", demand_id)  # city edition: a county's case is shown only
        self.read_only_banner = hidden_banner()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setStyleSheet("font-size: 12pt;")
        self.labels = {key: selectable_label() for key, _ in self.FIELDS}
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for i, (key, title) in enumerate(self.FIELDS):
            (left if i < 8 else right).addRow(f"{title}：", self.labels[key])
        info = QHBoxLayout()
        info.addLayout(left, 1)
        info.addLayout(right, 1)
        statuses = services.demands.choices()["status"]
        self.events: RowTableModel = RowTableModel(event_columns(statuses), parent=self)
        self.log = ListTable(self.events, "demand_detail/log")
        self.log.set_empty_text("还没有办理记录。")
        self.log.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.step_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for action, text in STEP_BUTTONS.items():
            button = writes(QPushButton(text))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self.take_step(a))
            self.step_buttons[action] = button
            actions.addWidget(button)
        self.edit_button = writes(QPushButton("修改"))
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit)
        actions.addWidget(self.edit_button)
        actions.addStretch(1)
        self.sheet_button = QPushButton("打印交办单")
        self.sheet_button.setAutoDefault(False)
        self.sheet_button.setToolTip("把本诉求生成 PDF 交办单，打印后交责任单位签收办理")
        self.sheet_button.clicked.connect(self.print_sheet)
        actions.addWidget(self.sheet_button)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        actions.addWidget(close)
        self.actions_hint = QLabel()
        self.actions_hint.setStyleSheet("color: #555;")
        log_title = QLabel("办理记录（只增不改，按时间先后）")
        log_title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.read_only_banner)
        layout.addLayout(info)
        layout.addWidget(log_title)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.actions_hint)
        layout.addLayout(actions)
        self.resize(980, 680)
        self.reload()
        if self.sent_by:
            show_read_only(self, self.read_only_banner, "诉求", self.sent_by, (),
                           (*self.step_buttons.values(), self.edit_button), None)
        fit_to_screen(self)

    def reload(self) -> None:
        self.detail = d = self._services.demands.detail(self.demand_id)
        r = d.row
        today = self._services.demands.today()
        word, tone = handling(r, today)
        colour = STATUS_COLOURS[tone].name() if tone else "#333"
        self.setWindowTitle(f"诉求 {r.number} — {r.enterprise_name}")
        self.heading.setText(f"<b>{r.number}</b>　状态：<b>{r.status_label}</b>　"
                             f'<span style="color:{colour}; font-weight:bold">{word}</span>'
                             + (f"　重新办理 {r.reopen_count} 次" if r.reopen_count else ""))
        values = {
            "enterprise": f"{r.enterprise_name}\n{r.uscc}", "category": f"{r.category_label} / {r.source_label}",
            "urgency": r.urgency_label, "received": _date(r.received_on),
            "unit": r.responsible_unit + (f"（联系人：{d.unit_contact}）" if d.unit_contact else "") or "未交办",
            "co_units": r.co_units or "—", "due": _date(r.due_on), "helper": r.helper_name or "—",
            "description": r.description, "suggestion": d.suggestion or "—", "result": r.result or "—",
            "closed": _date(r.closed_on) + (f"（首次办结 {_date(r.first_closed_on)}）"
                                            if r.first_closed_on and r.first_closed_on != r.closed_on else ""),
            "follow_up": (f"{r.satisfaction_label}（{_date(d.followed_up_on)}，{d.followed_up_by or '—'}）"
                          if r.satisfaction else "未回访"),
        }
        for key, text in values.items():
            self.labels[key].setText(text)
        self.events.set_rows(d.events)
        self.log.update_empty()
        allowed = set() if self.sent_by else set(r.allowed_actions)
        for action, button in self.step_buttons.items():
            button.setVisible(action in allowed)
        self.edit_button.setVisible("edit" in allowed)
        self.actions_hint.setText("已归档的诉求不能再办理。" if r.archived else "" if self.sent_by else (
            "流程已结束。" if not allowed else "可进行的办理环节："))

    def take_step(self, action: str) -> None:
        if self.detail is None:
            return
        dialog = StepDialog(self._services, self.detail.row, action, self)
        if run_dialog(dialog):
            self.changed = True
            self.reload()

    def edit(self) -> None:
        try:
            dialog = DemandDialog(self._services, self.demand_id, self)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        if run_dialog(dialog):
            self.changed = True
            self.reload()

    def print_sheet(self) -> BackgroundTask | None:
        """Ask where to save the 交办单, write the PDF in the background, then offer to open it."""
        if self.detail is None:
            return None
        r = self.detail.row
        if not r.responsible_unit:
            messages.show_error(self, f"诉求 {r.number} 尚未交办责任单位，不能打印交办单。请先点击“交办”。")
            return None
        path = ask_save_path(self, "打印交办单", _SHEET_FOLDER_KEY, self._services.demands.handover_file_name(r.number),
                             "PDF 文件 (*.pdf)", ".pdf")
        if path is None:
            return None
        demands, demand_id = self._services.demands, self.demand_id

        def done(written: Path) -> None:
            if messages.inform_with_action(self, f"交办单已保存为“{written.name}”，可打印后交{r.responsible_unit}签收办理。",
                                           "打开交办单", "打印交办单"):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))

        return run_in_background(self, lambda _progress: demands.export_handover_sheet(demand_id, path),
                                 title="正在生成交办单", on_success=done)
