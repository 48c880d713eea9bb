"""Plain rows the register shows and the details a form edits (no ORM objects leave a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from lvqi_desktop.models import codes
from lvqi_desktop.models.enterprise import parse_marks
from lvqi_desktop.storage.repositories.rows import AnyRow


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    """One line of the enterprise register."""

    id: int
    uuid: str
    uscc: str
    name: str
    county_code: str
    township_code: str | None
    township_name: str
    industry_section: str
    size_class: str | None
    above_scale: bool
    business_status: str
    legal_representative: str
    contact_person: str
    contact_phone: str
    registered_on: date | None
    latest_year: int | None
    latest_revenue_fen: int | None
    latest_employees: int | None
    archived: bool
    updated_at: datetime | None
    incomplete: tuple[str, ...] = ()  # 资料待补充: what is missing or doubtful, one line each
    name_sort: str = ""  # the name's pinyin, a space between syllables: what 企业名称 sorts by
    search_key: str = ""  # what the search box matches (name, pinyin, USCC; models/search_keys.py)

    @property
    def size_class_label(self) -> str:
        return codes.label(codes.SIZE_CLASSES, self.size_class)

    @property
    def business_status_label(self) -> str:
        return codes.label(codes.BUSINESS_STATUSES, self.business_status)


def row_from_db(r: AnyRow) -> EnterpriseRow:
    return EnterpriseRow(
        r.id, r.uuid, r.uscc, r.name, r.county_code, r.township_code, r.township_name or "",
        r.industry_section or "", r.size_class, bool(r.above_scale), r.business_status,
        r.legal_representative, r.contact_person, r.contact_phone, r.registered_on,
        r.latest_year, r.latest_revenue_fen, r.latest_employees, r.archived_at is not None,
        r.updated_at, tuple(parse_marks(getattr(r, "incomplete", "")).values()),
        getattr(r, "name_pinyin", ""), getattr(r, "search_key", ""))


@dataclass(frozen=True)
class SavedEnterprise:
    """What a save reports back: the id, the name, and any warnings that did not block it."""

    id: int
    name: str
    warnings: list[str]
    size_class: str | None
    size_class_computed: str | None
