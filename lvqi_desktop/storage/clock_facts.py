"""The newest moment the data knows of (its change history), to tell when the computer's clock went back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lvqi_desktop.models.history import ChangeRecord


def newest_change_at(session: Session) -> datetime | None:
    """When the newest change was recorded (the `at` column is indexed: one look-up)."""
    return session.scalar(select(func.max(ChangeRecord.at)))
