"""The visit form (入企服务记录): date, enterprise, who went, channel, campaign, what was said, and demands raised."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helper_rows import LoggedVisit
from lvqi_desktop.services.visits import DemandDraft
from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.demands.fields import DemandFields
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.helpers.assignment_forms import team_choices
from lvqi_desktop.ui.helpers.forms import id_or_none
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.ui.screen_fit import scrolled_column
from lvqi_desktop.validation.workdays import demand_due

NO_DEMANDS = "本次走访企业没有提出诉求。如企业反映了需要协调解决的问题，点击“添加诉求”，保存时一并登记。"


class HelperChecklist(QListWidget):
    """Active helpers with a tick each: who went."""

    edited = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        for h in services.helpers.list_helpers(active_only=True):
            self._add_item(h.id, f"{h.name}（{h.post}）" if h.post else h.name)
        self.setFixedHeight(min(max(self.count(), 2), 5) * (self.fontMetrics().height() + 8) + 6)
        self.itemChanged.connect(lambda _item: self.edited.emit())

    def _add_item(self, helper_id: int, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, helper_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.addItem(item)

    def field_value(self) -> list[int]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, helper_ids: Sequence[int]) -> None:
        """Tick these helpers; one since retired (a visit being corrected) is listed again so it stays ticked."""
        listed = {self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())}
        if set(helper_ids) - listed:
            for h in self._services.helpers.list_helpers():
                if h.id in helper_ids and h.id not in listed:
                    self._add_item(h.id, f"{h.name}（已归档）")
        for i in range(self.count()):
            item = self.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in helper_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class VisitDialog(RecordDialog):
    """Log one visit; demands added on the right are raised with it in one transaction (all or nothing).

    With `visit_id` it corrects a logged visit (its demands are edited on 企业诉求)."""

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None,
                 enterprise: tuple[int, str] | None = None, helper_ids: Sequence[int] = (),
                 visit_id: int | None = None) -> None:
        super().__init__("修改走访记录" if visit_id is not None else "登记入企服务", parent)
        self._services = services
        self.visit_id = visit_id
        stored = services.visits.draft_of(visit_id) if visit_id is not None else None
        self._remarks = stored.remarks if stored is not None else ""
        self._version = stored.version if stored is not None else None  # refused if saved by another clerk meanwhile
        self._today = today or services.demands.today()
        self._choices = services.demands.choices()
        self.logged: LoggedVisit | None = None
        self.blocks: list[DemandFields] = []
        self.add_field("visited_on", "走访日期", DateEdit(self._today), required=True)
        picker = self.add_field("enterprise_id", "走访企业", EnterpriseField(services), required=True)
        if enterprise is not None:
            picker.set_enterprise(*enterprise)
        self.add_field("channel", "服务方式", combo(services.visits.channels(), None, 6)).set_code("visit")
        self.add_field("campaign", "专项活动", combo([(c, c) for c in services.visits.campaigns()], "（无）", 8))
        helpers = self.add_field("helper_ids", "帮扶干部", HelperChecklist(services))
        helpers.set_checked(helper_ids)
        self.add_field("team_id", "工作组", combo(team_choices(services), "（无）"))
        self.add_field("visitors", "其他人员", line("未登记为帮扶干部的人员姓名，用“、”分隔", 200))
        self.add_field("policies_explained", "宣讲政策", notes("本次宣讲、解读的政策", 2))
        self.add_field("firm_reported", "企业反映情况", notes("企业生产经营情况、反映的困难", 3))
        self._build_demand_panel()
        if stored is not None:
            self._fill(stored)
        self.resize(1080, 680)
        self.finish_building()
        self.open_read_only(services.ownership.sent_by("visit", visit_id), "走访记录")

    def _build_demand_panel(self) -> None:
        self.no_demands = QLabel(NO_DEMANDS)
        self.no_demands.setWordWrap(True)
        self.no_demands.setStyleSheet("color: #555;")
        self.add_demand_button = QPushButton("添加诉求")
        self.add_demand_button.setAutoDefault(False)
        self.add_demand_button.clicked.connect(self.add_demand)
        self._blocks_layout = QVBoxLayout()
        scroll = scrolled_column(self.no_demands, self._blocks_layout, margins=(0, 0, 4, 0))
        heading = QHBoxLayout()
        title = QLabel("企业当场提出的诉求")
        title.setStyleSheet("font-weight: bold;")
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.add_demand_button)
        panel = QVBoxLayout()
        panel.addLayout(heading)
        panel.addWidget(scroll, 1)
        self.body.removeWidget(self.form_widget)
        row = QHBoxLayout()
        row.addWidget(self.form_widget, 5, Qt.AlignmentFlag.AlignTop)
        row.addLayout(panel, 5)
        self.body.takeAt(self.body.count() - 1)  # the stretch under the form: the two columns take the height
        self.body.insertLayout(0, row, 1)

    def _fill(self, stored: VisitDraft) -> None:
        w = self.widget
        if stored.visited_on is not None:
            w("visited_on").set_value(stored.visited_on)
        w("channel").set_code(stored.channel)
        w("campaign").set_code(stored.campaign)
        w("helper_ids").set_checked(stored.helper_ids)
        w("team_id").set_code(str(stored.team_id) if stored.team_id is not None else "")
        w("visitors").setText(stored.visitors)
        w("policies_explained").setPlainText(stored.policies_explained)
        w("firm_reported").setPlainText(stored.firm_reported)
        self.add_demand_button.setVisible(False)
        self.no_demands.setText("由这次走访登记的诉求请在“企业诉求”页查看和修改。")

    # ---- demands raised on the visit
    def add_demand(self) -> DemandFields:
        due = demand_due(self._today)
        block = DemandFields(self._choices, removable=True, default_due=due)
        block.edited.connect(lambda name, b=block: self._on_edited(f"demands.{self.blocks.index(b)}.{name}"))
        block.remove_requested.connect(lambda b=block: self.remove_demand(b))
        self.blocks.append(block)
        self._blocks_layout.addWidget(block)
        self._renumber()
        self._update_save_enabled()
        block.widget("category").setFocus(Qt.FocusReason.OtherFocusReason)
        return block

    def remove_demand(self, block: DemandFields) -> None:
        self.blocks.remove(block)
        self._blocks_layout.removeWidget(block)
        block.deleteLater()
        self._renumber()
        self._update_save_enabled()

    def _renumber(self) -> None:
        for i, block in enumerate(self.blocks):
            block.setTitle(f"诉求 {i + 1}")
        self.no_demands.setVisible(not self.blocks)

    # ---- values
    def values(self) -> dict[str, Any]:
        values = super().values()
        values["demands"] = [b.values() for b in getattr(self, "blocks", [])]
        return values

    def required_filled(self) -> bool:
        return super().required_filled() and all(b.required_filled() for b in getattr(self, "blocks", []))

    def draft(self) -> VisitDraft:
        w = self.widget
        visited_on = w("visited_on").value()
        enterprise_id = w("enterprise_id").enterprise_id
        demands = [b.read_into(DemandDraft(enterprise_id=enterprise_id, source="visit", received_on=visited_on))
                   for b in self.blocks]
        return VisitDraft(enterprise_id, visited_on, w("channel").code(), w("campaign").code(),
                          w("helper_ids").field_value(), id_or_none(w("team_id").code()), w("visitors").text(),
                          w("policies_explained").toPlainText(), w("firm_reported").toPlainText(), self._remarks,
                          demands, self._version)

    # ---- messages
    def box_for(self, field: str) -> FieldBox | None:
        if field.startswith("demands."):
            _, index, name = field.split(".", 2)
            i = int(index)
            if name in ("received_on", "enterprise_id"):
                return self.boxes.get("visited_on" if name == "received_on" else "enterprise_id")
            return self.blocks[i].boxes.get(name) if i < len(self.blocks) else None
        return self.boxes.get(field)

    def all_boxes(self) -> list[FieldBox]:
        return super().all_boxes() + [box for b in self.blocks for box in b.boxes.values()]

    def check(self) -> list[Issue]:
        draft = self.draft()
        issues = self._services.visits.check(draft)
        for i, demand in enumerate(draft.demands):
            issues += [Issue(f"demands.{i}.{x.field}", x.message, x.blocking)
                       for x in self._services.demands.check(demand) if x.field not in ("enterprise_id", "received_on")]
        return issues

    def submit(self) -> None:
        if self.visit_id is not None:
            self._services.visits.update_visit(self.visit_id, self.draft())
            self.logged = LoggedVisit(self.visit_id, [], [])
            return
        self.logged = self._services.visits.log_visit(self.draft())
