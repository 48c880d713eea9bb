"""Queries over the package logs: packages sent (county), received (city), and the import state token."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from lvqi_desktop.models import County
from lvqi_desktop.models.exchange import RECEIVED_CURRENT
from lvqi_desktop.models.exchange import RECEIVED_SUPERSEDED
from lvqi_desktop.models.exchange import SENT_DONE
from lvqi_desktop.models.exchange import PackageReceived
from lvqi_desktop.models.exchange import PackageSent


class ExchangeLog:
    """The package logs over a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: PackageSent | PackageReceived) -> None:
        self.session.add(row)

    def last_sequence(self) -> int:
        return self.session.scalar(select(func.max(PackageSent.sequence))) or 0

    def sent(self, package_uuid: str) -> PackageSent | None:
        return self.session.scalar(select(PackageSent).where(PackageSent.package_uuid == package_uuid))

    def sent_and_newest(self, package_uuid: str) -> tuple[PackageSent | None, int]:
        """A package made here, and the highest sequence made (and verified) here for its period since."""
        row = self.sent(package_uuid)
        if row is None:
            return None, 0
        return row, self.session.scalar(select(func.max(PackageSent.sequence)).where(
            PackageSent.period == row.period, PackageSent.status == SENT_DONE)) or 0

    def previous_sent(self, limit: int) -> tuple[tuple[int, str], ...]:
        """(sequence, fingerprint) of the newest packages made and verified here, newest first."""
        return tuple((r[0], r[1]) for r in self.session.execute(
            select(PackageSent.sequence, PackageSent.fingerprint).where(PackageSent.status == SENT_DONE)
            .order_by(PackageSent.sequence.desc()).limit(limit)))

    def all_sent(self) -> Sequence[PackageSent]:
        return self.session.scalars(select(PackageSent).order_by(PackageSent.sequence.desc())).all()

    def received(self, package_uuid: str) -> PackageReceived | None:
        return self.session.scalar(select(PackageReceived).where(PackageReceived.package_uuid == package_uuid))

    def received_and_current(self, package_uuid: str) -> tuple[PackageReceived | None,
                                                                            PackageReceived | None]:
        """A received package, and the package of its county and period the city's merged data now comes from."""
        row = self.received(package_uuid)
        if row is None:
            return None, None
        return row, self.session.scalar(select(PackageReceived).where(
            PackageReceived.county_code == row.county_code, PackageReceived.period == row.period,
            PackageReceived.status == RECEIVED_CURRENT))

    def all_received(self, period: str | None = None) -> Sequence[PackageReceived]:
        stmt = select(PackageReceived).order_by(PackageReceived.county_code, PackageReceived.sequence)
        if period:
            stmt = stmt.where(PackageReceived.period == period)
        return self.session.scalars(stmt).all()

    def received_summary(self) -> list[tuple[str, str, str, int, str, str]]:
        """(package uuid, county, period, sequence, received at, signing key) of every package received."""
        return [(r[0], r[1], r[2], r[3], str(r[4]), r[5]) for r in self.session.execute(select(
            PackageReceived.package_uuid, PackageReceived.county_code, PackageReceived.period, PackageReceived.sequence,
            PackageReceived.received_at, PackageReceived.signer))]

    def supersede(self, county_code: str, period: str) -> None:
        """The current package of this county and period becomes superseded (kept, never deleted)."""
        self.session.execute(update(PackageReceived).where(
            PackageReceived.county_code == county_code, PackageReceived.period == period,
            PackageReceived.status == RECEIVED_CURRENT).values(status=RECEIVED_SUPERSEDED))

    def token(self) -> tuple[int, int]:
        """Changes whenever a package is imported."""
        count, top = self.session.execute(select(func.count(PackageReceived.id), func.max(PackageReceived.id))).one()
        return int(count or 0), int(top or 0)

    def counties(self) -> dict[str, str]:
        return {c.code: c.name for c in self.session.scalars(select(County).order_by(County.code))}
