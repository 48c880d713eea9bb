"""Travelling records to and from package rows: the county's snapshot, the city's merge by UUID.

Values travel as SQLite stores them (dates 'YYYY-MM-DD', times 'YYYY-MM-DD HH:MM:SS.ffffff', booleans 0/1),
so a round trip is exact. Foreign keys to other travelling records travel as the referenced UUID in a
column named `<name>_uuid` (enterprise_id → enterprise_uuid); codes (county, pool, …) travel as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Float
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.models import Base
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.targets import ALLOCATED
from lvqi_desktop.storage.id_sequences import driver_sql
from lvqi_desktop.storage.id_sequences import on_server
from lvqi_desktop.storage.id_sequences import reserve_ids
from lvqi_desktop.storage.server import explain


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]  # stored columns except id
    refs: dict[str, tuple[str, str]]  # package key (x_uuid) → (column x_id, referenced table)
    shapes: tuple[tuple[str, str, int | None, bool], ...] = ()  # package key → (kind, max length, nullable)

    def package_keys(self) -> tuple[str, ...]:
        back = {col: key for key, (col, _t) in self.refs.items()}
        return tuple(back.get(c, c) for c in self.columns)


def _ref_key(column: str) -> str:
    return (column[:-3] if column.endswith("_id") else column) + "_uuid"


# Never in a package: the row's id in this database, and its edit version (models/base.py EditedInForms),
# which the city raises itself whenever a merge changes the record.
_LOCAL_COLUMNS = frozenset({"id", "version"})


@cache
def travelling_tables() -> tuple[TableSpec, ...]:
    """Every table of TravellingRecord classes, parents before children."""
    travelling = {m.local_table.name for m in Base.registry.mappers
                  if issubclass(m.class_, TravellingRecord) and isinstance(m.local_table, Table)}
    specs = []
    for table in Base.metadata.sorted_tables:
        if table.name not in travelling:
            continue
        refs: dict[str, tuple[str, str]] = {}
        for col in table.columns:
            for fk in col.foreign_keys:
                if fk.column.table.name in travelling:
                    refs[_ref_key(str(col.name))] = (str(col.name), str(fk.column.table.name))
        back = {col: key for key, (col, _t) in refs.items()}
        stored = [c for c in table.columns if c.name not in _LOCAL_COLUMNS]
        shapes = tuple(_shape(back.get(str(c.name), str(c.name)), c, str(c.name) in back) for c in stored)
        specs.append(TableSpec(str(table.name), tuple(str(c.name) for c in stored), refs, shapes))
    return tuple(specs)


def _shape(key: str, column: Any, is_ref: bool) -> tuple[str, str, int | None, bool]:
    """(package key, kind, max length, nullable) of one column: what validation/record_shape checks."""
    t = column.type
    if is_ref or key == "uuid":
        kind, length = "uuid", 36
    elif isinstance(t, Boolean):
        kind, length = "bool", None
    elif isinstance(t, Integer):
        kind, length = "int", None
    elif isinstance(t, DateTime):
        kind, length = "datetime", None
    elif isinstance(t, Date):
        kind, length = "date", None
    elif isinstance(t, Float | Numeric):
        kind, length = "number", None
    elif isinstance(t, String):
        kind, length = ("line" if t.length else "text"), t.length
    else:
        kind, length = "text", None
    return key, kind, length, bool(column.nullable)


def size_rules(session: Session) -> dict[str, Any]:
    """group code → its size_class_rule row (the city recomputes every enterprise's size class)."""
    from lvqi_desktop.models import SizeClassRule

    return {r.group_code: r for r in session.query(SizeClassRule).all()}


def spec_of(name: str) -> TableSpec | None:
    return next((s for s in travelling_tables() if s.name == name), None)


def _cols(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)  # quoted: a column may be called `values`


def _raw(session: Session, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(session.connection().exec_driver_sql(driver_sql(session, sql), tuple(params)).fetchall())


def look_up_ids(session: Session, table: str, uuids: Iterable[str | None], known: dict[str, int]) -> None:
    """Add to `known` (uuid → id of `table`) the ids of those `uuids` it lacks, read by the uuid index: only the
    records a package refers to or changes, not the whole table (a million firms in the province's city)."""
    missing = sorted({u for u in uuids if u is not None and u not in known})
    if not missing:
        return
    if on_server(session):
        known.update(_raw(session, f'SELECT uuid, id FROM "{table}" WHERE uuid = ANY(?)', (missing,)))
        return
    for start in range(0, len(missing), 500):
        chunk = missing[start:start + 500]
        known.update(_raw(session, f'SELECT uuid, id FROM "{table}" WHERE uuid IN ({", ".join("?" * len(chunk))})',
                          chunk))


# ---- county side

# Rows of a table that belong to the county's package; city-wide targets (seeded everywhere) stay home.
_COUNTY_ROWS = {"target": "scope = ?"}


def snapshot(session: Session, county_code: str) -> dict[str, list[dict[str, Any]]]:
    """Every travelling record of this county, archived ones included, in id order."""
    out: dict[str, list[dict[str, Any]]] = {}
    id_uuid: dict[str, dict[int, str]] = {}
    for spec in travelling_tables():
        where = _COUNTY_ROWS.get(spec.name)
        rows = _raw(session, f"SELECT id, {_cols(spec.columns)} FROM \"{spec.name}\""
                             f"{' WHERE ' + where if where else ''} ORDER BY id", (county_code,) if where else ())
        id_uuid[spec.name] = {}
        keys = spec.package_keys()
        ref_at = [(i, spec.refs[k][1]) for i, k in enumerate(keys) if k in spec.refs]
        uuid_at = spec.columns.index("uuid")
        records = []
        plain = _as_sqlite_stores if on_server(session) else None
        for row in rows:
            values = list(row[1:]) if plain is None else [plain(v) for v in row[1:]]
            id_uuid[spec.name][row[0]] = values[uuid_at]
            for i, target in ref_at:
                if values[i] is not None:
                    values[i] = id_uuid[target][values[i]]
            records.append(dict(zip(keys, values, strict=True)))
        out[spec.name] = records
    return out


def _as_sqlite_stores(value: Any) -> Any:
    """A PostgreSQL value as SQLite keeps it (what packages carry): date-times and dates as text, flags as 0/1,
    exact decimals as floats, so a record reads the same on either engine."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S.%f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


# ---- city side

def _origin_lines(session: Session, county_code: str) -> list[str]:
    found = _raw(session, "SELECT entries FROM origin_map WHERE county_code = ?", (county_code,))
    return found[0][0].split("\n") if found and found[0][0] else []


def origins_of(session: Session, county_code: str) -> dict[str, tuple[str, bool]]:
    """uuid → (line hash, archived) of every record merged from `county_code`'s packages."""
    return {u: (h, a == "1") for u, h, a in (line.split("\t") for line in _origin_lines(session, county_code))}


def save_origins(session: Session, county_code: str, changes: Sequence[tuple[str, str, str]]) -> None:
    """Note new and changed records (uuid, line hash, "1" if archived else "0") in the county's origin map."""
    if not changes:
        return
    old = _origin_lines(session, county_code)
    lines = dict(zip([line[:line.index("\t")] for line in old], old, strict=True))
    lines.update(zip(map(itemgetter(0), changes), map("\t".join, changes), strict=True))
    session.connection().exec_driver_sql(driver_sql(
        session, "INSERT INTO origin_map (county_code, entries) VALUES (?, ?) "
        "ON CONFLICT (county_code) DO UPDATE SET entries = excluded.entries"), (county_code, "\n".join(lines.values())))


def target_keys(session: Session, scope: str) -> dict[tuple[str, int], str]:
    """(metric, year) → uuid of every target of `scope` in this database, archived ones included."""
    return {(m, y): u for m, y, u in _raw(session, "SELECT metric, year, uuid FROM target WHERE scope = ?", (scope,))}


def allocated_target_uuids(session: Session, scope: str) -> set[str]:
    """UUIDs of the targets the city allocated to `scope` (a county gets them in receipts, not from its packages)."""
    return {u for (u,) in _raw(session, "SELECT uuid FROM target WHERE scope = ? AND substr(source, 1, ?) = ?",
                               (scope, len(ALLOCATED), ALLOCATED))}


def all_uuids(session: Session) -> set[str]:
    """Every UUID of every travelling record in this database."""
    out: set[str] = set()
    for spec in travelling_tables():
        out.update(u for (u,) in _raw(session, f"SELECT uuid FROM \"{spec.name}\""))
    return out


def existing_uuids(session: Session, uuids: Sequence[str]) -> set[str]:
    """Those of `uuids` some travelling record already has (few: checked by index)."""
    found: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = list(uuids[start:start + 500])
        marks = ", ".join("?" * len(chunk))
        for spec in travelling_tables():
            found.update(u for (u,) in _raw(session, f"SELECT uuid FROM \"{spec.name}\" WHERE uuid IN ({marks})", chunk))
    return found


def _execute_many(session: Session, sql: str, params: list[tuple[Any, ...]], copy_into: str = "") -> None:
    """Run `sql` for every row of `params`; on the server, rows for `copy_into` ("table (columns)") go by COPY,
    several times faster than INSERTs there, in the same transaction."""
    if not params:
        return
    try:
        if copy_into and on_server(session):
            _copy(session, copy_into, params)
        else:
            session.connection().exec_driver_sql(driver_sql(session, sql), params)
    except IntegrityError as exc:  # e.g. a natural key already held by another record: the whole import stops
        _refuse_record(exc.orig, exc)
    except Exception as exc:  # psycopg's own error out of COPY: a refused row, or the server's trouble
        if not hasattr(exc, "sqlstate"):
            raise
        if (exc.sqlstate or "")[:2] == "23":  # integrity_constraint_violation
            _refuse_record(exc, exc)
        raise ServerTrouble(explain(exc, session.get_bind().engine.url.render_as_string())) from exc


def _refuse_record(detail: object, exc: BaseException) -> None:
    raise LvqiError(f"导入时数据库拒绝了一条记录（{detail}），本次导入已全部撤销，数据库未作任何更改。"
                    "请把报送包和这条信息交给技术支持。") from exc


def _copy(session: Session, target: str, rows: list[tuple[Any, ...]]) -> None:
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


BULK_ROWS = 5000  # a table receiving fewer new rows keeps its indexes during a merge


def suspend_indexes(session: Session, new_rows: Mapping[str, int]) -> list[str]:
    """Drop the plain (not unique) indexes of each table about to receive more new rows than it holds, and
    return their CREATE statements for `restore_indexes`: building an index once over sorted keys is cheaper
    than a million scattered inserts. Inside the caller's transaction, so a rollback or a kill restores them."""
    if on_server(session):
        return []  # PostgreSQL keeps its indexes: another clerk may be reading them (MVCC makes inserts cheap enough)
    tables = [t for t, n in new_rows.items() if n >= BULK_ROWS and n > _raw(
        session, f"SELECT COALESCE(MAX(id), 0) FROM \"{t}\"")[0][0]]
    if not tables:
        return []
    found = _raw(session, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                          f"AND tbl_name IN ({', '.join('?' * len(tables))})", tables)
    plain = [(name, sql) for name, sql in found if not sql.upper().startswith("CREATE UNIQUE")]
    _begin(session)
    for name, _sql in plain:
        session.connection().exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in plain]


def _begin(session: Session) -> None:
    """Open the transaction now: the sqlite3 module opens one only before INSERT/UPDATE/DELETE, so a DROP
    INDEX issued first would be committed at once, and a kill or a rollback would not bring the index back."""
    if not session.connection().connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def restore_indexes(session: Session, statements: Sequence[str]) -> None:
    for sql in statements:
        session.connection().exec_driver_sql(sql)


IMPORT_LOCK = 0x4C56_5149_0002  # pg_advisory_xact_lock key of "a package is being merged"


def one_import_at_a_time(session: Session) -> None:
    """On the server, wait until no other clerk's import is merging (released at commit or rollback), so the
    check that a package is not already in sees the other's result. A SQLite file has one writer anyway."""
    if on_server(session):
        # read committed, unlike other use cases: after the wait this import must see what the other one wrote
        session.connection(execution_options={"isolation_level": "READ COMMITTED"})
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK})


def widen_cache(session: Session, on: bool) -> None:
    """A big page cache while merging: a million random UUIDs into unique indexes thrash the default 2 MB.
    The server's memory is the IT department's to set (shared_buffers)."""
    if on_server(session):
        return
    session.connection().exec_driver_sql(f"PRAGMA cache_size = {-262144 if on else -2000}")


def _column(records: Sequence[Mapping[str, Any]], key: str) -> list[Any]:
    """One key of every record (None where a record lacks it), at C speed when none lacks it."""
    try:
        return list(map(itemgetter(key), records))
    except KeyError:
        return [r.get(key) for r in records]


def _rows_in_key_order(records: Sequence[Mapping[str, Any]], keys: tuple[str, ...]) -> list[tuple[Any, ...]] | None:
    """The values of `keys` of each record as tuples, when every record has the same keys in the same order
    (the package writer sorts them): one C call per record instead of one dict lookup per value. None otherwise."""
    first = tuple(records[0])
    if not set(keys) <= set(first) or any(map(first.__ne__, map(tuple, records))):
        return None
    pick = itemgetter(*(first.index(k) for k in keys))
    return list(map(pick, map(tuple, map(dict.values, records))))  # type: ignore[arg-type]


def _params(spec: TableSpec, records: Sequence[Mapping[str, Any]], ids: dict[str, dict[str, int]],
            typed: bool = False) -> list[Any]:
    """The stored columns of `records`, column by column, references turned from UUIDs into city ids;
    `typed` (PostgreSQL) also turns the package's 0/1 flags into booleans, which SQLite stores as they are."""
    keys = spec.package_keys()
    if not records:
        return [[] for _k in keys]
    rows = _rows_in_key_order(records, keys) if len(keys) > 1 else None
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows is not None else [_column(records, k) for k in keys]
    for i, key in enumerate(keys):
        if key in spec.refs:
            mapping = ids[spec.refs[key][1]]
            columns[i] = [None if v is None else mapping[v] for v in columns[i]]
        elif typed and spec.shapes[i][1] == "bool":
            columns[i] = [None if v is None else bool(v) for v in columns[i]]
    return columns


def merge_table(session: Session, spec: TableSpec, new: Sequence[Mapping[str, Any]],
                changed: Sequence[Mapping[str, Any]], hashes: Mapping[str, str], ids: dict[str, dict[str, int]]
                ) -> list[tuple[str, str, str]]:
    """INSERT new and UPDATE changed records of one table; `ids` maps table → uuid → city id (the ids looked up
    or given so far, kept current for the tables others refer to). Returns (uuid, line hash, "1" if archived) of each, for `save_origins`."""
    for key, (_col, target) in spec.refs.items():
        look_up_ids(session, target, [*_column(new, key), *_column(changed, key)], ids.setdefault(target, {}))
    mine = ids.setdefault(spec.name, {})
    new_uuids, changed_uuids = _column(new, "uuid"), _column(changed, "uuid")
    look_up_ids(session, spec.name, changed_uuids, mine)
    new_ids, typed = reserve_ids(session, spec.name, len(new)), on_server(session)
    if spec.name in _referred():
        mine.update(zip(new_uuids, new_ids, strict=True))
    cols = _cols(spec.columns)
    _execute_many(session, f"INSERT INTO \"{spec.name}\" (id, {cols}) VALUES ({', '.join('?' * (len(spec.columns) + 1))})",
                  list(zip(new_ids, *_params(spec, new, ids, typed), strict=True)), f'"{spec.name}" (id, {cols})')
    sets = ", ".join(f'"{c}" = ?' for c in spec.columns)
    if "version" in Base.metadata.tables[spec.name].c:  # a clerk holding the record open is told on saving
        sets += ', "version" = "version" + 1'
    _execute_many(session, f"UPDATE \"{spec.name}\" SET {sets} WHERE id = ?",
                  list(zip(*_params(spec, changed, ids, typed), [mine[u] for u in changed_uuids], strict=True)))
    uuids = new_uuids + changed_uuids
    return list(zip(uuids, map(hashes.__getitem__, uuids), _archived([*new, *changed]), strict=True))


def _archived(records: Sequence[Mapping[str, Any]]) -> list[str]:
    return ["0" if v is None else "1" for v in _column(records, "archived_at")]


@cache
def _referred() -> frozenset[str]:
    """The tables some travelling table refers to (their uuid → id maps are needed while merging)."""
    return frozenset(target for spec in travelling_tables() for _col, target in spec.refs.values())


def live_enterprise_keys(session: Session) -> list[tuple[str, str, str, str, str]]:
    """(county_code, uscc, name_key, name, county name) of every enterprise not archived."""
    return [tuple(r) for r in _raw(
        session, "SELECT e.county_code, e.uscc, e.name_key, e.name, COALESCE(c.name, e.county_code) FROM enterprise e "
                 "LEFT JOIN county c ON c.code = e.county_code WHERE e.archived_at IS NULL")]
