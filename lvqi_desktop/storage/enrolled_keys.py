"""Queries over enrolled public keys (models/keys.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models.exchange import PackageReceived
from lvqi_desktop.models.keys import KEY_ACTIVE
from lvqi_desktop.models.keys import EnrolledKey


class EnrolledKeys:
    """The enrolled public keys over a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: EnrolledKey) -> None:
        self.session.add(row)

    def by_fingerprint(self, fingerprint: str) -> EnrolledKey | None:
        return self.session.scalar(select(EnrolledKey).where(EnrolledKey.fingerprint == fingerprint))

    def active(self, office_code: str) -> EnrolledKey | None:
        return self.session.scalar(select(EnrolledKey).where(EnrolledKey.office_code == office_code,
                                                        EnrolledKey.status == KEY_ACTIVE))

    def all_keys(self) -> Sequence[EnrolledKey]:
        return self.session.scalars(select(EnrolledKey).order_by(EnrolledKey.office_code, EnrolledKey.id)).all()

    def last_signed(self, county_code: str, signer: str) -> PackageReceived | None:
        """The county's newest package the city accepted under key `signer`."""
        return self.session.scalar(select(PackageReceived).where(
            PackageReceived.county_code == county_code, PackageReceived.signer == signer,
        ).order_by(PackageReceived.sequence.desc()).limit(1))
