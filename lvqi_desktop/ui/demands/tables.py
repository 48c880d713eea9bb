"""Columns of the demand ledger and of a case's progress log, with the status words and colours."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.demand_rows import EventRow
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.status_table import StatusColumn
from lvqi_desktop.ui.table_models.status_table import StatusTableModel

DUE_SOON_DAYS = 3


def handling(row: DemandRow, today: date) -> tuple[str, str]:
    """(word, tone) for how a case stands against its due date: 逾期 red, 临期 amber, closed green."""
    if row.archived:
        return "已归档", "grey"
    if row.overdue:
        return f"逾期{(today - row.due_on).days}天" if row.due_on else "逾期", "red"
    if row.closed_on_time is not None and row.status in ("resolved", "explained", "signed_off"):
        again = f"（重办{row.reopen_count}次）" if row.reopen_count else ""
        return ("按期办结" if row.closed_on_time else "超期办结") + again, "green" if row.closed_on_time else "amber"
    if row.due_on is not None and (row.due_on - today).days <= DUE_SOON_DAYS:
        return f"{(row.due_on - today).days}天后到期" if row.due_on > today else "今天到期", "amber"
    if row.due_on is None:
        return "未定时限", ""
    return "未到期", ""


def demand_columns(today: date) -> list[Column[DemandRow]]:
    return [
        Column("诉求编号", lambda r: r.number, export_as_text=True, width=10),
        Column("企业名称", lambda r: r.enterprise_name, collate=True, width=14),
        Column("类别", lambda r: r.category_label, width=6),
        Column("问题描述", lambda r: r.description.replace("\n", " "), width=18),
        Column("紧急程度", lambda r: r.urgency_label, align=CENTER, width=4),
        Column("受理日期", lambda r: r.received_on, align=CENTER, width=5),
        Column("责任单位", lambda r: r.responsible_unit, collate=True, width=7),
        Column("办理时限", lambda r: r.due_on, align=CENTER, width=5),
        StatusColumn("状态", lambda r: r.status_label, align=CENTER, width=5,
                     tone=lambda r: "green" if r.status in ("resolved", "explained", "signed_off") else ""),
        StatusColumn("时限情况", lambda r: handling(r, today)[0], align=CENTER, width=6,
                     tone=lambda r: handling(r, today)[1]),
        Column("已用天数", lambda r: r.age_days, align=RIGHT, width=4),
        Column("满意度", lambda r: r.satisfaction_label, align=CENTER, width=4),
        Column("办理结果", lambda r: r.result.replace("\n", " "), width=14),
    ]


def ledger_model(today: date, counties: dict[str, str] | None = None) -> StatusTableModel[DemandRow]:
    """The ledger's model; with `counties` (city edition) a 县区 column follows the enterprise's name."""
    return StatusTableModel(with_county(demand_columns(today), counties, lambda r: r.county_code, after=2))


def event_columns(status_labels: dict[str, str]) -> list[Column[EventRow]]:
    def change(r: EventRow) -> str:
        if not r.from_status or r.from_status == r.to_status:
            return status_labels.get(r.to_status, r.to_status)
        return f"{status_labels.get(r.from_status, r.from_status)} → {status_labels.get(r.to_status, r.to_status)}"

    return [
        Column("日期", lambda r: r.happened_on, align=CENTER, width=5),
        Column("办理环节", lambda r: r.kind_label, align=CENTER, width=5),
        Column("状态", change, width=9),
        Column("情况说明", lambda r: r.note.replace("\n", " "), width=24),
        Column("操作员", lambda r: r.operator, width=4),
        Column("录入时间", lambda r: r.recorded_at, align=CENTER, width=9),
    ]
