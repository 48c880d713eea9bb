"""Travelling records to and from package rows: the county's snapshot, the city's merge by UUID.

Values travel as SQLite stores them (dates 'YYYY-MM-DD', times 'YYYY-MM-DD HH:MM:SS.ffffff', booleans 0/1),
so a round trip is exact. Foreign keys to other travelling records travel as the referenced UUID in a
column named `<name>_uuid` (enterprise_id → enterprise_uuid); codes (county, pool, …) travel as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models import Base
from lvqi_desktop.models.base import TravellingRecord


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]  # stored columns except id
    refs: dict[str, tuple[str, str]]  # package key (x_uuid) → (column x_id, referenced table)

    def package_keys(self) -> tuple[str, ...]:
        back = {col: key for key, (col, _t) in self.refs.items()}
        return tuple(back.get(c, c) for c in self.columns)


def _ref_key(column: str) -> str:
    return (column[:-3] if column.endswith("_id") else column) + "_uuid"


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
        specs.append(TableSpec(str(table.name), tuple(str(c.name) for c in table.columns if c.name != "id"), refs))
    return tuple(specs)


def spec_of(name: str) -> TableSpec | None:
    return next((s for s in travelling_tables() if s.name == name), None)


def _cols(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)  # quoted: a column may be called `values`


def _raw(session: Session, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(session.connection().exec_driver_sql(sql, tuple(params)).fetchall())


def uuid_ids(session: Session, table: str) -> dict[str, int]:
    return {u: i for u, i in _raw(session, f"SELECT uuid, id FROM \"{table}\"")}


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
        for row in rows:
            values = list(row[1:])
            id_uuid[spec.name][row[0]] = values[uuid_at]
            for i, target in ref_at:
                if values[i] is not None:
                    values[i] = id_uuid[target][values[i]]
            records.append(dict(zip(keys, values, strict=True)))
        out[spec.name] = records
    return out


# ---- city side

@dataclass
class Origin:
    row_hash: str
    archived: bool


def origins_of(session: Session, county_code: str) -> dict[str, tuple[str, bool]]:
    """uuid → (line hash, archived) of every record merged from `county_code`'s packages."""
    return {u: (h, bool(a)) for u, h, a in _raw(
        session, "SELECT uuid, row_hash, archived FROM record_origin WHERE county_code = ?", (county_code,))}


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


def _execute_many(session: Session, sql: str, params: list[tuple[Any, ...]]) -> None:
    if not params:
        return
    try:
        session.connection().exec_driver_sql(sql, params)
    except IntegrityError as exc:  # e.g. a natural key already held by another record: the whole import stops
        raise LvqiError(f"导入时数据库拒绝了一条记录（{exc.orig}），本次导入已全部撤销，数据库未作任何更改。"
                        "请把报送包和这条信息交给技术支持。") from exc


def widen_cache(session: Session, on: bool) -> None:
    """A big page cache while merging: a million random UUIDs into unique indexes thrash the default 2 MB."""
    session.connection().exec_driver_sql(f"PRAGMA cache_size = {-262144 if on else -2000}")


def merge_table(session: Session, spec: TableSpec, county_code: str, new: Sequence[Mapping[str, Any]],
                changed: Sequence[Mapping[str, Any]], hashes: Mapping[str, str], ids: dict[str, dict[str, int]]
                ) -> None:
    """INSERT new and UPDATE changed records of one table; `ids` maps table → uuid → city id (kept current)."""
    if spec.name not in ids:
        ids[spec.name] = uuid_ids(session, spec.name)
    mine = ids[spec.name]
    next_id = (_raw(session, f"SELECT COALESCE(MAX(id), 0) FROM \"{spec.name}\"")[0][0] or 0) + 1
    for record in new:
        mine[record["uuid"]] = next_id
        next_id += 1
    keys = spec.package_keys()
    refs = [(i, ids[spec.refs[k][1]]) for i, k in enumerate(keys) if k in spec.refs]

    def values(record: Mapping[str, Any]) -> list[Any]:
        get = record.get
        out = [get(k) for k in keys]
        for i, mapping in refs:
            if out[i] is not None:
                out[i] = mapping[out[i]]
        return out

    cols = _cols(spec.columns)
    _execute_many(session, f"INSERT INTO \"{spec.name}\" (id, {cols}) VALUES ({', '.join('?' * (len(keys) + 1))})",
                  [(mine[r["uuid"]], *values(r)) for r in new])
    sets = ", ".join(f'"{c}" = ?' for c in spec.columns)
    _execute_many(session, f"UPDATE \"{spec.name}\" SET {sets} WHERE id = ?",
                  [(*values(r), mine[r["uuid"]]) for r in changed])
    origin = sorted((county_code, r["uuid"], spec.name, hashes[r["uuid"]], r.get("archived_at") is not None)
                    for r in new)  # in key order: appended to the clustered index instead of scattered
    _execute_many(session, "INSERT INTO record_origin (county_code, uuid, table_name, row_hash, archived) "
                           "VALUES (?, ?, ?, ?, ?)", origin)
    _execute_many(session, "UPDATE record_origin SET row_hash = ?, archived = ? WHERE county_code = ? AND uuid = ?",
                  [(hashes[r["uuid"]], r.get("archived_at") is not None, county_code, r["uuid"]) for r in changed])


def live_enterprise_keys(session: Session) -> list[tuple[str, str, str, str]]:
    """(county_code, uscc, name_key, name) of every enterprise not archived."""
    return [tuple(r) for r in _raw(session, "SELECT county_code, uscc, name_key, name FROM enterprise "
                                            "WHERE archived_at IS NULL")]  # type: ignore[misc]
