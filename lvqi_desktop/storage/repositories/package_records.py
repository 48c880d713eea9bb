"""The travelling records of packages (storage/exchange_records.py, the merge engine) on a unit of work's session."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from lvqi_desktop.storage import exchange_records as records
from lvqi_desktop.storage.exchange_records import TableSpec


class PackageRecords:
    """The county's snapshot, the city's index of merged records and the merge itself."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def spec_of(table: str) -> TableSpec | None:
        """The travelling table of that name (None: not one that travels)."""
        return records.spec_of(table)

    def snapshot(self, county_code: str) -> dict[str, list[dict[str, Any]]]:
        return records.snapshot(self.session, county_code)

    def live_enterprise_keys(self) -> list[tuple[str, str, str, str, str]]:
        return records.live_enterprise_keys(self.session)

    def size_rules(self) -> dict[str, Any]:
        return records.size_rules(self.session)

    # ---- what the city holds
    def origins_of(self, county_code: str) -> dict[str, tuple[str, bool]]:
        return records.origins_of(self.session, county_code)

    def save_origins(self, county_code: str, changes: Sequence[tuple[str, str, str]]) -> None:
        records.save_origins(self.session, county_code, changes)

    def all_uuids(self) -> set[str]:
        return records.all_uuids(self.session)

    def existing_uuids(self, uuids: Sequence[str]) -> set[str]:
        return records.existing_uuids(self.session, uuids)

    def target_keys(self, scope: str) -> dict[tuple[str, int], str]:
        return records.target_keys(self.session, scope)

    def allocated_target_uuids(self, scope: str) -> set[str]:
        return records.allocated_target_uuids(self.session, scope)

    # ---- the merge (inside the unit of work's transaction)
    def one_import_at_a_time(self) -> None:
        records.one_import_at_a_time(self.session)

    def widen_cache(self, on: bool) -> None:
        records.widen_cache(self.session, on)

    def suspend_indexes(self, new_rows: Mapping[str, int]) -> list[str]:
        return records.suspend_indexes(self.session, new_rows)

    def restore_indexes(self, statements: Sequence[str]) -> None:
        records.restore_indexes(self.session, statements)

    def merge(self, county_code: str, new: Mapping[str, Sequence[Mapping[str, Any]]],
              changed: Mapping[str, Sequence[Mapping[str, Any]]], hashes: Mapping[str, str],
              ids: dict[str, dict[str, int]]) -> None:
        """Write one county's new and changed records, table by table, and note them in its origin map;
        `ids` (table → uuid → city id) is shared by the packages of one import and kept current."""
        origins: list[tuple[str, str, str]] = []
        for spec in records.travelling_tables():
            origins += records.merge_table(self.session, spec, new.get(spec.name, []), changed.get(spec.name, []),
                                           hashes, ids)
        records.save_origins(self.session, county_code, origins)
