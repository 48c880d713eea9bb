"""The enterprise register page (企业库): search as you type, filters, the table, and its actions."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import attrgetter

from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QSettings
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QHideEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.search_keys import keys_matching
from lvqi_desktop.models.search_keys import narrows
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.services.enterprise_rows import SavedEnterprise
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.archive_dialog import ask_archive_reason
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.county_rows import CountyRows
from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
from lvqi_desktop.ui.history_widgets import RecordHistoryWidget
from lvqi_desktop.ui.import_dialog import ImportDialog
from lvqi_desktop.ui.list_table import configure_row_table
from lvqi_desktop.ui.list_table import empty_state
from lvqi_desktop.ui.list_table import select_rows
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.pools.tier_inputs import TierInputsWidget
from lvqi_desktop.ui.registry_filters import RegistryFilterBar
from lvqi_desktop.ui.table_export import ask_export_path
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_export import print_view
from lvqi_desktop.ui.table_models.enterprise_table import EnterpriseTableModel
from lvqi_desktop.ui.write_guard import set_writes

SEARCH_DELAY_MS = 150
SYNC_LOAD_UP_TO = 3000  # larger registers show a first batch at once and load the rest in the background
FIRST_BATCH = 300
HEADER_KEY = "registry_page/header"
EMPTY_TEXT = "还没有企业。点击“新增”或从Excel导入。"


class RegistryPage(Page):
    title = "企业库"
    tip_shows_shortcut = True
    rows_loaded = Signal()  # the whole register is in the table's cache

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        info = services.office_info()
        counties = {c.code: c.label for c in services.reference.counties()} if info and info.is_city else None
        self.model = EnterpriseTableModel({c.code: c.label for c in services.reference.sections()}, counties)
        self.loaded = False
        self._loading = False
        self._touched_while_loading: set[int] = set()
        self._counts = (0, 0)
        self._build_widgets()
        self._build_actions()
        self._last_search: tuple[int, str, list[int], list[str]] | None = None  # revision, text, hit places, keys
        self._search_keys: tuple[int, list[str]] | None = None  # the pool's search keys, in its order
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._save_header_timer = QTimer(self, singleShot=True, interval=500)
        self._save_header_timer.timeout.connect(self.save_header_state)
        self._set_up_table()
        self._update_view()

    # ---- widgets
    def _build_widgets(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("名称、拼音首字母、全拼或信用代码")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._on_search_return)
        self.filters = RegistryFilterBar(self.services)
        self.filters.changed.connect(self.apply_filter)
        self.filters.archived_toggled.connect(self._on_archived_toggled)
        self.count_label = QLabel()
        self.table = QTableView()
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_button = QPushButton("新增")
        self.empty_button.clicked.connect(self._on_empty_button)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty_state(self.empty_label, self.empty_button))
        top = QHBoxLayout()
        top.addWidget(QLabel("查找"))
        top.addWidget(self.search_edit)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.search_edit)

    def _build_actions(self) -> None:
        self.county_rows = CountyRows(self.services)  # city edition: a county's rows are shown only
        self.new_action = self.add_action("新增", self.add_enterprise, QKeySequence(QKeySequence.StandardKey.New),
                                       "新增企业", writes=True)
        self.edit_action = self.add_action("编辑", self.edit_current, tip="编辑选中的企业（也可双击或按回车）", writes=True)
        self.archive_action = self.add_action("归档", self.archive_or_restore, tip="把选中的企业移入已归档", writes=True)
        self.import_action = self.add_action("导入Excel", self.import_from_excel,
                                          tip="从Excel台账导入企业（先预览，再导入；可下载导入模板）", writes=True)
        self.export_action = self.add_action("导出Excel", self.export, tip="把当前显示的企业导出为Excel")
        self.incomplete_action = self.add_action(
            "导出待补充清单", self.export_incomplete,
            tip="资料待补充的企业：只有缺少的单元格可填；填好后用“导入Excel”导入，补齐的项会消除待补充标记")
        self.print_action = self.add_action("打印", self.print, QKeySequence(QKeySequence.StandardKey.Print),
                                         "打印当前显示的企业")
        self.find_action = self.add_action("查找", self.focus_search, QKeySequence(QKeySequence.StandardKey.Find))

    def page_actions(self) -> list[QAction]:
        return [self.new_action, self.edit_action, self.archive_action, self.import_action, self.export_action,
                self.incomplete_action, self.print_action]

    def import_from_excel(self) -> None:
        """The import dialog: choose a sheet, confirm the mapping, preview, import; then reload."""
        dialog = ImportDialog(self, self.services.imports)
        dialog.exec()
        if dialog.imported:
            self.data_changed.emit("enterprise")
            self.loaded = False
            self.ensure_loaded()

    def _set_up_table(self) -> None:
        char = self.fontMetrics().horizontalAdvance("中")
        configure_row_table(self.table, self.model, HEADER_KEY, QAbstractItemView.SelectionMode.ExtendedSelection,
                            lambda c: c.width * char + 12, self._save_header_timer.start)
        table = self.table
        table.activated.connect(self._on_activated)
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

    def save_header_state(self) -> None:
        QSettings().setValue(HEADER_KEY, self.table.horizontalHeader().saveState())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        if self._save_header_timer.isActive():
            self._save_header_timer.stop()
            self.save_header_state()
        super().hideEvent(event)

    # ---- loading
    def on_shown(self) -> None:
        self.ensure_loaded()
        self.focus_search()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def ensure_loaded(self) -> None:
        """Load the register once; a big one shows a first batch at once and fills in the background."""
        if self.loaded or self._loading:
            return
        self._counts = self.services.enterprises.counts()
        if sum(self._counts) <= SYNC_LOAD_UP_TO:
            self.model.set_rows(self._load_all_rows())
            self._finish_loading()
            return
        first = self.services.enterprises.matching_ids(EnterpriseFilter())[:FIRST_BATCH]
        self.model.set_rows(self.services.enterprises.rows_by_ids(first))
        self._loading = True
        self._update_view()
        run_in_background(self, lambda _progress: self._load_all_rows(), title="正在载入企业库",
                          on_success=self._on_background_load, on_failure=self._on_load_failed,
                          show_dialog=False)

    def _load_all_rows(self) -> list[EnterpriseRow]:
        """Every current and archived row (runs in a worker thread for big registers: no Qt here)."""
        enterprises = self.services.enterprises
        return enterprises.list_rows() + enterprises.list_rows(EnterpriseFilter(archived=True))

    def _on_background_load(self, rows: list[EnterpriseRow]) -> None:
        self._loading = False
        self.model.set_rows(rows)
        if self._touched_while_loading:
            self.model.upsert_rows(self.services.enterprises.rows_by_ids(sorted(self._touched_while_loading)))
            self._touched_while_loading.clear()
        self._finish_loading()

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        self._update_view()
        messages.show_error(self, error if isinstance(error, LvqiError) else str(error), "无法载入企业库")

    def _finish_loading(self) -> None:
        self.loaded = True
        if self._is_filtering():
            self.apply_filter()
        self._update_view()
        self.rows_loaded.emit()

    def refresh(self) -> None:
        """F5: read the whole register again."""
        if self._loading:
            return
        self.loaded = False
        self.ensure_loaded()

    def on_data_changed(self, kind: str) -> None:
        if kind == "enterprise" and self.loaded:
            self.loaded = False
            if self.isVisible():
                self.ensure_loaded()

    # ---- filtering
    def _is_filtering(self) -> bool:
        return bool(self.search_edit.text().strip()) or self.filters.is_filtering()

    def apply_filter(self) -> None:
        """Find which ids match and re-filter the cached rows by them."""
        self._search_timer.stop()
        selected = self.selected_ids()
        f = self.filters.filter_for(self.search_edit.text())
        if not self._is_filtering():
            self.model.set_filter_ids(None)
        elif self.loaded and f == EnterpriseFilter(search=f.search, archived=f.archived):
            self.model.set_filter_places(self._text_hits(f.search))
        else:
            self.model.set_filter_ids(set(self.services.enterprises.matching_ids(f)))
        # lay the rows out now, not on the view's zero-time timer: that ran after the first repaint and asked
        # for a second one of the whole table (~15 ms a keystroke at 65,000 firms)
        self.table.executeDelayedItemsLayout()
        self._select_ids(selected)
        self._update_view()

    def _text_hits(self, text: str) -> list[int]:
        """Text alone, once the register is loaded, is matched on the rows the view holds (a keystroke needs no
        query): the places of the hits among them, so the table looks up no ids."""
        places, keys = self._search_candidates(text)
        mask = keys_matching(keys, text)
        hits = list(compress(places, mask))  # parallel lists, no tuple per row (65,000 of them wake the GC)
        self._last_search = (self.model.pool_revision, text, hits, list(compress(keys, mask)))
        return hits

    def _search_candidates(self, text: str) -> tuple[Sequence[int], list[str]]:
        """The places (and search keys) of the rows a text search must look at: the last search's hits when
        this text only narrows it (typing on), else every row the view holds (in 在册 or 已归档)."""
        revision = self.model.pool_revision
        last = self._last_search
        if last is not None and last[0] == revision and narrows(last[1], text):
            return last[2], last[3]
        if self._search_keys is None or self._search_keys[0] != revision:
            self._search_keys = (revision, list(map(attrgetter("search_key"), self.model.pool_rows())))
        return range(len(self._search_keys[1])), self._search_keys[1]

    def _on_search_return(self) -> None:
        self.apply_filter()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            if not self.selected_ids():
                select_rows(self.table, [0])

    def _on_archived_toggled(self, archived: bool) -> None:
        self.model.set_archived_view(archived)
        self.apply_filter()

    def _update_view(self) -> None:
        archived = self.model.archived_view
        total = self.model.cached_count() if self.loaded else self._counts[1 if archived else 0]
        shown = self.model.rowCount()
        text = f"{'已归档' if archived else '共'} {total:,} 家"
        if self._is_filtering():
            text += f"，筛选后 {shown:,} 家"
        self.count_label.setText(text + ("（正在载入…）" if self._loading else ""))
        self._update_empty_state(shown, archived)
        self._update_actions()

    def _update_empty_state(self, shown: int, archived: bool) -> None:
        if shown or self._loading:
            self.stack.setCurrentIndex(0)
            return
        if self._is_filtering():
            text, button = "没有符合条件的企业。可以换个关键词，或清除筛选条件。", "清除筛选"
        elif archived:
            text, button = "没有已归档的企业。", ""
        else:
            text, button = EMPTY_TEXT, "新增"
        self.empty_label.setText(text)
        self.empty_button.setText(button)
        self.empty_button.setVisible(bool(button))
        set_writes(self.empty_button, button == "新增")
        self.stack.setCurrentIndex(1)

    def _on_empty_button(self) -> None:
        if self._is_filtering():
            self.search_edit.clear()
            self.filters.clear()
        else:
            self.add_enterprise()

    # ---- selection
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r.id for r in (self.model.row_at(i) for i in rows) if r is not None]

    def current_row(self) -> EnterpriseRow | None:
        """The row with the keyboard focus if it is selected, else the first selected row."""
        ids = self.selected_ids()
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None and row.id in ids:
            return row
        position = self.model.position_of(ids[0]) if ids else None
        return None if position is None else self.model.row_at(position)

    def _select_ids(self, ids: list[int]) -> None:
        positions = [p for p in (self.model.position_of(i) for i in ids) if p is not None]
        if not positions:
            return
        select_rows(self.table, positions)
        self.table.scrollTo(self.model.index(positions[0], 0))

    def _update_actions(self) -> None:
        has_selection = bool(self.table.selectionModel().selectedRows())
        archived = self.model.archived_view
        self.edit_action.setEnabled(has_selection)
        self.archive_action.setEnabled(has_selection)
        self.archive_action.setText("恢复" if archived else "归档")
        self.archive_action.setToolTip("把选中的企业恢复到在册名单" if archived else "把选中的企业移入已归档")
        self.new_action.setEnabled(not archived)
        self.county_rows.guard("enterprise", self.selected_ids() if has_selection else [], [self.archive_action],
                               self.edit_action)

    # ---- records
    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_enterprise(row.id)

    def add_enterprise(self) -> None:
        self.open_enterprise(None)

    def edit_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_enterprise(row.id)

    def open_enterprise(self, enterprise_id: int | None, parent: QWidget | None = None) -> SavedEnterprise | None:
        """Open the form (new when id is None); a duplicate it names can be opened on top of it."""
        archived = enterprise_id is not None and any(
            r.archived for r in self.services.enterprises.rows_by_ids([enterprise_id]))
        try:
            dialog = make_enterprise_dialog(self.services, enterprise_id, parent or self, archived)
        except LvqiError as error:
            messages.show_error(self, error)
            return None
        dialog.open_existing_requested.connect(lambda other: self.open_enterprise(other, dialog))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved is None:
            return None
        self._after_save(dialog.saved)
        return dialog.saved

    def _after_save(self, saved: SavedEnterprise) -> None:
        self.reload_ids([saved.id])
        self._select_ids([saved.id])
        self.status_message.emit(f"已保存：{saved.name}")
        self.data_changed.emit("enterprise")

    def reload_ids(self, ids: list[int]) -> None:
        """Fetch these rows again after a change and patch them into the table."""
        self.model.upsert_rows(self.services.enterprises.rows_by_ids(ids))
        if self._loading:
            self._touched_while_loading.update(ids)
        self._update_view()

    def archive_or_restore(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if self.model.archived_view:
            self._restore(ids)
        else:
            self._archive(ids)

    def _archive(self, ids: list[int]) -> None:
        names = [r.name for r in self.model.shown_rows() if r.id in set(ids)]
        reason = ask_archive_reason(self, names)
        if reason is None:
            return
        for enterprise_id in ids:
            self.services.enterprises.archive(enterprise_id, reason)
        self.reload_ids(ids)
        self.status_message.emit(f"已归档：{names[0]}" if len(names) == 1 else f"已归档 {len(names):,} 家企业")
        self.data_changed.emit("enterprise")

    def _restore(self, ids: list[int]) -> None:
        restored: list[str] = []
        for enterprise_id in ids:
            try:
                restored.append(self.services.enterprises.restore(enterprise_id))
            except ValidationFailed as refused:
                messages.show_error(self, refused, "无法恢复")
        self.reload_ids(ids)
        if restored:
            self.status_message.emit(f"已恢复：{restored[0]}" if len(restored) == 1
                                     else f"已恢复 {len(restored):,} 家企业")
            self.data_changed.emit("enterprise")

    # ---- export and print
    def _table_title(self) -> str:
        info = self.services.office_info()
        return f"{info.name if info else ''}企业名录" + ("（已归档）" if self.model.archived_view else "")

    def _still_loading(self) -> bool:
        if self._loading:
            messages.inform(self, "企业库还在载入中，请稍候几秒再试。", "请稍候")
        return self._loading

    def export(self) -> None:
        if not self._still_loading():
            export_view_to_xlsx(self, self.model, self._table_title())

    def export_incomplete(self) -> None:
        """导出待补充清单 to a file the clerk chooses; filled in, it comes back through 导入Excel."""
        path = ask_export_path(self, "资料待补充清单")
        if path is None:
            return
        try:
            written, firms = self.services.imports.write_incomplete_list(path)
        except (LvqiError, OSError) as error:
            messages.show_error(self, error if isinstance(error, LvqiError) else f"无法写出文件：{error}")
            return
        messages.inform(self, f"已导出 {firms:,} 家资料待补充的企业到“{written.name}”。填好黄色单元格后，"
                              "用“导入Excel”导入即可补齐并消除待补充标记。", "导出待补充清单")

    def print(self) -> None:
        if not self._still_loading():
            print_view(self, self.model, self._table_title())


def make_enterprise_dialog(services: Services, enterprise_id: int | None, parent: QWidget,
                           archived: bool) -> EnterpriseDialog:
    """Build the form (a seam for later issues that add tabs); a stored record gets its 修改记录 tab."""
    dialog = EnterpriseDialog(services, enterprise_id, parent, archived=archived)
    if enterprise_id is not None:
        dialog.add_tab(TierInputsWidget(services, enterprise_id), "认定条件数据")
        dialog.add_tab(RecordHistoryWidget(services, "enterprise", enterprise_id), "修改记录")
    return dialog
