"""Bulk writes of prepared enterprise rows (demo data, later imports): plain INSERTs inside the caller's session."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from operator import itemgetter

from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models.history import ACTION_BATCH
from lvqi_desktop.storage.history import append_event
from lvqi_desktop.storage.id_sequences import driver_sql
from lvqi_desktop.storage.id_sequences import follow_ids

ENTERPRISE_TABLE = Enterprise.__table__
YEAR_TABLE = EnterpriseYear.__table__


def taken_keys(session: Session, county_codes: Iterable[str]) -> dict[str, tuple[set[str], set[str]]]:
    """Per county: the USCCs and folded names (name_key) already in the register, archived ones included."""
    codes = list(county_codes)
    taken: dict[str, tuple[set[str], set[str]]] = {code: (set(), set()) for code in codes}
    stmt = select(Enterprise.county_code, Enterprise.uscc, Enterprise.name_key).where(
        Enterprise.county_code.in_(codes))
    for county, uscc, key in session.execute(stmt):
        usccs, names = taken[county]
        usccs.add(uscc)
        names.add(key)
    return taken


def next_ids(session: Session) -> tuple[int, int]:
    """The first free primary keys of enterprise and enterprise_year (records are never deleted)."""
    enterprise = session.scalar(select(func.max(Enterprise.id))) or 0
    year = session.scalar(select(func.max(EnterpriseYear.id))) or 0
    return enterprise + 1, year + 1


def _insert_many(session: Session, table: Table, rows: Sequence[dict[str, object]]) -> None:
    """One executemany straight to the driver; values pass through the column types' own bind
    processors (dates and times are stored exactly as the ORM stores them)."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    processors = [(i, proc) for i, name in enumerate(columns)
                  if (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    getter = itemgetter(*columns)
    params: list[tuple[object, ...]] = []
    for row in rows:
        values = list(getter(row))
        for i, proc in processors:
            if values[i] is not None:
                values[i] = proc(values[i])
        params.append(tuple(values))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    session.connection().exec_driver_sql(driver_sql(session, sql), params)
    follow_ids(session, str(table.name))


def insert_enterprises(session: Session, enterprises: Sequence[dict[str, object]],
                       years: Sequence[dict[str, object]]) -> None:
    """INSERT prepared rows (ids set by the caller, all with the same keys) in the session's open
    transaction; no commit here."""
    _insert_many(session, ENTERPRISE_TABLE, enterprises)
    _insert_many(session, YEAR_TABLE, years)


def record_batch(session: Session, summary: str, table: str, details: dict[str, object]) -> None:
    """One change-history row naming the whole bulk insert, under the session's operator.

    Core INSERTs bypass the per-record flush listeners of storage/history.py; one row per generated
    record would double the work, so a bulk insert is recorded as this single batch row.
    """
    append_event(session, ACTION_BATCH, summary, table, {key: [None, value] for key, value in details.items()})
