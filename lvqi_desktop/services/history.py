"""The change history as users read it: a record's 修改记录 tab, the global history page, `lvqi history`."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.history import ACTION_LABELS
from lvqi_desktop.models.history import TABLE_LABELS
from lvqi_desktop.models.history import table_label
from lvqi_desktop.services.history_labels import Readers
from lvqi_desktop.services.history_labels import field_label
from lvqi_desktop.services.history_labels import report_value_changes
from lvqi_desktop.services.history_labels import value_text
from lvqi_desktop.storage.repositories.history import HistoryQuery
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork

DEFAULT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field old → new: raw stored values (JSON) and the texts a user reads."""

    field: str
    label: str
    old: Any
    new: Any
    old_text: str
    new_text: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One change_record row: who, when, what, and its fields old → new."""

    id: int
    at: datetime
    operator: str
    action: str
    action_label: str
    table: str
    table_label: str
    record_id: int | None
    record_uuid: str | None
    summary: str
    changes: tuple[FieldChange, ...]
    batch_id: str
    reverts_batch_id: str | None
    session_id: str

    @property
    def is_batch(self) -> bool:
        """A row naming a bulk operation or an event, not one record's change."""
        return self.record_id is None


@dataclass(frozen=True, slots=True)
class HistoryTable:
    """A table that has history, for the filter drop-down."""

    name: str
    label: str


def _field_changes(table: str, changes: str, readers: Readers | None = None) -> tuple[FieldChange, ...]:
    out = []
    for key, (old, new) in json.loads(changes or "{}").items():
        if table == "monitoring_report" and key == "values":
            out += [FieldChange(*c) for c in report_value_changes(old, new)]
            continue
        out.append(FieldChange(key, field_label(table, key), old, new, value_text(key, old, table, readers),
                               value_text(key, new, table, readers)))
    return tuple(out)


def _row(r: Any, readers: Readers | None = None) -> HistoryRow:
    return HistoryRow(r.id, r.at, r.operator, r.action, ACTION_LABELS.get(r.action, r.action), r.table_name,
                      table_label(r.table_name) if r.table_name else "", r.record_id, r.record_uuid, r.summary,
                      _field_changes(r.table_name, r.changes, readers), r.batch_id, r.reverts_batch_id, r.session_id)


def _rows(uow: UnitOfWork, rows: Sequence[Any]) -> builtins.list[HistoryRow]:
    """Rows as users read them: firms by name, pools, tiers and statuses by their labels."""
    firm_ids: set[int] = set()
    for r in rows:
        if '"enterprise_id"' in (r.changes or ""):
            firm_ids.update(v for v in json.loads(r.changes)["enterprise_id"] if isinstance(v, int))
    readers = Readers({i: e.name for i in firm_ids if (e := uow.enterprises.get(i)) is not None})
    tables = {r.table_name for r in rows}
    if any((t or "").startswith("cultivation_") for t in tables):
        readers.catalog = uow.pools.catalog()
    if tables & {"incubation_base", "base_level_event"}:
        repo = uow.bases
        levels = {lv.code: lv.name for lv in repo.levels()}
        readers.base_codes = {"kind": {k.code: k.name for k in repo.kinds()}, "level": levels,
                              "from_level": levels, "to_level": levels}
    return [_row(r, readers) for r in rows]


def _start(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min)


def _end(value: date | datetime | None) -> datetime | None:
    """An exclusive upper bound; a date means the whole of that day."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1), time.min)


class HistoryService:
    """Read-only access to the change history; every method opens its own unit of work."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_history(self, table: str, record_id: int, include_children: bool = True) -> builtins.list[HistoryRow]:
        """One record's rows, newest first; an enterprise's include its yearly figures'."""
        with self._db.unit_of_work() as uow:
            return _rows(uow, uow.history.for_record(table, record_id, include_children))

    def batch(self, batch_id: str) -> builtins.list[HistoryRow]:
        """Every row of one user action (e.g. a bulk change), oldest first."""
        with self._db.unit_of_work() as uow:
            return _rows(uow, uow.history.batch(batch_id))

    def operators(self) -> builtins.list[str]:
        """Operator names that appear in the history, for the filter drop-down."""
        with self._db.unit_of_work() as uow:
            return uow.history.operators()

    def tables(self) -> builtins.list[HistoryTable]:
        """Tables that appear in the history, with their Chinese names."""
        with self._db.unit_of_work() as uow:
            return [HistoryTable(t, table_label(t)) for t in uow.history.tables()]

    @staticmethod
    def resolve_table(text: str) -> str:
        """A table name from its code or Chinese name ("enterprise" or "企业"); raises LvqiError."""
        text = text.strip()
        if text in TABLE_LABELS:
            return text
        for name, label in TABLE_LABELS.items():
            if label == text:
                return name
        choices = "、".join(f"{name}（{label}）" for name, label in TABLE_LABELS.items())
        raise LvqiError(f"不认识的表“{text}”。可选：{choices}")

    def list(self, since: date | datetime | None = None, until: date | datetime | None = None,
             operator: str = "", table: str = "", limit: int | None = DEFAULT_LIMIT) -> builtins.list[HistoryRow]:
        """Rows newest first, filtered; a date `until` includes that whole day; limit None = all."""
        query = HistoryQuery(_start(since), _end(until), operator.strip(), table.strip(), limit)
        with self._db.unit_of_work() as uow:
            return _rows(uow, uow.history.rows(query))

    def changes_in_period(self, start: date, end: date, since: date | datetime) -> builtins.list[HistoryRow]:
        """Changes made since `since` to data dated inside [start, end] (newest first): what makes a re-print
        of that period differ from a print made at `since`."""
        return _changes_in_period(self._db, start, end, since)


def _diff_days(changes: tuple[FieldChange, ...]) -> list[date]:
    """Dates named in a change's old or new values (a record moved out of a period, or deleted)."""
    days = []
    for c in changes:
        for value in (c.old, c.new):
            if isinstance(value, str) and len(value) >= 10:
                try:
                    days.append(date.fromisoformat(value[:10]))
                except ValueError:
                    pass
    return days


def _touches_period(row: HistoryRow, obj: Any, start: date, end: date) -> bool:
    """Whether a change concerns data dated inside [start, end]: the record's dating spans, or a date changed."""
    if any(start <= d <= end for d in _diff_days(row.changes)):
        return True
    if obj is None or not hasattr(type(obj), "locking_spans"):
        return False
    changed = None if row.action != "update" else {c.field for c in row.changes}
    return any(a <= end and b >= start for a, b in obj.locking_spans(changed))


def _changes_in_period(db: Database, start: date, end: date, since: date | datetime) -> builtins.list[HistoryRow]:
    query = HistoryQuery(_start(since), None, "", "", None)
    with db.unit_of_work() as uow:
        rows = [r for r in _rows(uow, uow.history.rows(query)) if not r.is_batch]
        by_table: dict[str, builtins.list[int]] = {}
        for r in rows:
            by_table.setdefault(r.table, []).append(r.record_id or 0)
        objects = {t: uow.history.load_many(t, ids) for t, ids in by_table.items()}
        return [r for r in rows if _touches_period(r, objects[r.table].get(r.record_id or 0), start, end)]
