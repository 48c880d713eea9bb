"""The 双创基地 page: the bases ledger (search, kind and level filters), and the form of one base."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bases import BaseFilter
from lvqi_desktop.services.bases import BaseRow
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.base_dialog import BaseDialog
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import county_suffix
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.import_dialog import import_into_page
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel

RELOAD_ON = {"base", "enterprise", "pool"}


def _area(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def base_columns(counties: dict[str, str] | None = None) -> list[Column[BaseRow]]:
    """The ledger's columns; a 县区 column after the name in the city edition (`counties` given)."""
    return with_county([
        Column("基地名称", lambda r: r.name, collate=True, width=12),
        Column("基地类型", lambda r: r.kind_label, collate=True, width=6),
        Column("运营主体", lambda r: r.operator_name, collate=True, width=10),
        Column("乡镇（街道）", lambda r: r.township_name, collate=True, width=5),
        Column("面积（平方米）", lambda r: r.floor_area_m2, text=_area, align=RIGHT, width=5),
        Column("认定层级", lambda r: r.level_label, align=CENTER, width=4),
        Column("认定日期", lambda r: r.recognized_on, align=CENTER, width=5),
        Column("认定文号", lambda r: r.document_no, export_as_text=True, width=10),
        Column("在驻企业（户）", lambda r: r.current_tenants, align=RIGHT, width=4),
    ], counties, lambda r: r.county_code)


class BaseList(ListTab):
    """The ledger with its filters: kind, level, 在册 / 已归档."""

    unit = "个"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(RowTableModel(base_columns(county_names(services))), "bases_page/bases",
                         "基地名称、运营主体、地址或乡镇", parent)
        self.services = services
        self.county = add_county_filter(self, services, self.reload)
        self.kind = self.add_filter("类型", combo(services.bases.kind_choices(), "全部", 8))
        self.level = self.add_filter("层级", combo(services.bases.level_choices(), "全部", 5))
        self.state = self.add_filter("", combo([("current", "在册"), ("archived", "已归档")], None, 4))
        for box in (self.kind, self.level, self.state):
            box.currentIndexChanged.connect(lambda *_: self.reload())

    def load(self) -> list[BaseRow]:
        return self.services.bases.list_bases(BaseFilter(kind=self.kind.code(), level=self.level.code(),
                                                         archived=self.state.code() == "archived",
                                                         county_code=chosen_county(self.county)))

    def showing_archived(self) -> bool:
        return self.state.code() == "archived"

    def is_filtering(self) -> bool:
        return super().is_filtering() or bool(self.kind.code() or self.level.code() or chosen_county(self.county))

    def empty_text(self) -> tuple[str, str, Any]:
        if self.showing_archived():
            return "没有已归档的双创基地。", "", None
        if self.kind.code() or self.level.code():
            return "没有符合所选类型、层级的双创基地。可以改选“全部”。", "", None
        if chosen_county(self.county):
            return "所选县（市、区）还没有报送双创基地。可以改选“全部县区”。", "", None
        if self.county is not None:  # the city edition: bases arrive in the counties' packages
            return "还没有收到各县（市、区）报送的双创基地。基地由所在县（市、区）登记，随数据报送包报送。", "", None
        return "还没有双创基地。点击“新增”登记本县（市、区）的小微企业双创基地。", "新增", lambda: self.on_add()


class BasesPage(Page):
    title = "双创基地"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.bases = BaseList(services)
        self.bases.on_add = self.add_base
        self.bases.changed.connect(self._update_actions)
        self.bases.list.row_activated.connect(lambda row: self.edit_base(row))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.bases)
        self._build_actions()
        self.setFocusProxy(self.bases)
        self._update_actions()

    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        keys = QKeySequence.StandardKey
        self.new_action = self.add_action("新增", self.add_base, QKeySequence(keys.New), "登记一个双创基地（Ctrl+N）", writes=True)
        self.edit_action = self.add_action("编辑", lambda: self.edit_base(self.bases.list.current_row()),
                                        tip="打开选中的基地：基本情况、认定层级、入驻企业、年度数据（也可双击）", writes=True)
        self.archive_action = self.add_action("归档", self.archive_or_restore, tip="归档不再运营的基地（不删除，可恢复）", writes=True)
        self.import_action = self.add_action("导入Excel", lambda: import_into_page(self, "bases", "base"),
                                          tip="从Excel台账导入双创基地（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前显示的基地导出为Excel")
        self.print_action = self.add_action("打印", self.print, QKeySequence(keys.Print), "打印当前显示的基地（Ctrl+P）")
        self.add_action("查找", self.bases.focus_search, QKeySequence(keys.Find))
        self.add_action("刷新", self.refresh, QKeySequence(keys.Refresh))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.edit_action, self.archive_action, self.import_action, self.export_action,
                self.print_action]

    def _update_actions(self) -> None:
        row = self.bases.list.current_row()
        self.edit_action.setEnabled(row is not None)
        self.archive_action.setEnabled(row is not None)
        archived = self.bases.showing_archived()
        self.archive_action.setText("恢复" if archived else "归档")
        self.new_action.setEnabled(not archived)
        self.county_rows.guard("base", [row and row.id], [self.archive_action], self.edit_action)

    def on_shown(self) -> None:
        self.bases.ensure_loaded()
        self.bases.focus_search()

    def refresh(self) -> None:
        self.bases.reload()

    def on_data_changed(self, kind: str) -> None:
        if kind in RELOAD_ON:
            self.bases.loaded = False
            if self.isVisible():
                self.bases.reload()

    # ---- records
    def add_base(self) -> None:
        if self.services.office_county() is None:
            messages.show_error(self, "双创基地由所在县（市、区）登记；市中心可在接收的报送包中查看各县的基地。")
            return
        dialog = BaseDialog(self.services, None, self)
        if run_dialog(dialog) and dialog.base_id is not None:
            name = dialog.widget("name").text().strip()
            self.bases.reload(select=dialog.base_id)
            self.status_message.emit(f"已保存：{name}。可双击打开，登记入驻企业和年度数据。")
            self.data_changed.emit("base")

    def edit_base(self, row: BaseRow | None) -> None:
        if row is None:
            return
        try:
            dialog = BaseDialog(self.services, row.id, self)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        saved = run_dialog(dialog)
        if saved or dialog.changed_now:
            self.bases.reload(select=row.id)
            self.status_message.emit(f"已保存：{dialog.row.name if dialog.row else row.name}")
            self.data_changed.emit("base")

    def archive_or_restore(self) -> None:
        row = self.bases.list.current_row()
        if row is None:
            return
        try:
            if row.archived:
                self.services.bases.restore_base(row.id)
                text = f"已恢复：{row.name}"
            else:
                if not messages.confirm(self, f"确定归档“{row.name}”吗？\n归档的基地不再出现在台账和报表中，"
                                              "记录不会删除，可在“已归档”中恢复。", "归档双创基地"):
                    return
                self.services.bases.archive_base(row.id, "停止运营")
                text = f"已归档：{row.name}"
        except LvqiError as error:
            messages.show_error(self, error)
            return
        self.bases.reload()
        self.status_message.emit(text)
        self.data_changed.emit("base")

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        return f"{info.name if info else ''}小微企业双创基地台账{county_suffix(self.bases.county)}"

    def export(self) -> None:
        export_view_to_xlsx(self, self.bases.model, self._table_title())

    def print(self) -> None:
        print_view(self, self.bases.model, self._table_title())
