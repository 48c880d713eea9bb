"""Loads the pool definitions, tier rule sets, 规上 lines and the city plan's targets from resources/."""

from __future__ import annotations

import csv
import json
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import text

from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.paths import resource

RULE_SET_FILES = ("tier_rules_2022.json", "tier_rules_2026.json")


def _json(name: str) -> Any:
    with open(resource(f"reference/{name}"), encoding="utf-8") as fh:
        return json.load(fh)


def _csv(name: str) -> list[dict[str, str]]:
    with open(resource(f"reference/{name}"), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(conn: Connection, table: str, keys: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    updates = ", ".join(f"{c}=excluded.{c}" for c in cols if c not in keys) or f"{keys[0]}=excluded.{keys[0]}"
    conn.execute(text(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)}) "
                      f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}"), rows)


def _seed_pools(conn: Connection) -> None:
    data = _json("cultivation_pools.json")
    for p in data["pools"]:
        _upsert(conn, "pool", ("code",), [{
            "code": p["code"], "seq": p["seq"], "name": p["name"], "initial_status": p["initial_status"],
            "annual_update_due": p.get("annual_update_due", ""),
            "annual_update_remind_days": p.get("annual_update_remind_days", 0)}])
        _upsert(conn, "pool_tier", ("pool_code", "code"), [{
            "pool_code": p["code"], "code": t["code"], "seq": i, "name": t["name"],
            "name_2026": t.get("name_2026", ""), "valid_years": t.get("valid_years", 0),
            "prerequisite": t.get("prerequisite", "")} for i, t in enumerate(p["tiers"], 1)])
        _upsert(conn, "pool_status", ("pool_code", "code"), [{
            "pool_code": p["code"], "code": s["code"], "seq": i, "name": s["name"],
            **{flag: bool(s.get(flag, False)) for flag in (
                "holds_title", "needs_reason", "needs_month", "needs_recognition", "needs_completion", "terminal")}}
            for i, s in enumerate(p["statuses"], 1)])
        conn.execute(text("DELETE FROM pool_transition WHERE pool_code = :p"), {"p": p["code"]})
        _upsert(conn, "pool_transition", ("pool_code", "from_status", "to_status"), [
            {"pool_code": p["code"], "from_status": a, "to_status": b} for a, b in p["transitions"]])
    # Board names are edited by the office: insert new venues, never overwrite an edited name.
    for v in data["listing_venues"]:
        conn.execute(text("INSERT INTO listing_venue (code, seq, name, board_name, listed) "
                          "VALUES (:code, :seq, :name, :board_name, :listed) ON CONFLICT(code) DO UPDATE SET "
                          "seq=excluded.seq, name=excluded.name, listed=excluded.listed"), v)


def _seed_rules(conn: Connection) -> None:
    for name in RULE_SET_FILES:
        rs = _json(name)
        _upsert(conn, "tier_rule_set", ("code",), [{
            "code": rs["code"], "name": rs["name"], "document": rs["document"],
            "applies_from": rs["applies_from"], "scores": json.dumps(rs["scores"], ensure_ascii=False)}])
        rows: list[dict[str, object]] = []
        for tier, conditions in rs["tiers"].items():
            for seq, c in enumerate(conditions, 1):
                rows.append({"rule_set": rs["code"], "tier": tier, "code": c["id"], "seq": seq, "text": c["text"],
                             "test": json.dumps(c["test"], ensure_ascii=False), "source": c["source"],
                             "entered_locally": False})
        _upsert(conn, "tier_condition", ("rule_set", "tier", "code"), rows)


def _seed_lines(conn: Connection) -> None:
    _upsert(conn, "above_scale_line", ("section", "prefix"), [{
        "section": r["section"], "prefix": r["prefix"], "category": r["category"], "measure": r["measure"],
        "threshold_wan": int(r["threshold_wan"]) if r["threshold_wan"] else None, "name": r["name"],
        "source": r["source"]} for r in _csv("above_scale_lines.csv")])


def _seed_targets(conn: Connection) -> None:
    """The plan's targets go in once; later edits by the office are kept."""
    for r in _csv("plan_targets.csv"):
        conn.execute(text(
            "INSERT INTO target (scope, metric, year, value, source, uuid, created_at, updated_at) "
            "VALUES (:scope, :metric, :year, :value, :source, :uuid, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
            "ON CONFLICT(scope, metric, year) DO NOTHING"),
            {**r, "year": int(r["year"]), "value": int(r["value"]), "uuid": new_uuid()})


def seed_pools(conn: Connection) -> None:
    """Insert or refresh the pool reference data; safe to run again (office edits are kept)."""
    _seed_pools(conn)
    _seed_rules(conn)
    _seed_lines(conn)
    _seed_targets(conn)
