"""Moving a city SQLite database onto an empty PostgreSQL one: every table, history included, verified."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.models import Base
from lvqi_desktop.models import Office
from lvqi_desktop.models.office import OFFICE_KIND_CITY
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage.id_sequences import follow_ids
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.server import shown_url

CHUNK = 2000
# A fresh migration seeds reference lists (counties, pools, base kinds …) on the server too: those are replaced
# by the copy's rows. Any of these tables holding rows means the server's database is in use: refused.
MUST_BE_EMPTY = ("office", "operator", "enterprise", "change_record", "package_received")


@dataclass(frozen=True)
class TableCopied:
    """One table moved: rows on both sides and the fingerprint of their content (equal when the copy is true)."""

    table: str
    source_rows: int
    server_rows: int
    source_fingerprint: str
    server_fingerprint: str

    @property
    def same(self) -> bool:
        return self.source_rows == self.server_rows and self.source_fingerprint == self.server_fingerprint


def _canonical(value: Any) -> str:
    """A value the same on both engines: SQLite's floats, flags and texts against PostgreSQL's types."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return repr(float(value))
    return str(value)


def _rows(conn: Connection, table: Table) -> Iterable[AnyRow]:
    order = list(table.primary_key.columns) or list(table.columns)
    return conn.execute(select(table).order_by(*order)).yield_per(CHUNK)


def fingerprint(conn: Connection, table: Table) -> tuple[int, str]:
    """(rows, SHA-256 of every row's canonical values in key order)."""
    digest, count = hashlib.sha256(), 0
    for row in _rows(conn, table):
        digest.update("\x1f".join(map(_canonical, row)).encode("utf-8") + b"\x1e")
        count += 1
    return count, digest.hexdigest()[:16]


def _refuse_unless_empty(conn: Connection, url: str) -> None:
    tables = Base.metadata.tables
    held = [name for name in MUST_BE_EMPTY if conn.execute(select(func.count()).select_from(tables[name])).scalar()]
    if held:
        raise DatabaseRefused(f"服务器上的数据库“{shown_url(url)}”已经有数据（{'、'.join(held)}），不能把本机数据复制进去，"
                              "以免两份数据混在一起。请信息科新建一个空数据库（docs/city-server.md），再复制。程序没有改动它。")


def _copy_table(src: Connection, dst: Connection, table: Table) -> None:
    """INSERT every row (the change history too: INSERT is all its triggers allow), then move the id sequence."""
    batch: list[dict[str, Any]] = []
    for row in _rows(src, table):
        batch.append(dict(row._mapping))
        if len(batch) >= CHUNK:
            dst.execute(insert(table), batch)
            batch = []
    if batch:
        dst.execute(insert(table), batch)
    if "id" in table.c and table.c["id"].primary_key:
        follow_ids(dst, str(table.name))


def copy_database(source: Engine, server: Engine, url: str, progress: Progress = NO_PROGRESS) -> list[TableCopied]:
    """Copy every table of `source` (at the head schema) into the server's database (migrated, empty) in one
    transaction, then read both back and compare counts and fingerprints; any difference rolls it all back."""
    tables = list(Base.metadata.sorted_tables)  # parents before children
    found: list[TableCopied] = []
    with source.connect() as src, server.begin() as dst:
        office = src.execute(select(Office.kind)).scalar()
        if office != OFFICE_KIND_CITY:
            raise DatabaseRefused("只有市中心的数据才能搬到数据库服务器上；本机的数据"
                                  f"{'还没有设置所属单位' if office is None else '属于县（市、区）'}，没有复制。")
        _refuse_unless_empty(dst, url)
        # deleting the seeded rows children first; the history's triggers forbid DELETE, and it is empty anyway
        for table in reversed(tables):
            if table.name != "change_record":
                dst.execute(delete(table))
        for n, table in enumerate(tables):
            progress.raise_if_cancelled()
            progress.update(n, len(tables) * 2, f"正在复制 {table.name}")
            _copy_table(src, dst, table)
        for n, table in enumerate(tables):
            progress.update(len(tables) + n, len(tables) * 2, f"正在核对 {table.name}")
            rows, mark = fingerprint(src, table)
            server_rows, server_mark = fingerprint(dst, table)
            found.append(TableCopied(table.name, rows, server_rows, mark, server_mark))
        wrong = [f.table for f in found if not f.same]
        if wrong:
            raise DatabaseRefused(f"复制后核对不一致（{'、'.join(wrong)}），已全部撤销，服务器上的数据库没有改动。"
                                  "请把这段话发给技术支持。")
    with server.begin() as dst:  # the planner's statistics now, not when autovacuum next passes
        dst.execute(text("ANALYZE"))
    return found

