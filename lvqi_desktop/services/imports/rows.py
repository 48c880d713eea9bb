"""Rows of an Excel import as every kind shares them: statuses, a row's result, reading and cleaning the cells."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.import_kinds import ImportKind
from lvqi_desktop.progress import Progress
from lvqi_desktop.sheets.column_mapping import MappedColumn
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.validation.import_cleaning import clean_cell
from lvqi_desktop.validation.import_cleaning import code_lookup
from lvqi_desktop.validation.import_cleaning import formula_without_value
from lvqi_desktop.validation.uscc import normalise_uscc

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
CONFIRM = "confirm"  # monitoring: ±50 % warnings not confirmed, so not imported
STATUS_LABELS = {NEW: "新增", UPDATE: "更新", UNCHANGED: "无变化", CONFIRM: "需确认", ERROR: "有错误"}
_TOTALS = ("合计", "总计", "小计", "注：", "注:", "备注：", "说明：", "填表说明", "填报说明", "填表人", "制表人", "审核人",
           "填报人", "单位负责人")  # a ledger's foot lines


class ImportRefused(LvqiError):
    """The import cannot go ahead as asked (mapping problems, refusals under all-or-nothing); nothing written."""


@dataclass
class CellChange:
    cell: str
    label: str
    old: str
    new: str


@dataclass(slots=True)  # 100,000 of them live in one plan
class RowResult:
    row: int  # Excel row number
    status: str = NEW
    uscc: str = ""
    name: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # cleaning changes (cell, what)
    changes: list[CellChange] = field(default_factory=list)  # updates: old → new
    enterprise_id: int | None = None
    clean: object = None  # a valid row's checked values (CleanEnterprise, or the kind's planned write)
    pending: Sequence[tuple[str, str]] = ()  # 资料待补充: (cell, what is missing or doubtful); () for most rows

    @property
    def status_label(self) -> str:
        """新增, or 新增（有待补充） when the row comes in with facts still to be completed."""
        label = STATUS_LABELS[self.status]
        return f"{label}（有待补充）" if self.pending and self.status in (NEW, UPDATE) else label


@dataclass
class SheetRow:
    """One sheet row's cleaned texts by field key, and the cell each came from."""

    result: RowResult
    texts: dict[str, str]
    cells: dict[str, str]

    def cell(self, key: str) -> str:
        return self.cells.get(key) or self.cells.get("uscc") or f"第{self.result.row}行"


@dataclass
class KindContext:
    """What a kind's import needs besides the unit of work and the rows."""

    spec: ImportKind
    office_county: str | None
    office_code: str | None
    today: date
    progress: Progress


def display(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_rows(layout: SheetLayout, spec: ImportKind, lookups: dict[str, dict[str, str] | None],
              progress: Progress) -> tuple[list[SheetRow], list[int]]:
    """Every non-blank data row's cells cleaned (notes and refusals on the row); rows with neither a
    USCC nor a name (合计 lines, remarks) are returned apart as skipped."""
    sheet = layout.sheet
    cols = [c for c in layout.columns if c.field]
    for c in cols:
        f = spec.field(c.field)  # type: ignore[arg-type]
        if lookups.get(f.key) is None and isinstance(f.codes, dict):
            lookups = {**lookups, f.key: code_lookup(f.codes)}
    out: list[SheetRow] = []
    skipped: list[int] = []
    data = sheet.data(layout.first_data_row)  # a long sheet is streamed from its file
    for offset, values in enumerate(data):
        if offset % 2000 == 0:
            progress.raise_if_cancelled()
            progress.update(offset, len(data), f"正在读取第 {offset + 1:,} / {len(data):,} 行")
        if all(v == "" or v is None for v in values):
            continue
        row = layout.first_data_row + offset
        result, texts, cells = clean_cells(values, row, cols, spec, layout, lookups)
        keys = (texts.get("uscc", ""), texts.get("name", ""))
        if (not any(keys) and not _refused_key(result, layout, row)) or is_total_line(keys):
            skipped.append(row)
            continue
        result.uscc, result.name = keys
        if keys == (_example(spec, "uscc"), _example(spec, "name")):
            result.errors.append((cells.get("uscc", f"第{row}行"), "这是导入模板自带的示例行，请删除后再导入"))
        out.append(SheetRow(result, texts, cells))
    return out, skipped


def clean_cells(values: Sequence[Any], row: int, cols: Sequence[MappedColumn], spec: ImportKind,
                layout: SheetLayout, lookups: Mapping[str, dict[str, str] | None] | None = None,
                prefix: str = "") -> tuple[RowResult, dict[str, str], dict[str, str]]:
    """One sheet row's mapped cells cleaned: its result (notes, refusals), field → text and field → cell name
    (`prefix` + A1, e.g. "1月!C5")."""
    result, texts, cells = RowResult(row), {}, {}
    for c in cols:
        f = spec.field(c.field)  # type: ignore[arg-type]
        where = f"{prefix}{c.letter}{row}"
        if (row, c.col) in layout.sheet.formula_without_value:
            result.errors.append((where, formula_without_value(f.label)))
            continue
        raw = values[c.col - 1] if c.col <= len(values) else ""
        cleaned = clean_cell(raw, f, unit=c.unit, lookup=(lookups or {}).get(f.key))
        result.notes += [(where, n) for n in cleaned.notes]
        if cleaned.error:
            result.errors.append((where, cleaned.error))
            continue
        texts[f.key] = normalise_uscc(cleaned.text) if f.key == "uscc" else cleaned.text
        cells[f.key] = where
    return result, texts, cells


def _example(spec: ImportKind, key: str) -> str:
    return next((f.example for f in spec.fields if f.key == key), "")


def is_total_line(keys: Iterable[str]) -> bool:
    """A 合计/总计/小计 line or a foot line (注：…, 填表人): its USCC or name cell starts with the word."""
    return any(t.replace(" ", "").startswith(_TOTALS) for t in keys)


def _refused_key(result: RowResult, layout: SheetLayout, row: int) -> bool:
    """A USCC or name cell that was refused (e.g. 9.1141E+17) still makes the row a firm's row."""
    key_cells = {f"{c.letter}{row}" for c in layout.columns if c.field in ("uscc", "name")}
    return any(cell in key_cells for cell, _ in result.errors)


def place_issues(row: SheetRow, issues: Iterable[Issue], related: dict[str, str] | None = None) -> None:
    """Each issue shown at the cell of its field (or of a related field the sheet has)."""
    related = related or {}
    for issue in issues:
        key = issue.field.rsplit(".", 1)[-1]
        where = row.cells.get(key) or row.cells.get(related.get(key, "")) or row.cell("")
        (row.result.errors if issue.blocking else row.result.warnings).append((where, issue.message))


def mark_duplicates(rows: list[SheetRow], key: Callable[[SheetRow], object | None], what: str) -> None:
    """Rows of the file with the same key refuse each other (both rows are named)."""
    groups: dict[object, list[SheetRow]] = {}
    for r in rows:
        k = key(r)
        if k is not None and not r.result.errors:
            groups.setdefault(k, []).append(r)
    for same in groups.values():
        if len(same) > 1:
            where = "、".join(f"第 {r.result.row} 行" for r in same)
            for r in same:
                r.result.errors.append((f"第{r.result.row}行", f"{what}在表中重复出现（{where}），请删除或合并重复的行后再导入"))


def find_firm(row: SheetRow, existing: dict[tuple[str, str], Any], office_county: str | None) -> Any | None:
    """The stored enterprise the row's USCC names in this office's county (an error on the row if none)."""
    uscc = row.result.uscc
    where = row.cell("uscc")
    if not uscc:
        row.result.errors.append((row.cell("name"), "没有填写统一社会信用代码，无法确定是哪家企业"))
        return None
    found = [e for (county, code), e in existing.items() if code == uscc and (not office_county or county == office_county)]
    if not found:
        row.result.errors.append((where, f"统一社会信用代码 {uscc} 不在本单位企业库中，请先登记或导入该企业"))
        return None
    if len(found) > 1:
        row.result.errors.append((where, f"统一社会信用代码 {uscc} 在多个县区的企业库中都有，请在县区单位导入"))
        return None
    firm = found[0]
    if firm.archived_at is not None:
        row.result.errors.append((where, f"企业“{firm.name}”已归档。如确需导入，请先在企业名录中恢复该企业"))
        return None
    row.result.enterprise_id = firm.id
    row.result.name = firm.name
    return firm


def finish(row: SheetRow, changes: list[CellChange] | None, new: bool) -> RowResult:
    """The row's status from its errors and changes."""
    r = row.result
    if r.errors:
        r.status = ERROR
    elif new:
        r.status = NEW
    else:
        r.changes = changes or []
        r.status = UPDATE if r.changes else UNCHANGED
    return r
