"""The integrity checks behind `lvqi check` (storage/integrity.py) on a unit of work's session."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lvqi_desktop.storage import integrity
from lvqi_desktop.storage.integrity import ForeignKeyProblem


class IntegrityChecks:
    """Each check reads only; a damaged file raises DatabaseRefused with a Chinese message."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def head_revision() -> str:
        """The schema revision this program expects (no database needed)."""
        return integrity.head_revision()

    def messages(self) -> list[str]:
        return integrity.integrity_messages(self.session)

    def foreign_key_problems(self) -> list[ForeignKeyProblem]:
        return integrity.foreign_key_problems(self.session)

    def schema_revision(self) -> str | None:
        return integrity.schema_revision(self.session)

    def min_program_version(self) -> str | None:
        return integrity.min_program_version(self.session)

    def table_counts(self) -> dict[str, int]:
        return integrity.table_counts(self.session)

    def township_mismatches(self) -> int:
        return integrity.township_mismatches(self.session)

    def outside_office(self, county_code: str) -> int:
        return integrity.outside_office(self.session, county_code)

    def append_only_problems(self) -> list[str]:
        return integrity.append_only_problems(self.session)
