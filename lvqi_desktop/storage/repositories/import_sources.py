"""Queries and writes only the Excel import needs: everything it checks 20,000 rows against, loaded
in a few bulk reads, and the bulk INSERT of new enterprises with their history."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models import Demand
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import Helper
from lvqi_desktop.models import Visit
from lvqi_desktop.models import VisitParticipant
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.locking import year_span
from lvqi_desktop.models.reference import County
from lvqi_desktop.models.reference import IndustrySection
from lvqi_desktop.models.reference import Township
from lvqi_desktop.storage import bulk_insert
from lvqi_desktop.storage.history import record_inserted_rows
from lvqi_desktop.storage.period_lock import refuse_locked_spans

_CHUNK = 900  # bound parameters per IN (SQLite allows 999 in old builds)



class ImportSources:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reference data, as plain dicts
    def counties(self) -> dict[str, str]:
        """code → name."""
        return {code: name for code, name in self.session.execute(select(County.code, County.name))}

    def townships(self) -> dict[str, tuple[str, str]]:
        """code → (county code, name)."""
        return {code: (county, name) for code, county, name in
                self.session.execute(select(Township.code, Township.county_code, Township.name))}

    def sections(self) -> dict[str, str]:
        """code → name."""
        return {code: name for code, name in self.session.execute(select(IndustrySection.code, IndustrySection.name))}

    # ---- the register
    def existing_by_uscc(self, usccs: Iterable[str]) -> dict[tuple[str, str], Any]:
        """Stored enterprises with these USCCs, archived ones included, keyed (county, uscc): plain
        read-only records (SimpleNamespace with the table's columns and `years`, the year rows in year
        order). 20,000 of them load in a fraction of the time ORM objects take; nothing is written
        through them."""
        ent, yr = Enterprise.__table__, EnterpriseYear.__table__
        found: dict[tuple[str, str], Any] = {}
        by_id: dict[int, Any] = {}
        ordered = sorted(u for u in usccs if u)
        for i in range(0, len(ordered), _CHUNK):
            for row in self.session.execute(select(ent).where(ent.c.uscc.in_(ordered[i:i + _CHUNK]))):
                e = SimpleNamespace(**row._mapping, years=[])
                found[(e.county_code, e.uscc)] = e
                by_id[e.id] = e
        ids = sorted(by_id)
        for i in range(0, len(ids), _CHUNK):
            stmt = select(yr).where(yr.c.enterprise_id.in_(ids[i:i + _CHUNK])).order_by(yr.c.year)
            for row in self.session.execute(stmt):
                by_id[row.enterprise_id].years.append(SimpleNamespace(**row._mapping))
        return found

    def current_names(self) -> dict[tuple[str, str], tuple[int, str, str]]:
        """(county, name_key) → (id, name, uscc) of the current (not archived) enterprises — the set
        EnterpriseRepository.by_name_key looks in."""
        e = Enterprise
        stmt = select(e.id, e.county_code, e.name_key, e.name, e.uscc).where(e.archived_at.is_(None))
        return {(county, key): (i, name, uscc) for i, county, key, name, uscc in self.session.execute(stmt)}

    def register_mark(self) -> tuple[object, ...]:
        """Changes whenever the register does: every write through a unit of work adds change history."""
        s = self.session
        return (s.scalar(select(func.max(ChangeRecord.id))), s.scalar(select(func.count(Enterprise.id))),
                s.scalar(select(func.max(Enterprise.updated_at))), s.scalar(select(func.count(EnterpriseYear.id))))

    # ---- records hung on enterprises (pools, demands, visits, helpers imports)
    def demand_keys(self, enterprise_ids: Iterable[int]) -> dict[tuple[int, object, str, str], str]:
        """(enterprise id, received_on, category, description) → number of the current demands of these firms."""
        d = Demand.__table__
        found: dict[tuple[int, object, str, str], str] = {}
        for chunk in _chunks(enterprise_ids):
            stmt = select(d.c.enterprise_id, d.c.received_on, d.c.category, d.c.description, d.c.number).where(
                d.c.enterprise_id.in_(chunk), d.c.archived_at.is_(None))
            for eid, on, category, description, number in self.session.execute(stmt):
                found[(eid, on, category, description)] = number
        return found

    def current_pool_records(self, enterprise_ids: Iterable[int]) -> dict[tuple[int, str], CultivationRecord]:
        """(enterprise id, pool) → the current (not archived) cultivation record, for these firms."""
        found: dict[tuple[int, str], CultivationRecord] = {}
        for chunk in _chunks(enterprise_ids):
            stmt = select(CultivationRecord).where(CultivationRecord.enterprise_id.in_(chunk),
                                                   CultivationRecord.archived_at.is_(None))
            for rec in self.session.scalars(stmt):
                found[(rec.enterprise_id, rec.pool)] = rec
        return found

    def visit_keys(self, enterprise_ids: Iterable[int]) -> set[tuple[int, object, frozenset[int]]]:
        """(enterprise id, visited_on, helper ids who went) of the current visits of these firms."""
        v, p = Visit.__table__, VisitParticipant.__table__
        people: dict[int, set[int]] = {}
        keys: dict[int, tuple[int, object]] = {}
        for chunk in _chunks(enterprise_ids):
            for vid, eid, on in self.session.execute(select(v.c.id, v.c.enterprise_id, v.c.visited_on).where(
                    v.c.enterprise_id.in_(chunk), v.c.archived_at.is_(None))):
                keys[vid] = (eid, on)
        for chunk in _chunks(keys):
            for vid, hid in self.session.execute(select(p.c.visit_id, p.c.helper_id).where(
                    p.c.visit_id.in_(chunk), p.c.archived_at.is_(None))):
                people.setdefault(vid, set()).add(hid)
        return {(eid, on, frozenset(people.get(vid, ()))) for vid, (eid, on) in keys.items()}

    def helpers_by_name(self) -> dict[str, list[int]]:
        """Name → ids of the current (not archived) helpers."""
        h = Helper.__table__
        found: dict[str, list[int]] = {}
        for hid, name in self.session.execute(select(h.c.id, h.c.name).where(h.c.archived_at.is_(None))
                                              .order_by(h.c.id)):
            found.setdefault(name, []).append(hid)
        return found

    # ---- bulk writes
    def next_ids(self) -> tuple[int, int]:
        """The first free ids of enterprise and enterprise_year."""
        return bulk_insert.next_ids(self.session)

    def insert_new(self, enterprises: Sequence[dict[str, object]], years: Sequence[dict[str, object]],
                   enterprise_title: Callable[[Mapping[str, Any]], str],
                   year_title: Callable[[Mapping[str, Any]], str]) -> None:
        """INSERT prepared rows (ids set, all with the same keys) and their change history, in the
        session's open transaction; no commit here. Yearly figures of a received (locked) year are refused."""
        refuse_locked_spans(self.session, "导入的年度数据",
                            sorted({span for y in years for span in year_span(int(y["year"]))}))  # type: ignore[call-overload]
        bulk_insert.insert_enterprises(self.session, enterprises, years)
        record_inserted_rows(self.session, "enterprise", enterprises, enterprise_title)
        record_inserted_rows(self.session, "enterprise_year", years, year_title)


def _chunks(values: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(values))
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]

