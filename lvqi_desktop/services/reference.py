"""Pick-lists from the reference data: counties, townships, industry sections, size groups."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.models import codes
from lvqi_desktop.storage.unit_of_work import Database


@dataclass(frozen=True)
class Choice:
    """A coded value and its Chinese label, for drop-downs."""

    code: str
    label: str


class ReferenceService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def counties(self) -> list[Choice]:
        with self._db.unit_of_work() as uow:
            return [Choice(c.code, c.name) for c in uow.reference.counties()]

    def townships(self, county_code: str | None = None) -> list[Choice]:
        with self._db.unit_of_work() as uow:
            return [Choice(t.code, t.name) for t in uow.reference.townships(county_code)]

    def sections(self) -> list[Choice]:
        with self._db.unit_of_work() as uow:
            return [Choice(s.code, f"{s.code} {s.name}") for s in uow.reference.sections()]

    @staticmethod
    def coded(table: dict[str, str]) -> list[Choice]:
        return [Choice(code, label) for code, label in table.items()]

    def size_groups(self) -> list[Choice]:
        return self.coded(codes.SIZE_GROUPS)
