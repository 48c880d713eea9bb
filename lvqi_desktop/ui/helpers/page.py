"""The 包联帮扶 page: helpers, service teams, assignments with history, and the coverage matrix, one tab each."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.county_filter import county_suffix
from lvqi_desktop.ui.county_filter import link_counties
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.helpers.assignment_forms import AssignmentDialog
from lvqi_desktop.ui.helpers.assignment_forms import EndAssignmentDialog
from lvqi_desktop.ui.helpers.assignment_forms import ReassignDialog
from lvqi_desktop.ui.helpers.forms import HelperDialog
from lvqi_desktop.ui.helpers.forms import TeamDialog
from lvqi_desktop.ui.helpers.tabs import AssignmentsTab
from lvqi_desktop.ui.helpers.tabs import CoverageTab
from lvqi_desktop.ui.helpers.tabs import HelpersTab
from lvqi_desktop.ui.helpers.tabs import TeamsTab
from lvqi_desktop.ui.import_dialog import import_into_page
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.tabbed_page import TabbedPage
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view

HELPERS, TEAMS, ASSIGNMENTS, COVERAGE = range(4)
TAB_TITLES = ("帮扶干部", "服务工作组", "包联关系", "覆盖情况")
RELOAD_ON = {"helper", "team", "assignment", "visit", "enterprise"}


class HelpersPage(TabbedPage):
    title = "包联帮扶"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.helpers_tab = HelpersTab(services)
        self.teams_tab = TeamsTab(services)
        self.assignments_tab = AssignmentsTab(services)
        self.coverage_tab = CoverageTab(services)
        for tab, title in zip(self.all_tabs(), TAB_TITLES, strict=True):
            self.tabs.addTab(tab, title)
            tab.changed.connect(self._update_actions)
            tab.list.row_activated.connect(lambda _row: self.edit_current())
            tab.on_add = self.add
        link_counties(self.all_tabs())
        self.finish_tabs()

    def all_tabs(self) -> list[ListTab]:
        return [self.helpers_tab, self.teams_tab, self.assignments_tab, self.coverage_tab]

    # ---- actions
    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        keys = QKeySequence.StandardKey
        self.new_action = self.add_action("新增", self.add, QKeySequence(keys.New), writes=True)
        self.edit_action = self.add_action("编辑", self.edit_current, tip="编辑选中的记录（也可双击）", writes=True)
        self.archive_action = self.add_action("归档", self.archive_or_restore, writes=True)
        self.reassign_action = self.add_action("更换", self.reassign, tip="把选中的包联交给另一位帮扶干部或工作组，原包联留作历史", writes=True)
        self.end_action = self.add_action("结束", self.end_assignment, tip="结束选中的包联（保留为历史）", writes=True)
        self.import_action = self.add_action("导入Excel", lambda: import_into_page(self, "helpers", "assignment"),
                                          tip="从Excel名单导入包联领导、干部及包联企业（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前表格导出为Excel")
        self.print_action = self.add_action("打印", self.print, QKeySequence(keys.Print), "打印当前表格")
        self.add_action("查找", lambda: self.current_tab().focus_search(), QKeySequence(keys.Find))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.edit_action, self.archive_action, self.reassign_action, self.end_action,
                self.import_action, self.export_action, self.print_action]

    def _update_actions(self) -> None:
        index = self.tabs.currentIndex()
        row = self.current_tab().list.current_row()
        archived_view = index == HELPERS and self.helpers_tab.archived_view
        self.new_action.setVisible(index != COVERAGE)
        self.new_action.setEnabled(not archived_view)
        self.new_action.setText({HELPERS: "新增", TEAMS: "新增", ASSIGNMENTS: "新增"}.get(index, "新增"))
        self.edit_action.setVisible(index in (HELPERS, TEAMS))
        self.edit_action.setEnabled(row is not None and not archived_view)
        self.archive_action.setVisible(index in (HELPERS, TEAMS))
        self.archive_action.setText("恢复" if archived_view else ("解散" if index == TEAMS else "归档"))
        self.archive_action.setEnabled(row is not None)
        self.import_action.setVisible(index in (HELPERS, ASSIGNMENTS))  # the sheet holds people and pairings
        for action in (self.reassign_action, self.end_action):
            action.setVisible(index == ASSIGNMENTS)
            action.setEnabled(row is not None and getattr(row, "active", False))
        kind = {HELPERS: "helper", TEAMS: "team", ASSIGNMENTS: "assignment"}.get(index)
        if kind is not None:
            self.county_rows.guard(kind, [row and row.id], [self.archive_action, self.reassign_action, self.end_action],
                                   self.edit_action if index != ASSIGNMENTS else None)

    # ---- loading
    def refresh(self) -> None:
        for tab in self.all_tabs():
            tab.loaded = False
        self.current_tab().reload()

    def on_data_changed(self, kind: str) -> None:
        if kind in RELOAD_ON:
            self.refresh()

    def _changed(self, kind: str, status: str) -> None:
        """After a save: reload every tab lazily, tell the status bar and the other pages."""
        for tab in self.all_tabs():
            tab.loaded = False
        self.status_message.emit(status)
        self.data_changed.emit(kind)

    # ---- records
    def add(self) -> None:
        index = self.tabs.currentIndex()
        if index == HELPERS:
            self._open_helper(None)
        elif index == TEAMS:
            self._open_team(None)
        elif index == ASSIGNMENTS:
            dialog = AssignmentDialog(self.services, self, today=self.services.demands.today())
            if run_dialog(dialog) and dialog.saved_id is not None:
                self._changed("assignment", "已新增包联")
                self.assignments_tab.reload(select=dialog.saved_id)

    def edit_current(self) -> None:
        row = self.current_tab().list.current_row()
        index = self.tabs.currentIndex()
        if row is None:
            return
        if index == HELPERS and not self.helpers_tab.archived_view:
            self._open_helper(row.id)
        elif index == TEAMS:
            self._open_team(row)

    def _open_helper(self, helper_id: int | None) -> None:
        dialog = HelperDialog(self.services, helper_id, self)
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._changed("helper", f"已保存：{dialog.widget('name').text().strip()}")
            self.helpers_tab.reload(select=dialog.saved_id)

    def _open_team(self, team: object) -> None:
        dialog = TeamDialog(self.services, team, self)  # type: ignore[arg-type]
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._changed("team", f"已保存：{dialog.widget('name').text().strip()}")
            self.teams_tab.reload(select=dialog.saved_id)

    def archive_or_restore(self) -> None:
        row = self.current_tab().list.current_row()
        index = self.tabs.currentIndex()
        if row is None:
            return
        try:
            if index == HELPERS and self.helpers_tab.archived_view:
                self.services.helpers.restore_helper(row.id)
                self._changed("helper", f"已恢复：{row.name}")
            elif index == HELPERS:
                if not messages.confirm(self, f"确定将帮扶干部“{row.name}”归档吗？\n"
                                              "归档后其现行包联于今天结束（保留为历史），记录不会删除，可随时恢复。", "归档"):
                    return
                self.services.helpers.archive_helper(row.id, "归档")
                self._changed("helper", f"已归档：{row.name}")
            elif index == TEAMS:
                if not messages.confirm(self, f"确定解散工作组“{row.name}”吗？工作组记录不会删除。", "解散工作组"):
                    return
                self.services.helpers.archive_team(row.id, "解散")
                self._changed("team", f"已解散：{row.name}")
        except LvqiError as error:
            messages.show_error(self, error)
        self.current_tab().reload()

    def reassign(self) -> None:
        row = self.assignments_tab.list.current_row()
        if row is None:
            return
        dialog = ReassignDialog(self.services, row, self, today=self.services.demands.today())
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._changed("assignment", f"已更换包联：{row.enterprise_name}")
            self.assignments_tab.reload(select=dialog.saved_id)

    def end_assignment(self) -> None:
        row = self.assignments_tab.list.current_row()
        if row is None:
            return
        dialog = EndAssignmentDialog(self.services, row, self, today=self.services.demands.today())
        if run_dialog(dialog):
            self._changed("assignment", f"已结束包联：{row.enterprise_name} — {row.holder}")
            self.assignments_tab.reload()

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        county = county_suffix(getattr(self.current_tab(), "county", None))
        return f"{info.name if info else ''}{TAB_TITLES[self.tabs.currentIndex()]}{county}"

    def export(self) -> None:
        export_view_to_xlsx(self, self.current_tab().model, self._table_title())

    def print(self) -> None:
        print_view(self, self.current_tab().model, self._table_title())
