"""SQL functions SQLite and PostgreSQL spell differently, written once: on SQLite they compile to the SQL used before."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine


def _spelled(name: str, doc: str, result: TypeEngine[Any], sqlite: str, postgresql: str) -> type[FunctionElement[Any]]:
    """A SQL function written `sqlite` on SQLite and `postgresql` on PostgreSQL; in both, {args} stands for the
    comma-separated arguments and {0}, {1} … for each one."""
    cls = type(name, (FunctionElement,), {"__doc__": doc, "type": result, "inherit_cache": True})

    def spell(template: str) -> Any:
        def render(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
            parts = [compiler.process(c, **kw) for c in element.clauses]
            return template.format(*parts, args=", ".join(parts))
        return render

    compiles(cls)(spell(sqlite))
    compiles(cls, "postgresql")(spell(postgresql))
    return cls


distinct_list = _spelled(
    "distinct_list", "The distinct values of a column in a group, joined by commas.", String(),
    "group_concat(DISTINCT {args})", "string_agg(DISTINCT CAST({0} AS TEXT), ',')")

_PG_JSON = "(CAST({0} AS JSONB) #> string_to_array(substr({1}, 3), '.'))"
json_number = _spelled(
    "json_number", "json_number(text_column, '$.key'): the number stored under a key of a JSON text column.",
    Numeric(), "json_extract({args})",
    f"(CASE WHEN jsonb_typeof({_PG_JSON}) = 'number' THEN CAST({_PG_JSON} #>> '{{{{}}}}' AS NUMERIC) END)")

month_end = _spelled(
    "month_end", "The last day of the month whose first day ('YYYY-MM-01') is given.", Date(),
    "date({args}, '+1 month', '-1 day')",
    "CAST(CAST({0} AS DATE) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)")

day_of = _spelled("day_of", "The date part of a date or date-time value.", Date(), "date({args})", "CAST({0} AS DATE)")

text_position = _spelled(
    "text_position", "text_position(haystack, needle): 1-based place of needle in haystack, 0 when absent.",
    Integer(), "instr({args})", "strpos({args})")
