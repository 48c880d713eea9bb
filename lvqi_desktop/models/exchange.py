"""Submission packages: what a county sent (and the city's receipt), what the city received, period locks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.locking import Span
from lvqi_desktop.models.locking import period_code_span

SENT_WRITING = "writing"  # sequence number reserved, file not yet verified
SENT_DONE = "sent"
SENT_FAILED = "failed"  # writing or verifying the file failed (or was cancelled); the number stays used
SENT_LABELS = {SENT_WRITING: "未完成（生成被中断），未报送", SENT_FAILED: "生成失败，未报送", SENT_DONE: "未收到"}
RECEIVED_CURRENT = "current"
RECEIVED_SUPERSEDED = "superseded"
DECISION_ACCEPTED = "accepted"
DECISION_REMARKS = "accepted_with_remarks"
DECISION_REJECTED = "rejected"
DECISION_LABELS = {DECISION_ACCEPTED: "已接收", DECISION_REMARKS: "已接收（有意见）", DECISION_REJECTED: "退回"}


class PackageSent(Base):
    """County side: one package made (its sequence number is reserved before the file is written)."""

    __tablename__ = "package_sent"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(10))
    file_path: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {table: rows}
    preparer: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    receipt_decision: Mapped[str | None] = mapped_column(String(30))
    receipt_remarks: Mapped[str] = mapped_column(Text, default="")
    receipt_issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    receipt_imported_at: Mapped[datetime | None] = mapped_column(DateTime)


class PackageReceived(Base):
    """City side: one package imported, kept as received under packages/ in the data dir."""

    __tablename__ = "package_received"
    __table_args__ = (Index("ix_package_received_county_period", "county_code", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    county_code: Mapped[str] = mapped_column(String(6))
    county_name: Mapped[str] = mapped_column(String(40), default="")
    period: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    fingerprint: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    original_name: Mapped[str] = mapped_column(Text, default="")
    preparer: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)  # as the county's manifest says
    received_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[str] = mapped_column(Text, default="{}")  # JSON: counts new/changed/removed/unchanged
    signer: Mapped[str] = mapped_column(String(64), default="")  # fingerprint of the key that signed it (0011)
    receipt_decision: Mapped[str | None] = mapped_column(String(30))
    receipt_remarks: Mapped[str] = mapped_column(Text, default="")
    receipt_issued_at: Mapped[datetime | None] = mapped_column(DateTime)


class OriginMap(Base):
    """City side: per county, every record merged from its packages, the hash of its line as last received
    and whether it was archived, as text lines `uuid<TAB>hash<TAB>0|1` (migration 0008_origin_map).

    One row per county, read and written whole: an import writes 13 rows, not a million (a row per record
    cost a quarter of the import's time and of the city database).
    """

    __tablename__ = "origin_map"
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    entries: Mapped[str] = mapped_column(Text, default="")


class PeriodLock(Base):
    """County side: a period the city has received; reopening needs a reason."""

    __tablename__ = "period_lock"
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    package_uuid: Mapped[str] = mapped_column(String(36))
    locked_at: Mapped[datetime] = mapped_column(DateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    reopened_by: Mapped[str] = mapped_column(String(40), default="")

    @property
    def in_force(self) -> bool:
        return self.reopened_at is None

    def span(self) -> Span | None:
        """The days the lock covers."""
        return period_code_span(self.period)
