"""Output conventions of docs/cli.md: Chinese-aligned tables, and JSON values (money, dates, coded values)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import TextIO

FEN_PER_WAN = 1_000_000
CENT = Decimal("0.01")


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (汉字, ，) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Cut `text` to at most `width` columns, marking a cut with …."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] | None = None,
                max_width: Sequence[int] | None = None, out: TextIO | None = None) -> None:
    """Columns aligned by display width, two spaces apart; `right` aligns numbers to the right."""
    out = out or sys.stdout
    right = right or [False] * len(headers)
    if max_width:
        rows = [[fit(cell, m) for cell, m in zip(row, max_width, strict=True)] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = ["  ".join(pad(h, w, r) for h, w, r in zip(headers, widths, right, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip())
    out.write("\n".join(lines) + "\n")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """`--format table|json`: every listing command prints a table unless asked for JSON."""
    parser.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")


def printing_handler(parser: argparse.ArgumentParser, handler: Callable[..., int]) -> None:
    """The last step of declaring a command that prints: `--format` (so it comes last in its help) and the
    function that runs the command."""
    add_format_option(parser)
    parser.set_defaults(handler=handler)


# ---- JSON values

def wan(fen: int | None) -> str | None:
    """Money in 分 as an exact 万元 string, at least two decimals, never rounded: 12340000 → "12.34",
    12000000 → "12.00", 12345600 → "12.3456"."""
    if fen is None:
        return None
    value = Decimal(fen) / FEN_PER_WAN
    if value == value.quantize(CENT):
        return format(value.quantize(CENT), "f")
    return format(value.normalize(), "f")


def wan_text(fen: int | None) -> str:
    """万元 for a table cell: two decimals with thousands separators ("" for no value)."""
    if fen is None:
        return ""
    return f"{(Decimal(fen) / FEN_PER_WAN).quantize(CENT):,.2f}"


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def label_key(key: str) -> str:
    """county_code → county_label, size_class → size_class_label."""
    return (key[:-5] if key.endswith("_code") else key) + "_label"


def coded(key: str, code: str | None, label: str) -> dict[str, str | None]:
    """A coded value as the pair {key: code, *_label: Chinese label}; no value gives nulls."""
    return {key: code or None, label_key(key): (label or None) if code else None}


def listing(items: list[dict[str, object]]) -> dict[str, object]:
    return {"items": items, "count": len(items)}
