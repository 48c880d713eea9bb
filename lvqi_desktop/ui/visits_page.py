"""The 入企服务 page: the visit log by month, enterprise and helper, and the form that logs a visit with its demands."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helper_rows import VisitRow
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import county_suffix
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.helpers.forms import helper_choices
from lvqi_desktop.ui.helpers.forms import quietly_set_choices
from lvqi_desktop.ui.import_dialog import import_into_page
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.period_choices import month_choices
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.visit_form import VisitDialog

RELOAD_ON = {"visit", "helper", "team", "enterprise"}


def visit_columns() -> list[Column[VisitRow]]:
    return [
        Column("走访日期", lambda r: r.visited_on, align=CENTER, width=5),
        Column("企业名称", lambda r: r.enterprise_name, collate=True, width=16),
        Column("服务方式", lambda r: r.channel_label, align=CENTER, width=4),
        Column("专项活动", lambda r: r.campaign, width=5),
        Column("走访人员", lambda r: r.who_went, width=10),
        Column("宣讲政策", lambda r: r.policies_explained.replace("\n", " "), width=14),
        Column("企业反映情况", lambda r: r.firm_reported.replace("\n", " "), width=20),
    ]


class VisitList(ListTab):
    """The visit log with its filters: month (or all), enterprise, helper."""

    unit = "次"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        columns = with_county(visit_columns(), county_names(services), lambda r: r.county_code, after=2)
        super().__init__(RowTableModel(columns), "visits_page/visits", "企业、人员、政策或反映内容", parent)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)
        today = services.demands.today()
        self.period = self.add_filter("期间", combo(month_choices(today), "全部", 8))
        self.period.set_code(f"{today.year}-{today.month:02d}")
        self.enterprise = self.add_filter("企业", EnterpriseField(services, allow_clear=True))
        self.enterprise.name_edit.setPlaceholderText("全部企业")
        self.enterprise.clear_button.setEnabled(False)
        self.helper = self.add_filter("帮扶干部", combo(helper_choices(services), "全部", 8))
        for signal in (self.period.currentIndexChanged, self.enterprise.edited, self.helper.currentIndexChanged):
            signal.connect(lambda *_: self.reload())

    def reload(self, select: object = None) -> None:
        quietly_set_choices(self.helper, helper_choices(self.services), "全部")
        super().reload(select)

    def load(self) -> list[VisitRow]:
        helper = self.helper.code()
        return self.services.visits.list_visits(self.period.code() or None, enterprise_id=self.enterprise.enterprise_id,
                                                helper_id=int(helper) if helper else None,
                                                county_code=chosen_county(self.county))

    def filters_set(self) -> bool:
        return bool(self.enterprise.enterprise_id or self.helper.code() or chosen_county(self.county))

    def empty_text(self) -> tuple[str, str, Any]:
        where = self.period.currentText() if self.period.code() else "所选期间"
        if self.filters_set():
            return f"{where}没有符合条件的走访记录。可以更换期间、县区、企业或帮扶干部。", "", None
        return f"{where}还没有走访记录。点击“新增”登记一次入企服务。", "新增", lambda: self.on_add()


class VisitsPage(Page):
    title = "入企服务"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.visits = VisitList(services)
        self.visits.on_add = self.add_visit
        self.visits.changed.connect(self._update_actions)
        self.visits.list.row_activated.connect(self.edit_visit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.visits)
        self._build_actions()
        self.setFocusProxy(self.visits)
        self._update_actions()

    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        keys = QKeySequence.StandardKey
        self.new_action = self.add_action("新增", lambda: self.add_visit(), QKeySequence(keys.New), "登记一次入企服务（可同时登记诉求）", writes=True)
        self.view_action = self.add_action("修改", lambda: self.edit_visit(self.visits.list.current_row()),
                                        tip="查看或修改选中的走访记录（也可双击）；修改记录保留原来的内容", writes=True)
        self.archive_action = self.add_action("归档", self.archive_visit, tip="撤回误登记的走访记录（不删除）", writes=True)
        self.import_action = self.add_action("导入Excel", lambda: import_into_page(self, "visits", "visit"),
                                          tip="从Excel台账导入入企服务记录（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前显示的走访记录导出为Excel")
        self.print_action = self.add_action("打印", self.print, QKeySequence(keys.Print), "打印当前显示的走访记录")
        self.add_action("查找", self.visits.focus_search, QKeySequence(keys.Find))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.view_action, self.archive_action, self.import_action, self.export_action, self.print_action]

    def _update_actions(self) -> None:
        row = self.visits.list.current_row()
        self.view_action.setEnabled(row is not None)
        self.archive_action.setEnabled(row is not None)
        self.county_rows.guard("visit", [row and row.id], [self.archive_action], self.view_action)

    def on_shown(self) -> None:
        self.visits.ensure_loaded()
        self.visits.focus_search()

    def refresh(self) -> None:
        self.visits.reload()

    def on_data_changed(self, kind: str) -> None:
        if kind in RELOAD_ON:
            self.visits.loaded = False
            if self.isVisible():
                self.visits.reload()

    # ---- records
    def add_visit(self, enterprise: tuple[int, str] | None = None, helper_ids: tuple[int, ...] = ()) -> None:
        dialog = VisitDialog(self.services, self, enterprise=enterprise, helper_ids=helper_ids)
        if not run_dialog(dialog) or dialog.logged is None:
            return
        logged = dialog.logged
        name = dialog.widget("enterprise_id").name_edit.text()
        text = f"已登记走访：{name}"
        if logged.demand_numbers:
            text += f"；同时登记诉求 {len(logged.demand_numbers)} 件（{'、'.join(logged.demand_numbers)}）"
        self.visits.reload(select=logged.visit_id)
        self.status_message.emit(text)
        self.data_changed.emit("visit")
        if logged.demand_ids:
            self.data_changed.emit("demand")

    def edit_visit(self, row: VisitRow | None) -> None:
        if row is None:
            return
        try:
            dialog = VisitDialog(self.services, self, enterprise=(row.enterprise_id, row.enterprise_name), visit_id=row.id)
        except LvqiError as error:  # archived meanwhile
            messages.show_error(self, error)
            return
        if not run_dialog(dialog) or dialog.logged is None:
            return
        self.visits.reload(select=row.id)
        self.status_message.emit(f"已修改走访记录：{dialog.widget('enterprise_id').name_edit.text()}")
        self.data_changed.emit("visit")

    def archive_visit(self) -> None:
        row = self.visits.list.current_row()
        if row is None or not messages.confirm(
                self, f"确定归档 {row.visited_on.isoformat()} 对“{row.enterprise_name}”的走访记录吗？\n"
                      "仅用于撤回误登记的记录；记录不会删除，由此次走访登记的诉求不受影响。", "归档走访记录"):
            return
        try:
            self.services.visits.archive_visit(row.id, "误登记")
        except LvqiError as error:
            messages.show_error(self, error)
            return
        self.visits.reload()
        self.status_message.emit(f"已归档走访记录：{row.enterprise_name}")
        self.data_changed.emit("visit")

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        period = self.visits.period.currentText() if self.visits.period.code() else ""
        county = county_suffix(self.visits.county)
        return f"{info.name if info else ''}入企服务记录{period and '（' + period + '）'}{county}"

    def export(self) -> None:
        export_view_to_xlsx(self, self.visits.model, self._table_title())

    def print(self) -> None:
        print_view(self, self.visits.model, self._table_title())
