"""The pool record editor (入库 / 培育记录): the form with the gap report beside it, the timeline as a tab,
and the status and tier changes that go through the service so each one is kept in the timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QSplitter
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import RecordDetail
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.gap_report_view import GapReportView
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.pools.change_dialogs import FollowUpDialog
from lvqi_desktop.ui.pools.change_dialogs import StatusChangeDialog
from lvqi_desktop.ui.pools.change_dialogs import TierChangeDialog
from lvqi_desktop.ui.pools.change_dialogs import iso
from lvqi_desktop.ui.pools.change_dialogs import line_edit
from lvqi_desktop.ui.pools.columns import combo
from lvqi_desktop.ui.pools.columns import timeline_columns
from lvqi_desktop.ui.pools.tier_inputs import TierInputsWidget
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.ui.record_dialog import new_form_layout
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.write_guard import writes

SRDI, SCALE_UP, SHARE_REFORM, LISTING = "srdi", "scale_up", "share_reform", "listing_reserve"
RECORD_TAB, TIMELINE_TAB = 0, 1
# Optional dates per pool: field name → (label, check box text).
POOL_DATES = {
    SRDI: {"recognized_on": ("认定日期", "已认定"), "valid_until": ("有效期至", "手动指定"),
           "prerequisite_valid_until": ("省级专精特新称号", "已持有，有效期至"),
           "info_updated_on": ("年度信息更新日期", "已更新")},
    SHARE_REFORM: {"completed_on": ("登记为股份有限公司日期", "已完成"), "county_review_on": ("县级初审日期", "已初审"),
                   "city_review_on": ("市级复核日期", "已复核")},
    LISTING: {"listed_on": ("挂牌/上市日期", "已挂牌/上市")},
}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class PoolRecordDialog(RecordDialog):
    """New record (record_id None: pick the firm, its tier and status) or an existing one (tier and status
    change through 变更层级 / 变更状态). After accept(), `saved_id` is the record's id; `changed` says whether
    anything was stored (a status change counts even if the form is then cancelled)."""

    def __init__(self, services: Services, pool: str, record_id: int | None = None,
                 parent: QWidget | None = None, enterprise_id: int | None = None, today: date | None = None) -> None:
        catalog = services.cultivation.pools.catalog()
        detail = services.cultivation.pools.record(record_id) if record_id is not None else None
        pool_def = catalog.pools[detail.row.pool if detail else pool]
        super().__init__(f"培育记录 — {detail.row.name}（{pool_def.name}）" if detail else f"入库 — {pool_def.name}",
                         parent, "保存" if detail else "入库")
        self.services = services
        self.catalog = catalog
        self.detail: RecordDetail | None = detail
        self.pool = pool_def
        self.today = today or clock.today()
        self.record_id = record_id
        self.saved_id: int | None = record_id
        self.changed = False
        self.overriding = False
        self.record_form = new_form_layout()
        self.gap_view = GapReportView()
        self.timeline_model: RowTableModel[Any] = RowTableModel(timeline_columns(), parent=self)
        self.timeline = ListTable(self.timeline_model, "pool_record/timeline")
        self.tabs = QTabWidget()
        self._build_fields(enterprise_id)
        self._build_layout()
        self._fill()
        self.finish_building()
        self.refresh_side()
        if detail is not None:
            self.open_read_only(services.ownership.sent_by("pool_record", record_id), "培育记录",
                                [self.tier_button, self.status_button, self.follow_button])

    # ---- building
    def _add(self, name: str, label: str, widget: QWidget, required: bool = False) -> Any:
        return self.add_field(name, label, widget, required, form=self.record_form)

    def _build_fields(self, enterprise_id: int | None) -> None:
        has_tiers = bool(self.pool.tiers)
        tiers = [(t.code, self.pool.tier_label(t.code)) for t in self.pool.ladder()]
        statuses = [(s.code, s.name) for s in sorted(self.pool.statuses.values(), key=lambda s: s.seq)]
        if self.detail is None:
            picker = self._add("enterprise", "企业", EnterpriseField(self.services), required=True)
            if enterprise_id is not None:
                row = self.services.enterprises.rows_by_ids([enterprise_id])
                picker.set_enterprise(enterprise_id, row[0].name if row else "")
            picker.edited.connect(self.refresh_side)
            if has_tiers:
                self._add("tier", "层级", combo(tiers, "", 14), required=True).currentIndexChanged.connect(
                    self._on_tier_or_status)
            status = self._add("status", "状态", combo(statuses, None, 13), required=True)
            status.set_code(self.pool.initial_status)
            status.currentIndexChanged.connect(self._on_tier_or_status)
        else:
            self.record_form.addRow("企业：", QLabel(f"{self.detail.row.name}　{self.detail.row.uscc}"))
            self.tier_label, self.status_label = QLabel(), QLabel()
            self.tier_button = writes(QPushButton("变更层级…"))
            self.status_button = writes(QPushButton("变更状态…"))
            self.follow_button = writes(QPushButton("记录跟进…"))
            for button, slot in ((self.tier_button, self.change_tier), (self.status_button, self.change_status),
                                 (self.follow_button, self.follow_up)):
                button.setAutoDefault(False)
                button.clicked.connect(slot)
            if has_tiers:
                self.record_form.addRow("层级：", self._with_button(self.tier_label, self.tier_button))
            self.record_form.addRow("状态：", self._with_button(self.status_label, self.status_button))
        self._add("status_reason", "原因", line_edit("退库、撤销的原因"))
        if self.pool.code == SCALE_UP:
            self._add("month", "入统年月", line_edit(f"如 {self.today.year}-{self.today.month:02d}", 7))
        if self.pool.code == SRDI:
            self._add("rule_set", "条件版本", combo(self.services.cultivation.pools.rule_set_choices(),
                                                  "按日期自动选择", 14)).currentIndexChanged.connect(self.refresh_side)
            self._add("document_no", "认定文号", line_edit("如 晋工信中小〔2026〕12号", 60))
        for name, (label, check) in POOL_DATES.get(self.pool.code, {}).items():
            self._add(name, label, OptionalDateEdit(check, default=self.today))
        if self.pool.code == SRDI:
            self.override_hint = QLabel("越级入库须填写越级理由（将记入时间线）。")
            self.override_hint.setStyleSheet("color: #9a5b00;")
            self.override_hint.setWordWrap(True)
            self.record_form.addRow("", self.override_hint)
            self._add("override_reason", "越级理由", line_edit("如：经省工信厅同意直接申报"))
        if self.pool.code == SHARE_REFORM:
            self._add("subsidy", "奖补金额（万元）", line_edit("如 50.00", 20))
        if self.pool.code == LISTING:
            venues = sorted(self.catalog.venues.values(), key=lambda v: v.code != "none")
            self._add("listing_venue", "挂牌/上市情况", combo([(v.code, v.label) for v in venues], "", 14))
        self._add("entered_on", "入库日期", DateEdit(self.today))
        if has_tiers:
            self._add("target_tier", "目标层级", combo(tiers, "", 14))
        self._add("target_year", "目标年份", line_edit(f"如 {self.today.year + 1}", 4))
        self._add("responsible_person", "责任人", line_edit("", 40))
        notes = QPlainTextEdit()
        notes.setFixedHeight(self.fontMetrics().height() * 4)
        self._add("notes", "备注", notes)
        self._add("note", "本次说明", line_edit("记入时间线，如：走访了解情况后调整"))

    @staticmethod
    def _with_button(label: QLabel, button: QPushButton) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        label.setStyleSheet("font-weight: bold;")
        row.addWidget(label, 1)
        row.addWidget(button)
        return box

    def _build_layout(self) -> None:
        form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        form_layout.addLayout(self.record_form)
        if self.detail is not None:
            follow = QHBoxLayout()
            follow.addStretch(1)
            follow.addWidget(self.follow_button)
            form_layout.addLayout(follow)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_widget)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        if self.pool.code == SRDI and self.detail is not None:
            self.target_combo = combo([(t.code, self.pool.tier_label(t.code)) for t in self.pool.ladder()],
                                      "下一层级（自动）", 14)
            self.target_combo.currentIndexChanged.connect(self.refresh_side)
            pick = QHBoxLayout()
            pick.addWidget(QLabel("对照层级："))
            pick.addWidget(self.target_combo, 1)
            side_layout.addLayout(pick)
        side_layout.addWidget(self.gap_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        self.tabs.addTab(splitter, "培育记录")
        self.tabs.addTab(self.timeline, "时间线")
        self.tabs.setTabEnabled(TIMELINE_TAB, self.detail is not None)
        if self.pool.code == SRDI and self.detail is not None:  # the rule inputs, saved on their own
            self.inputs_tab = TierInputsWidget(self.services, self.detail.row.enterprise_id, today=self.today)
            self.inputs_tab.saved.connect(self.refresh_side)
            self.tabs.addTab(self.inputs_tab, "认定条件数据")
        self.timeline.set_empty_text("还没有变更记录。")
        self.timeline.table.horizontalHeader().setStretchLastSection(True)
        for index in reversed(range(self.body.count())):  # the base form's stretch would halve the tabs
            if self.body.itemAt(index).spacerItem() is not None:
                self.body.takeAt(index)
        self.body.insertWidget(0, self.tabs, 1)
        self.resize(1180, 720)

    # ---- filling
    def _fill(self) -> None:
        draft = self.detail.draft if self.detail else RecordDraft(pool=self.pool.code)
        for name, box in self.boxes.items():
            if name in ("enterprise", "tier", "status") or not hasattr(draft, name):
                continue
            self._set(box.widget, getattr(draft, name))
        if self.detail is not None:
            row = self.detail.row
            self.tier_label.setText(row.tier_label or "（未分层级）")
            self.status_label.setText(row.status_label + ("（已移出培育库）" if row.archived else ""))
            self.status_button.setEnabled(bool(self.detail.next_statuses) and not row.archived)
            self.tier_button.setEnabled(not row.archived)
            self.follow_button.setEnabled(not row.archived)
            self.timeline_model.set_rows(self.services.cultivation.pools.timeline(row.id))
            self.timeline.update_empty()
        self._update_rows()

    @staticmethod
    def _set(widget: QWidget, value: str) -> None:
        if isinstance(widget, OptionalDateEdit):
            widget.set_value(_day(value))
        elif isinstance(widget, DateEdit):
            widget.set_value(_day(value) or clock.today())
        elif hasattr(widget, "set_code"):
            widget.set_code(value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def _current_status(self) -> str:
        if self.detail is not None:
            return self.detail.row.status
        return self.widget("status").code()

    def _update_rows(self) -> None:
        status = self.pool.statuses.get(self._current_status())
        draft = self.detail.draft if self.detail else None
        rows = {"status_reason": bool(status and status.needs_reason) or bool(draft and draft.status_reason),
                "month": bool(status and status.needs_month)}
        if self.pool.code == SRDI:
            tier = self.pool.tiers.get(self.detail.row.tier or "" if self.detail else self.widget("tier").code())
            rows["prerequisite_valid_until"] = bool(tier and tier.prerequisite)
            show_override = self.overriding or bool(draft and draft.override_reason)
            rows["override_reason"] = show_override
            self.record_form.setRowVisible(self.override_hint, show_override and self.detail is None)
        for name, visible in rows.items():
            if name in self.boxes:
                self.record_form.setRowVisible(self.boxes[name], visible)

    def _on_tier_or_status(self) -> None:
        self._update_rows()
        self.refresh_side()

    # ---- the gap report
    def refresh_side(self) -> None:
        """Recompute the gap report for the record (or for the firm and tier being entered)."""
        checks = self.services.cultivation.checks
        if self.pool.code not in (SRDI, SCALE_UP):
            self.gap_view.show_message(f"“{self.pool.name}”没有需要对照的条件标准。")
            return
        try:
            if self.detail is not None:
                target = self.target_combo.code() if self.pool.code == SRDI else ""
                report = checks.gap_report(self.detail.row.id, tier=target or None)
            else:
                eid = self.widget("enterprise").field_value()
                tier = self.widget("tier").code() if self.pool.code == SRDI else None
                if eid is None or (self.pool.code == SRDI and not tier):
                    self.gap_view.show_message("选择企业和层级后，这里显示该企业对照条件的结果。")
                    return
                rule_set = self.widget("rule_set").code() if self.pool.code == SRDI else ""
                report = checks.gap_report(enterprise_id=eid, tier=tier, pool=self.pool.code,
                                           rule_set=rule_set or None)
        except ValidationFailed as refused:
            self.gap_view.show_message("；".join(i.message for i in refused.issues))
            return
        except LvqiError as error:
            self.gap_view.show_message(str(error))
            return
        self.gap_view.show_report(report)

    # ---- saving
    def draft(self) -> RecordDraft:
        """The form as the service takes it; fields the form does not show keep their stored values."""
        base = self.detail.draft if self.detail else RecordDraft(pool=self.pool.code)
        typed = self.values()
        values: dict[str, str] = {}
        for name in self.boxes:
            if name == "enterprise" or not hasattr(base, name):
                continue
            value = typed[name]
            values[name] = iso(value) if isinstance(value, date) or value is None else str(value).strip()
        if "override_reason" in values and not self.form_row_visible("override_reason"):
            values["override_reason"] = base.override_reason
        return replace(base, **values)

    def form_row_visible(self, name: str) -> bool:
        return self.record_form.isRowVisible(self.boxes[name])

    def show_issues(self, issues: Any) -> None:
        if any(i.field == "override_reason" for i in issues) and "override_reason" in self.boxes:
            self.overriding = True
            self.save_button.setText("越级入库" if self.detail is None else "保存")
            self._update_rows()
        super().show_issues(issues)

    def submit(self) -> None:
        pools = self.services.cultivation.pools
        draft = self.draft()
        if self.detail is None:
            self.saved_id = pools.add_to_pool(self.widget("enterprise").field_value(), draft)
        else:
            pools.update_record(self.detail.row.id, draft)
        self.changed = True

    # ---- changes through the service
    def _reload(self) -> None:
        assert self.detail is not None
        self.detail = self.services.cultivation.pools.record(self.detail.row.id)
        self.changed = True
        self._fill()
        self.finish_building()
        self.refresh_side()

    def _clean_before_change(self) -> bool:
        if self.is_dirty():
            messages.inform(self, "表单中有尚未保存的修改。请先点“保存”，或取消修改后再变更。", "请先保存")
            return False
        return True

    def change_status(self) -> None:
        if self.detail is None or not self._clean_before_change():
            return
        dialog = StatusChangeDialog(self.services, self.detail, self.pool, self, self.today)
        if run_dialog(dialog):
            self._reload()
            self.tabs.setCurrentIndex(RECORD_TAB)

    def change_tier(self) -> None:
        if self.detail is None or not self._clean_before_change():
            return
        dialog = TierChangeDialog(self.services, self.detail, self.pool, self, self.today)
        if run_dialog(dialog):
            self._reload()

    def follow_up(self) -> None:
        if self.detail is None or not self._clean_before_change():
            return
        dialog = FollowUpDialog(self.services, self.detail.row, self, self.today)
        if run_dialog(dialog):
            self._reload()
