"""How undo and redo put each table's records back: one policy per table, registered by name.

Undo and redo are built on the change records. Reverting a batch puts back, for every record row
in it, the old values of its changed fields; an insert is reverted by archiving (never by deleting).
A table without a policy is not undoable: a change to it ends the undo stack ("cannot be undone").

A later domain plugs in by subclassing `UndoPolicy` and registering it in `default_undo_policies`
(or on the `UndoPolicies` the composition root builds). Override

- `check(uow, record, target, verb)` to refuse a revert that would break a rule (return blocking
  `Issue`s with a Chinese message; nothing is written then), and
- `apply(uow, record, target)` to put the values back the domain's way. Example for demands: when
  `target["status"]` is open and the record is closed, call the domain's reopen with the reason
  "撤销" (which writes its progress-log entry) instead of only setting `status`; then set the rest.

Policies run inside the undo's unit of work and must not commit.

Timelines are append-only. The event tables (cultivation_event, demand_event) are not put back by
archiving: taking back an event's insert appends a mirror event instead (from → to swapped, note
"撤销" or "重做"), and the record's own fields (status, tier, dates, above_scale on the enterprise)
come back through their recorded old values like any other change. A bulk status change is one batch,
so it is undone as one step, each record gaining its own "撤销" event.

Cultivation pools: the record's status, tier and the dates the change set (status_on, recognized_on,
valid_until …) are restored from the change record. 已入统 sets Enterprise.above_scale and
above_scale_since; those enterprise changes are recorded in the same batch only when the pool change
actually changed them, so undo clears them exactly when (and only when) the pool change set them.

Demands: undoing a close (已办结/已解释) restores the open status and the closing fields, and appends
a "reopen" (重新办理) log entry with the reason "撤销". It is not a 不满意 reopen: reopen_count is
not raised (undo puts back the counts as they were before the close), and first_closed_on goes back
to its old value too, so a close that is taken back never counts for "办结是否及时". Undoing a
不满意 回访 (which raised reopen_count) puts the count back down. Other transitions come back to
their previous status with a "修改" entry noted "撤销：<原操作>".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.demands import CLOSED_STATUSES
from lvqi_desktop.models.demands import EVENT_KINDS as DEMAND_EVENT_KINDS
from lvqi_desktop.models.demands import OPEN_STATUSES
from lvqi_desktop.models.demands import DemandEvent
from lvqi_desktop.models.history import ACTION_REDO
from lvqi_desktop.models.search_keys import search_key
from lvqi_desktop.services.pool_rows import EVENT_KINDS as POOL_EVENT_KINDS
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.text import name_key

UNDO_INSERT_REASON = "撤销新增"


class UndoPolicy:
    """Default for an archivable record: set the fields back; undo an insert by archiving the record."""

    def revert_insert(self, now: datetime) -> dict[str, Any]:
        """The values that take back an insert."""
        return {"archived_at": now, "archive_reason": UNDO_INSERT_REASON}

    def check(self, uow: UnitOfWork, record: Any, target: dict[str, Any], verb: str) -> list[Issue]:
        """Blocking issues if putting `target` back would break a domain rule (none by default)."""
        return []

    def apply(self, uow: UnitOfWork, record: Any, target: dict[str, Any]) -> None:
        for key, value in target.items():
            setattr(record, key, value)


class EnterpriseUndoPolicy(UndoPolicy):
    """Enterprises: no duplicate USCC or current name, and search keys follow the name."""

    def check(self, uow: UnitOfWork, record: Enterprise, target: dict[str, Any], verb: str) -> list[Issue]:
        issues: list[Issue] = []
        county = target.get("county_code", record.county_code)
        uscc = target.get("uscc", record.uscc)
        if {"uscc", "county_code"} & target.keys():
            other = uow.enterprises.by_uscc(county, uscc, exclude_id=record.id)
            if other is not None:
                issues.append(Issue("uscc", f"无法{verb}：统一社会信用代码 {uscc} 现已登记为“{other.name}”，"
                                            "不能重复登记。"))
        archived = target.get("archived_at", record.archived_at) is not None
        if not archived and {"name", "county_code", "archived_at"} & target.keys():
            key = name_key(target.get("name", record.name))
            clash = uow.enterprises.by_name_key(county, key, exclude_id=record.id)
            if clash is not None:
                issues.append(Issue("name", f"无法{verb}：已有同名企业“{clash.name}”（信用代码 {clash.uscc}）在册，"
                                            "请先核对两条记录。"))
        return issues

    def apply(self, uow: UnitOfWork, record: Enterprise, target: dict[str, Any]) -> None:
        super().apply(uow, record, target)
        if {"name", "uscc", "former_names"} & target.keys():
            record.name_key = name_key(record.name)
            record.name_initials, record.name_pinyin, record.search_key = search_key(
                record.name, record.uscc, record.former_names)


def _verb(uow: UnitOfWork) -> str:
    """"撤销" while undoing, "重做" while redoing (the running batch's action says which)."""
    return "重做" if uow.history.current_batch().action == ACTION_REDO else "撤销"


class AppendOnlyEventPolicy(UndoPolicy):
    """A timeline row is never archived nor edited back: taking back its insert appends a mirror row."""

    def revert_insert(self, now: datetime) -> dict[str, Any]:
        return {}

    def apply(self, uow: UnitOfWork, record: Any, target: dict[str, Any]) -> None:
        # Event rows are only ever inserted. The row being reverted is a user's insert (empty target) or,
        # on redo, the mirror row an undo inserted (recorded with action "undo": its target is all None).
        # Either way the row stays and a mirror of it is appended.
        self.mirror(uow, record, _verb(uow))

    def mirror(self, uow: UnitOfWork, event: Any, verb: str) -> None:
        raise NotImplementedError


class CultivationRecordUndoPolicy(UndoPolicy):
    """Pool records: fields come back from the change record; a restore must not make a second current
    record of the same firm in the same pool."""

    def check(self, uow: UnitOfWork, record: CultivationRecord, target: dict[str, Any], verb: str) -> list[Issue]:
        if "archived_at" in target and target["archived_at"] is None and record.archived_at is not None:
            other = uow.pools.current(record.enterprise_id, record.pool, exclude_id=record.id)
            if other is not None:
                return [Issue("pool", f"无法{verb}：“{record.enterprise.name}”在该培育库中已有另一条在库记录，"
                                      "同一企业不能重复入库。")]
        return []


_POOL_MIRROR_KIND = {"enter": "archive", "archive": "restore", "restore": "archive"}


class CultivationEventUndoPolicy(AppendOnlyEventPolicy):
    """Pool timeline: undoing a change appends "撤销" (from → to swapped) instead of removing the event."""

    def mirror(self, uow: UnitOfWork, event: CultivationEvent, verb: str) -> None:
        kind = _POOL_MIRROR_KIND.get(event.kind, event.kind)
        if event.kind in _POOL_MIRROR_KIND:  # in or out of the pool: tier and status stay as they are
            from_tier = to_tier = event.to_tier
            from_status = to_status = event.to_status
        else:
            from_tier, to_tier = event.to_tier, event.from_tier
            from_status, to_status = event.to_status, event.from_status
        what = POOL_EVENT_KINDS.get(event.kind, event.kind)
        uow.pools.add_event(CultivationEvent(
            record_id=event.record_id, kind=kind, happened_at=clock.now(), effective_on=clock.today(),
            operator=uow.operator, from_tier=from_tier, to_tier=to_tier, from_status=from_status,
            to_status=to_status, detail=f"{verb}：{what}", note=verb))


class DemandEventUndoPolicy(AppendOnlyEventPolicy):
    """Demand progress log: undoing a close appends 重新办理 with the reason "撤销"; taking back a
    重新办理 (or redoing a close) appends 办结/解释; other steps a 修改 entry "撤销：<step>"; always
    from → to swapped."""

    def mirror(self, uow: UnitOfWork, event: DemandEvent, verb: str) -> None:
        what = DEMAND_EVENT_KINDS.get(event.kind, event.kind)
        if event.kind == "create":  # taking back a registration archives the demand
            kind, before, after, note = "archive", event.to_status, event.to_status, f"{verb}：{what}"
        else:
            before, after = event.to_status, event.from_status
            if before in CLOSED_STATUSES and after in OPEN_STATUSES:
                kind, note = "reopen", f"重新办理，理由：{verb}"
            elif event.kind == "reopen" and before in OPEN_STATUSES and after in ("resolved", "explained"):
                kind, note = ("resolve" if after == "resolved" else "explain"), f"{verb}：{what}"
            else:
                kind, note = "edit", f"{verb}：{what}"
        uow.demands.add(DemandEvent(demand_id=event.demand_id, kind=kind, happened_on=clock.today(),
                                    from_status=before, to_status=after, note=note, operator=uow.operator))


class DemandUndoPolicy(UndoPolicy):
    """Demands: status, closing fields and reopen_count come back as they were (see the module notes);
    the log entry is written by `DemandEventUndoPolicy`."""


class UndoPolicies:
    """Table name → its undo policy."""

    def __init__(self) -> None:
        self._by_table: dict[str, UndoPolicy] = {}

    def register(self, table: str, policy: UndoPolicy) -> None:
        self._by_table[table] = policy

    def get(self, table: str) -> UndoPolicy | None:
        return self._by_table.get(table)

    def covers(self, tables: frozenset[str]) -> bool:
        return all(t in self._by_table for t in tables)


def default_undo_policies() -> UndoPolicies:
    """The policies of every table whose changes can be undone."""
    policies = UndoPolicies()
    policies.register("enterprise", EnterpriseUndoPolicy())
    policies.register("enterprise_year", UndoPolicy())
    policies.register("cultivation_record", CultivationRecordUndoPolicy())
    policies.register("cultivation_event", CultivationEventUndoPolicy())
    policies.register("demand", DemandUndoPolicy())
    policies.register("demand_event", DemandEventUndoPolicy())
    return policies
