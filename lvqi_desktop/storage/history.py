"""Change history at the storage layer: flush listeners write one ChangeRecord per changed record.

Every flush of a session made by the factory is inspected; each new, changed or deleted record of a
tracked class (every TravellingRecord, plus Office and Operator) gets one `change_record` row in the
same transaction, so a rolled-back save leaves no history. Services never write history by hand:
they may only name the user's action (`UnitOfWork.label_action`, `begin_batch`).

Changes are collected at each flush and written, one row per record, just before the commit.
Savepoints (`begin_nested`) are not supported: a rolled-back savepoint's changes would still be listed.
Core INSERTs bypass the listeners; bulk paths call `record_inserted_rows` for their rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import Column
from sqlalchemy import Table
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.state import InstanceState

from lvqi_desktop import clock
from lvqi_desktop.models import Base
from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import Office
from lvqi_desktop.models import Operator
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.models.history import ACTION_ARCHIVE
from lvqi_desktop.models.history import ACTION_BATCH
from lvqi_desktop.models.history import ACTION_DELETE
from lvqi_desktop.models.history import ACTION_INSERT
from lvqi_desktop.models.history import ACTION_LABELS
from lvqi_desktop.models.history import ACTION_RESTORE
from lvqi_desktop.models.history import ACTION_UPDATE
from lvqi_desktop.models.history import table_label

# Derived from other columns (search keys) or bookkeeping: never part of a diff.
SKIPPED_COLUMNS = frozenset({"id", "uuid", "created_at", "updated_at", "search_key", "name_pinyin",
                             "name_initials", "name_key", "version"})
TRACKED_EXTRA = (Office, Operator)  # Setting is not recorded: window state and the like churn there
_BATCH_KEY = "history_batch"


@dataclass
class PendingRow:
    """One record's change collected from flushes, written at commit."""

    obj: Any
    kind: str
    diff: dict[str, list[Any]]


@dataclass
class HistoryBatch:
    """What one transaction's history rows share: the batch id, and how the user named the action."""

    id: str = field(default_factory=new_uuid)
    label: str = ""  # summary of the batch's first row (or of its batch row when bulk)
    bulk: bool = False  # write one extra 'batch' row naming the batch at commit
    bulk_table: str = ""
    bulk_changes: dict[str, list[Any]] = field(default_factory=dict)
    action: str | None = None  # forces every row's action: undo / redo
    reverts: str | None = None
    row_summaries: dict[tuple[str, int], str] = field(default_factory=dict)
    rows: int = 0
    pending: dict[tuple[str, int], PendingRow] = field(default_factory=dict)
    preloaded: dict[int, dict[str, Any]] = field(default_factory=dict)  # id(state) → old values read from disk


def current_batch(session: Session) -> HistoryBatch:
    batch = session.info.get(_BATCH_KEY)
    if batch is None:
        batch = session.info[_BATCH_KEY] = HistoryBatch()
    return batch


# ---- values as JSON

def encode_value(value: Any) -> Any:
    """A column value as JSON: dates and times ISO 8601, decimals as strings (exact round trip)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return str(value)


def decode_value(column: Column[Any], raw: Any) -> Any:
    """The Python value `encode_value` was given, using the column's type."""
    if raw is None:
        return None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return raw
    if kind is datetime:
        return datetime.fromisoformat(raw)
    if kind is date:
        return date.fromisoformat(raw)
    if kind is time:
        return time.fromisoformat(raw)
    if kind is Decimal:
        return Decimal(raw)
    if kind is bool:
        return bool(raw)
    return raw


@cache
def _table_order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@cache
def mapper_for_table(table_name: str) -> Mapper[Any] | None:
    for mapper in Base.registry.mappers:
        if isinstance(mapper.local_table, Table) and mapper.local_table.name == table_name:
            return mapper
    return None


def decode_changes(table_name: str, changes: str) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} as Python values from a change_record's JSON."""
    mapper = mapper_for_table(table_name)
    raw: dict[str, list[Any]] = json.loads(changes or "{}")
    out: dict[str, tuple[Any, Any]] = {}
    for key, (old, new) in raw.items():
        column = mapper.columns[key] if mapper is not None and key in mapper.columns else None
        out[key] = (old, new) if column is None else (decode_value(column, old), decode_value(column, new))
    return out


# ---- what a record is called in a summary

def _year_title(session: Session, obj: EnterpriseYear) -> str:
    parent = obj.__dict__.get("enterprise") or session.get(Enterprise, obj.enterprise_id)
    return f"{parent.name} {obj.year}年" if parent is not None else f"{obj.year}年"


def record_title(session: Session, obj: Any) -> str:
    if isinstance(obj, EnterpriseYear):
        return _year_title(session, obj)
    for attr in ("name", "number", "title"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return f"编号 {getattr(obj, 'id', '')}"


# ---- the listeners

def _tracked(obj: object) -> bool:
    return isinstance(obj, (TravellingRecord, *TRACKED_EXTRA))


@cache
def _column_keys(mapper: Mapper[Any]) -> tuple[str, ...]:
    """Recorded columns in table order."""
    return tuple(p.key for p in mapper.column_attrs if p.key not in SKIPPED_COLUMNS)


def _insert_diff(state: InstanceState[Any]) -> dict[str, list[Any]]:
    diff = {}
    for key in _column_keys(state.mapper):
        value = state.dict.get(key)
        if value is not None and value != "":
            diff[key] = [None, encode_value(value)]
    return diff


def _update_diff(state: InstanceState[Any], preloaded: dict[str, Any]) -> dict[str, list[Any]]:
    diff = {}
    unmodified = state.unmodified
    obj = state.obj()
    for key in _column_keys(state.mapper):
        if key in unmodified:
            continue
        hist = get_history(obj, key)
        if not hist.added:
            continue
        old = hist.deleted[0] if hist.deleted else preloaded.get(key)
        new = hist.added[0]
        if old != new:
            diff[key] = [encode_value(old), encode_value(new)]
    return diff


def _delete_diff(state: InstanceState[Any]) -> dict[str, list[Any]]:
    return {k: [encode_value(v), None] for k in _column_keys(state.mapper)
            if (v := state.dict.get(k)) is not None and v != ""}


def _action_for(kind: str, diff: dict[str, list[Any]]) -> str:
    if kind != ACTION_UPDATE or "archived_at" not in diff:
        return kind
    old, new = diff["archived_at"]
    return ACTION_ARCHIVE if old is None and new is not None else ACTION_RESTORE


def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    """Read from disk the old values of changed attributes that were never loaded (rare)."""
    batch = current_batch(session)
    for obj in session.dirty:
        if not _tracked(obj):
            continue
        state: InstanceState[Any] = obj._sa_instance_state
        changed = set(_column_keys(state.mapper)) - state.unmodified
        missing = [k for k in changed if (h := get_history(obj, k)).added and not h.deleted]
        if missing and state.key is not None:
            table = state.mapper.local_table
            pk = state.mapper.primary_key[0]
            row = session.connection().execute(
                select(*(table.c[k] for k in missing)).where(pk == state.key[1][0])).one_or_none()
            if row is not None:
                batch.preloaded[id(state)] = dict(zip(missing, row, strict=True))


def _diff(state: InstanceState[Any], kind: str, batch: HistoryBatch) -> dict[str, list[Any]]:
    if kind == ACTION_INSERT:
        return _insert_diff(state)
    if kind == ACTION_DELETE:
        return _delete_diff(state)
    return _update_diff(state, batch.preloaded.pop(id(state), {}))


def _merge(pending: PendingRow, kind: str, diff: dict[str, list[Any]]) -> None:
    """A record changed by several flushes of one transaction keeps one row: first old, last new."""
    if kind == ACTION_DELETE:
        pending.kind = ACTION_DELETE
    for key, (old, new) in diff.items():
        if key in pending.diff:
            pending.diff[key][1] = new
        else:
            pending.diff[key] = [old, new]
    pending.diff = {k: v for k, v in pending.diff.items()
                    if (v[1] is not None and v[1] != "") or pending.kind != ACTION_INSERT}
    if pending.kind != ACTION_INSERT:
        pending.diff = {k: v for k, v in pending.diff.items() if v[0] != v[1]}


def _after_flush(session: Session, _ctx: object) -> None:
    """Collect this flush's changes; they are written, merged per record, just before the commit."""
    batch = current_batch(session)
    found = [(o, ACTION_INSERT) for o in session.new if _tracked(o)]
    found += [(o, ACTION_UPDATE) for o in session.dirty if _tracked(o)]
    found += [(o, ACTION_DELETE) for o in session.deleted if _tracked(o)]
    for obj, kind in found:
        state: InstanceState[Any] = obj._sa_instance_state
        diff = _diff(state, kind, batch)
        key = (state.mapper.local_table.name, state.mapper.primary_key_from_instance(obj)[0])  # type: ignore[attr-defined]  # local_table is typed FromClause; here always a Table
        pending = batch.pending.get(key)
        if pending is None:
            if diff:
                batch.pending[key] = PendingRow(obj, kind, diff)
        else:
            _merge(pending, kind, diff)


def _summary(session: Session, batch: HistoryBatch, key: tuple[str, int], p: PendingRow, action: str,
             first: bool) -> str:
    table = key[0]
    explicit = batch.row_summaries.get(key)
    if explicit:
        return explicit
    if batch.label and first and not batch.bulk:
        return batch.label
    title = record_title(session, p.obj)
    if batch.label and (batch.bulk or batch.action):
        return f"{batch.label}：{title}"
    return f"{ACTION_LABELS.get(action, '修改')}{table_label(table)} {title}"


def _write_pending(session: Session, batch: HistoryBatch) -> None:
    order = _table_order()
    keys = sorted((k for k, p in batch.pending.items() if p.diff or p.kind != ACTION_UPDATE),
                  key=lambda k: (order.get(k[0], 0), k[1]))
    at, operator, run = clock.now(), session.info.get("operator", ""), session.info.get("session_id", "")
    rows = []
    for i, key in enumerate(keys):
        p = batch.pending[key]
        action = batch.action or _action_for(p.kind, p.diff)
        rows.append({
            "at": at, "operator": operator, "session_id": run, "action": action, "table_name": key[0],
            "record_id": key[1], "record_uuid": getattr(p.obj, "uuid", None),
            "summary": _summary(session, batch, key, p, action, batch.rows == 0 and i == 0)[:300],
            "changes": json.dumps(p.diff, ensure_ascii=False), "batch_id": batch.id,
            "reverts_batch_id": batch.reverts})
    batch.pending.clear()
    if rows:
        session.connection().execute(insert(ChangeRecord.__table__), rows)
        batch.rows += len(rows)


def _before_commit(session: Session) -> None:
    """Write the transaction's history rows (and a bulk batch's naming row) before it commits."""
    session.flush()  # commit's own flush comes after this hook
    batch = session.info.get(_BATCH_KEY)
    if batch is None:
        return
    _write_pending(session, batch)
    if batch.bulk and batch.rows:
        append_event(session, ACTION_BATCH, batch.label, batch.bulk_table, batch.bulk_changes)


def append_event(session: Session, action: str, summary: str, table_name: str = "",
                 changes: dict[str, list[Any]] | None = None) -> None:
    """One row not about a single record (a batch, a restore from backup), in the current batch."""
    batch = current_batch(session)
    session.connection().execute(insert(ChangeRecord.__table__), [{
        "at": clock.now(), "operator": session.info.get("operator", ""),
        "session_id": session.info.get("session_id", ""), "action": action, "table_name": table_name,
        "record_id": None, "record_uuid": None, "summary": summary[:300],
        "changes": json.dumps(changes or {}, ensure_ascii=False), "batch_id": batch.id,
        "reverts_batch_id": batch.reverts}])
    batch.rows += 1


def record_inserted_rows(session: Session, table_name: str, rows: Sequence[Mapping[str, Any]],
                         title: Callable[[Mapping[str, Any]], str]) -> None:
    """History for rows INSERTed with Core (bulk paths skip the flush listener); each row must carry its id."""
    batch = current_batch(session)
    at, label = clock.now(), batch.label
    out = []
    for row in rows:
        diff = {k: [None, encode_value(v)] for k, v in row.items()
                if k not in SKIPPED_COLUMNS and v is not None and v != ""}
        name = title(row)
        out.append({
            "at": at, "operator": session.info.get("operator", ""), "session_id": session.info.get("session_id", ""),
            "action": ACTION_INSERT, "table_name": table_name, "record_id": row["id"], "record_uuid": row.get("uuid"),
            "summary": (f"{label}：{name}" if label else f"新增{table_label(table_name)} {name}")[:300],
            "changes": json.dumps(diff, ensure_ascii=False), "batch_id": batch.id, "reverts_batch_id": None})
    if out:
        session.connection().execute(insert(ChangeRecord.__table__), out)
        batch.rows += len(out)


def _end_batch(session: Session, *_args: object) -> None:
    session.info.pop(_BATCH_KEY, None)


def install_history(factory: sessionmaker[Session]) -> None:
    """Record history for every session the factory makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_commit", _end_batch)
    event.listen(factory, "after_rollback", _end_batch)
