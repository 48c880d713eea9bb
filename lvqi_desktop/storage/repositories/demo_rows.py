"""Bulk inserts of prepared demonstration rows (storage/bulk_insert.py, activity_bulk.py) on a unit of work's session."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

from sqlalchemy.orm import Session

from lvqi_desktop.storage import activity_bulk
from lvqi_desktop.storage import bulk_insert


class DemoRows:
    """Plain INSERTs with ids set by the caller, inside the unit of work's transaction; no commit here."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- enterprises and their yearly figures
    def taken_keys(self, county_codes: Iterable[str]) -> dict[str, tuple[set[str], set[str]]]:
        """Per county: the USCCs and folded names already in the register, archived ones included."""
        return bulk_insert.taken_keys(self.session, county_codes)

    def next_enterprise_ids(self) -> tuple[int, int]:
        """The first free ids of enterprise and enterprise_year."""
        return bulk_insert.next_ids(self.session)

    def insert_enterprises(self, enterprises: Sequence[dict[str, object]], years: Sequence[dict[str, object]]) -> None:
        bulk_insert.insert_enterprises(self.session, enterprises, years)

    def record_batch(self, summary: str, table: str, details: dict[str, object]) -> None:
        """One change-history row naming the whole bulk insert."""
        bulk_insert.record_batch(self.session, summary, table, details)

    # ---- helpers, assignments, visits, demands and pool records
    def next_ids(self) -> dict[str, int]:
        """The first free id of each table `insert_rows` writes."""
        return activity_bulk.next_ids(self.session)

    def last_seqs(self, office_code: str) -> dict[int, int]:
        return activity_bulk.last_seqs(self.session, office_code)

    def insert_rows(self, table: str, rows: Sequence[dict[str, object]]) -> None:
        activity_bulk.insert_rows(self.session, table, rows)

    def mark_above_scale(self, months: dict[int, str]) -> None:
        activity_bulk.mark_above_scale(self.session, months)

    def pool_members(self) -> set[tuple[int, str]]:
        return activity_bulk.pool_members(self.session)
