"""Received periods are locked (报送期锁定): a flush listener refuses writes dated inside a locked period.

Once the city has accepted a county's package, `period_lock` holds the period until it is reopened with a
reason. Every flush of a session made by the factory asks each new, changed or deleted record for the
spans of days the write touches (`locking_spans(changed)` on the entity, models/locking.py) — for a
change, both as it was and as it will be — and raises ValidationFailed if one lies inside a locked
period. The lock set is read once per transaction. The city edition never locks. Core INSERTs bypass
this listener (like the history one): bulk paths must call `refuse_locked_spans` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.state import InstanceState

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import Office
from lvqi_desktop.models.exchange import PeriodLock
from lvqi_desktop.models.history import table_label
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import period_code_label
from lvqi_desktop.models.locking import period_code_span
from lvqi_desktop.storage.history import record_title

LockSet = tuple[tuple[Span, str], ...]  # (days, period code) of every lock in force
_LOCKS_KEY = "period_locks"
_IGNORED = frozenset({"updated_at"})
HOW_TO_REOPEN = "该期已由市中心接收并锁定；如需修改，请先在“数据报送”页重新打开该期（需填写原因）"


# ---- the locks themselves (ExchangeService reads and writes them through these)

def lock_row(session: Session, period: str) -> PeriodLock | None:
    return session.get(PeriodLock, period)


def lock_period(session: Session, period: str, package_uuid: str, now: datetime) -> None:
    """Lock (again) `period` for the package the city accepted."""
    lock = session.get(PeriodLock, period)
    if lock is None:
        session.add(PeriodLock(period=period, package_uuid=package_uuid, locked_at=now, reopen_reason=""))
    else:
        lock.package_uuid, lock.locked_at, lock.reopened_at = package_uuid, now, None
    forget_locks(session)


def reopen_lock(lock: PeriodLock, now: datetime, reason: str, operator: str) -> None:
    lock.reopened_at, lock.reopen_reason, lock.reopened_by = now, reason[:500], operator
    session = Session.object_session(lock)
    if session is not None:
        forget_locks(session)


def locks_in_force(session: Session) -> LockSet:
    """The periods locked now, read once per transaction; always empty in the city edition."""
    cached = session.info.get(_LOCKS_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    conn = session.connection()
    is_city = conn.execute(select(Office.kind).where(Office.kind == "city").limit(1)).first() is not None
    locks: list[tuple[Span, str]] = []
    if not is_city:
        for (code,) in conn.execute(select(PeriodLock.period).where(PeriodLock.reopened_at.is_(None))):
            span = period_code_span(code)
            if span is not None:
                locks.append((span, code))
    session.info[_LOCKS_KEY] = result = tuple(locks)
    return result


def forget_locks(session: Session, *_args: object) -> None:
    session.info.pop(_LOCKS_KEY, None)


def locking_period(locks: LockSet, span: Span) -> str | None:
    """The locked period that wholly contains `span`, if any."""
    for (start, end), code in locks:
        if start <= span[0] and span[1] <= end:
            return code
    return None


# ---- the message

def _when(span: Span) -> str:
    start, end = span
    if start == end:
        return start.isoformat()
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return f"{start.year}年"
    return f"{start.year}年{start.month}月"


def _record_name(session: Session, obj: Any, span: Span) -> str:
    label = table_label(obj.__table__.name)
    title = record_title(session, obj)
    if not title or title.startswith("编号"):
        return f"{label}（{_when(span)}）"
    return f"{label}“{title}”（{_when(span)}）"


def refusal(what: str, period: str, field: str = "period_lock") -> ValidationFailed:
    """`field`: the form field the message belongs under (the record's date), else beside the buttons."""
    return ValidationFailed([Issue(field, f"{what}属于{period_code_label(period)}（{period}）：{HOW_TO_REOPEN}。")])


def refuse_locked_spans(session: Session, what: str, spans: Iterable[Span]) -> None:
    """For bulk paths (Core INSERTs): refuse when one of `spans` is locked; `what` names the records."""
    locks = locks_in_force(session)
    for span in spans if locks else ():
        if (code := locking_period(locks, span)) is not None:
            raise refusal(f"{what}（{_when(span)}）", code)


# ---- the listener

@cache
def _column_keys(mapper: Mapper[Any]) -> frozenset[str]:
    return frozenset(p.key for p in mapper.column_attrs) - _IGNORED


class _Before:
    """A record as it was before this change, for its `locking_spans` (a change out of a period touches it)."""

    def __init__(self, obj: Any, old: dict[str, Any]) -> None:
        self._obj, self._old = obj, old

    def __getattr__(self, name: str) -> Any:
        return self._old[name] if name in self._old else getattr(self._obj, name)


def _changes(obj: Any) -> tuple[frozenset[str], dict[str, Any]]:
    """Changed column keys and the old values known for them."""
    state: InstanceState[Any] = obj._sa_instance_state
    keys = _column_keys(state.mapper)
    changed, old = set(), {}
    for key in state.committed_state:
        if key not in keys:
            continue
        hist = get_history(obj, key)
        if hist.added or hist.deleted:
            changed.add(key)
            if hist.deleted:
                old[key] = hist.deleted[0]
    return frozenset(changed), old


def _candidates(session: Session) -> list[tuple[Any, bool]]:
    """Records of this flush that may be dated (new/deleted: False, changed: True); cheap, no spans yet."""
    out: list[tuple[Any, bool]] = []
    for objs, dirty in ((session.new, False), (session.deleted, False), (session.dirty, True)):
        for obj in objs:
            if isinstance(obj, (PeriodLock, Office)):
                forget_locks(session)
            elif hasattr(type(obj), "locking_spans"):
                out.append((obj, dirty))
    return out


def _spans(obj: Any, dirty: bool) -> tuple[Span, ...]:
    if not dirty:
        return obj.locking_spans(None)  # type: ignore[no-any-return]
    changed, old = _changes(obj)
    if not changed:
        return ()
    return (*obj.locking_spans(changed), *type(obj).locking_spans(_Before(obj, old), changed))


def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    """Refuse the flush when one of its records is dated inside a locked period."""
    candidates = _candidates(session)
    if not candidates:
        return
    locks = locks_in_force(session)
    if not locks:
        return
    for obj, dirty in candidates:
        for span in _spans(obj, dirty):
            if (code := locking_period(locks, span)) is not None:
                raise refusal(_record_name(session, obj, span), code, getattr(obj, "locking_field", "period_lock"))


def install_period_locks(factory: sessionmaker[Session]) -> None:
    """Honour received-period locks in every session the factory makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_commit", forget_locks)
    event.listen(factory, "after_rollback", forget_locks)
