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
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.search_keys import search_key
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
    return policies
