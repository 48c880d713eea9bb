"""Enrolled public keys: the counties' keys at the city, the city's key at a county (migration 0011)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base

KEY_PENDING = "pending"  # offered (key file or first package), fingerprint not yet confirmed by phone
KEY_ACTIVE = "active"
KEY_REVOKED = "revoked"
KEY_STATUS_LABELS = {KEY_PENDING: "待核对指纹", KEY_ACTIVE: "已登记", KEY_REVOKED: "已作废"}


class EnrolledKey(Base):
    """One office's public key as offered, confirmed (fingerprint read aloud and compared) and revoked."""

    __tablename__ = "enrolled_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_code: Mapped[str] = mapped_column(String(6), index=True)
    office_name: Mapped[str] = mapped_column(String(40), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    sign_key: Mapped[str] = mapped_column(String(44))  # Ed25519, base64
    box_key: Mapped[str] = mapped_column(String(44))  # X25519, base64
    status: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")  # the file it was offered in (name only)
    offered_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_by: Mapped[str] = mapped_column(String(40), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str] = mapped_column(String(40), default="")
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
