"""Small forms that change a pool record: status, tier (with the override for a skipped prerequisite),
several records' status at once, follow-up, and taking a record out of its pool."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import PoolRecordRow
from lvqi_desktop.services.pool_rows import RecordDetail
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.pools.columns import combo
from lvqi_desktop.ui.record_dialog import RecordDialog

ARCHIVE_REASONS = ["企业已注销或吊销", "迁出本县（市、区）", "不再符合培育条件", "重复入库", "录入错误"]


def iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def line_edit(placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def fit_height(dialog: QDialog) -> None:
    """Once the labels have laid out, give the dialog the height its rows need (nothing squeezed)."""

    def fit() -> None:
        width = dialog.width()
        layout = dialog.layout()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else dialog.sizeHint().height()
        dialog.resize(width, max(height, dialog.minimumSizeHint().height()))

    QTimer.singleShot(0, fit)


class _DetailFields(RecordDialog):
    """The detail fields a status may need (认定 date and number, reason, month, completion), shown as needed."""

    def __init__(self, title: str, pool: Any, parent: QWidget | None, save_text: str = "保存") -> None:
        super().__init__(title, parent, save_text)
        self.pool = pool
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 44)

    def add_detail_fields(self, today: date) -> None:
        self.add_field("recognized_on", "认定日期", DateEdit(today))
        self.add_field("document_no", "认定文号", line_edit("如 晋工信中小〔2026〕12号", 60))
        valid = OptionalDateEdit("手动指定", default=today)
        valid.setToolTip("不指定时按认定日期加3年计算")
        self.add_field("valid_until", "有效期至", valid)
        self.add_field("status_reason", "原因", line_edit("退库、撤销的原因"))
        self.add_field("month", "入统年月", line_edit(f"如 {today.year}-{today.month:02d}", 7))
        self.add_field("completed_on", "登记为股份有限公司日期", DateEdit(today))

    def status_def(self, code: str) -> Any:
        return self.pool.statuses.get(code)

    def show_details_for(self, status: str) -> None:
        s = self.status_def(status)
        shown = {"recognized_on": bool(s and s.needs_recognition), "document_no": bool(s and s.needs_recognition),
                 "valid_until": bool(s and s.needs_recognition), "status_reason": bool(s and s.needs_reason),
                 "month": bool(s and s.needs_month), "completed_on": bool(s and s.needs_completion)}
        for name, visible in shown.items():
            self.form.setRowVisible(self.boxes[name], visible)
        self.fit()

    def fit(self) -> None:
        fit_height(self)

    def details_for(self, status: str) -> dict[str, str]:
        """Only the details the new status needs, as text for the service."""
        s = self.status_def(status)
        v = self.values()
        out: dict[str, str] = {}
        if s is None:
            return out
        if s.needs_recognition:
            out.update(recognized_on=iso(v["recognized_on"]), document_no=v["document_no"].strip())
            if v["valid_until"] is not None:
                out["valid_until"] = iso(v["valid_until"])
        if s.needs_reason:
            out["status_reason"] = v["status_reason"].strip() or v["note"].strip()
        if s.needs_month:
            out["month"] = v["month"].strip()
        if s.needs_completion:
            out["completed_on"] = iso(v["completed_on"])
        return out


class StatusChangeDialog(_DetailFields):
    """变更状态: the statuses allowed from the current one; asks for what the new status needs."""

    def __init__(self, services: Services, detail: RecordDetail, pool: Any, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(f"变更状态 — {detail.row.name}", pool, parent, "变更")
        self.services = services
        self.detail = detail
        self.result_row: PoolRecordRow | None = None
        self.form.addRow("当前状态：", QLabel(detail.row.status_label))
        status = self.add_field("status", "新状态", combo(detail.next_statuses, "", 10), required=True)
        self.add_detail_fields(today or clock.today())
        self.add_field("note", "说明", line_edit("记入时间线，如：已报送省工信厅"))
        status.currentIndexChanged.connect(lambda *_: self.show_details_for(status.code()))
        if not detail.next_statuses:
            self.general_messages.setText(f"“{detail.row.status_label}”已是最终状态，不能再变更。")
            self.general_messages.setVisible(True)
        self.show_details_for("")
        self.finish_building()

    def submit(self) -> None:
        status = self.widget("status").code()
        note = self.widget("note").text().strip()
        self.result_row = self.services.cultivation.pools.change_status(
            self.detail.row.id, status, note, **self.details_for(status))


class TierChangeDialog(_DetailFields):
    """变更层级: the new tier and its starting status; a skipped prerequisite needs an explicit override reason."""

    def __init__(self, services: Services, detail: RecordDetail, pool: Any, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(f"变更层级 — {detail.row.name}", pool, parent, "变更")
        self.services = services
        self.detail = detail
        self.result_row: PoolRecordRow | None = None
        self.form.addRow("当前层级：", QLabel(f"{detail.row.tier_label}（{detail.row.status_label}）"))
        tiers = [(c, label) for c, label in detail.tiers if c != detail.row.tier]
        tier = self.add_field("tier", "新层级", combo(tiers, "", 14), required=True)
        statuses = [(s.code, s.name) for s in sorted(pool.statuses.values(), key=lambda s: s.seq)]
        status = self.add_field("status", "新层级的状态", combo(statuses, None, 10), required=True)
        status.set_code(pool.initial_status)
        self.add_detail_fields(today or clock.today())
        prereq = OptionalDateEdit("已持有，有效期至", default=today or clock.today())
        self.add_field("prerequisite_valid_until", "省级专精特新称号", prereq)
        self.add_field("note", "说明", line_edit("记入时间线"))
        self.override_hint = QLabel("确需越级变更时，请填写越级理由后再点“越级变更”。理由将记入时间线。")
        self.override_hint.setWordWrap(True)
        self.override_hint.setStyleSheet("color: #9a5b00;")
        self.form.addRow("", self.override_hint)
        self.add_field("override_reason", "越级理由", line_edit("如：经省工信厅同意直接申报"))
        tier.currentIndexChanged.connect(lambda *_: self._update_rows())
        status.currentIndexChanged.connect(lambda *_: self._update_rows())
        self.overriding = False
        self._update_rows()
        self.finish_building()

    def _update_rows(self) -> None:
        self.show_details_for(self.widget("status").code())
        spec = self.pool.tiers.get(self.widget("tier").code())
        self.form.setRowVisible(self.boxes["prerequisite_valid_until"], bool(spec and spec.prerequisite))
        self.form.setRowVisible(self.override_hint, self.overriding)
        self.form.setRowVisible(self.boxes["override_reason"], self.overriding)
        self.fit()

    def offer_override(self) -> None:
        """The service named a skipped prerequisite: show the reason field and say what 保存 now does."""
        self.overriding = True
        self.save_button.setText("越级变更")
        self._update_rows()
        self.widget("override_reason").setFocus()

    def show_issues(self, issues: Any) -> None:
        if any(i.field == "override_reason" for i in issues) and not self.overriding:
            self.offer_override()
        super().show_issues(issues)

    def submit(self) -> None:
        v = self.values()
        details = self.details_for(v["status"])
        if v["prerequisite_valid_until"] is not None and self.form.isRowVisible(self.boxes["prerequisite_valid_until"]):
            details["prerequisite_valid_until"] = iso(v["prerequisite_valid_until"])
        reason = v["override_reason"].strip() if self.overriding else ""
        if self.overriding and not reason:
            raise ValidationFailed([Issue("override_reason", "越级变更须填写越级理由")])
        self.result_row = self.services.cultivation.pools.change_tier(
            self.detail.row.id, v["tier"], v["note"].strip(), override_reason=reason, status=v["status"], **details)


class BulkStatusDialog(RecordDialog):
    """批量变更状态: several records to one status with one note; all or nothing."""

    def __init__(self, services: Services, pool: Any, rows: list[PoolRecordRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"批量变更状态 — {len(rows):,} 家企业", parent, "全部变更")
        self.services = services
        self.rows = rows
        self.changed = 0
        names = "\n".join(r.name for r in rows[:4]) + (f"\n等 {len(rows):,} 家" if len(rows) > 4 else "")
        who = QLabel(names)  # one name a line: no wrapping, so the height is exact
        self.form.addRow("企业：", who)
        simple = [(s.code, s.name) for s in sorted(pool.statuses.values(), key=lambda s: s.seq)
                  if not (s.needs_recognition or s.needs_month or s.needs_completion)]
        self.add_field("status", "新状态", combo(simple, "", 10), required=True)
        self.add_field("note", "说明", line_edit("记入每家企业的时间线；退库、撤销时作为原因"))
        hint = QLabel("只要有一家不能变更，全部不变更。\n需要认定日期、入统年月等的状态请逐家变更。")
        hint.setStyleSheet("color: #555;")
        self.form.addRow("", hint)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 44)
        self.finish_building()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)

    def show_issues(self, issues: Any) -> None:
        super().show_issues(issues)
        fit_height(self)

    def submit(self) -> None:
        v = self.values()
        self.changed = self.services.cultivation.pools.bulk_change_status(
            [r.id for r in self.rows], v["status"], v["note"].strip())


class FollowUpDialog(RecordDialog):
    """记录跟进: a visit or call on a record (resets the 90-day reminder)."""

    def __init__(self, services: Services, row: PoolRecordRow, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(f"记录跟进 — {row.name}", parent)
        self.services = services
        self.row = row
        self.add_field("on", "跟进日期", DateEdit(today or clock.today()), required=True)
        self.add_field("note", "跟进情况", line_edit("如：电话了解申报材料准备情况"))
        self.finish_building()

    def submit(self) -> None:
        v = self.values()
        self.services.cultivation.pools.record_follow_up(self.row.id, iso(v["on"]), v["note"].strip())


class ArchiveRecordDialog(RecordDialog):
    """退库/归档: take a record out of its pool, with a reason (kept, never deleted)."""

    def __init__(self, services: Services, row: PoolRecordRow, parent: QWidget | None = None) -> None:
        super().__init__(f"移出培育库 — {row.name}", parent, "移出")
        self.services = services
        self.row = row
        text = QLabel(f"确定将“{row.name}”移出{row.pool_label}吗？\n记录和时间线会保留，可在“已移出”中查看。")
        self.form.addRow(text)
        reason = QComboBox()
        reason.setEditable(True)
        reason.addItems([""] + ARCHIVE_REASONS)
        reason.lineEdit().setPlaceholderText("从列表选择或直接输入")
        reason.lineEdit().setMaxLength(200)
        reason.setMinimumContentsLength(28)
        self.add_field("reason", "原因", reason, required=True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)
        self.finish_building()

    def submit(self) -> None:
        self.services.cultivation.pools.archive_record(self.row.id, self.widget("reason").currentText().strip())
