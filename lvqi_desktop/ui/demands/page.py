"""The 企业诉求 page: KPIs for a chosen period, the board by status and age, and the ledger with its filters."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demand_rows import AGE_BUCKETS
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.demands import DemandFilter
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import county_suffix
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.demands.board import OPEN
from lvqi_desktop.ui.demands.board import DemandBoard
from lvqi_desktop.ui.demands.board import KpiStrip
from lvqi_desktop.ui.demands.detail import DemandDetailDialog
from lvqi_desktop.ui.demands.steps import ArchiveDemandDialog
from lvqi_desktop.ui.demands.steps import DemandDialog
from lvqi_desktop.ui.demands.tables import ledger_model
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.import_dialog import import_into_page
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view

OPEN_CODE = "open"
RELOAD_ON = {"demand", "visit", "enterprise", "helper"}


class DemandLedger(ListTab):
    """The ledger: every filter is a query to the demand service (search included)."""

    unit = "件"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(ledger_model(services.demands.today(), county_names(services)), "demands_page/ledger",
                         "编号、企业名称或问题描述", parent)
        self.services = services
        self.total = 0
        self.on_county: Any = self.apply_filter  # the page also re-reads the board for the chosen county
        self.county = add_county_filter(self, services, lambda: self.on_county())
        choices = services.demands.choices()
        self.status = self.add_filter("状态", combo([(OPEN_CODE, "在办（未办结）"), *choices["status"].items()],
                                                    "全部", 7))
        self.category = self.add_filter("类别", combo(choices["category"], "全部", 7))
        self.age = self.add_filter("时长", combo(AGE_BUCKETS, "全部", 4))
        self.unit_edit = self.add_filter("责任单位", line("含协办单位", 100))
        self.unit_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 9)
        self.overdue_only = self.add_filter("", QCheckBox("只看逾期"))
        for combo_box in (self.status, self.category, self.age):
            combo_box.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.overdue_only.toggled.connect(lambda *_: self.apply_filter())
        self.unit_edit.textChanged.connect(lambda _t: self._timer.start())

    def demand_filter(self) -> DemandFilter:
        status = self.status.code()
        statuses = tuple(OPEN) if status == OPEN_CODE else ((status,) if status else ())
        return DemandFilter(statuses=statuses, category=self.category.code(), unit=self.unit_edit.text().strip(),
                            overdue=True if self.overdue_only.isChecked() else None, age_bucket=self.age.code(),
                            search=self.search_edit.text().strip(), county_code=chosen_county(self.county))

    def is_filtering(self) -> bool:
        f = self.demand_filter()
        return bool(f.statuses or f.category or f.unit or f.overdue or f.age_bucket or f.search)

    def load(self) -> list[DemandRow]:
        return self.services.demands.list_demands(self.demand_filter())

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_rows(self.load())
        self.loaded = True
        self.update_view()

    def reload(self, select: object = None) -> None:
        keep = self.list.current_row()
        self.apply_filter()
        key = select if select is not None else (keep.id if keep is not None else None)
        if key is not None:
            self.list.select_key(key)

    def count_text(self, total: int, shown: int) -> str:
        text = f"共 {self.total:,} 件"
        return text + (f"，筛选后 {shown:,} 件" if self.is_filtering() else "")

    def clear_filters(self) -> None:
        for widget in (self.status, self.category, self.age, self.unit_edit, self.overdue_only, self.search_edit):
            widget.blockSignals(True)
        self.status.setCurrentIndex(0)
        self.category.setCurrentIndex(0)
        self.age.setCurrentIndex(0)
        self.unit_edit.clear()
        self.overdue_only.setChecked(False)
        self.search_edit.clear()
        for widget in (self.status, self.category, self.age, self.unit_edit, self.overdue_only, self.search_edit):
            widget.blockSignals(False)
        self.apply_filter()

    def update_view(self) -> None:
        super().update_view()
        if self.is_filtering() and not self.model.rowCount():
            self.list.set_empty_text("没有符合条件的诉求。可以换个条件，或清除筛选。", "清除筛选", self.clear_filters,
                                 writes=False)

    def empty_text(self) -> tuple[str, str, Any]:
        if chosen_county(self.county):
            return f"{self.county.currentText()}的企业还没有诉求。可以改选“全部县区”。", "", None  # type: ignore[union-attr]
        return ("还没有诉求。走访时可在走访记录中直接登记企业诉求，或点击“新增”登记其他来源的诉求。", "新增",
                lambda: self.on_add())


class DemandsPage(Page):
    title = "企业诉求"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.kpis = KpiStrip(services)
        self.board = DemandBoard()
        self.board.filter_requested.connect(self.show_on_ledger)
        self.ledger = DemandLedger(services)
        self.ledger.on_add = self.add_demand
        self.ledger.on_county = self.refresh
        self.ledger.changed.connect(self._update_actions)
        self.ledger.list.row_activated.connect(lambda row: self.open_demand(row.id))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.kpis)
        layout.addWidget(self.board)
        layout.addWidget(self.ledger, 1)
        self._build_actions()
        self.setFocusProxy(self.ledger)
        self.loaded = False
        self._update_actions()

    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        keys = QKeySequence.StandardKey
        self.new_action = self.add_action("新增", self.add_demand, QKeySequence(keys.New), "登记一件诉求（非走访来源）", writes=True)
        self.open_action = self.add_action("办理", lambda: self.open_current(), tip="打开选中的诉求：查看办理记录、交办、办结、回访（也可双击）")
        self.archive_action = self.add_action("归档", self.archive_current, tip="撤回误登记的诉求（须说明理由，不删除）", writes=True)
        self.import_action = self.add_action("导入Excel", lambda: import_into_page(self, "demands", "demand"),
                                          tip="从Excel台账导入企业诉求（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前显示的诉求台账导出为Excel")
        self.print_action = self.add_action("打印", self.print, QKeySequence(keys.Print), "打印当前显示的诉求台账")
        self.add_action("查找", self.ledger.focus_search, QKeySequence(keys.Find))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.open_action, self.archive_action, self.import_action, self.export_action, self.print_action]

    def _update_actions(self) -> None:
        row = self.ledger.list.current_row()
        self.open_action.setEnabled(row is not None)
        self.archive_action.setEnabled(row is not None)
        self.county_rows.guard("demand", [row and row.id], [self.archive_action], self.open_action)

    # ---- loading
    def on_shown(self) -> None:
        if not self.loaded:
            self.refresh()
        self.ledger.focus_search()

    def refresh(self) -> None:
        """Board, KPIs and ledger read again."""
        board = self.services.demands.board(chosen_county(self.ledger.county))
        self.board.show_rows(board)
        self.ledger.total = sum(r.total for r in board)
        self.kpis.county_code = chosen_county(self.ledger.county)
        self.kpis.refresh()
        self.ledger.reload()
        self.loaded = True

    def on_data_changed(self, kind: str) -> None:
        if kind in RELOAD_ON:
            self.loaded = False
            if self.isVisible():
                self.refresh()

    def show_on_ledger(self, status: str, bucket: str) -> None:
        """A click on the board: show that status (and age bucket) in the ledger."""
        ledger = self.ledger
        for widget in (ledger.status, ledger.age, ledger.overdue_only):
            widget.blockSignals(True)
        ledger.status.set_code(status)
        ledger.age.set_code(bucket)
        ledger.overdue_only.setChecked(False)
        for widget in (ledger.status, ledger.age, ledger.overdue_only):
            widget.blockSignals(False)
        ledger.apply_filter()

    # ---- records
    def _changed(self, status: str, select: int | None = None) -> None:
        self.refresh()
        if select is not None:
            self.ledger.list.select_key(select)
        self.status_message.emit(status)
        self.data_changed.emit("demand")

    def add_demand(self) -> None:
        dialog = DemandDialog(self.services, None, self)
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._changed(f"已登记诉求：{dialog.saved_number}", dialog.saved_id)

    def open_current(self) -> None:
        row = self.ledger.list.current_row()
        if row is not None:
            self.open_demand(row.id)

    def open_demand(self, demand_id: int) -> None:
        try:
            dialog = DemandDetailDialog(self.services, demand_id, self)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        run_dialog(dialog)
        if dialog.changed and dialog.detail is not None:
            row = dialog.detail.row
            self._changed(f"已办理诉求 {row.number}：{row.status_label}", demand_id)

    def archive_current(self) -> None:
        row = self.ledger.list.current_row()
        if row is not None and run_dialog(ArchiveDemandDialog(self.services, row, self)):
            self._changed(f"已归档诉求：{row.number}")

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        return f"{info.name if info else ''}企业诉求台账{county_suffix(self.ledger.county)}"

    def export(self) -> None:
        export_view_to_xlsx(self, self.ledger.model, self._table_title())

    def print(self) -> None:
        print_view(self, self.ledger.model, self._table_title())
