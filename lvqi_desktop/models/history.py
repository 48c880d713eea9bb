"""The change history (审计记录): one append-only row per changed record, grouped by batch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL
from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base

ACTION_INSERT = "insert"
ACTION_UPDATE = "update"
ACTION_ARCHIVE = "archive"
ACTION_RESTORE = "restore"
ACTION_DELETE = "delete"
ACTION_BATCH = "batch"
ACTION_UNDO = "undo"
ACTION_REDO = "redo"
ACTION_RESTORE_BACKUP = "restore_backup"

ACTION_LABELS = {
    ACTION_INSERT: "新增",
    ACTION_UPDATE: "修改",
    ACTION_ARCHIVE: "归档",
    ACTION_RESTORE: "恢复",
    ACTION_DELETE: "删除",
    ACTION_BATCH: "批量操作",
    ACTION_UNDO: "撤销",
    ACTION_REDO: "重做",
    ACTION_RESTORE_BACKUP: "从备份恢复",
}

# What a user calls each recorded table; later issues add their tables here.
TABLE_LABELS = {
    "enterprise": "企业",
    "enterprise_year": "企业年度数据",
    "office": "本单位信息",
    "operator": "操作员",
    "cultivation_record": "培育记录",
    "cultivation_event": "培育记录变更",
    "tier_input": "认定条件数据",
    "tier_condition": "认定条件",
    "listing_venue": "挂牌板块",
    "target": "培育目标",
    "helper": "帮扶干部",
    "service_team": "入企服务工作组",
    "service_team_member": "工作组成员",
    "helper_assignment": "包联关系",
    "visit": "入企走访",
    "visit_participant": "走访人员",
    "demand": "企业诉求",
    "demand_event": "诉求办理记录",
    "incubation_base": "双创基地",
    "base_tenant": "入驻企业",
    "base_year": "基地年度数据",
    "base_level_event": "基地认定记录",
    "monitored_firm": "监测企业",
    "monitoring_report": "运行监测月报",
    "statistician": "统计人员",
    "statistician_fee": "信息采集费",
    "package_sent": "已发送的报送包",
    "package_received": "已接收的报送包",
    "period_lock": "报送期锁定",
}

APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS change_record_no_update BEFORE UPDATE ON change_record "
    "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能更改'); END",
    "CREATE TRIGGER IF NOT EXISTS change_record_no_delete BEFORE DELETE ON change_record "
    "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能删除'); END",
)


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


class ChangeRecord(Base):
    """Who changed which record when, and its fields old → new as JSON; never updated or deleted."""

    __tablename__ = "change_record"
    __table_args__ = (Index("ix_change_record_table_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    operator: Mapped[str] = mapped_column(String(40), index=True)
    session_id: Mapped[str] = mapped_column(String(36), index=True)  # one program run
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(60))  # "" for an event not about one table
    record_id: Mapped[int | None] = mapped_column(Integer)  # None on batch and event rows
    record_uuid: Mapped[str | None] = mapped_column(String(36))
    summary: Mapped[str] = mapped_column(String(300))
    changes: Mapped[str] = mapped_column(Text)  # {"field": [old, new]}; dates and decimals as strings
    batch_id: Mapped[str] = mapped_column(String(36), index=True)  # one user action
    reverts_batch_id: Mapped[str | None] = mapped_column(String(36))  # on undo and redo rows


for _sql in APPEND_ONLY_TRIGGERS:  # metadata.create_all gets the same guard as the migration (SQLite's spelling;
    # a PostgreSQL server is only ever built by the migrations, whose 0002 has the PL/pgSQL triggers)
    event.listen(ChangeRecord.__table__, "after_create",
                 DDL(_sql).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL.__init__ unannotated
