"""Finding and removing invisible characters (validation/text.py) that records stored before the rule hold."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.enterprise import Enterprise
from lvqi_desktop.models.search_keys import search_key
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.text import invisible_count
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.text import without_invisible


@dataclass(frozen=True)
class DirtyText:
    """One stored text holding invisible characters: where it is, and how it reads without them."""

    table: str
    row_id: object
    field: str
    count: int
    cleaned: str


class TextRepairService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def find(self) -> list[DirtyText]:
        """Every stored text with invisible characters; nothing is changed."""
        with self._db.unit_of_work() as uow:
            return [_dirty(row, key, value) for row, key, value in uow.text_scan.texts_where(invisible_count)]

    def repair(self) -> list[DirtyText]:
        """Remove them everywhere in one transaction (an enterprise's duplicate and search keys follow its new
        name); returns what was repaired."""
        with self._db.unit_of_work() as uow:
            uow.label_action("去除文字中看不见的字符")
            found = list(uow.text_scan.texts_where(invisible_count))
            for row, key, value in found:
                setattr(row, key, without_invisible(value))
            for row in {id(r): r for r, _, _ in found}.values():
                if isinstance(row, Enterprise):
                    row.name_key = name_key(row.name)
                    row.name_initials, row.name_pinyin, row.search_key = search_key(row.name, row.uscc,
                                                                                    row.former_names)
            repaired = [_dirty(row, key, value) for row, key, value in found]
            uow.commit()
            return repaired


def _dirty(row: Base, key: str, value: str) -> DirtyText:
    return DirtyText(row.__table__.name, getattr(row, "id", None), key, invisible_count(value),
                     without_invisible(value))
