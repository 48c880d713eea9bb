"""Forms for one lifecycle step of a demand (交办, 办结, 回访 …) and for registering or editing a demand."""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.demands import TransitionDraft
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.demands.fields import DemandFields
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.validation.workdays import demand_due

# the words on the detail dialog's buttons, in lifecycle order
STEP_BUTTONS = {"assign": "交办", "start": "开始办理", "progress": "添加进展", "resolve": "办结", "explain": "解释",
                "follow_up": "回访", "reopen": "重新办理", "sign_off": "销号"}
STEP_HINTS = {
    "assign": "交办给责任单位并确定办理时限；已交办的也可改派。",
    "resolve": "问题已解决：填写办理结果。办结后请回访企业。",
    "explain": "确实无法解决：说明原因及向企业解释的情况。",
    "follow_up": "回访企业，记录满意度。选“不满意”时诉求退回办理中。",
    "reopen": "已办结的诉求需要重新办理时，必须说明理由（记入办理记录）。",
    "sign_off": "回访满意或基本满意后销号，流程结束。",
}


class StepDialog(RecordDialog):
    """One lifecycle step on one case; the service's refusal appears under the field or beside the buttons."""

    def __init__(self, services: Services, row: DemandRow, action: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{STEP_BUTTONS[action]} — {row.number}", parent, save_text=STEP_BUTTONS[action])
        self._services = services
        self._row = row
        self.action = action
        self.result_row: DemandRow | None = None
        today = services.demands.today()
        summary = QLabel(f"<b>{html.escape(row.enterprise_name)}</b>　{row.category_label}<br>"
                         f"{html.escape(row.description)}"
                         + (f'<br><span style="color:#555">{STEP_HINTS[action]}</span>' if action in STEP_HINTS else ""))
        summary.setWordWrap(True)
        self.body.insertWidget(0, summary)
        self.add_field("on", "日期", DateEdit(today), required=True)
        if action == "assign":
            self.add_field("responsible_unit", "责任单位", line("如 区工信局", 100), required=True).setText(
                row.responsible_unit)
            self.add_field("co_units", "协办单位", line("多个单位用“、”分隔", 300)).setText(row.co_units)
            self.add_field("unit_contact", "责任单位联系人", line("姓名及电话", 100))
            self.add_field("due_on", "办理时限", DateEdit(row.due_on or demand_due(today)), required=True)
            self.add_field("note", "交办说明", notes(lines=2))
        elif action in ("resolve", "explain"):
            label = "办理结果" if action == "resolve" else "解释说明"
            self.add_field("result", label, notes(f"请填写{label}", 4), required=True)
        elif action == "follow_up":
            self.add_field("satisfaction", "满意度", combo(services.demands.choices()["satisfaction"], "（请选择）", 6),
                           required=True)
            self.add_field("followed_up_by", "回访人", line(max_length=40)).setText(services.office.current_operator)
            self.add_field("note", "回访情况", notes(lines=2))
        elif action in ("progress", "reopen"):
            label = "办理进展" if action == "progress" else "重新办理理由"
            self.add_field("note", label, notes(f"请填写{label}", 3), required=True)
        else:
            self.add_field("note", "说明", notes(lines=2))
        self.resize(520, 360)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("demand", row.id), "诉求")

    def draft(self) -> TransitionDraft:
        def text(name: str) -> str:
            widget = self.boxes[name].widget if name in self.boxes else None
            if widget is None:
                return ""
            return widget.toPlainText() if hasattr(widget, "toPlainText") else (
                widget.code() if hasattr(widget, "code") else widget.text())

        due = self.widget("due_on").value() if "due_on" in self.boxes else None
        return TransitionDraft(self.action, self.widget("on").value(), text("note"), text("result"),
                               text("responsible_unit"), text("co_units"), text("unit_contact"), due,
                               text("satisfaction"), text("followed_up_by"))

    def submit(self) -> None:
        self.result_row = self._services.demands.transition(self._row.id, self.draft())


class DemandDialog(RecordDialog):
    """Register a demand not raised on a visit (12345, 座谈会 …), or edit an open one."""

    def __init__(self, services: Services, demand_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("登记诉求" if demand_id is None else "修改诉求", parent)
        self._services = services
        self.demand_id = demand_id
        self.saved_number = ""
        self.saved_id: int | None = None
        choices = services.demands.choices()
        today = services.demands.today()
        draft = services.demands.draft(demand_id) if demand_id is not None else DemandDraft(received_on=today,
                                                                                           source="self")
        self._stored = draft  # fields the form does not show (包联领导, 协办单位 …) are kept as stored
        picker = self.add_field("enterprise_id", "企业", EnterpriseField(services), required=True)
        if draft.enterprise_id is not None:
            picker.set_enterprise(draft.enterprise_id, services.demands.detail(demand_id).row.enterprise_name)
            picker.pick_button.setEnabled(False)
        self.add_field("source", "诉求来源", combo(choices["source"], None, 8)).set_code(draft.source)
        self.add_field("received_on", "受理日期", DateEdit(draft.received_on or today), required=True)
        self.fields = DemandFields(choices, default_due=demand_due(today))
        self.fields.fill(draft)
        self.fields.edited.connect(self._on_edited)
        self.form.addRow(self.fields)
        self.resize(620, 600)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("demand", demand_id), "诉求", [self.fields])

    def values(self) -> dict[str, object]:
        values = super().values()
        if hasattr(self, "fields"):
            values.update(self.fields.values())
        return values

    def required_filled(self) -> bool:
        return super().required_filled() and (not hasattr(self, "fields") or self.fields.required_filled())

    def box_for(self, field: str) -> FieldBox | None:
        return self.boxes.get(field) or self.fields.boxes.get(field)

    def all_boxes(self) -> list[FieldBox]:
        return super().all_boxes() + list(self.fields.boxes.values())

    def draft(self) -> DemandDraft:
        draft = replace(self._stored, enterprise_id=self.widget("enterprise_id").enterprise_id,
                        source=self.widget("source").code(), received_on=self.widget("received_on").value())
        return self.fields.read_into(draft)

    def check(self) -> list[Issue]:
        return self._services.demands.check(self.draft())

    def submit(self) -> None:
        draft = self.draft()
        if self.demand_id is None:
            saved = self._services.demands.register(draft)
        else:
            saved = self._services.demands.update(self.demand_id, draft)
        self.saved_id, self.saved_number = saved.id, saved.number


class ArchiveDemandDialog(RecordDialog):
    """Withdraw a demand registered by mistake; the reason is required and logged."""

    def __init__(self, services: Services, row: DemandRow, parent: QWidget | None = None) -> None:
        super().__init__(f"归档诉求 — {row.number}", parent, save_text="归档")
        self._services = services
        self._row = row
        text = QLabel(f"仅用于撤回误登记的诉求：{row.enterprise_name}，{row.category_label}。\n"
                      "归档后不计入台账和统计，记录不会删除。")
        text.setWordWrap(True)
        self.body.insertWidget(0, text)
        self.add_field("reason", "归档理由", line("如 重复登记、录入错误", 200), required=True)
        self.resize(460, 200)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("demand", row.id), "诉求")

    def submit(self) -> None:
        self._services.demands.archive(self._row.id, self.widget("reason").text())
