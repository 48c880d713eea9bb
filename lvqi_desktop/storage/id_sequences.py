"""Explicit primary keys on both engines: SQL with ? marks for either driver, and PostgreSQL's id sequences."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection
from sqlalchemy import text
from sqlalchemy.orm import Session


def on_server(session: Session | Connection) -> bool:
    """True on the city edition's PostgreSQL server, False on a SQLite file."""
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    return dialect.name != "sqlite"


def server_setting_off(session: Session, name: str) -> None:
    """On the PostgreSQL server, turn a planner setting (jit, enable_memoize …) off for this transaction only;
    a server without that setting, and SQLite, are left as they are."""
    server_setting(session, name, "off")


def server_setting(session: Session, name: str, value: str) -> None:
    """On the PostgreSQL server, give a planner setting a value for this transaction only (server_setting_off)."""
    if on_server(session):
        session.execute(text("SELECT set_config(name, :value, true) FROM pg_settings WHERE name = :name"),
                        {"name": name, "value": value})


def driver_sql(session: Session, sql: str) -> str:
    """SQL written with SQLite's ? marks, for the session's driver (psycopg wants %s). The fast paths pass
    no literal ? or % in their SQL, only column and table names the program chose."""
    return sql.replace("?", "%s") if on_server(session) else sql


def reserve_ids(session: Session, table: str, count: int) -> Sequence[int]:
    """Ids for `count` rows INSERTed with explicit ids. SQLite: the next after the highest (the writer holds the
    database). PostgreSQL: drawn from the table's sequence, so two clerks importing at once never collide."""
    if count <= 0:
        return range(0)
    if not on_server(session):
        top = session.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar() or 0
        return range(top + 1, top + 1 + count)
    return list(session.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                                {"t": f'"{table}"', "n": count}).scalars())


def follow_ids(session: Session | Connection, table: str) -> None:
    """After rows were INSERTed with explicit ids: PostgreSQL's sequence moves past them (SQLite needs nothing)."""
    if on_server(session):
        session.execute(text(f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                             f'GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), 1))'), {"t": f'"{table}"'})
