"""Forms for 包联 assignments: a new pairing, handing one over to someone else (更换), and ending one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helper_rows import ASSIGNMENT_ROLES
from lvqi_desktop.services.helper_rows import AssignmentRow
from lvqi_desktop.services.helpers import AssignmentDraft
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.helpers.forms import helper_choices
from lvqi_desktop.ui.helpers.forms import id_or_none
from lvqi_desktop.ui.record_dialog import RecordDialog


def team_choices(services: Services) -> list[tuple[str, str]]:
    return [(str(t.id), t.name) for t in services.helpers.list_teams()]


def spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class AssignmentDialog(RecordDialog):
    """Pair an enterprise with a helper and/or a team; overlaps and bad dates show under the fields."""

    def __init__(self, services: Services, parent: QWidget | None = None, enterprise: tuple[int, str] | None = None,
                 today: date | None = None) -> None:
        super().__init__("新增包联", parent)
        self._services = services
        self.saved_id: int | None = None
        picker = self.add_field("enterprise_id", "包联企业", EnterpriseField(services), required=True)
        if enterprise is not None:
            picker.set_enterprise(*enterprise)
        self.add_field("role", "包联角色", combo(ASSIGNMENT_ROLES, None), required=True).set_code("helper")
        self.add_field("helper_id", "帮扶干部", combo(helper_choices(services), "（不选）"))
        self.add_field("team_id", "入企服务工作组", combo(team_choices(services), "（不选）"))
        self.add_field("from_date", "开始日期", DateEdit(today), required=True)
        self.add_field("to_date", "结束日期", OptionalDateEdit("有结束日期", default=today))
        self.add_field("cadence_months", "联系周期", spin(1, 12, 1, " 个月"))
        self.add_field("cadence_visits", "每周期走访", spin(1, 31, 1, " 次"))
        hint = QLabel("默认每月走访一次；可按企业情况调整。")
        hint.setStyleSheet("color: #555;")
        self.form.addRow("", hint)
        self.add_field("remarks", "备注", notes(lines=2))
        self.resize(560, 520)
        self.finish_building()

    def draft(self) -> AssignmentDraft:
        return AssignmentDraft(self.widget("enterprise_id").enterprise_id, id_or_none(self.widget("helper_id").code()),
                               id_or_none(self.widget("team_id").code()), self.widget("role").code(),
                               self.widget("from_date").value(), self.widget("to_date").value(),
                               self.widget("cadence_visits").value(), self.widget("cadence_months").value(),
                               self.widget("remarks").toPlainText())

    def check(self) -> list[Issue]:
        return self._services.helpers.check_assignment(self.draft())

    def submit(self) -> None:
        self.saved_id = self._services.helpers.assign(self.draft())


def _summary(row: AssignmentRow, title: str) -> QLabel:
    until = row.to_date.isoformat() if row.to_date else "今"
    label = QLabel(f"{title}：{row.enterprise_name}\n{row.role_label}：{row.holder}（{row.from_date.isoformat()} 至 {until}，"
                   f"{row.cadence_label}）")
    label.setWordWrap(True)
    return label


class ReassignDialog(RecordDialog):
    """Hand an assignment to another helper or team from a date; the old one ends the day before and stays."""

    def __init__(self, services: Services, row: AssignmentRow, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("更换包联", parent)
        self._services = services
        self._row = row
        self.saved_id: int | None = None
        self.body.insertWidget(0, _summary(row, "原包联"))
        self.add_field("from_date", "更换日期", DateEdit(today), required=True)
        self.add_field("helper_id", "新帮扶干部", combo(helper_choices(services), "（不选）"))
        self.add_field("team_id", "新工作组", combo(team_choices(services), "（不选）"))
        self.resize(520, 300)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("assignment", row.id), "包联")

    def submit(self) -> None:
        self.saved_id = self._services.helpers.reassign(
            self._row.id, self.widget("from_date").value(), helper_id=id_or_none(self.widget("helper_id").code()),
            team_id=id_or_none(self.widget("team_id").code()), version=self._row.version)


class EndAssignmentDialog(RecordDialog):
    """End an assignment on a date; it stays in the history."""

    def __init__(self, services: Services, row: AssignmentRow, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("结束包联", parent, save_text="结束包联")
        self._services = services
        self._row = row
        self.body.insertWidget(0, _summary(row, "包联"))
        self.add_field("to_date", "结束日期", DateEdit(today), required=True)
        self.resize(480, 220)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("assignment", row.id), "包联")

    def submit(self) -> None:
        self._services.helpers.end_assignment(self._row.id, self.widget("to_date").value(), self._row.version)
