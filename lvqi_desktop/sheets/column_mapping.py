"""Finding the header row of any county sheet and mapping its columns to import fields by name.

Headers are folded before they are compared: full-width to half-width, spaces and line breaks
removed, a leading * or ★ (required mark) dropped, a unit in brackets ("（万元）", "(元)", "单位：人")
taken off and kept, and a leading year ("2024年营业收入") taken off and kept.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from lvqi_desktop.models.import_kinds import ImportKind
from lvqi_desktop.sheets.extent import column_letter
from lvqi_desktop.sheets.reader import Sheet
from lvqi_desktop.sheets.reader import Workbook

HEADER_SCAN_ROWS = 30
UNITS = ("万元", "千元", "元", "人", "项", "个", "户", "家")
_UNIT_SUFFIX = re.compile(r"[(\[](?:单位[:：]?)?(万元|千元|元|人|项|个|户|家)[)\]]$|单位[:：](万元|千元|元|人|项|个|户|家)$")
_YEAR_PREFIX = re.compile(r"^((?:19|20)\d{2})年(?:度)?(?:的)?")
_SPACES = re.compile(r"\s+")
_MONTH_SPAN = re.compile(r"1[-~～至到—–]\d{1,2}月")  # "1-10月累计" → "1-n月累计"
_SHEET_MONTHS = (re.compile(r"^((?:19|20)\d{2})[-/.年_](\d{1,2})月?(?:份)?$"), re.compile(r"^((?:19|20)\d{2})(\d{2})$"))
_SHEET_MONTH_ONLY = re.compile(r"^(\d{1,2})月(?:份)?$")
_UNIT_CELL = re.compile(r"^[(\[]?(?:单位[:：]?)?(万元|千元|元|人|项|个|户|家)[)\]]?$")


@dataclass(frozen=True)
class FoldedHeader:
    key: str  # compared with the folded synonyms
    year: int | None
    unit: str | None


@dataclass
class MappedColumn:
    col: int  # 1-based
    header: str  # as written in the sheet
    field: str | None  # None: not imported
    year: int | None = None  # from a "2024年…" header
    unit: str | None = None  # from the header or a units row

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass
class SheetLayout:
    """Where the data is: the sheet, its header row, an optional units row, and the column mapping."""

    sheet: Sheet
    header_row: int  # 1-based
    first_data_row: int
    columns: list[MappedColumn]
    units_row: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def mapping(self) -> dict[int, str | None]:
        return {c.col: c.field for c in self.columns}

    def with_mapping(self, mapping: dict[int, str | None]) -> SheetLayout:
        cols = [replace(c, field=mapping.get(c.col, c.field)) for c in self.columns]
        return replace(self, columns=cols)


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKC", str(text))
    t = t.replace("（", "(").replace("）", ")").replace("【", "[").replace("】", "]")
    t = _SPACES.sub("", t)
    return t.lstrip("*★※").rstrip(":：").lower()


def fold_header(text: object) -> FoldedHeader:
    t = _fold("" if text is None else str(text))
    unit = None
    m = _UNIT_SUFFIX.search(t)
    if m:
        unit = m.group(1) or m.group(2)
        t = t[:m.start()]
    year = None
    y = _YEAR_PREFIX.match(t)
    if y and len(t) > y.end():
        year = int(y.group(1))
        t = t[y.end():]
    return FoldedHeader(t, year, unit)


def synonym_table(kind: ImportKind) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in kind.fields:
        for name in (f.header, f.label, *f.synonyms):
            table.setdefault(fold_header(name).key, f.key)
    return table


def _match(folded: FoldedHeader, table: dict[str, str]) -> str | None:
    if folded.key in table:
        return table[folded.key]
    key = _MONTH_SPAN.sub("1-n月", folded.key)
    if key in table:
        return table[key]
    stripped = re.sub(r"\([^)]*\)$", "", folded.key)  # "企业名称(盖章)" → 企业名称
    return table.get(stripped) if stripped else None


def _map_row(values: Sequence[object], table: dict[str, str]) -> list[MappedColumn]:
    cols = []
    for index, value in enumerate(values, start=1):
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        folded = fold_header(text)
        cols.append(MappedColumn(index, text, _match(folded, table), folded.year, folded.unit))
    return cols


def _is_units_row(values: Sequence[object]) -> bool:
    cells = [_fold(str(v)) for v in values if v not in ("", None)]
    return bool(cells) and all(_UNIT_CELL.match(c) for c in cells)


_YEAR_GROUP = re.compile(r"^((?:19|20)\d{2})(?:年度?)?$")


def _two_row_header(upper: tuple[object, ...], lower: tuple[object, ...]) -> list[object]:
    """One header from two rows: a year merged across its measures above them (2024年 | 营业收入 从业人数)
    reads “2024年营业收入”…; a cell merged down both rows (企业名称) keeps its upper text."""
    out: list[object] = []
    group = ""
    for i in range(max(len(upper), len(lower))):
        u = str(upper[i]).strip() if i < len(upper) and upper[i] not in ("", None) else ""
        low = str(lower[i]).strip() if i < len(lower) and lower[i] not in ("", None) else ""
        if u:
            group = u
        elif not low:
            group = ""
        year = _YEAR_GROUP.match(_fold(group)) if group else None
        out.append(f"{year.group(1)}年{low}" if year and low else low or u)
    return out


def _score(cols: list[MappedColumn]) -> int:
    return len({(c.field, c.year) for c in cols if c.field})


def find_layout(sheet: Sheet, kind: ImportKind) -> SheetLayout | None:
    """The row among the first 30 whose cells name the most known fields (at least two), or None; a header
    of two rows (years merged above the measures) when the two together name more than either alone."""
    table = synonym_table(kind)
    best: tuple[int, int, list[MappedColumn], int] | None = None
    rows = sheet.rows[:HEADER_SCAN_ROWS + 1]
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        cols = _map_row(values, table)
        score, depth = _score(cols), 1
        if index < len(rows):
            below = _map_row(rows[index], table)
            both = _map_row(_two_row_header(values, rows[index]), table)
            if _score(both) > max(score, _score(below)):
                cols, score, depth = both, _score(both), 2
        if score >= 2 and (best is None or score > best[0]):
            best = (score, index, cols, depth)
    if best is None:
        return None
    _, header_row, cols, depth = best
    first_data, units_row = header_row + depth, None
    header_row += depth - 1
    if header_row < len(sheet.rows) and _is_units_row(sheet.rows[header_row]):
        units_row = header_row + 1
        first_data += 1
        unit_values = sheet.rows[header_row]
        for c in cols:
            if c.unit is None and c.col <= len(unit_values) and unit_values[c.col - 1] not in ("", None):
                m = _UNIT_CELL.match(_fold(str(unit_values[c.col - 1])))
                c.unit = m.group(1) if m else None
    cols = sorted(cols + _unheaded_columns(sheet, first_data, {c.col for c in cols}), key=lambda c: c.col)
    return SheetLayout(sheet, header_row, first_data, cols, units_row)


def _unheaded_columns(sheet: Sheet, first_data: int, named: set[int]) -> list[MappedColumn]:
    """Columns holding data under no header: listed (not imported) so that nothing is left out unseen."""
    found: set[int] = set()
    for values in sheet.rows[first_data - 1:first_data - 1 + 500]:
        found.update(i for i, v in enumerate(values, start=1) if i not in named and v not in ("", None))
    return [MappedColumn(col, f"（无表头的第 {column_letter(col)} 列）", None) for col in sorted(found)]


def choose_layout(book: Workbook, kind: ImportKind) -> SheetLayout | None:
    """The visible sheet with the best header (our template's notes and list sheets never win)."""
    found = []
    for sheet in book.sheets:
        if sheet.hidden:
            continue
        layout = find_layout(sheet, kind)
        if layout is not None:
            found.append((len({c.field for c in layout.columns if c.field}), -book.sheets.index(sheet), layout))
    if not found:
        return None
    return max(found, key=lambda t: (t[0], t[1]))[2]


def mapping_problems(layout: SheetLayout, kind: ImportKind) -> list[str]:
    """Why a mapping cannot be used: two columns to one field, a required field missing."""
    problems = []
    seen: dict[tuple[str, int | None], MappedColumn] = {}
    for c in layout.columns:
        if not c.field:
            continue
        key = (c.field, c.year)
        if key in seen:
            first = seen[key]
            label = kind.field(c.field).label
            problems.append(f"第 {first.letter} 列“{first.header}”和第 {c.letter} 列“{c.header}”都对应“{label}”，"
                            "一个字段只能对应一列。请把其中一列改为“不导入”。")
        else:
            seen[key] = c
    mapped = {c.field for c in layout.columns if c.field}
    for f in kind.fields:
        if f.required and f.key not in mapped:
            problems.append(f"没有找到“{f.header}”列（必填）。请在列对应中指定哪一列是{f.label}。")
    yearly = [c for c in layout.columns if c.field and kind.field(c.field).yearly and c.year is None]
    if yearly and "year" not in mapped and default_year(layout, kind) is None:
        names = "、".join(f"“{c.header}”" for c in yearly[:3])
        problems.append(f"{names}是年度数据，但表中没有“年度”列，表头也没有写年份（如“2024年营业收入”）。"
                        "请增加“年度”列或在表头写明年份。")
    return problems


def default_year(layout: SheetLayout, kind: ImportKind) -> int | None:
    """With no 年度 column, the one year the yearly headers name ("2024年营业收入"), if exactly one."""
    if any(c.field == "year" for c in layout.columns):
        return None
    years = {c.year for c in layout.columns if c.field and kind.field(c.field).yearly and c.year is not None}
    return years.pop() if len(years) == 1 else None


def default_year_note(layout: SheetLayout, kind: ImportKind) -> str | None:
    year = default_year(layout, kind)
    loose = [c.header for c in layout.columns if c.field and kind.field(c.field).yearly and c.year is None]
    if year is None or not loose:
        return None
    return f"表中没有“年度”列，{'、'.join(f'“{h}”' for h in loose)}按其他表头中的年份 {year} 年读取"


def sheet_month(name: str, year: int | None = None) -> str | None:
    """The month a sheet's name gives: "2026-10", "2026年10月", "202610" → 2026-10; "10月" with a year."""
    t = _fold(name)
    for pattern in _SHEET_MONTHS:
        m = pattern.match(t)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = _SHEET_MONTH_ONLY.match(t)
    if m and year is not None and 1 <= int(m.group(1)) <= 12:
        return f"{year}-{int(m.group(1)):02d}"
    return None


def header_signature(headers: list[str]) -> str:
    """A key for remembering a confirmed mapping: the same headers (folded) give the same key."""
    folded = "|".join(_fold(h) for h in headers)
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]
