"""Queries over the enterprise register and its yearly figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import Township
from lvqi_desktop.models.search_keys import search_terms
from lvqi_desktop.models.search_keys import typed_spellings
from lvqi_desktop.storage.id_sequences import on_server
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.repositories.rows import AnySelect

LIST_COLUMNS = (
    Enterprise.id, Enterprise.uuid, Enterprise.uscc, Enterprise.name, Enterprise.county_code,
    Enterprise.township_code, Township.name.label("township_name"), Enterprise.industry_section,
    Enterprise.size_class, Enterprise.above_scale, Enterprise.business_status,
    Enterprise.legal_representative, Enterprise.contact_person, Enterprise.contact_phone,
    Enterprise.registered_on, Enterprise.latest_year, Enterprise.latest_revenue_fen,
    Enterprise.latest_employees, Enterprise.archived_at, Enterprise.updated_at, Enterprise.incomplete,
    Enterprise.name_pinyin, Enterprise.search_key,
)


@dataclass(frozen=True)
class EnterpriseFilter:
    """What the register page or the CLI asks for; empty values mean 'any'."""

    search: str = ""
    county_code: str = ""
    township_code: str = ""
    industry_section: str = ""
    size_class: str = ""  # '1'..'4', or 'none' for not yet classified
    above_scale: bool | None = None
    archived: bool = False  # False: current records; True: the archive
    incomplete: bool = False  # True: only firms marked 资料待补充


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _key_matches(term: str) -> ColumnElement[bool]:
    """The search key contains the term in any of its pinyin spellings (ü typed as u, v or ü); the register
    runs the same rule on its loaded rows (search_keys.keys_matching)."""
    return or_(*(Enterprise.search_key.like(f"%{_escape_like(t)}%", escape="\\") for t in typed_spellings(term)))


class EnterpriseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, enterprise_id: int) -> Enterprise | None:
        return self.session.get(Enterprise, enterprise_id)

    def add(self, enterprise: Enterprise) -> None:
        self.session.add(enterprise)

    def by_uscc(self, county_code: str, uscc: str, exclude_id: int | None = None) -> Enterprise | None:
        stmt = select(Enterprise).where(Enterprise.county_code == county_code, Enterprise.uscc == uscc)
        if exclude_id is not None:
            stmt = stmt.where(Enterprise.id != exclude_id)
        return self.session.scalars(stmt).first()

    def find_by_uscc(self, uscc: str, county_code: str | None = None) -> Enterprise | None:
        """The enterprise with this USCC (current ones before archived), optionally within one county."""
        stmt = select(Enterprise).where(Enterprise.uscc == uscc)
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        return self.session.scalars(stmt.order_by(Enterprise.archived_at.is_not(None))).first()

    def by_name_key(self, county_code: str, key: str, exclude_id: int | None = None) -> Enterprise | None:
        stmt = select(Enterprise).where(Enterprise.county_code == county_code, Enterprise.name_key == key,
                                        Enterprise.archived_at.is_(None))
        if exclude_id is not None:
            stmt = stmt.where(Enterprise.id != exclude_id)
        return self.session.scalars(stmt).first()

    def _filtered(self, stmt: AnySelect, f: EnterpriseFilter) -> AnySelect:
        stmt = stmt.where(Enterprise.archived_at.is_not(None) if f.archived else Enterprise.archived_at.is_(None))
        for term in search_terms(f.search):
            stmt = stmt.where(_key_matches(term))
        if f.county_code:
            stmt = stmt.where(Enterprise.county_code == f.county_code)
        if f.township_code:
            stmt = stmt.where(Enterprise.township_code == f.township_code)
        if f.industry_section:
            stmt = stmt.where(Enterprise.industry_section == f.industry_section)
        if f.size_class == "none":
            stmt = stmt.where(Enterprise.size_class.is_(None))
        elif f.size_class:
            stmt = stmt.where(Enterprise.size_class == f.size_class)
        if f.above_scale is not None:
            stmt = stmt.where(Enterprise.above_scale.is_(f.above_scale))
        if f.incomplete:
            stmt = stmt.where(Enterprise.incomplete != "")
        return stmt

    def list_rows(self, f: EnterpriseFilter, ids: Sequence[int] | None = None) -> Sequence[AnyRow]:
        stmt = select(*LIST_COLUMNS).outerjoin(Township, Township.code == Enterprise.township_code)
        stmt = self._filtered(stmt, f) if ids is None else stmt.where(Enterprise.id.in_(ids))
        return self.session.execute(stmt.order_by(Enterprise.id)).all()

    def matching_ids(self, f: EnterpriseFilter) -> list[int]:
        """Ids only, fetched on the raw DB-API cursor: SQLAlchemy's row processing would cost ~70 ms
        for 50,000 ids, more than the query itself (a search keystroke must stay under 50 ms)."""
        stmt = self._filtered(select(Enterprise.id), f)
        if on_server(self.session):  # psycopg's rows are plain tuples already
            return list(self.session.execute(stmt).scalars())
        compiled = stmt.compile(dialect=self.session.get_bind().dialect)
        params = compiled.construct_params()
        positional = [params[name] for name in compiled.positiontup or ()]
        driver = self.session.connection().connection.driver_connection
        assert driver is not None  # a checked-out connection always holds its DB-API connection
        cursor = driver.execute(str(compiled), positional)
        return [row[0] for row in cursor]

    def current_ids(self) -> list[int]:
        """Every current (not archived) firm's id in id order, whichever index the database reads: what the demo
        generators draw from, so one seed draws the same firms on SQLite and PostgreSQL."""
        stmt = select(Enterprise.id).where(Enterprise.archived_at.is_(None)).order_by(Enterprise.id)
        return list(self.session.execute(stmt).scalars())

    def count(self, archived: bool = False) -> int:
        cond = Enterprise.archived_at.is_not(None) if archived else Enterprise.archived_at.is_(None)
        return self.session.scalar(select(func.count()).select_from(Enterprise).where(cond)) or 0

    def count_all(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Enterprise)) or 0

    def year(self, enterprise_id: int, year: int) -> EnterpriseYear | None:
        stmt = select(EnterpriseYear).where(EnterpriseYear.enterprise_id == enterprise_id,
                                            EnterpriseYear.year == year)
        return self.session.scalars(stmt).first()

    def search_any(self, text: str, limit: int = 20) -> Sequence[Enterprise]:
        stmt = select(Enterprise).where(_key_matches(text.lower())).limit(limit)
        return self.session.scalars(stmt).all()
