"""Columns of the 梯度培育库 tables: pool records, the timeline, 检查全部 results and target progress."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.services.pool_rows import CheckRow
from lvqi_desktop.services.pool_rows import PoolRecordRow
from lvqi_desktop.services.pool_rows import ProgressRow
from lvqi_desktop.services.pool_rows import TimelineRow
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.status_table import StatusColumn

# Status colours by status code: titles held or goals reached green, waiting amber, lost red.
STATUS_TONES = {
    "recognized": "green", "valid": "green", "reviewing": "amber", "applied": "amber",
    "expired": "red", "revoked": "red",
    "qualified": "amber", "entered": "green", "withdrawn": "grey",
    "completed": "green", "subsidy_applied": "amber", "subsidy_paid": "green",
    "admitted": "green",
}
OUTCOME_TONES = {"meets": "green", "missing_data": "amber", "not_met": "red", "no_conditions": "grey"}


def combo(choices: list[tuple[str, str]], empty: str | None = "全部", min_chars: int = 8) -> ChoiceCombo:
    """A coded drop-down at least `min_chars` Chinese characters wide (labels are not clipped)."""
    box = ChoiceCombo()
    box.set_choices(choices, empty)
    box.setMinimumContentsLength(min_chars * 2)  # counted in average Latin characters
    box.setSizeAdjustPolicy(ChoiceCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


def _record_tone(r: PoolRecordRow) -> str:
    return "grey" if r.archived else STATUS_TONES.get(r.status, "")


def _status_text(r: PoolRecordRow) -> str:
    return f"{r.status_label}（已移出）" if r.archived else r.status_label


def record_columns(pool: str, sections: dict[str, str], has_tiers: bool) -> list[Column[PoolRecordRow]]:
    """The columns of one pool's tab: the firm, then what matters in that pool."""
    cols: list[Column[PoolRecordRow]] = [  # the firm's columns in the order of 企业库
        Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=11),
        Column("企业名称", lambda r: r.name, collate=True, width=14),
        Column("乡镇（街道）", lambda r: r.township_name, collate=True, width=6),
        Column("行业门类", lambda r: sections.get(r.industry_section, r.industry_section), collate=True, width=6),
    ]
    if has_tiers:
        cols.append(Column("层级", lambda r: r.tier_label, collate=True, width=14 if pool == "srdi" else 6))
    cols.append(StatusColumn("状态", _status_text, align=CENTER, width=6, tone=_record_tone))
    cols.append(Column("入库日期", lambda r: r.entered_on, align=CENTER, width=5))
    if pool == "srdi":
        cols += [Column("认定日期", lambda r: r.recognized_on, align=CENTER, width=5),
                 Column("有效期至", lambda r: r.valid_until, align=CENTER, width=5),
                 Column("认定文号", lambda r: r.document_no, width=12),
                 Column("条件版本", lambda r: r.rule_set_label, width=13)]
    elif pool == "scale_up":
        cols += [Column("入统年月", lambda r: r.above_scale_since or "", align=CENTER, width=4),
                 Column("对照规上标准", lambda r: r.scale_line, width=22)]
    elif pool == "listing_reserve":
        cols.append(Column("挂牌/上市情况", lambda r: r.listing_venue_label, width=12))
    if has_tiers:
        cols.append(Column("目标层级", lambda r: r.target_tier_label, width=14 if pool == "srdi" else 6))
    cols += [Column("目标年份", lambda r: r.target_year, align=CENTER, width=3,
                    text=lambda v: "" if v is None else str(v)),
             Column("责任人", lambda r: r.responsible_person, collate=True, width=4),
             Column("最近跟进", lambda r: r.last_follow_up_on, align=CENTER, width=5),
             Column("状态说明", lambda r: r.status_reason, width=10)]
    return cols


def timeline_columns() -> list[Column[TimelineRow]]:
    return [
        Column("时间", lambda r: r.happened_at, align=CENTER, width=9),
        Column("操作人", lambda r: r.operator, width=4),
        Column("事项", lambda r: r.kind_label, align=CENTER, width=5),
        Column("变化（原 → 新）", lambda r: r.summary, width=36),
        Column("生效日期", lambda r: r.effective_on, align=CENTER, width=5),
        Column("备注", lambda r: r.note, width=14),
    ]


def check_columns() -> list[Column[CheckRow]]:
    return [
        StatusColumn("结果", lambda r: r.outcome_label, align=CENTER, width=5,
                     tone=lambda r: OUTCOME_TONES.get(r.outcome, "")),
        Column("企业名称", lambda r: r.name, collate=True, width=16),
        Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=12),
        Column("乡镇（街道）", lambda r: r.township_name, collate=True, width=6),
        Column("培育库", lambda r: r.pool_label, width=11),
        Column("当前层级·状态", lambda r: r.current_label, width=18),
        Column("对照层级", lambda r: r.target_label, width=14),
        Column("条件版本", lambda r: r.rule_set or "", align=CENTER, width=4),
        Column("满足", lambda r: r.met, align=RIGHT, width=2),
        Column("不满足", lambda r: r.not_met, align=RIGHT, width=3),
        Column("缺数据", lambda r: r.unknown, align=RIGHT, width=3),
        Column("缺少的数据", lambda r: r.missing, width=16),
        Column("说明", lambda r: r.message, width=24),
        Column("评价得分（本地估算）", lambda r: r.score, width=16),
    ]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value % 1 else f"{int(value):,}"


def progress_state(r: ProgressRow, today: date) -> tuple[str, str]:
    """(word, tone): 已完成 green; 未完成 red once the year is over; 进行中 amber; 无数据 neutral."""
    if getattr(r, "reference", False):
        return "参考", ""
    if r.achieved is None:
        return "无数据", ""
    if r.achieved >= r.target:
        return "已完成", "green"
    if r.year < today.year:
        return "未完成", "red"
    return "进行中", "amber"


def progress_columns(today: date) -> list[Column[ProgressRow]]:
    return [
        Column("范围", lambda r: r.scope_label, width=8),  # “全市目标（参考）” whole
        Column("年份", lambda r: r.year, align=CENTER, width=3, text=str),
        Column("指标", lambda r: r.metric_label, collate=True, width=20),
        Column("单位", lambda r: r.unit, align=CENTER, width=2),
        Column("目标", lambda r: r.target, align=RIGHT, width=3),
        Column("已完成", lambda r: r.achieved, align=RIGHT, width=3, text=_number),
        Column("差距", lambda r: r.gap, align=RIGHT, width=3, text=_number),
        Column("完成率", lambda r: r.percent, align=RIGHT, width=4,
               text=lambda v: "—" if v is None else f"{v:.1f}%"),
        StatusColumn("进度", lambda r: progress_state(r, today)[0], align=CENTER, width=4,
                     tone=lambda r: progress_state(r, today)[1]),
        Column("依据", lambda r: r.source, width=14),  # 市中心下达（回执 …） for a target the city allocated
        Column("统计口径", lambda r: r.note, width=24),
    ]
