"""The 目标与进度 tab: target, achieved, gap and percentage per metric and year, and the targets' editor."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.targets import ALLOCATED
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import ProgressRow
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.pools.change_dialogs import line_edit
from lvqi_desktop.ui.pools.columns import combo
from lvqi_desktop.ui.pools.columns import progress_columns
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_models.status_table import StatusTableModel
from lvqi_desktop.ui.write_guard import writes


def scope_choices(services: Services) -> list[tuple[str, str]]:
    """Scopes this office may set targets for: a county its own; the city center the city and every county."""
    info = services.office_info()
    counties = [(c.code, c.label) for c in services.reference.counties()]
    if info is None or info.is_city:
        return [(services.office_code() or "", "全市")] + counties
    return [(c, label) for c, label in counties if c == info.county_code]


class TargetDialog(RecordDialog):
    """Set a target (a scope, metric and year hold one value; saving the same three again changes it)."""

    def __init__(self, services: Services, row: ProgressRow | None = None, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__("修改目标" if row else "新增目标", parent)
        self.services = services
        self.saved_id: int | None = None
        self._version = row.version if row is not None else None  # refused if another clerk saved it meanwhile
        year = (today or clock.today()).year
        scope = self.add_field("scope", "范围", combo(scope_choices(services), None, 8), required=True)
        metric = self.add_field("metric", "指标", combo(services.cultivation.targets.metric_choices(), "", 22),
                                required=True)
        spin = QSpinBox()
        spin.setRange(2000, 2100)
        spin.setValue(row.year if row else year)
        self.add_field("year", "年份", spin, required=True)
        self.add_field("value", "目标值", line_edit("户数，或比例（%）的整数", 8), required=True)
        self.add_field("source", "依据", line_edit("如 吕企发〔2022〕22号 第9条"))
        if row is not None:
            scope.set_code(row.scope)
            metric.set_code(row.metric)
            self.widget("value").setText(str(row.target))
            for name in ("scope", "metric", "year"):
                self.widget(name).setEnabled(False)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 42)
        self.finish_building()

    def submit(self) -> None:
        v = self.values()
        self.saved_id = self.services.cultivation.targets.save_target(v["scope"], v["metric"], int(v["year"]),
                                                                      v["value"].strip(), v["source"].strip(),
                                                                      self._version)


class ProgressTab(ListTab):
    """Targets with what has been achieved; year and scope selectors; add, change and remove targets."""

    unit = "项"

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None) -> None:
        day = today or clock.today()
        super().__init__(StatusTableModel(progress_columns(day), key=lambda r: r.target_id),
                         "pools_page/progress", "指标名称", parent, key=lambda r: r.target_id)
        self.today = day
        self.list.table.horizontalHeader().setStretchLastSection(True)
        self.services = services
        self.year = self.add_filter("年份", combo([], "全部年份", 5))
        self.scope = self.add_filter("范围", combo([], "全部范围", 5))
        self.year.currentIndexChanged.connect(lambda *_: self.reload())
        self.scope.currentIndexChanged.connect(lambda *_: self.reload())
        writes(self.add_button("新增目标", self.add_target, "为某一年设置培育目标"))
        self.edit_button = writes(self.add_button("修改目标", self.edit_target, "修改选中目标的目标值"))
        self.remove_button = writes(self.add_button("删除目标", self.remove_target, "删除选中的目标（保留记录，全市可见已撤回）"))
        hint = QLabel("完成数按年末（当年按今天）统计；“差距”为目标减已完成。")
        hint.setStyleSheet("color: #555;")
        self.buttons.addWidget(hint)
        self.end_buttons()
        self.changed.connect(self._update_buttons)
        self._update_buttons()

    def load(self) -> list[ProgressRow]:
        targets = self.services.cultivation.targets
        all_rows = targets.list_targets()
        self.year.set_choices([(str(y), f"{y}年") for y in sorted({t.year for t in all_rows}, reverse=True)],
                              "全部年份")
        self.scope.set_choices(sorted({(t.scope, t.scope_label) for t in all_rows}), "全部范围")
        year = self.year.code()
        return targets.progress(self.scope.code() or None, int(year) if year else None)

    def _editable(self, row: ProgressRow | None) -> bool:
        """A scope this office may set, and in a county edition not a target the city allocated."""
        info = self.services.office_info()
        allocated = row is not None and row.source.startswith(ALLOCATED) and info is not None and not info.is_city
        return row is not None and not allocated and row.scope in {code for code, _ in scope_choices(self.services)}

    def _update_buttons(self) -> None:
        row = self.list.current_row()
        self.edit_button.setEnabled(self._editable(row))
        self.remove_button.setEnabled(self._editable(row))

    def empty_text(self) -> tuple[str, str, Any]:
        if self.year.code() or self.scope.code():
            return "所选年份或范围没有目标。可以换个年份，或点击“新增目标”。", "新增目标", self.add_target
        return "还没有培育目标。点击“新增目标”设置某一年的目标。", "新增目标", self.add_target

    def add_target(self) -> None:
        dialog = TargetDialog(self.services, None, self, self.today)
        if run_dialog(dialog):
            self.reload(select=dialog.saved_id)

    def edit_target(self) -> None:
        row = self.list.current_row()
        if not self._editable(row):
            return
        dialog = TargetDialog(self.services, row, self, self.today)
        if run_dialog(dialog):
            self.reload(select=dialog.saved_id)

    def remove_target(self) -> None:
        row = self.list.current_row()
        if not self._editable(row) or not messages.confirm(
                self, f"确定删除目标“{row.scope_label} {row.year}年 {row.metric_label}：{row.target:,}”吗？", "删除目标"):
            return
        try:
            self.services.cultivation.targets.remove_target(row.target_id, "删除")
        except LvqiError as error:
            messages.show_error(self, error)
        self.reload()
