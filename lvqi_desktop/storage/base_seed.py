"""Loads the base kinds, levels and allowed level changes from resources/reference/incubation_bases.json."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import text

from lvqi_desktop.paths import resource


@cache
def base_reference() -> dict[str, Any]:
    with open(resource("reference/incubation_bases.json"), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def seed_bases(conn: Connection) -> None:
    """Insert or refresh kinds and levels (a renamed kind keeps the office's name) and replace the transitions."""
    data = base_reference()
    for seq, k in enumerate(data["kinds"], 1):
        conn.execute(text("INSERT INTO base_kind (code, seq, name) VALUES (:code, :seq, :name) "
                          "ON CONFLICT(code) DO UPDATE SET seq=excluded.seq"), {**k, "seq": seq})
    for seq, lv in enumerate(data["levels"], 1):
        conn.execute(text(
            "INSERT INTO base_level (code, seq, name, recognized, applied, needs_reason) "
            "VALUES (:code, :seq, :name, :recognized, :applied, :needs_reason) ON CONFLICT(code) DO UPDATE SET "
            "seq=excluded.seq, name=excluded.name, recognized=excluded.recognized, applied=excluded.applied, "
            "needs_reason=excluded.needs_reason"),
            {"code": lv["code"], "seq": seq, "name": lv["name"], "recognized": bool(lv.get("recognized")),
             "applied": bool(lv.get("applied")), "needs_reason": bool(lv.get("needs_reason"))})
    conn.execute(text("DELETE FROM base_level_transition"))
    conn.execute(text("INSERT INTO base_level_transition (from_level, to_level) VALUES (:a, :b)"),
                 [{"a": a, "b": b} for a, b in data["transitions"]])
