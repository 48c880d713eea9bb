"""Forms for a helper (帮扶干部) and a service team (入企服务工作组)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helper_rows import HELPER_LEVELS
from lvqi_desktop.services.helper_rows import HelperRow
from lvqi_desktop.services.helper_rows import TeamRow
from lvqi_desktop.services.helpers import TEAM_ROLES
from lvqi_desktop.services.helpers import HelperDraft
from lvqi_desktop.services.helpers import TeamDraft
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.validation.assignments import check_helper


def quietly_set_choices(box: ChoiceCombo, choices: list[tuple[str, str]], empty: str | None = "") -> None:
    """Replace a drop-down's entries, keeping the chosen code, without emitting change signals."""
    current = box.code()
    box.blockSignals(True)
    try:
        box.clear()
        if empty is not None:
            box.addItem(empty, "")
        for code, label in choices:
            box.addItem(label, code)
        box.setCurrentIndex(max(box.findData(current), 0))
    finally:
        box.blockSignals(False)


def id_or_none(code: str) -> int | None:
    return int(code) if code else None


def helper_choices(services: Services) -> list[tuple[str, str]]:
    """Active helpers as drop-down entries: “张三（副县长）”."""
    return [(str(h.id), f"{h.name}（{h.post}）" if h.post else h.name)
            for h in services.helpers.list_helpers(active_only=True)]


class HelperDialog(RecordDialog):
    """Add (helper_id None) or edit one helper."""

    def __init__(self, services: Services, helper_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("新增帮扶干部" if helper_id is None else "编辑帮扶干部", parent)
        self._services = services
        self.helper_id = helper_id
        self.saved_id: int | None = None
        draft = services.helpers.helper_draft(helper_id) if helper_id is not None else HelperDraft()
        self.add_field("name", "姓名", line("如 张建国", 40), required=True).setText(draft.name)
        self.add_field("post", "职务", line("如 副县长、局长", 60)).setText(draft.post)
        self.add_field("unit", "单位", line("如 离石区人民政府", 100)).setText(draft.unit)
        self.add_field("level", "级别", combo(HELPER_LEVELS, None), required=True).set_code(draft.level)
        self.add_field("phone", "联系电话", line("手机号，或 0358-8221234", 40)).setText(draft.phone)
        active = QCheckBox("在岗（可安排包联）")
        active.setChecked(draft.active)
        self.add_field("active", "状态", active)
        self.add_field("remarks", "备注", notes()).setPlainText(draft.remarks)
        self.resize(520, 420)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("helper", helper_id), "帮扶干部")

    def draft(self) -> HelperDraft:
        return HelperDraft(self.widget("name").text(), self.widget("post").text(), self.widget("unit").text(),
                           self.widget("level").code(), self.widget("phone").text(),
                           self.widget("active").isChecked(), self.widget("remarks").toPlainText())

    def check(self) -> list[Issue]:
        return check_helper(self.draft())

    def submit(self) -> None:
        self.saved_id = self._services.helpers.save_helper(self.draft(), self.helper_id)


class MemberTable(QTableWidget):
    """Every active helper with a tick for membership and a role (组长 · 联络员 · 成员)."""

    edited = Signal()

    def __init__(self, helpers: list[HelperRow], chosen: dict[int, str], parent: QWidget | None = None) -> None:
        super().__init__(len(helpers), 3, parent)
        self.setHorizontalHeaderLabels(["加入", "帮扶干部", "组内角色"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._ids = [h.id for h in helpers]
        for row, h in enumerate(helpers):
            tick = QCheckBox()
            tick.setChecked(h.id in chosen)
            tick.toggled.connect(lambda *_: self.edited.emit())
            self.setCellWidget(row, 0, tick)
            item = QTableWidgetItem(f"{h.name}（{h.post}）" if h.post else h.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 1, item)
            role = combo(TEAM_ROLES, None)
            role.set_code(chosen.get(h.id, "member"))
            role.currentIndexChanged.connect(lambda *_: self.edited.emit())
            self.setCellWidget(row, 2, role)
        self.resizeColumnToContents(0)
        self.setMinimumHeight(180)

    def field_value(self) -> list[tuple[int, str]]:
        return [(helper_id, self.cellWidget(row, 2).code()) for row, helper_id in enumerate(self._ids)
                if self.cellWidget(row, 0).isChecked()]

    def set_member(self, helper_id: int, role: str = "member") -> None:
        row = self._ids.index(helper_id)
        self.cellWidget(row, 0).setChecked(True)
        self.cellWidget(row, 2).set_code(role)


class TeamDialog(RecordDialog):
    """Add or edit a service team: name, leader, members with roles."""

    def __init__(self, services: Services, team: TeamRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__("新增工作组" if team is None else f"编辑工作组 — {team.name}", parent)
        self._services = services
        self.team_id = team.id if team else None
        self.saved_id: int | None = None
        helpers = services.helpers.list_helpers(active_only=True)
        self.add_field("name", "工作组名称", line("如 离石区第一入企服务工作组", 100), required=True).setText(
            team.name if team else "")
        leader = self.add_field("leader_id", "组长", combo(helper_choices(services), "（未指定）"))
        leader.set_code(str(team.leader_id) if team and team.leader_id else "")
        chosen = {m.helper_id: m.role for m in team.members} if team else {}
        self.add_field("members", "成员", MemberTable(helpers, chosen))
        self.resize(560, 480)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("team", self.team_id), "工作组")

    def draft(self) -> TeamDraft:
        return TeamDraft(self.widget("name").text(), id_or_none(self.widget("leader_id").code()),
                         self.widget("members").field_value())

    def submit(self) -> None:
        self.saved_id = self._services.helpers.save_team(self.draft(), self.team_id)
