"""Columns of the 包联帮扶 tables: helpers, teams, assignments (with history) and the coverage matrix."""

from __future__ import annotations

from lvqi_desktop.services.helper_rows import HELPER_LEVELS
from lvqi_desktop.services.helper_rows import AssignmentRow
from lvqi_desktop.services.helper_rows import CoverageRow
from lvqi_desktop.services.helper_rows import HelperRow
from lvqi_desktop.services.helper_rows import TeamRow
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.status_table import StatusColumn
from lvqi_desktop.ui.table_models.status_table import StatusTableModel

BEHIND, ON_TRACK = "落后", "正常"


def helper_columns() -> list[Column[HelperRow]]:
    return [
        Column("姓名", lambda r: r.name, collate=True, width=5),
        Column("职务", lambda r: r.post, collate=True, width=9),
        Column("单位", lambda r: r.unit, collate=True, width=12),
        Column("级别", lambda r: r.level_label, align=CENTER, width=3),
        Column("联系电话", lambda r: r.phone, export_as_text=True, width=8),
        StatusColumn("状态", lambda r: "已归档" if r.archived else ("在岗" if r.active else "停用"), align=CENTER,
                     width=3, tone=lambda r: "grey" if r.archived or not r.active else ""),
        Column("包联企业数", lambda r: r.enterprise_count, align=RIGHT, width=5),
    ]


def team_columns() -> list[Column[TeamRow]]:
    return [
        Column("工作组名称", lambda r: r.name, collate=True, width=14),
        Column("组长", lambda r: r.leader_name, collate=True, width=5),
        Column("人数", lambda r: len(r.members), align=RIGHT, width=3),
        Column("成员", lambda r: "、".join(m.name for m in r.members), width=30),
    ]


def _assignment_state(r: AssignmentRow) -> str:
    return "现行" if r.active else "已结束"


def assignment_columns() -> list[Column[AssignmentRow]]:
    return [
        Column("企业名称", lambda r: r.enterprise_name, collate=True, width=16),
        Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=11),
        Column("包联角色", lambda r: r.role_label, align=CENTER, width=4),
        Column("帮扶干部 / 工作组", lambda r: r.holder, collate=True, width=8),
        Column("职务", lambda r: r.helper_post, collate=True, width=8),
        Column("开始日期", lambda r: r.from_date, align=CENTER, width=5),
        Column("结束日期", lambda r: r.to_date, align=CENTER, width=5),
        Column("联系频次", lambda r: r.cadence_label, align=CENTER, width=5),
        StatusColumn("状态", _assignment_state, align=CENTER, width=3,
                     tone=lambda r: "" if r.active else "grey"),
    ]


def _visits_text(done: int, required: int) -> str:
    return f"{done:,} / {required:,}" if required else f"{done:,}"


def coverage_columns() -> list[Column[CoverageRow]]:
    return [
        Column("帮扶干部 / 工作组", lambda r: r.holder, collate=True, width=7),
        Column("级别", lambda r: HELPER_LEVELS.get(r.helper_level, ""), align=CENTER, width=3),
        Column("包联角色", lambda r: r.role_label, align=CENTER, width=4),
        Column("企业名称", lambda r: r.enterprise_name, collate=True, width=16),
        Column("联系频次", lambda r: r.cadence_label, align=CENTER, width=5),
        StatusColumn("本月走访 / 应走访", lambda r: (r.month_visits, r.required_month),
                     text=lambda v: _visits_text(*v), export=lambda v: _visits_text(*v), align=CENTER, width=6,
                     tone=lambda r: "red" if r.behind_month else ""),
        StatusColumn("本季走访 / 应走访", lambda r: (r.quarter_visits, r.required_quarter),
                     text=lambda v: _visits_text(*v), export=lambda v: _visits_text(*v), align=CENTER, width=6,
                     tone=lambda r: "red" if r.behind_quarter else ""),
        Column("最近走访", lambda r: r.last_visit_on, align=CENTER, width=5),
        StatusColumn("情况", lambda r: BEHIND if r.behind else ON_TRACK, align=CENTER, width=3,
                     tone=lambda r: "red" if r.behind else "green"),
    ]


def coverage_model(counties: dict[str, str] | None = None) -> StatusTableModel[CoverageRow]:
    """The coverage matrix; with `counties` (city edition) a 县区 column follows the enterprise's name."""
    columns = with_county(coverage_columns(), counties, lambda r: r.county_code, after=4)
    return StatusTableModel(columns, key=lambda r: r.assignment_id)
