"""Loads the reference tables (counties, townships, sections, size-class rules) from resources/."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy import text

from lvqi_desktop.paths import resource

_INT_COLUMNS = ("seq", "e_upper", "r_upper", "a_upper", "e_medium", "r_medium", "a_medium",
                "e_small", "r_small", "a_small")


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = resource(f"reference/{name}")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(conn: Connection, table: str, key: str, rows: Sequence[Mapping[str, object]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    updates = ", ".join(f"{c}=excluded.{c}" for c in cols if c != key)
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)}) "
           f"ON CONFLICT({key}) DO UPDATE SET {updates}")
    conn.execute(text(sql), rows)


def seed_reference(conn: Connection) -> None:
    """Insert or refresh every reference row; safe to run again."""
    _upsert(conn, "county", "code", [{"code": r["code"], "name": r["name"]}
                                     for r in _rows("lvliang-counties.csv")])
    _upsert(conn, "township", "code", [{"code": r["code"], "name": r["name"], "county_code": r["county_code"]}
                                       for r in _rows("lvliang-townships.csv")])
    _upsert(conn, "industry_section", "code", list(_rows("industry_sections.csv")))
    rules: list[dict[str, object]] = []
    for r in _rows("size_class_rules.csv"):
        row: dict[str, object] = dict(r)
        for col in _INT_COLUMNS:
            row[col] = int(r[col]) if r[col] else None
        row["source"] = "工信部联企业〔2011〕300号"
        rules.append(row)
    _upsert(conn, "size_class_rule", "group_code", rules)
