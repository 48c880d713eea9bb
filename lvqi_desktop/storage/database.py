"""The SQLite engine with this program's pragmas, and the session factory over it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from lvqi_desktop.storage.county_owned import install_county_owned
from lvqi_desktop.storage.history import install_history
from lvqi_desktop.storage.period_lock import install_period_locks

SQLITE_HEADER = b"SQLite format 3\x00"


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # persistent in the file; needs a local disk
    cur.execute("PRAGMA synchronous=NORMAL")  # durable enough under WAL
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _set_read_only_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA query_only=ON")  # a write fails at once instead of half-way
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(db_path: Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """`read_only` opens with SQLite's mode=ro; `immutable` also never creates -wal/-shm (a read-only folder)."""
    # hide_parameters: an error's text (and so any log or traceback) never shows the row's names and phones
    if not read_only:
        engine = create_engine(f"sqlite:///{db_path}", connect_args={"check_same_thread": False},
                               hide_parameters=True)
        event.listen(engine, "connect", _set_pragmas)
        return engine
    uri = Path(db_path).resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    engine = create_engine(f"sqlite:///{uri}&uri=true", connect_args={"check_same_thread": False},
                           hide_parameters=True)
    event.listen(engine, "connect", _set_read_only_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)
    install_period_locks(factory)  # a received (locked) period refuses writes dated inside it
    install_county_owned(factory)  # the city edition cannot change what a county sent
    install_history(factory)  # every flush writes its change records in the same transaction
    return factory


def looks_like_sqlite(path: Path) -> bool:
    """True for an empty file or one starting with the SQLite header."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    return head == SQLITE_HEADER or head == b""
