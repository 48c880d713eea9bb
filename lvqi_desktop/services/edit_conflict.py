"""Refusing a form's save when another clerk changed the record after the form read it (optimistic locking)."""

from __future__ import annotations

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.storage.unit_of_work import UnitOfWork


def claim_for_save(uow: UnitOfWork, record: EditedInForms, held: int | None) -> None:
    """Before a form's changes are applied: raise EditConflict naming who changed the record and when, if its
    version is no longer the one the form read (`held`; None: the caller read no version, e.g. an import or the
    command line, and is not checked); otherwise make this save raise the version, so the next stale form is told."""
    if held is not None and held != record.version:
        last = uow.history.last_change(record)
        who = "其他人" if last is None else f"{last[0] or '其他人'} 于 {last[1]:%Y-%m-%d %H:%M}"
        raise EditConflict(f"该记录已被 {who} 修改，您的修改没有保存。请关闭后重新打开，再录入您的修改"
                           "（关闭前可先把要改的内容记下来）。")
    uow.raise_version(record)
