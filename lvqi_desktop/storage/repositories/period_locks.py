"""The received periods' locks (storage/period_lock.py) on a unit of work's session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lvqi_desktop.models.exchange import PeriodLock
from lvqi_desktop.storage import period_lock


class PeriodLocks:
    """Reading, setting and reopening the lock of a period the city has accepted."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_row(self, period: str) -> PeriodLock | None:
        return period_lock.lock_row(self.session, period)

    def lock_period(self, period: str, package_uuid: str, now: datetime) -> None:
        """Lock (again) `period` for the package the city accepted."""
        period_lock.lock_period(self.session, period, package_uuid, now)

    @staticmethod
    def reopen(lock: PeriodLock, now: datetime, reason: str, operator: str) -> None:
        """Unlock with the reason kept; the session's lock set is read again."""
        period_lock.reopen_lock(lock, now, reason, operator)
