"""The four tabs of the 包联帮扶 page: helpers, teams, assignments with history, and the coverage matrix."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helper_rows import AssignmentRow
from lvqi_desktop.services.helper_rows import CoverageRow
from lvqi_desktop.services.helper_rows import HelperRow
from lvqi_desktop.services.helper_rows import TeamRow
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.helpers.forms import helper_choices
from lvqi_desktop.ui.helpers.forms import quietly_set_choices
from lvqi_desktop.ui.helpers.tables import assignment_columns
from lvqi_desktop.ui.helpers.tables import coverage_model
from lvqi_desktop.ui.helpers.tables import helper_columns
from lvqi_desktop.ui.helpers.tables import team_columns
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.table_models.status_table import StatusTableModel

CURRENT, ARCHIVED = "current", "archived"


def _view_combo(choices: list[tuple[str, str]]) -> ChoiceCombo:
    return combo(choices, None, min_chars=5)


class HelpersTab(ListTab):
    """帮扶干部: in post or archived."""

    unit = "人"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        columns = with_county(helper_columns(), county_names(services), lambda r: r.county_codes, after=4)
        super().__init__(StatusTableModel(columns), "helpers_page/helpers", "姓名、职务或单位", parent)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)
        self.view = self.add_filter("显示", _view_combo([(CURRENT, "在册"), (ARCHIVED, "已归档")]))
        self.view.currentIndexChanged.connect(lambda *_: self.reload())

    @property
    def archived_view(self) -> bool:
        return self.view.code() == ARCHIVED

    def load(self) -> list[HelperRow]:
        return self.services.helpers.list_helpers(archived=self.archived_view, county_code=chosen_county(self.county))

    def empty_text(self) -> tuple[str, str, Any]:
        if chosen_county(self.county):
            return f"{self.county.currentText()}没有包联企业的帮扶干部。可以改选“全部县区”。", "", None
        if self.archived_view:
            return "没有已归档的帮扶干部。", "", None
        return "还没有帮扶干部。点击“新增”登记包联领导和帮扶干部。", "新增", lambda: self.on_add()


class TeamsTab(ListTab):
    """入企服务工作组 with leader and members."""

    unit = "个"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        columns = with_county(team_columns(), county_names(services), lambda r: r.county_codes, after=2)
        super().__init__(RowTableModel(columns), "helpers_page/teams", "工作组名称或成员姓名", parent)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)

    def load(self) -> list[TeamRow]:
        return self.services.helpers.list_teams(county_code=chosen_county(self.county))

    def empty_text(self) -> tuple[str, str, Any]:
        if chosen_county(self.county):
            return f"{self.county.currentText()}没有包联企业的工作组。可以改选“全部县区”。", "", None
        return "还没有入企服务工作组。点击“新增”组建工作组并选择成员。", "新增", lambda: self.on_add()


class AssignmentsTab(ListTab):
    """包联关系: current ones, or with the history of ended and handed-over ones."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        columns = with_county(assignment_columns(), county_names(services), lambda r: r.county_code, after=2)
        super().__init__(StatusTableModel(columns), "helpers_page/assignments", "企业名称、信用代码或帮扶干部", parent)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)
        self.view = self.add_filter("显示", _view_combo([(CURRENT, "现行包联"), ("all", "含历史")]))
        self.view.currentIndexChanged.connect(lambda *_: self.reload())

    def load(self) -> list[AssignmentRow]:
        return self.services.helpers.assignments(current_only=self.view.code() == CURRENT,
                                                 county_code=chosen_county(self.county))

    def empty_text(self) -> tuple[str, str, Any]:
        if chosen_county(self.county):
            return f"{self.county.currentText()}的企业还没有包联关系。可以改选“全部县区”。", "", None
        return "还没有包联关系。点击“新增”为企业安排包联领导或帮扶干部。", "新增", lambda: self.on_add()


class CoverageTab(ListTab):
    """覆盖情况: each current assignment's visits this month and quarter against its cadence; behind rows red."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(coverage_model(county_names(services)), "helpers_page/coverage", "帮扶干部或企业名称",
                         parent, key=lambda r: r.assignment_id)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)
        self.helper = self.add_filter("帮扶干部", combo([], "全部", min_chars=9))
        self.behind_only = self.add_filter("", QCheckBox("只看落后"))
        self.helper.currentIndexChanged.connect(lambda *_: self.reload())
        self.behind_only.toggled.connect(lambda *_: self.reload())
        self.summary = QLabel()
        self.buttons.addWidget(self.summary)

    def reload(self, select: object = None) -> None:
        quietly_set_choices(self.helper, helper_choices(self.services), "全部")
        super().reload(select)

    def load(self) -> list[CoverageRow]:
        code = self.helper.code()
        return self.services.helpers.coverage(behind_only=self.behind_only.isChecked(),
                                              helper_id=int(code) if code else None,
                                              county_code=chosen_county(self.county))

    def update_view(self) -> None:
        rows = self.model.shown_rows()
        behind = sum(1 for r in rows if r.behind)
        colour = "#c62828" if behind else "#2e7d32"
        word = f"落后 {behind:,} 条" if behind else "全部正常"
        self.summary.setText(f'本月、本季走访对照联系频次：<span style="color:{colour}; font-weight:bold">{word}</span>'
                             "（落后：本月或本季至今走访次数少于应走访次数）")
        super().update_view()

    def empty_text(self) -> tuple[str, str, Any]:
        if self.behind_only.isChecked():
            return "没有落后的包联：所选范围内的企业都已按联系频次走访。", "", None
        if self.helper.code():
            return "所选帮扶干部目前没有现行包联。", "", None
        if chosen_county(self.county):
            return f"{self.county.currentText()}的企业目前没有现行包联。可以改选“全部县区”。", "", None
        return "还没有现行的包联关系。请先在“包联关系”中为企业安排帮扶干部。", "", None
