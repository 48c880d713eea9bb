"""Queries over the change history, and loading any recorded row by its table name and id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.storage.history import HistoryBatch
from lvqi_desktop.storage.history import append_event
from lvqi_desktop.storage.history import current_batch
from lvqi_desktop.storage.history import decode_changes
from lvqi_desktop.storage.history import mapper_for_table
from lvqi_desktop.storage.history import record_title
from lvqi_desktop.storage.portable_sql import distinct_list

# Rows whose history shows in their parent's form: parent table → (child table, column naming the parent).
CHILD_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "enterprise": (("enterprise_year", "enterprise_id"),),
}


@dataclass(frozen=True)
class BatchInfo:
    """One user action of one program run, as the undo stack sees it."""

    batch_id: str
    first_id: int
    actions: frozenset[str]
    tables: frozenset[str]  # tables of its record rows
    reverts_batch_id: str | None


@dataclass(frozen=True)
class HistoryQuery:
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    operator: str = ""
    table: str = ""
    limit: int | None = 500


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _filtered(self, q: HistoryQuery) -> Select[ChangeRecord]:
        stmt = select(ChangeRecord)
        if q.since is not None:
            stmt = stmt.where(ChangeRecord.at >= q.since)
        if q.until is not None:
            stmt = stmt.where(ChangeRecord.at < q.until)
        if q.operator:
            stmt = stmt.where(ChangeRecord.operator == q.operator)
        if q.table:
            stmt = stmt.where(ChangeRecord.table_name == q.table)
        stmt = stmt.order_by(ChangeRecord.id.desc())
        return stmt if q.limit is None else stmt.limit(q.limit)

    def rows(self, q: HistoryQuery) -> Sequence[ChangeRecord]:
        """Newest first."""
        return self.session.scalars(self._filtered(q)).all()

    def for_record(self, table: str, record_id: int, include_children: bool = True) -> Sequence[ChangeRecord]:
        """A record's own rows and, for a parent, its children's rows; newest first."""
        conds = [(ChangeRecord.table_name == table) & (ChangeRecord.record_id == record_id)]
        for child, column in CHILD_TABLES.get(table, ()) if include_children else ():
            mapper = mapper_for_table(child)
            if mapper is None:
                continue
            child_table = mapper.local_table
            ids = select(child_table.c.id).where(child_table.c[column] == record_id)
            conds.append((ChangeRecord.table_name == child) & ChangeRecord.record_id.in_(ids))
        stmt = select(ChangeRecord).where(or_(*conds)).order_by(ChangeRecord.id.desc())
        return self.session.scalars(stmt).all()

    def last_change(self, record: EditedInForms) -> tuple[str, datetime] | None:
        """(operator, time) of the newest history row of one record, or None when none was recorded."""
        table = inspect(record).mapper.local_table.name
        stmt = (select(ChangeRecord.operator, ChangeRecord.at)
                .where(ChangeRecord.table_name == table, ChangeRecord.record_id == record.id)
                .order_by(ChangeRecord.id.desc()).limit(1))
        found = self.session.execute(stmt).first()
        return None if found is None else (found[0], found[1])

    def batch(self, batch_id: str) -> Sequence[ChangeRecord]:
        """A batch's rows in the order they were written."""
        stmt = select(ChangeRecord).where(ChangeRecord.batch_id == batch_id).order_by(ChangeRecord.id)
        return self.session.scalars(stmt).all()

    def batch_label(self, batch_id: str) -> str:
        """The summary of the batch row if there is one, else of the batch's first row."""
        stmt = (select(ChangeRecord.summary).where(ChangeRecord.batch_id == batch_id)
                .order_by(ChangeRecord.record_id.is_not(None), ChangeRecord.id).limit(1))
        return self.session.scalar(stmt) or ""

    def operators(self) -> list[str]:
        stmt = select(ChangeRecord.operator).distinct().order_by(ChangeRecord.operator)
        return [name for name in self.session.scalars(stmt) if name]

    def tables(self) -> list[str]:
        stmt = select(ChangeRecord.table_name).distinct().where(ChangeRecord.table_name != "")
        return sorted(self.session.scalars(stmt))

    def session_batches(self, session_id: str) -> list[BatchInfo]:
        """Every batch one program run wrote, oldest first."""
        stmt = (select(ChangeRecord.batch_id, func.min(ChangeRecord.id),
                       distinct_list(ChangeRecord.action),
                       distinct_list(case((ChangeRecord.record_id.is_not(None), ChangeRecord.table_name))),
                       func.max(ChangeRecord.reverts_batch_id))
                .where(ChangeRecord.session_id == session_id)
                .group_by(ChangeRecord.batch_id).order_by(func.min(ChangeRecord.id)))
        return [BatchInfo(b, first, frozenset((actions or "").split(",")) - {""},
                          frozenset((tables or "").split(",")) - {""}, reverts)
                for b, first, actions, tables, reverts in self.session.execute(stmt)]

    def load(self, table: str, record_id: int) -> Any | None:
        """The ORM object of a recorded row, or None if the table or row is unknown."""
        mapper = mapper_for_table(table)
        return None if mapper is None else self.session.get(mapper.class_, record_id)

    def load_many(self, table: str, record_ids: Sequence[int]) -> dict[int, Any]:
        """Objects of one table by id, in one query per 500 ids."""
        mapper = mapper_for_table(table)
        if mapper is None:
            return {}
        pk = mapper.primary_key[0]
        found: dict[int, Any] = {}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start:start + 500]
            found.update((o.id, o) for o in self.session.scalars(select(mapper.class_).where(pk.in_(chunk))))
        return found

    def append_event(self, action: str, summary: str, table: str = "",
                     changes: dict[str, list[Any]] | None = None) -> None:
        """Record something that is not a change of one record, e.g. a restore from a backup."""
        append_event(self.session, action, summary, table, changes)

    def newest_change_at(self) -> datetime | None:
        """When the newest change was recorded (the `at` column is indexed: one look-up)."""
        return self.session.scalar(select(func.max(ChangeRecord.at)))

    def current_batch(self) -> HistoryBatch:
        """What this transaction's history rows will say (label, action, the batch it reverts)."""
        return current_batch(self.session)

    def record_title(self, obj: Any) -> str:
        """How the history names a record, e.g. an enterprise by its name."""
        return record_title(self.session, obj)

    @staticmethod
    def decode_changes(table: str, changes: str) -> dict[str, tuple[Any, Any]]:
        """{field: (old, new)} as Python values from a history row's recorded changes."""
        return decode_changes(table, changes)
