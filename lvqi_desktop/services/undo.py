"""Undo (Ctrl+Z) and redo (Ctrl+Y) of this program run's saved changes, built on the change records.

The stacks are not kept in memory: they are replayed from this run's batches (`Database.session_id`),
so they always match what is on disk. A normal batch is pushed on the undo stack and clears the
redo stack; an undo batch moves its entry to the redo stack, a redo batch moves it back. A batch
that cannot be undone (a table without an undo policy, a deletion, a restore from backup) empties
both stacks. Undoing reverts the newest entry's batch (old values back, inserts archived); redoing
reverts the undo batch. Both are recorded changes (action undo / redo, `reverts_batch_id`).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.models.history import ACTION_ARCHIVE
from lvqi_desktop.models.history import ACTION_BATCH
from lvqi_desktop.models.history import ACTION_INSERT
from lvqi_desktop.models.history import ACTION_REDO
from lvqi_desktop.models.history import ACTION_RESTORE
from lvqi_desktop.models.history import ACTION_UNDO
from lvqi_desktop.models.history import ACTION_UPDATE
from lvqi_desktop.services.undo_policies import UndoPolicies
from lvqi_desktop.services.undo_policies import UndoPolicy
from lvqi_desktop.storage.repositories.history import BatchInfo
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork

UNDOABLE_ACTIONS = frozenset({ACTION_INSERT, ACTION_UPDATE, ACTION_ARCHIVE, ACTION_RESTORE, ACTION_BATCH})
UNDO_PREFIX, REDO_PREFIX = "撤销", "重做"


@dataclass(frozen=True)
class UndoResult:
    """What an undo or redo did: its menu label and the records it changed (so pages can reload)."""

    label: str
    changed: dict[str, tuple[int, ...]]  # table → record ids


@dataclass(frozen=True)
class _Entry:
    revert: str  # the batch to revert
    origin: str  # the user's original batch, which names the action


@dataclass
class _Planned:
    policy: UndoPolicy
    record: Any
    target: dict[str, Any]


def _base_summary(summary: str) -> str:
    for prefix in (UNDO_PREFIX + "：", REDO_PREFIX + "："):
        if summary.startswith(prefix):
            return summary[len(prefix):]
    return summary


class UndoService:
    """Undo and redo for the GUI's Edit menu; one method call = one transaction."""

    def __init__(self, db: Database, policies: UndoPolicies, clock: Callable[[], datetime] = clock.now) -> None:
        self._db = db
        self._policies = policies
        self._clock = clock

    @property
    def session_id(self) -> str:
        return self._db.session_id

    # ---- the stacks
    def _undoable(self, b: BatchInfo) -> bool:
        return bool(b.tables) and b.actions <= UNDOABLE_ACTIONS and self._policies.covers(b.tables)

    def _stacks(self, uow: UnitOfWork) -> tuple[list[_Entry], list[_Entry]]:
        undo: list[_Entry] = []
        redo: list[_Entry] = []
        for b in uow.history.session_batches(self.session_id):
            if ACTION_UNDO in b.actions and undo and undo[-1].revert == b.reverts_batch_id:
                redo.append(_Entry(b.batch_id, undo.pop().origin))
            elif ACTION_REDO in b.actions and redo and redo[-1].revert == b.reverts_batch_id:
                undo.append(_Entry(b.batch_id, redo.pop().origin))
            elif self._undoable(b):
                undo.append(_Entry(b.batch_id, b.batch_id))
                redo.clear()
            else:
                undo.clear()
                redo.clear()
        return undo, redo

    def _label(self, prefix: str, which: int) -> str | None:
        with self._db.unit_of_work() as uow:
            stack = self._stacks(uow)[which]
            return f"{prefix}：{uow.history.batch_label(stack[-1].origin)}" if stack else None

    def undo_label(self) -> str | None:
        """"撤销：修改企业 …" for the Edit menu, or None when there is nothing to undo."""
        return self._label(UNDO_PREFIX, 0)

    def redo_label(self) -> str | None:
        """"重做：修改企业 …", or None when there is nothing to redo."""
        return self._label(REDO_PREFIX, 1)

    # ---- undo and redo
    def undo(self) -> UndoResult:
        """Put back the last change of this run; raises LvqiError (nothing to undo, changed since)
        or ValidationFailed (a domain rule forbids it), and then nothing is changed."""
        return self._run(UNDO_PREFIX, ACTION_UNDO, 0)

    def redo(self) -> UndoResult:
        """Re-apply the last undone change; same errors as `undo`."""
        return self._run(REDO_PREFIX, ACTION_REDO, 1)

    def _run(self, prefix: str, action: str, which: int) -> UndoResult:
        with self._db.unit_of_work() as uow:
            stack = self._stacks(uow)[which]
            if not stack:
                raise LvqiError(f"没有可{prefix}的操作。")
            entry = stack[-1]
            label = f"{prefix}：{uow.history.batch_label(entry.origin)}"
            rows = [r for r in uow.history.batch(entry.revert) if r.record_id is not None]
            uow.begin_revert(action, entry.revert, label,
                             {(r.table_name, r.record_id): f"{prefix}：{_base_summary(r.summary)}" for r in rows
                              if r.record_id is not None})
            plan = self._plan(uow, rows, prefix)
            for planned in plan.values():
                planned.policy.apply(uow, planned.record, planned.target)
            uow.commit()
        changed: dict[str, list[int]] = {}
        for table, record_id in plan:
            changed.setdefault(table, []).append(record_id)
        return UndoResult(label, {t: tuple(ids) for t, ids in changed.items()})

    def _plan(self, uow: UnitOfWork, rows: Sequence[Any], verb: str) -> dict[tuple[str, int], _Planned]:
        """Per record, the values to put back; refuses if a record changed since or a rule forbids it."""
        records = {t: uow.history.load_many(t, [r.record_id for r in rows if r.table_name == t])
                   for t in {r.table_name for r in rows}}
        plan: dict[tuple[str, int], _Planned] = {}
        conflicts: list[str] = []
        for r in reversed(rows):
            policy = self._policies.get(r.table_name)
            record = records[r.table_name].get(r.record_id)
            if policy is None:
                raise LvqiError(f"无法{verb}：{r.summary}（此类修改不支持{verb}）。")
            if record is None:
                raise NotFound(f"无法{verb}：“{r.summary}”涉及的记录已不存在。")
            planned = plan.setdefault((r.table_name, r.record_id), _Planned(policy, record, {}))
            if r.action == ACTION_INSERT:
                expected: dict[str, Any] = {"archived_at": None}
                target = policy.revert_insert(self._clock())
            else:
                changes = uow.history.decode_changes(r.table_name, r.changes)
                expected = {k: new for k, (_old, new) in changes.items()}
                target = {k: old for k, (old, _new) in changes.items()}
            stale = [k for k, v in expected.items() if planned.target.get(k, getattr(record, k)) != v]
            if stale:
                conflicts.append(f"“{uow.history.record_title(record)}”")
            planned.target.update(target)
        if conflicts:
            names = "、".join(dict.fromkeys(conflicts))
            raise LvqiError(f"无法{verb}：{names}在此之后已被修改，为免覆盖新的数据，未作任何更改。")
        issues: list[Issue] = []
        for planned in plan.values():
            issues += planned.policy.check(uow, planned.record, planned.target, verb)
        refuse_blocking(issues)
        return plan
