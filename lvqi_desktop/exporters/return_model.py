"""What a return (报表) is, defined once: columns with units, header groups, lines, foot; both renderers read it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

KINDS = frozenset({"text", "number", "money", "count", "percent", "date", "year"})
PERIOD_KINDS = ("month", "quarter", "year")
SEQ_HEADER = "序号"
DATA, SUBTOTAL, TOTAL = "data", "subtotal", "total"
SIGNATURE_LABELS = ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期")
SEAL_LABEL = "填报单位（盖章）"
IDENTITY_LABELS = ("表　　号", "制定机关", "批准（备案）文号", "有效期至")
STUB_MARKS = "甲乙丙丁戊己庚辛"
CHECK_CODE_NOTE = ("校验码按本表打印的全部数值算出：数据不变，重新导出的校验码相同；任何一个数改动，校验码都会不同。"
                   "报送包序号和数据指纹与市中心收包记录中的一致，可据此核对本表来自哪一个报送包。")
_UNIT = re.compile(r"（([^（）]+)）$")
_BLANK_NAME = "　" * 4


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
class FormIssuer:
    """Who issued a statistical form, under which approval and until when: the same on every return of an office."""

    issuer: str = ""  # 制定机关
    approval: str = ""  # 批准（备案）文号
    valid_until: str = ""  # 有效期至


@dataclass(frozen=True)
class FormIdentity(FormIssuer):
    """The top-right block of a statistical form (表号, 制定机关, 批准（备案）文号, 有效期至); empty values print empty."""

    form_no: str = ""

    def lines(self) -> tuple[str, ...]:
        values = (self.form_no, self.issuer, self.approval, self.valid_until)
        return tuple(f"{label}：{value}" for label, value in zip(IDENTITY_LABELS, values, strict=True))


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

    @property
    def naming_columns(self) -> int:
        """Columns (after 序号) kept in view and repeated on each printed group of columns: the frozen ones, and in a
        grouped return at least the group column and the one after it, which together name a line (培育库 + 层级)."""
        grouped = self.index(self.group_column) + 2 if self.group_column is not None else 0
        return max(self.frozen_columns, grouped)


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
    identity: FormIdentity = FormIdentity()
    unit_head: str = ""  # 单位负责人
    phone: str = ""  # 联系电话
    package_sequence: int | None = None  # the submission package's sequence number when it travels in one
    empty_reason: str = ""  # why an empty return is empty (printed after 本期无)

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def package_line(self) -> str:
        """"报送包第 N 号，数据指纹：…" when the return travels in a submission package, else ''."""
        if not self.package_fingerprint:
            return ""
        number = f"第 {self.package_sequence} 号，" if self.package_sequence else ""
        return f"报送包{number}数据指纹：{self.package_fingerprint}"

    @property
    def is_empty(self) -> bool:
        """No data line: the return prints 本期无 and the reason instead of a table of zeros."""
        return not any(line.kind == DATA for line in self.lines)

    @property
    def empty_text(self) -> str:
        return f"本期无（{self.empty_reason or f'{self.period_label}没有符合本表口径的记录'}）"

    @property
    def signatures(self) -> tuple[str, ...]:
        """The foot line's parts: 单位负责人 … 报出日期, names left blank for a hand signature."""
        values = (self.unit_head, self.reviewer, self.preparer, self.phone)
        names = [f"{label}：{value or _BLANK_NAME}" for label, value in zip(SIGNATURE_LABELS, values, strict=False)]
        return (*names, f"{SIGNATURE_LABELS[-1]}：{chinese_date(self.filled_on)}")

    @property
    def foot_line(self) -> str:
        """The last line of the foot: the data fingerprint and, in a package, the package's fingerprint."""
        return "　　".join(t for t in (self.fingerprint, self.package_line) if t)

    @property
    def all_footnotes(self) -> tuple[str, ...]:
        return self.definition.footnotes + self.footnotes

    @property
    def check_note(self) -> str:
        """What the 校验码 (and the package's number and fingerprint) are for; '' without a fingerprint."""
        return f"校验说明：{CHECK_CODE_NOTE}" if self.fingerprint or self.package_fingerprint else ""

    @property
    def unit_line(self) -> str:
        unit = measure_unit(self.definition)
        return f"计量单位：{unit}" if unit else ""


@dataclass(frozen=True)
class Header:
    """The header block both renderers draw: one or two rows and the cell spans between them."""

    rows: tuple[tuple[str, ...], ...]
    spans: tuple[tuple[int, int, int, int], ...]  # (first col, first row, last col, last row), 0-based


def display_columns(definition: ReturnDefinition) -> tuple[Column, ...]:
    """The columns as printed: 序号 first when the return is numbered."""
    seq = (Column("_seq", SEQ_HEADER, "count", 5),) if definition.numbered else ()
    return seq + definition.columns


def _unit(column: Column) -> str | None:
    found = _UNIT.search(column.header)
    return found.group(1) if found else None


def measure_unit(definition: ReturnDefinition) -> str:
    """The one unit of every number column but rates ("家"), printed once as 计量单位; '' when they differ."""
    units = {_unit(c) for c in definition.columns if c.numeric and c.kind != "percent"}
    return (next(iter(units)) or "") if len(units) == 1 and None not in units else ""


def column_numbers(definition: ReturnDefinition) -> tuple[str, ...]:
    """The 栏次 row of a summary table (an unnumbered return): 甲, 乙 … over the leading text stub, then 1, 2, 3 …;
    () for a ledger."""
    if definition.numbered:
        return ()
    marks: list[str] = []
    n, stub = 0, True
    for column in definition.columns:
        stub = stub and column.kind == "text"
        if stub and len(marks) < len(STUB_MARKS):
            marks.append(STUB_MARKS[len(marks)])
        else:
            n += 1
            marks.append(str(n))
    return tuple(marks)


def _shown_header(column: Column, unit: str) -> str:
    return column.header.removesuffix(f"（{unit}）") if unit else column.header


def header(definition: ReturnDefinition) -> Header:
    """One header row, or two when columns are grouped (ungrouped headers span both), and a 栏次 row under a
    summary table. A unit printed once as 计量单位 is left out of the column headers."""
    unit = measure_unit(definition)
    columns = display_columns(definition)
    numbers = column_numbers(definition)
    numbered = (numbers,) if numbers else ()
    if not definition.header_groups:
        return Header((tuple(_shown_header(c, unit) for c in columns), *numbered), ())
    keys = [c.key for c in columns]
    top, bottom = [_shown_header(c, unit) for c in columns], [_shown_header(c, unit) for c in columns]
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
    return Header((tuple(top), tuple(bottom), *numbered), tuple(sorted(spans)))


def group_display_index(definition: ReturnDefinition) -> int | None:
    """Where the grouping column is printed (after 序号), whose repeated labels are merged; None without one."""
    if definition.group_column is None:
        return None
    return definition.index(definition.group_column) + (1 if definition.numbered else 0)


def label_runs(values: Sequence[object]) -> list[tuple[int, int]]:
    """(first, last) of each run of two or more equal, non-empty consecutive values: the cells to merge."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1 and values[start] not in (None, ""):
                runs.append((start, i - 1))
            start = i
    return runs


def numbered_lines(document: ReturnDocument) -> Iterator[ReturnLine]:
    """Lines as printed: 序号 prepended to data lines (blank on subtotals), the totals line last; none when
    the return is empty (it prints 本期无, not a 合计 of zeros)."""
    lines: Iterable[ReturnLine] = document.lines
    if document.is_empty:
        return
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
                overrides: Mapping[str, object] | None = None) -> ReturnLine:
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
            overrides: Mapping[Any, Mapping[str, object]] | None = None) -> tuple[ReturnLine, ...]:  # by group value
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
