"""The change history (审计记录): one append-only row per changed record, grouped by batch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, DateTime, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

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


for _sql in APPEND_ONLY_TRIGGERS:  # metadata.create_all gets the same guard as the migration
    event.listen(ChangeRecord.__table__, "after_create", DDL(_sql))
