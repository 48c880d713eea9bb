"""What a return (报表) is, defined once: columns with units, header groups, lines, foot; both renderers read it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

KINDS = frozenset({"text", "number", "money", "count", "percent", "date", "year"})
PERIOD_KINDS = ("month", "quarter", "year")
SEQ_HEADER = "序号"
DATA, SUBTOTAL, TOTAL = "data", "subtotal", "total"
SIGNATURE_LABELS = ("填报单位（盖章）", "填报人", "审核人", "填报日期")


@dataclass(frozen=True)
class Column:
    """One column: header text with its unit ("营业收入（万元）"), kind, width hint, text-only flag.

    kind: text · number (two decimals) · money (万元, two decimals) · count (integer, separators) ·
    percent (a fraction, shown with one decimal) · date · year (an integer without separators). `width` is in Excel character units
    (a Chinese character is 2). `as_text` keeps codes such as USCC, phone or document numbers as
    text. `total` sums the column into subtotal and totals lines. `wrap` marks long free text.
    """

    key: str
    header: str
    kind: str = "text"
    width: float = 10
    as_text: bool = False
    total: bool = False
    wrap: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money", "count", "percent")


@dataclass(frozen=True)
class HeaderGroup:
    """A header cell spanning columns `first`..`last` (keys) on the row above their own headers."""

    title: str
    first: str
    last: str


@dataclass(frozen=True)
class ReturnDefinition:
    """A return as the city knows it: id, title, description, columns, grouping and which periods it covers."""

    return_id: str
    title: str
    description: str
    columns: tuple[Column, ...]
    header_groups: tuple[HeaderGroup, ...] = ()
    period_kinds: tuple[str, ...] = PERIOD_KINDS
    numbered: bool = True  # a 序号 column first, numbering data lines only
    group_column: str | None = None  # lines come grouped by this column, each group closed by a 小计 line
    totals: bool = False  # a 合计 line closes the table
    record_column: str | None = None  # what a warning names a line by (the enterprise name)
    frozen_columns: int = 0  # columns (after 序号) kept in view when scrolling sideways
    footnotes: tuple[str, ...] = ()

    def index(self, key: str) -> int:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def accepts(self, period_kind: str) -> bool:
        return period_kind in self.period_kinds


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One table line: values in column order; kind data, subtotal or total; `record` names it in warnings."""

    values: tuple[object, ...]
    kind: str = DATA
    record: str = ""


@dataclass(frozen=True)
class ReturnDocument:
    """A filled return: the definition, who reports for which period, the lines, and the foot."""

    definition: ReturnDefinition
    reporting_unit: str  # 填报单位
    period_label: str  # 2026年第四季度
    preparer: str  # 填报人
    reviewer: str  # 审核人
    filled_on: date  # 填报日期
    lines: tuple[ReturnLine, ...]
    totals: ReturnLine | None = None
    footnotes: tuple[str, ...] = ()
    fingerprint: str = ""  # "数据截至 … 校验码 …", optional
    package_fingerprint: str = ""  # the submission package's data fingerprint as printed (XXXX XXXX XXXX XXXX)

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def package_line(self) -> str:
        """"报送包数据指纹：…" when the return travels in a submission package, else ''."""
        return f"报送包数据指纹：{self.package_fingerprint}" if self.package_fingerprint else ""

    @property
    def foot_line(self) -> str:
        """The last line of the foot: the data fingerprint and, in a package, the package's fingerprint."""
        return "　　".join(t for t in (self.fingerprint, self.package_line) if t)

    @property
    def all_footnotes(self) -> tuple[str, ...]:
        return self.definition.footnotes + self.footnotes


@dataclass(frozen=True)
class Header:
    """The header block both renderers draw: one or two rows and the cell spans between them."""

    rows: tuple[tuple[str, ...], ...]
    spans: tuple[tuple[int, int, int, int], ...]  # (first col, first row, last col, last row), 0-based


def display_columns(definition: ReturnDefinition) -> tuple[Column, ...]:
    """The columns as printed: 序号 first when the return is numbered."""
    seq = (Column("_seq", SEQ_HEADER, "count", 5),) if definition.numbered else ()
    return seq + definition.columns


def header(definition: ReturnDefinition) -> Header:
    """One header row, or two when columns are grouped; ungrouped headers span both rows."""
    columns = display_columns(definition)
    if not definition.header_groups:
        return Header((tuple(c.header for c in columns),), ())
    keys = [c.key for c in columns]
    top, bottom = [c.header for c in columns], [c.header for c in columns]
    grouped: set[int] = set()
    spans = []
    for g in definition.header_groups:
        first, last = keys.index(g.first), keys.index(g.last)
        top[first:last + 1] = [g.title] + [""] * (last - first)
        grouped.update(range(first, last + 1))
        if last > first:
            spans.append((first, 0, last, 0))
    for i in range(len(columns)):
        if i not in grouped:
            bottom[i] = ""
            spans.append((i, 0, i, 1))
    return Header((tuple(top), tuple(bottom)), tuple(sorted(spans)))


def numbered_lines(document: ReturnDocument) -> Iterator[ReturnLine]:
    """Lines as printed: 序号 prepended to data lines (blank on subtotals), the totals line last."""
    lines: Iterable[ReturnLine] = document.lines
    if document.totals is not None:
        lines = [*document.lines, document.totals]
    if not document.definition.numbered:
        yield from lines
        return
    n = 0
    for line in lines:
        if line.kind == DATA:
            n += 1
            yield ReturnLine((n, *line.values), line.kind, line.record)
        else:
            yield ReturnLine(("", *line.values), line.kind, line.record)


def _sum(values: Iterable[object]) -> object:
    numbers = [v for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
    if not numbers:
        return None
    return sum(numbers, Decimal(0)) if any(isinstance(v, Decimal) for v in numbers) else sum(numbers)


def summed_line(definition: ReturnDefinition, lines: Sequence[ReturnLine], label: str, kind: str,
                overrides: dict[str, object] | None = None) -> ReturnLine:
    """A subtotal or totals line: `total` columns summed, the first text column labelled, `overrides` by key."""
    values: list[object] = []
    labelled = False
    for i, column in enumerate(definition.columns):
        if overrides and column.key in overrides:
            values.append(overrides[column.key])
        elif column.total:
            values.append(_sum(line.values[i] for line in lines))
        elif not labelled and column.kind == "text":
            values.append(label)
            labelled = True
        else:
            values.append(None)
    return ReturnLine(tuple(values), kind)


def grouped(definition: ReturnDefinition, lines: Sequence[ReturnLine], label: str = "小计",
            overrides: dict[object, dict[str, object]] | None = None) -> tuple[ReturnLine, ...]:
    """Data lines in groups of equal `group_column` value (first-seen order), each closed by a subtotal line

    (not for a group of one line unless `overrides` gives its subtotal values).
    """
    if definition.group_column is None:
        return tuple(lines)
    at = definition.index(definition.group_column)
    groups: dict[object, list[ReturnLine]] = {}
    for line in lines:
        groups.setdefault(line.values[at], []).append(line)
    label_at = next((i for i, c in enumerate(definition.columns) if c.kind == "text" and i != at), None)
    out: list[ReturnLine] = []
    for key, members in groups.items():
        out.extend(members)
        if len(members) < 2 and not (overrides and key in overrides):
            continue  # a group of one needs no subtotal
        values = list(summed_line(definition, members, "", SUBTOTAL, (overrides or {}).get(key)).values)
        values[at] = key if label_at is not None else f"{key}{label}"  # stays in its group when filtered
        if label_at is not None:
            values[label_at] = label
        out.append(ReturnLine(tuple(values), SUBTOTAL))
    return tuple(out)


def chinese_date(day: date) -> str:
    """2026年11月26日, as printed returns write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def fingerprint(lines: Sequence[ReturnLine], as_of: datetime) -> str:
    """A short line tying a printed return to its data: when it was taken and a check code over the values."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(repr(line.values).encode("utf-8"))
    return f"数据截至 {as_of:%Y-%m-%d %H:%M}，校验码 {digest.hexdigest()[:12].upper()}"


@dataclass
class GlyphReport:
    """Records whose text uses characters the PDF font lacks (drawn as the placeholder)."""

    font_name: str
    placeholder: str
    records: dict[str, set[str]] = field(default_factory=dict)  # record → missing characters

    def add(self, record: str, chars: Iterable[str]) -> None:
        self.records.setdefault(record, set()).update(chars)
