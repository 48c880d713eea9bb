"""Every value of a package record against its column: type, range, length, date form, and clean text.

A minimal text rule of its own (issue 18): no control characters (a newline only in multi-line text), no
lone surrogates, no zero-width or bidi-override characters. Columns are checked whole first (one C-speed pass
each); only a column that fails is walked record by record to name the problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any

TEXT_MAX = 2000  # remarks, notes, descriptions: as on the county's forms
LONG_TEXT = {"values": 20000, "warnings": 20000, "search_key": 10000}  # JSON and derived columns
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # what SQLite stores
_BAD_ANY = "\x00-\x09\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
BAD_TEXT = re.compile(f"[{_BAD_ANY}]")  # multi-line text: newline (\n) allowed, TAB and CR are not
BAD_LINE = re.compile(f"[\n{_BAD_ANY}]")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\Z")

Shape = tuple[str, str, int | None, bool]  # package key, kind, max length, nullable


def text_problem(value: str, multiline: bool) -> str | None:
    """Why a text may not be stored as it is (None when it may)."""
    found = (BAD_TEXT if multiline else BAD_LINE).search(value)
    if found is None:
        return None
    ch = found.group()
    if ch == "\n":
        return "含有换行（此项只能是一行文字）"
    if "\ud800" <= ch <= "\udfff":
        return "含有无效的字符编码（孤立的代理字符）"
    if ch in "\u200b\u200c\u200d\ufeff" or "\u200e" <= ch <= "\u200f" or "\u202a" <= ch <= "\u202e" \
            or "\u2066" <= ch <= "\u2069":
        return f"含有不可见的格式字符（U+{ord(ch):04X}）"
    return f"含有控制字符（U+{ord(ch):04X}）"


def value_problem(value: Any, kind: str, length: int | None, nullable: bool, key: str) -> str | None:
    """Why one value does not fit its column (None when it does)."""
    if value is None:
        return None if nullable else "不能为空"
    if kind in ("int", "bool"):
        if type(value) is not int:
            return "应为整数"
        if kind == "bool" and value not in (0, 1):
            return "应为 0 或 1"
        return None if INT_MIN <= value <= INT_MAX else "数值超出范围"
    if kind == "number":
        ok = type(value) in (int, float) and value == value and abs(value) < 1e300
        return None if ok else "应为数值"
    if type(value) is not str:
        return "应为文字"
    if kind == "uuid":
        return None if _UUID.match(value) else "不是有效的记录编号"
    if kind == "date":
        return None if _DATE.match(value) and _parses(date.fromisoformat, value) else "不是有效的日期（YYYY-MM-DD）"
    if kind == "datetime":
        return None if _DATETIME.match(value) and _parses(datetime.fromisoformat, value) else "不是有效的时间"
    limit = LONG_TEXT.get(key, length or TEXT_MAX)
    if len(value) > limit:
        return f"超过 {limit} 个字（{len(value)} 个字）"
    return text_problem(value, kind == "text")


def _parses(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _column_ok(values: Sequence[Any], kind: str, length: int | None, nullable: bool, key: str) -> bool:
    """The quick pass: True when every value of one column certainly fits."""
    present = [v for v in values if v is not None] if nullable else values
    if len(present) != len(values) and not nullable:
        return False
    if kind in ("line", "text"):
        if not all(type(v) is str for v in present):
            return False
        limit = LONG_TEXT.get(key, length or TEXT_MAX)
        return max(map(len, present), default=0) <= limit and not (
            BAD_TEXT if kind == "text" else BAD_LINE).search("".join(present))
    return all(value_problem(v, kind, length, nullable, key) is None for v in present)


def shape_problems(label: str, records: Sequence[Mapping[str, Any]], shapes: Iterable[Shape],
                   limit: int = 50) -> list[str]:
    """Problems of `records` (one table) against its columns' shapes, at most `limit` of them, each naming
    the record and the column; keys the table does not have are problems too."""
    shapes = list(shapes)
    known = {s[0] for s in shapes}
    problems: list[str] = []
    for record in records:
        extra = set(record) - known
        if extra:
            problems.append(f"{label}记录 {str(record.get('uuid'))[:36]} 含有本程序不认识的项目："
                            f"{'、'.join(sorted(map(str, extra)))[:200]}")
            if len(problems) >= limit:
                return problems
    for key, kind, length, nullable in shapes:
        values = [r.get(key) for r in records]
        if _column_ok(values, kind, length, nullable, key):
            continue
        for record, value in zip(records, values, strict=True):
            problem = value_problem(value, kind, length, nullable, key)
            if problem is not None:
                problems.append(f"{label}记录 {_who(record)} 的 {key} {problem}")
                if len(problems) >= limit:
                    return problems
    return problems


def _who(record: Mapping[str, Any]) -> str:
    uuid = record.get("uuid")
    return uuid if isinstance(uuid, str) and _UUID.match(uuid) else "（编号无效）"
