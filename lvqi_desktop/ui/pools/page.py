"""The 梯度培育库 page: one tab per pool, then 检查全部 and 目标与进度."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import CheckRow
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.county_filter import county_suffix
from lvqi_desktop.ui.county_filter import link_counties
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.import_dialog import import_into_page
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.pools.change_dialogs import ArchiveRecordDialog
from lvqi_desktop.ui.pools.change_dialogs import BulkStatusDialog
from lvqi_desktop.ui.pools.change_dialogs import StatusChangeDialog
from lvqi_desktop.ui.pools.check_tab import CheckTab
from lvqi_desktop.ui.pools.pool_tab import SHORT_NAMES
from lvqi_desktop.ui.pools.pool_tab import PoolTab
from lvqi_desktop.ui.pools.progress_tab import ProgressTab
from lvqi_desktop.ui.pools.record_dialog import PoolRecordDialog
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.tabbed_page import TabbedPage
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view

CHECK_TITLE, PROGRESS_TITLE = "检查全部", "目标与进度"
RELOAD_ON = {"enterprise", "pool"}


class PoolsPage(TabbedPage):
    """Pools from the catalog, each a list page; the record editor opens on double-click or 编辑."""

    title = "梯度培育库"
    tip_shows_shortcut = True

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        catalog = services.cultivation.pools.catalog()
        self.pools = list(catalog.pools.values())  # in the catalog's order (小升规 · 专精特新 · 股改 · 上市后备)
        self.pool_tabs = [PoolTab(services, pool) for pool in self.pools]
        self.check_tab = CheckTab(services)
        self.progress_tab = ProgressTab(services)
        for tab in self.pool_tabs:
            self.tabs.addTab(tab, SHORT_NAMES.get(tab.pool.code, tab.pool.name))
            tab.changed.connect(self._update_actions)
            tab.list.row_activated.connect(lambda row: self.open_record(row.id))
            tab.on_add = lambda: self.add_record()
        link_counties([*self.pool_tabs, self.check_tab])
        self.tabs.addTab(self.check_tab, CHECK_TITLE)
        self.tabs.addTab(self.progress_tab, PROGRESS_TITLE)
        self.check_tab.list.row_activated.connect(self.open_check_row)
        self.check_tab.changed.connect(self._update_actions)
        self.progress_tab.changed.connect(self._update_actions)
        self.finish_tabs()

    def all_tabs(self) -> list[ListTab]:
        return [*self.pool_tabs, self.check_tab, self.progress_tab]

    def current_pool_tab(self) -> PoolTab | None:
        tab = self.current_tab()
        return tab if isinstance(tab, PoolTab) else None

    def pool_tab(self, code: str) -> PoolTab:
        return next(t for t in self.pool_tabs if t.pool.code == code)

    def show_pool(self, code: str) -> PoolTab:
        tab = self.pool_tab(code)
        self.tabs.setCurrentWidget(tab)
        tab.ensure_loaded()
        return tab

    # ---- actions
    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        keys = QKeySequence.StandardKey
        self.new_action = self.add_action("新增", lambda: self.add_record(), QKeySequence(keys.New), "从企业库中选择企业入库", writes=True)
        self.edit_action = self.add_action("编辑", self.edit_current, tip="打开选中的培育记录（也可双击或按回车）", writes=True)
        self.status_action = self.add_action("变更状态", self.change_status, tip="变更选中记录的状态，记入时间线", writes=True)
        self.bulk_action = self.add_action("批量变更状态", self.bulk_change_status,
                                        tip="把选中的多家企业改为同一状态，同一说明；全部成功或全部不变", writes=True)
        self.archive_action = self.add_action("退库/归档", self.archive_current, tip="把选中的记录移出培育库（保留记录）", writes=True)
        self.check_action = self.add_action("检查全部", self.run_check_all, tip="对照条件检查全部企业")
        self.import_action = self.add_action("导入Excel", lambda: import_into_page(self, "pools", "pool"),
                                          tip="从Excel台账导入培育库记录（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前表格导出为Excel")
        self.print_action = self.add_action("打印", self.print, QKeySequence(keys.Print), "打印当前表格")
        self.add_action("查找", lambda: self.current_tab().focus_search(), QKeySequence(keys.Find))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.edit_action, self.status_action, self.bulk_action, self.archive_action,
                self.check_action, self.import_action, self.export_action, self.print_action]

    def _update_actions(self) -> None:
        tab = self.current_pool_tab()
        rows = tab.selected_rows() if tab is not None else []
        current = tab is not None and not tab.archived_view
        for action in (self.new_action, self.edit_action, self.status_action, self.bulk_action,
                       self.archive_action):
            action.setVisible(tab is not None)
        self.new_action.setEnabled(current)
        self.edit_action.setEnabled(len(rows) >= 1)
        self.status_action.setEnabled(current and len(rows) == 1)
        self.bulk_action.setEnabled(current and len(rows) >= 2)
        self.archive_action.setEnabled(current and len(rows) == 1)
        self.county_rows.guard("pool_record", [r.id for r in rows],
                               [self.status_action, self.bulk_action, self.archive_action], self.edit_action)

    # ---- loading
    def refresh(self) -> None:
        for tab in self.all_tabs():
            if tab is not self.check_tab:
                tab.loaded = False
        self.current_tab().reload()

    def on_data_changed(self, kind: str) -> None:
        if kind in RELOAD_ON:
            self.refresh()

    def _changed(self, status: str, select: int | None = None) -> None:
        """After a change: reload the pool tabs and progress lazily, tell the status bar and other pages."""
        for tab in [*self.pool_tabs, self.progress_tab]:
            tab.loaded = False
        self.current_tab().reload(select=select)
        self.status_message.emit(status)
        self.data_changed.emit("pool")

    # ---- records
    def add_record(self, enterprise_id: int | None = None, pool: str = "") -> None:
        tab = self.show_pool(pool) if pool else self.current_pool_tab()
        if tab is None:
            tab = self.show_pool(self.pools[0].code)
        dialog = PoolRecordDialog(self.services, tab.pool.code, None, self, enterprise_id=enterprise_id)
        if run_dialog(dialog) and dialog.saved_id is not None:
            name = dialog.widget("enterprise").name_edit.text()
            self._changed(f"已入库：{name}（{tab.pool.name}）", dialog.saved_id)

    def edit_current(self) -> None:
        tab = self.current_pool_tab()
        row = tab.list.current_row() if tab is not None else None
        if row is not None:
            self.open_record(row.id)

    def open_record(self, record_id: int) -> None:
        """Open a record's editor on its pool's tab (also used by the start page's reminders)."""
        try:
            dialog = PoolRecordDialog(self.services, "", record_id, self)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        tab = self.pool_tab(dialog.pool.code)
        if self.tabs.currentWidget() is not tab and self.tabs.currentWidget() is not self.check_tab:
            self.show_pool(dialog.pool.code)
        saved = run_dialog(dialog)
        if saved or dialog.changed:
            self._changed(f"已保存：{dialog.detail.row.name if dialog.detail else ''}", record_id)

    def open_check_row(self, row: CheckRow) -> None:
        """A 检查全部 line: its record, or (a firm above the 规上 line not in the pool) a new 小升规 record."""
        if row.record_id is not None:
            self.open_record(row.record_id)
        else:
            self.add_record(row.enterprise_id, row.pool)

    def change_status(self) -> None:
        tab = self.current_pool_tab()
        row = tab.list.current_row() if tab is not None else None
        if tab is None or row is None:
            return
        try:
            detail = self.services.cultivation.pools.record(row.id)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        dialog = StatusChangeDialog(self.services, detail, tab.pool, self)
        if run_dialog(dialog) and dialog.result_row is not None:
            self._changed(f"已变更状态：{row.name} → {dialog.result_row.status_label}", row.id)

    def bulk_change_status(self) -> None:
        tab = self.current_pool_tab()
        rows = tab.selected_rows() if tab is not None else []
        if tab is None or len(rows) < 2:
            return
        dialog = BulkStatusDialog(self.services, tab.pool, rows, self)
        if run_dialog(dialog):
            self._changed(f"已批量变更状态：{dialog.changed:,} 家企业")

    def archive_current(self) -> None:
        tab = self.current_pool_tab()
        row = tab.list.current_row() if tab is not None else None
        if row is None:
            return
        dialog = ArchiveRecordDialog(self.services, row, self)
        if run_dialog(dialog):
            self._changed(f"已移出培育库：{row.name}")

    # ---- 检查全部
    def run_check_all(self) -> None:
        self.tabs.setCurrentWidget(self.check_tab)
        self.check_tab.run_check()

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        tab = self.current_tab()
        name = tab.pool.name if isinstance(tab, PoolTab) else (
            "梯度培育检查结果" if tab is self.check_tab else "培育目标完成进度")
        county = county_suffix(tab.county) if isinstance(tab, PoolTab) else ""
        return f"{info.name if info else ''}{name}{county}"

    def export(self) -> None:
        export_view_to_xlsx(self, self.current_tab().model, self._table_title())

    def print(self) -> None:
        print_view(self, self.current_tab().model, self._table_title())
