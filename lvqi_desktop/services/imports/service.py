"""从Excel导入 (import from a county's own sheet): open and map, dry run, apply, report, templates.

The flow: `open_sheet` reads the file and guesses the column mapping (a mapping the user confirmed
for the same headers before wins); `dry_run` says per row new / update / unchanged / error, with
the cell and the reason, and old → new per changed cell; `apply` takes a backup, evaluates again
inside one write transaction and writes every valid row (or nothing, all-or-nothing) as one
history batch. Records are checked by validation/enterprise.py `clean_enterprise`, the rules the
form and the CLI use; the register-wide checks (county, township, section, duplicate USCC or
name) by validation/enterprise_refs.py `check_references`, as EnterpriseService makes them, but
answered from sets loaded once (storage/repositories/import_sources.py), so 20,000 rows take
seconds rather than minutes.

Pool records, helpers and assignments, visits and demands (IMPORTERS) share the reading, the preview
and the one-transaction apply; each kind's rows are checked and written by its own module
(services/imports/pools.py, helpers.py, visits.py, demands.py) with the rules of
PoolService, HelperService, VisitService and the demand ledger.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.models import codes
from lvqi_desktop.models.enterprise import Enterprise
from lvqi_desktop.models.enterprise import marks_text
from lvqi_desktop.models.enterprise import parse_marks
from lvqi_desktop.models.import_kinds import KINDS
from lvqi_desktop.models.import_kinds import ImportKind
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.enterprise_derived import derive
from lvqi_desktop.services.enterprise_derived import size_bounds
from lvqi_desktop.services.enterprises import apply_clean
from lvqi_desktop.services.enterprises import refresh_derived
from lvqi_desktop.services.enterprises import to_draft
from lvqi_desktop.services.imports import bases as base_import
from lvqi_desktop.services.imports import demands as demand_import
from lvqi_desktop.services.imports import helpers as helper_import
from lvqi_desktop.services.imports import pools as pool_import
from lvqi_desktop.services.imports import visits as visit_import
from lvqi_desktop.services.imports.packing import KeyCache
from lvqi_desktop.services.imports.packing import PackedClean
from lvqi_desktop.services.imports.rows import CONFIRM
from lvqi_desktop.services.imports.rows import ERROR
from lvqi_desktop.services.imports.rows import NEW
from lvqi_desktop.services.imports.rows import STATUS_LABELS
from lvqi_desktop.services.imports.rows import UNCHANGED
from lvqi_desktop.services.imports.rows import UPDATE
from lvqi_desktop.services.imports.rows import CellChange
from lvqi_desktop.services.imports.rows import ImportRefused
from lvqi_desktop.services.imports.rows import KindContext
from lvqi_desktop.services.imports.rows import RowResult
from lvqi_desktop.services.imports.rows import display
from lvqi_desktop.services.imports.rows import is_total_line
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.sheets.column_mapping import choose_layout
from lvqi_desktop.sheets.column_mapping import default_year
from lvqi_desktop.sheets.column_mapping import default_year_note
from lvqi_desktop.sheets.column_mapping import header_signature
from lvqi_desktop.sheets.column_mapping import mapping_problems
from lvqi_desktop.sheets.reader import HEAD_ROWS
from lvqi_desktop.sheets.reader import DataRows
from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.sheets.reader import read_workbook
from lvqi_desktop.storage.county_owned import senders_of_rows
from lvqi_desktop.storage.repositories.enterprises import EnterpriseFilter
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.enterprise import COUNT_FIELDS
from lvqi_desktop.validation.enterprise import MONEY_FIELDS
from lvqi_desktop.validation.enterprise import EnterpriseDraft
from lvqi_desktop.validation.enterprise import YearDraft
from lvqi_desktop.validation.enterprise import clean_enterprise
from lvqi_desktop.validation.enterprise_refs import check_references
from lvqi_desktop.validation.import_cleaning import CleanCell
from lvqi_desktop.validation.import_cleaning import clean_cell
from lvqi_desktop.validation.import_cleaning import code_lookup
from lvqi_desktop.validation.import_cleaning import formula_without_value
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.uscc import normalise_uscc

SETTING_PREFIX = "import.mapping."
# kinds other than enterprises: a module each with `table`, `evaluate(uow, layout, ctx)` and `write(uow, rows, ctx)`
IMPORTERS = {"pools": pool_import, "demands": demand_import, "visits": visit_import, "helpers": helper_import,
             "bases": base_import}
SUPPORTED = ("enterprises", *IMPORTERS)
__all__ = ["CONFIRM", "ERROR", "NEW", "STATUS_LABELS", "UNCHANGED", "UPDATE", "CellChange", "ImportPlan",
           "ImportRefused", "ImportResult", "ImportService", "RowResult"]
_YEAR_KEYS = set(MONEY_FIELDS) | set(COUNT_FIELDS)
# an issue about a field the sheet lacks is shown at the cell that caused it
_RELATED = {"above_scale_since": "above_scale", "size_class_override_reason": "size_class_override",
            "moved_to_county": "business_status", "township_code": "county_code"}


@dataclass
class ImportPlan:
    kind: str
    path: Path
    layout: SheetLayout
    rows: list[RowResult]
    skipped_rows: list[int] = field(default_factory=list)  # no name and no USCC (合计 lines)
    register_mark: tuple[object, ...] = ()  # the register's state the plan was checked against

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in (NEW, UPDATE, UNCHANGED, ERROR)}

    @property
    def has_errors(self) -> bool:
        return any(r.status == ERROR for r in self.rows)

    def summary_text(self) -> str:
        s = self.summary
        skipped = (f"；另有 {len(self.skipped_rows):,} 行没有企业名称和信用代码（如合计行），未导入：第 "
                   + "、".join(str(r) for r in self.skipped_rows[:10]) + (" 等行" if len(self.skipped_rows) > 10
                                                                        else " 行")) if self.skipped_rows else ""
        pending = sum(1 for r in self.rows if r.pending and r.status in (NEW, UPDATE))
        marked = f"（其中 {pending:,} 家有待补充的资料）" if pending else ""
        return (f"共 {len(self.rows):,} 行：新增 {s[NEW]:,}，更新 {s[UPDATE]:,}，无变化 {s[UNCHANGED]:,}，"
                f"有错误 {s[ERROR]:,}{marked}{skipped}")


@dataclass
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped: int
    label: str
    backup: Path | None


@dataclass
class _Reference:
    office_county: str | None
    counties: dict[str, str]  # code → name
    county_lookup: dict[str, str]
    townships: dict[str, tuple[str, str]]  # code → (county, name)
    township_by_name: dict[tuple[str, str], str]
    sections: dict[str, str]
    section_lookup: dict[str, str]

    def lookup_for(self, f_codes: object) -> dict[str, str] | None:
        if isinstance(f_codes, dict):
            return code_lookup(f_codes)
        if f_codes == "counties":
            return self.county_lookup
        if f_codes == "sections":
            return self.section_lookup
        return None


class ImportService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 backup: Callable[[Progress], Path | None] | None = None,
                 today: Callable[[], date] = clock.today,
                 office_code: Callable[[], str | None] = lambda: None) -> None:
        self._db = db
        self._office_county = office_county
        self._office_code = office_code  # numbers imported demands
        self._backup = backup  # takes a backup before an import; returns its path
        self._today = today

    # ---- templates
    def write_template(self, kind: str, path: str | Path) -> Path:
        """下载导入模板: header, example row, notes sheet, dropdowns from a hidden list sheet."""
        spec = _kind(kind)
        lists: dict[str, list[str]] = {}
        with self._db.unit_of_work() as uow:
            lists["counties"] = [c.name for c in uow.reference.counties()]
            county = self._office_county()  # a county office's template lists only its own townships
            lists["townships"] = [t.name for t in uow.reference.townships(county or None)]
            lists["sections"] = [f"{x.code} {x.name}" for x in uow.reference.sections()]
            if spec.key == "pools":
                lists.update(pool_import.template_lists(uow))
        from lvqi_desktop.exporters import import_template  # openpyxl: not at start-up

        return import_template.write_template(spec, Path(path), lists)

    def write_incomplete_list(self, path: str | Path) -> tuple[Path, int]:
        """导出待补充清单: the firms marked 资料待补充 with exactly their missing cells open; (path, firms)."""
        with self._db.unit_of_work() as uow:
            rows = uow.enterprises.list_rows(EnterpriseFilter(county_code=self._office_county() or "", incomplete=True))
            firms = [(r.uscc, r.name, parse_marks(r.incomplete)) for r in rows]
        from lvqi_desktop.exporters import import_template  # openpyxl: not at start-up

        return import_template.write_incomplete_list(KINDS["enterprises"], Path(path), firms), len(firms)

    # ---- reading and mapping
    def open_sheet(self, path: str | Path, kind: str) -> SheetLayout:
        """Read the file and find its header; a mapping confirmed before for these headers is reused."""
        spec = _kind(kind)
        book = read_workbook(path, head=HEAD_ROWS)  # the data rows are streamed from the file when checked
        layout = choose_layout(book, spec)
        if layout is None:
            raise SheetRefused(f"在“{Path(path).name}”的前30行中没有找到可识别的表头（如“统一社会信用代码”“企业名称”）。"
                               "请确认表头在前30行内，或下载导入模板按模板填写。")
        layout.notes.extend(book.notes)  # stray far cells left out by the reader
        remembered = self.remembered_mapping(kind, layout.headers)
        if remembered is not None:
            layout = layout.with_mapping(remembered)
            layout.notes.append("已按上次确认的列对应读取")
        note = default_year_note(layout, spec)
        if note:
            layout.notes.append(note)
        return layout

    def _setting_key(self, kind: str, headers: list[str]) -> str:
        return f"{SETTING_PREFIX}{kind}.{header_signature(headers)}"

    def remembered_mapping(self, kind: str, headers: list[str]) -> dict[int, str | None] | None:
        with self._db.unit_of_work() as uow:
            raw = uow.office.setting(self._setting_key(kind, headers))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            spec = _kind(kind)
            valid = {f.key for f in spec.fields}
            return {int(k): (v if v in valid else None) for k, v in data.items()}
        except (ValueError, AttributeError):
            return None

    def remember_mapping(self, kind: str, layout: SheetLayout) -> None:
        """Keep the mapping the user confirmed, for the next file with the same headers."""
        with self._db.unit_of_work() as uow:
            uow.office.set_setting(self._setting_key(kind, layout.headers),
                                   json.dumps({str(c.col): c.field for c in layout.columns}, ensure_ascii=False))
            uow.commit()

    # ---- dry run and apply
    def dry_run(self, path: str | Path, kind: str, layout: SheetLayout | None = None,
                progress: Progress = NO_PROGRESS) -> ImportPlan:
        """What an import would do, row by row; writes nothing. Raises ImportRefused for mapping problems."""
        spec = _kind(kind)
        layout = layout or self.open_sheet(path, kind)
        _check_mapping(layout, spec)
        note = default_year_note(layout, spec)
        if note and note not in layout.notes:
            layout.notes.append(note)
        with self._db.unit_of_work() as uow:
            mark = _register_mark(uow)
            if kind in IMPORTERS:
                rows, skipped = IMPORTERS[kind].evaluate(uow, layout, self._context(spec, progress))
                return ImportPlan(kind, Path(path), layout, rows, skipped, mark)
            evaluator = _Evaluator(uow, spec, layout, self._office_county(), self._today(), progress)
            rows = evaluator.run()
        return ImportPlan(kind, Path(path), layout, rows, evaluator.skipped, mark)

    def _context(self, spec: ImportKind, progress: Progress) -> KindContext:
        return KindContext(spec, self._office_county(), self._office_code(), self._today(), progress)

    def apply(self, path: str | Path, kind: str, layout: SheetLayout | None = None, *,
              all_or_nothing: bool = False, progress: Progress = NO_PROGRESS,
              plan: ImportPlan | None = None) -> ImportResult:
        """导入: backup, then every valid row in one transaction and one history batch.

        `plan`, the dry run the user saw, is used as it is when nothing in the register changed since
        (checked inside the write transaction); otherwise every row is checked again.
        """
        spec = _kind(kind)
        layout = layout or self.open_sheet(path, kind)
        _check_mapping(layout, spec)
        path = Path(path)
        progress.raise_if_cancelled()
        progress.update(0, 0, "正在备份数据……")
        backup_path = self._backup(progress) if self._backup else None
        if kind in IMPORTERS:
            return self._apply_kind(path, spec, layout, all_or_nothing, progress, backup_path)
        with self._db.unit_of_work() as uow:
            # checked again inside the write transaction: the register may have changed since the preview
            if plan is not None and plan.layout is layout and plan.register_mark == _register_mark(uow):
                rows = plan.rows
            else:
                rows = _Evaluator(uow, spec, layout, self._office_county(), self._today(), progress).run()
            errors = _refuse_if_strict(rows, all_or_nothing)
            if not any(r.status in (NEW, UPDATE) for r in rows):
                return ImportResult(0, 0, sum(r.status == UNCHANGED for r in rows), len(errors),
                                    f"从Excel导入企业：{path.name}", backup_path)
            added = [r for r in rows if r.status == NEW]
            updated = [r for r in rows if r.status == UPDATE]
            label = f"从Excel导入企业：{path.name}（新增{len(added)}家，更新{len(updated)}家）"
            uow.begin_batch(label, "enterprise", {"file": path.name, "added": len(added), "updated": len(updated),
                                                  "skipped": len(errors)})
            _write(uow, added, updated, progress)
            progress.raise_if_cancelled()
            progress.update(1, 1, "正在提交……")
            uow.commit()
        return ImportResult(len(added), len(updated), sum(r.status == UNCHANGED for r in rows), len(errors),
                            label, backup_path)

    def save_report(self, plan: ImportPlan, path: str | Path, progress: Progress = NO_PROGRESS) -> Path:
        """The preview as xlsx: the sheet's rows with status and reasons, errors highlighted."""
        from lvqi_desktop.exporters import import_template  # openpyxl: not at start-up

        return import_template.write_report(plan, Path(path), progress)

    def _apply_kind(self, path: Path, spec: ImportKind, layout: SheetLayout, all_or_nothing: bool,
                    progress: Progress, backup_path: Path | None) -> ImportResult:
        """Pools, helpers, visits, demands: every row checked again in the write transaction, then written."""
        importer = IMPORTERS[spec.key]
        with self._db.unit_of_work() as uow:
            ctx = self._context(spec, progress)
            rows, _ = importer.evaluate(uow, layout, ctx)
            errors = _refuse_if_strict(rows, all_or_nothing)
            added = [r for r in rows if r.status == NEW]
            updated = [r for r in rows if r.status == UPDATE]
            unchanged = sum(r.status == UNCHANGED for r in rows)
            label = f"从Excel导入{spec.label}：{path.name}（新增{len(added)}条，更新{len(updated)}条）"
            if not added and not updated:
                return ImportResult(0, 0, unchanged, len(errors), label, backup_path)
            uow.begin_batch(label, importer.table, {"file": path.name, "added": len(added),
                                                    "updated": len(updated), "skipped": len(errors)})
            importer.write(uow, added + updated, ctx)
            progress.raise_if_cancelled()
            progress.update(1, 1, "正在提交……")
            uow.commit()
        return ImportResult(len(added), len(updated), unchanged, len(errors), label, backup_path)


def _refuse_if_strict(rows: list[RowResult], all_or_nothing: bool) -> list[RowResult]:
    """The rows with errors; under all-or-nothing any of them refuses the whole import."""
    errors = [r for r in rows if r.status == ERROR]
    if all_or_nothing and errors:
        first = errors[0]
        raise ImportRefused(f"有 {len(errors):,} 行未通过校验（第一处：第 {first.row} 行，{first.errors[0][0]}："
                            f"{first.errors[0][1]}）。已选择“全部成功才导入”，因此没有导入任何数据。")
    return errors


def _register_mark(uow: UnitOfWork) -> tuple[object, ...]:
    """Changes whenever the register does: every write through a unit of work adds change history."""
    return uow.import_sources.register_mark()


def _kind(kind: str) -> ImportKind:
    if kind not in KINDS:
        raise ImportRefused(f"不支持的导入类别“{kind}”，可选：{'、'.join(KINDS)}")
    return KINDS[kind]


def _check_mapping(layout: SheetLayout, spec: ImportKind) -> None:
    if spec.key not in SUPPORTED:
        labels = "、".join(KINDS[k].label for k in SUPPORTED)
        raise ImportRefused(f"“{spec.label}”的导入尚未开放（目前可导入：{labels}）。可以先下载模板整理数据。")
    problems = mapping_problems(layout, spec)
    if problems:
        raise ImportRefused("列对应有问题，未导入任何数据：" + "；".join(problems))


# ---- evaluation of the rows

def _load_reference(uow: UnitOfWork, office_county: str | None) -> _Reference:
    sources = uow.import_sources
    counties, townships, sections = sources.counties(), sources.townships(), sources.sections()
    county_lookup = code_lookup(counties)
    for code, name in counties.items():  # 离石 for 离石区, 孝义 for 孝义市
        if len(name) > 2 and name[-1] in "区县市":
            county_lookup.setdefault(name[:-1], code)
    return _Reference(office_county, counties, county_lookup, townships,
                      {(c, n): code for code, (c, n) in townships.items()}, sections, code_lookup(sections))


class _PreloadedLookup:
    """check_references' questions answered from the sets loaded once for the whole sheet."""

    def __init__(self, ref: _Reference, existing: dict[tuple[str, str], Any],
                 names: dict[tuple[str, str], tuple[int, str, str]]) -> None:
        self._ref, self._existing, self._names = ref, existing, names

    def county_name(self, code: str) -> str | None:
        return self._ref.counties.get(code)

    def township_county(self, code: str) -> str | None:
        found = self._ref.townships.get(code)
        return found[0] if found is not None else None

    def section_exists(self, code: str) -> bool:
        return code in self._ref.sections

    def same_uscc(self, county: str, uscc: str, exclude_id: int | None) -> tuple[int, str, bool] | None:
        e = self._existing.get((county, uscc))
        return None if e is None or e.id == exclude_id else (e.id, e.name, e.archived_at is not None)

    def same_name(self, county: str, name_key: str, exclude_id: int | None) -> tuple[int, str, str] | None:
        same = self._names.get((county, name_key))
        return None if same is None or same[0] == exclude_id else same


class _Evaluator:
    def __init__(self, uow: UnitOfWork, spec: ImportKind, layout: SheetLayout, office_county: str | None,
                 today: date, progress: Progress) -> None:
        self.uow, self.spec, self.layout, self.today, self.progress = uow, spec, layout, today, progress
        self.ref = _load_reference(uow, office_county)
        self.cols = [c for c in layout.columns if c.field]
        self.fields = {c.col: spec.field(c.field) for c in self.cols}  # type: ignore[arg-type]
        self.letters = {c.col: c.letter for c in self.cols}
        self.lookups = {c.col: self.ref.lookup_for(spec.field(c.field).codes) for c in self.cols}  # type: ignore[arg-type]
        self.default_year = default_year(layout, spec)
        self.skipped: list[int] = []  # rows without a name or USCC (合计 lines): listed, not imported
        self._packed_keys: KeyCache = {}  # the key tuples every packed row shares

    def run(self) -> list[RowResult]:
        """Each row is cleaned and checked as it is read, so only its result stays (100,000 rows must fit in
        400 MB); only the rows of a firm on several rows (one per year) wait until all of them are read."""
        sheet, layout = self.layout.sheet, self.layout
        data = sheet.data(layout.first_data_row)  # streamed: read from the file once more for these two passes
        total = len(data)
        self.progress.update(0, total, "正在检查数据……")
        counts = self._uscc_counts(data)
        sources = self.uow.import_sources
        existing = sources.existing_by_uscc(counts)
        lookup = _PreloadedLookup(self.ref, existing, sources.current_names())
        bounds_cache: dict[str, object] = {}
        self.bounds_for = lambda g: bounds_cache.setdefault(g, size_bounds(self.uow.reference.size_rule(g)))
        results: list[RowResult] = []
        held: list[_Prepared] = []  # rows sharing a USCC with a later row: merged once all are read
        for offset, values in enumerate(data):
            if offset % 2000 == 0:
                self.progress.raise_if_cancelled()
                self.progress.update(offset, total, f"正在校验第 {offset + 1:,} / {total:,} 行")
            if all(v == "" or v is None for v in values):
                continue
            item = self._clean_row(layout.first_data_row + offset, values)
            if item is None:
                continue
            if counts.get(item.plain.get("uscc", ""), 0) > 1:
                held.append(item)
            else:
                results.append(self._evaluate(item, existing, lookup))
        del data  # a streamed sheet's grid is freed before the results are finished
        if held:
            results += [self._evaluate(item, existing, lookup) for item in _merge_firm_years(held)]
            results.sort(key=lambda r: r.row)
        self._in_file_duplicates(results)
        self._county_owned(results)
        return results

    def _county_owned(self, results: list[RowResult]) -> None:
        """City edition: a row that would change a firm a county sent is refused, the rest go in (the county
        corrects its own firms and sends a new package; the save would be refused anyway)."""
        updates = [r for r in results if r.status == UPDATE]
        owners = senders_of_rows(self.uow, Enterprise, [int(r.enterprise_id or 0) for r in updates]) if updates else {}
        for r in updates:
            county = owners.get(int(r.enterprise_id or 0))
            if county:
                r.errors = [*r.errors, (f"第{r.row}行", f"该企业是{county}报送的数据，市中心不能通过导入修改。"
                                                      f"请联系{county}在本县区修改后重新报送")]
                r.status, r.clean = ERROR, None

    def _uscc_counts(self, data: DataRows) -> Counter[str]:
        """How many rows give each USCC, read before the rows are checked (a firm on several rows is merged)."""
        counts: Counter[str] = Counter()
        for c in self.cols:
            if c.field != "uscc":
                continue
            f, lookup = self.fields[c.col], self.lookups[c.col]
            for n, values in enumerate(data):
                if n % 5000 == 0:
                    self.progress.raise_if_cancelled()
                raw = values[c.col - 1] if c.col <= len(values) else ""
                if raw != "" and raw is not None:
                    text = clean_cell(raw, f, unit=c.unit, lookup=lookup).text
                    if text:
                        counts[normalise_uscc(text)] += 1
        return counts

    # one row's cells → texts per field, with notes and refusals
    def _clean_row(self, row: int, values: Sequence[object]) -> _Prepared | None:
        result = RowResult(row)
        p = _Prepared(result, {}, {}, {})
        row_year: int | None = self.default_year
        pending_yearly: list[tuple[str, str, str]] = []
        aside: list[tuple[str, str, str, str]] = []  # (field, cell, why, the words): set aside, kept in 备注
        formulas = self.layout.sheet.formula_without_value
        for c in self.cols:
            f = self.fields[c.col]
            raw = values[c.col - 1] if c.col <= len(values) else ""
            where = f"{self.letters[c.col]}{row}"
            if (row, c.col) in formulas:
                formula = formulas[(row, c.col)]
                why = f"{f.label}是公式“{formula[:40]}”，但文件中没有保存计算结果"
                if f.key in _KEY_FIELDS:
                    result.errors.append((where, formula_without_value(f.label, formula)))
                elif f.kind in ("text", "prose"):  # kept literally as words: a text, never a formula again
                    p.plain[f.key], p.cells[f.key] = formula, where
                    result.notes.append((where, f"{why}，按公式原文作为文字保存"))
                    p.mark(f.key, where, f"{f.label}是没有计算结果的公式，已按原文“{formula[:40]}”保存，请核对")
                else:
                    aside.append((f.key, where, why, formula))
                continue
            cleaned: CleanCell = clean_cell(raw, f, unit=c.unit, lookup=self.lookups[c.col])
            for note in cleaned.notes:
                result.notes.append((where, note))
            if cleaned.error:
                if f.key in _KEY_FIELDS:
                    result.errors.append((where, cleaned.error))
                else:  # an optional fact that cannot be read: the row comes in without it, the words kept
                    aside.append((f.key, where, cleaned.error, display(raw)))
                continue
            if cleaned.pending:
                p.mark(f.key, where, cleaned.pending)
            if f.yearly:
                if cleaned.text:
                    if c.year is not None:
                        p.yearly.setdefault(c.year, {})[f.key] = cleaned.text
                        p.cells[f"years.{c.year}.{f.key}"] = where
                    else:
                        pending_yearly.append((f.key, cleaned.text, where))
            elif f.key == "year":
                row_year = int(cleaned.text) if cleaned.text else None
                p.cells["year"] = where
            else:
                p.plain[f.key] = normalise_uscc(cleaned.text) if f.key == "uscc" else cleaned.text
                p.cells[f.key] = where
        if pending_yearly:
            if row_year is None:
                where = p.cells.get("year") or pending_yearly[0][2]
                result.errors.append((where, "填写了年度数据（营业收入等），但没有填写“年度”"))
            else:
                for key, text, where in pending_yearly:
                    p.yearly.setdefault(row_year, {})[key] = text
                    p.cells[f"years.{row_year}.{key}"] = where
        for key, where, why, words in aside:
            yearly_key = f"years.{row_year}.{key}" if self.spec.field(key).yearly and row_year else key
            p.set_aside(yearly_key, where, why, self.spec.field(key).label, words)
        key_cells = {f"{self.letters[c.col]}{row}" for c in self.cols if c.field in ("uscc", "name")}
        plain = p.plain
        no_firm = not plain.get("uscc") and not plain.get("name") and not any(c in key_cells for c, _ in result.errors)
        if no_firm or is_total_line((plain.get("uscc", ""), plain.get("name", ""))):
            self.skipped.append(row)  # a total line (合计) or a remark: no enterprise to import
            return None
        return p

    def _already_refused(self, key: str, row: int, refused: set[str]) -> bool:
        return any(c.field == key and f"{c.letter}{row}" in refused for c in self.cols)

    def _draft(self, p: _Prepared, county: str, found: Any) -> EnterpriseDraft:
        """The stored record (or a new one) with the row's cells put in; blank cells never clear what is stored."""
        ref = self.ref
        draft = to_draft(found) if found is not None else EnterpriseDraft()
        for key, text in p.plain.items():
            if not text and found is not None:
                continue  # a blank cell never clears what is stored (the template's notes say so)
            if key == "above_scale":
                draft.above_scale = text == "是"
            elif key == "township_code":
                draft.township_code = text if text in ref.townships else ref.township_by_name.get((county, text), text)
            elif text or found is None:
                setattr(draft, key, text)
        draft.county_code = county
        by_year = {y.year: y for y in draft.years} if found is not None else {}
        for year, figures in p.yearly.items():
            yd = by_year.get(year)
            if yd is None:
                yd = YearDraft(year=year)
                draft.years.append(yd)
                by_year[year] = yd
            for key, text in figures.items():
                setattr(yd, key, text)
        return draft

    def _evaluate(self, p: _Prepared, existing: dict[tuple[str, str], Any], lookup: _PreloadedLookup) -> RowResult:
        ref, result, cells = self.ref, p.result, p.cells
        plain = p.plain
        row_cell = f"第{result.row}行"
        uscc = plain.get("uscc", "")
        result.uscc, result.name = uscc, plain.get("name", "")
        county = ref.office_county or plain.get("county_code", "")
        if ref.office_county and plain.get("county_code") and plain["county_code"] != ref.office_county:
            result.errors.append((cells["county_code"], f"该企业属于{ref.counties.get(plain['county_code'], '')}，"
                                  f"不是本单位所属的{ref.counties.get(ref.office_county, '')}，不能导入本单位企业库"))
        if uscc == self.spec.field("uscc").example and plain.get("name") == self.spec.field("name").example:
            result.errors.append((cells.get("uscc", row_cell), "这是导入模板自带的示例行，请删除后再导入"))
            result.status = ERROR
            return result
        found = existing.get((county, uscc)) if uscc else None
        draft = self._draft(p, county, found)
        clean, issues = clean_enterprise(draft, self.today)
        soft = [i for i in issues if i.blocking and _is_soft(i.field)]
        if soft:  # taken without the fact it cannot trust: the words go to 备注, the row to 资料待补充
            for issue in soft:
                p.set_aside(issue.field, self._cell_of(issue.field, cells, row_cell), issue.message,
                            _issue_label(issue.field, self.spec), _clear_draft(draft, issue.field))
            clean, issues = clean_enterprise(draft, self.today)
            issues = [i for i in issues if not (i.blocking and _is_soft(i.field))]
        clean.values["county_code"] = county
        # a USCC already in the register is this row's record (an update), so it never counts as a duplicate
        references = check_references(clean.values, county, lookup, found.id if found is not None else None,
                                      issues)[0]
        for issue in references:
            if issue.blocking and issue.field in _SOFT_REFERENCES:
                p.set_aside(issue.field, self._cell_of(issue.field, cells, row_cell), issue.message,
                            _issue_label(issue.field, self.spec), plain.get(issue.field, ""))
                clean.values[issue.field] = None
            else:
                issues.append(issue)
        refused = {cell for cell, _ in result.errors}
        for issue in issues:
            if self._already_refused(issue.field, result.row, refused):
                continue  # “请填写…” for a cell already refused (9.1141E+17) would only repeat it
            where = self._cell_of(issue.field, cells, row_cell)
            (result.errors if issue.blocking else result.warnings).append((where, issue.message))
        if p.pending:
            result.pending = [(where, message) for _, where, message in p.pending]
        if result.errors:
            result.status = ERROR
            return result
        if p.aside:
            clean.values["remarks"] = _with_words(str(clean.values["remarks"]), p.aside)
        clean.values["incomplete"] = _marks_after(getattr(found, "incomplete", ""), p)
        result.name = str(clean.values["name"])
        if clean.values["uscc"] == result.uscc:
            result.uscc = str(clean.values["uscc"])  # one string object for the plan and the record
        if found is not None:
            result.enterprise_id = found.id
            result.changes = _diff(found, clean, cells, self.spec)
        result.status = NEW if found is None else UPDATE if result.changes else UNCHANGED
        # never written when unchanged; otherwise kept packed: 100,000 of them live in the plan
        result.clean = PackedClean(clean, self._packed_keys) if result.status != UNCHANGED else None
        return _without_empty_lists(result)

    @staticmethod
    def _cell_of(key: str, cells: dict[str, str], row_cell: str) -> str:
        return (cells.get(key) or cells.get(_RELATED.get(key, "")) or cells.get(key.rsplit(".", 1)[0]) or row_cell)

    def _in_file_duplicates(self, results: list[RowResult]) -> None:
        """Two rows with one name but different USCCs refuse each other, as the form refuses a second firm of a name."""
        by_name: dict[str, list[RowResult]] = {}
        for r in results:
            if r.status != ERROR and r.name:
                by_name.setdefault(name_key(r.name), []).append(r)
        for rows in by_name.values():
            if len({r.uscc for r in rows}) < 2:
                continue
            where = "、".join(f"第 {r.row} 行" for r in rows)
            for r in rows:
                r.errors = [*r.errors, (f"第{r.row}行", f"企业名称“{r.name}”在表中出现了两次以上（{where}），但统一社会信用代码不同，"
                                                    "无法确定哪一个是该企业的；请核对后只保留正确的一行再导入")]
                r.status, r.clean = ERROR, None


def _without_empty_lists(result: RowResult) -> RowResult:
    """A checked row's empty lists of errors, warnings, notes and changes become one shared empty tuple
    (four empty lists take 0.2 KB a row, 20 MB in a 100,000-row plan); nothing appends to them afterwards."""
    for name in ("errors", "warnings", "notes", "changes"):
        if not getattr(result, name):
            setattr(result, name, ())
    return result


def _merge_firm_years(prepared: list[_Prepared]) -> list[_Prepared]:
    """A firm on several rows (one per year, 年度 column): one firm with those years. Rows that disagree on a
    fact, or give one year twice with different figures, are refused together (the sheet is ambiguous)."""
    groups: dict[str, list[_Prepared]] = {}
    for p in prepared:
        uscc = p.plain.get("uscc", "")
        if len(uscc) == 18 and not p.result.errors:
            groups.setdefault(uscc, []).append(p)
    for uscc, rows in groups.items():
        if len(rows) > 1:
            _merge_into_first(uscc, rows)
    return [p for p in prepared if not p.merged_away]


def _merge_into_first(uscc: str, rows: list[_Prepared]) -> None:
    first = rows[0]
    where = "、".join(f"第 {p.result.row} 行" for p in rows)
    conflicts: list[str] = []
    for p in rows[1:]:
        for key, text in p.plain.items():
            have = first.plain.get(key, "")
            if text and have and text != have:
                conflicts.append(f"“{KINDS['enterprises'].field(key).label}”（{have} / {text}）")
            elif text and not have:
                first.plain[key], first.cells[key] = text, p.cells[key]
        for year, figures in p.yearly.items():
            mine = first.yearly.setdefault(year, {})
            for key, text in figures.items():
                if key in mine and mine[key] != text:
                    conflicts.append(f"{year}年“{KINDS['enterprises'].field(key).label}”（{mine[key]} / {text}）")
                elif key not in mine:
                    mine[key] = text
                    first.cells[f"years.{year}.{key}"] = p.cells[f"years.{year}.{key}"]
    if conflicts:
        for p in rows:
            p.result.errors.append((f"第{p.result.row}行", f"统一社会信用代码 {uscc} 在表中重复出现（{where}），且"
                                    f"{'、'.join(dict.fromkeys(conflicts))}不一致，无法确定以哪一行为准；"
                                    "请删除或合并重复的行后再导入"))
        return
    for p in rows[1:]:
        first.result.notes += p.result.notes
        if p.pending:
            first.pending = [*(first.pending or ()), *p.pending]
        if p.aside:
            first.aside = [*(first.aside or ()), *p.aside]
        p.merged_away = True
    years = sorted(first.yearly)
    what = f"{'、'.join(str(y) for y in years)}年的数据" if len(years) > 1 else "相同的数据"
    first.result.notes.append((f"第{first.result.row}行", f"{where}是同一企业（{uscc}）{what}，合并为一家企业导入"))


@dataclass(slots=True)
class _Prepared:
    """One firm's cleaned cells before the register is asked: texts per field, yearly texts, their cells."""

    result: RowResult
    plain: dict[str, str]
    yearly: dict[int, dict[str, str]]
    cells: dict[str, str]  # field or years.Y.field → cell name
    pending: list[tuple[str, str, str]] | None = None  # (field, cell, what to complete); None: nothing (most rows)
    aside: list[tuple[str, str]] | None = None  # (label, words) kept in 备注
    merged_away: bool = False

    def mark(self, key: str, where: str, message: str) -> None:
        """资料待补充: the fact `key` is missing or doubtful (shown at `where`)."""
        if self.pending is None:
            self.pending = []
        self.pending.append((key, where, message))

    def set_aside(self, key: str, where: str, why: str, label: str, words: str) -> None:
        """A fact the import cannot trust: left out of the record, its words kept in 备注, the firm marked."""
        self.mark(key, where, f"{why}（未导入该项{'，原文已记入备注' if words else ''}）")
        if words:
            if self.aside is None:
                self.aside = []
            self.aside.append((label, words))


# what an import refuses a row for: who the firm is (USCC, name), its county, the year its figures belong to
_KEY_FIELDS = frozenset({"uscc", "name", "county_code", "year"})
_SOFT_REFERENCES = frozenset({"township_code", "industry_section"})  # taken without: listed as 资料待补充
_WORDS_NOTE = "导入时未能采用的原文："


def _is_soft(key: str) -> bool:
    """An issue the import takes the row without (资料待补充): not the firm's identity, county or a year itself."""
    return key not in _KEY_FIELDS and not (key.startswith("years.") and key.count(".") == 1)


def _issue_label(key: str, spec: ImportKind) -> str:
    base = key.rsplit(".", 1)[-1]
    label = spec.field(base).label if base in {f.key for f in spec.fields} else _EXTRA_LABELS.get(base, base)
    return f"{key.split('.')[1]}年{label}" if key.startswith("years.") else label


_EXTRA_LABELS = {"moved_to_county": "迁入地", "size_class_override_reason": "人工划型理由",
                 "high_tech_valid_until": "高新技术企业证书有效期"}


def _clear_draft(draft: EnterpriseDraft, key: str) -> str:
    """Empty the draft's field (or one year's figure) and give back the words it held."""
    if key.startswith("years."):
        _, year, name = (key.split(".") + [""])[:3]
        for yd in draft.years:
            if str(yd.year) == year and name:
                words = str(getattr(yd, name, ""))
                setattr(yd, name, "")
                return words
        return ""
    words = getattr(draft, key, "")
    if isinstance(words, str):
        setattr(draft, key, "")
        return words
    return ""


def _with_words(remarks: str, aside: list[tuple[str, str]]) -> str:
    """备注 with the words an import could not use appended once (a second import of the file adds nothing)."""
    words = "；".join(f"{label}“{text}”" for label, text in aside)
    line = _WORDS_NOTE + words
    return remarks if line in remarks else (f"{remarks}\n{line}" if remarks else line)


def _marks_after(stored: str | None, p: _Prepared) -> str:
    """The firm's 资料待补充 marks after this row: a mark whose fact the row now gives is cleared, new ones added."""
    marks = parse_marks(stored)
    given = {k for k, t in p.plain.items() if t} | {f"years.{y}.{k}" for y, fig in p.yearly.items() for k in fig}
    if p.plain.get("above_scale") == "否":
        given.add("above_scale_since")
    for key in given:
        marks.pop(key, None)
    for key, _, message in p.pending or ():
        marks[key] = message
    return marks_text(marks)


def _field_text(key: str, value: object) -> str:
    if key in ("ownership_type",):
        return codes.label(codes.OWNERSHIP_TYPES, value)  # type: ignore[arg-type]
    if key == "business_status":
        return codes.label(codes.BUSINESS_STATUSES, value)  # type: ignore[arg-type]
    if key == "four_above_category":
        return codes.label(codes.FOUR_ABOVE_CATEGORIES, value)  # type: ignore[arg-type]
    if key.endswith("_fen"):
        return fen_to_wan_text(value)  # type: ignore[arg-type]
    if key == "incomplete":
        return f"{len(parse_marks(str(value or '')))} 项" if value else "（无）"
    return display(value)


def _diff(e: Any, clean: object, cells: dict[str, str], spec: ImportKind) -> list[CellChange]:
    changes: list[CellChange] = []
    labels = {f.key: f.label for f in spec.fields} | {"incomplete": "资料待补充"}
    for key, new in clean.values.items():  # type: ignore[attr-defined]
        if key in ("name_key",):
            continue
        old = getattr(e, key, None)
        if (old or None) != (new or None) and not (old in (None, "") and new in (None, "")):
            changes.append(CellChange(cells.get(key, ""), labels.get(key, key), _field_text(key, old),
                                      _field_text(key, new)))
    years = {y.year: y for y in e.years if y.archived_at is None}
    for cy in clean.years:  # type: ignore[attr-defined]
        y = years.get(cy.year)
        for col, new in cy.values.items():
            old = getattr(y, col) if y is not None else None
            if old != new:
                key = col.removesuffix("_fen")
                changes.append(CellChange(cells.get(f"years.{cy.year}.{key}", ""),
                                          f"{cy.year}年{labels.get(key, key)}", _field_text(col, old),
                                          _field_text(col, new)))
    return changes


_INSERT_CHUNK = 2000  # new enterprises prepared before they are INSERTed (all in the one transaction)


def _write(uow: UnitOfWork, added: list[RowResult], updated: list[RowResult], progress: Progress) -> None:
    sources = uow.import_sources
    bounds_cache: dict[str, object] = {}

    def bounds_for(group: str) -> object:
        if group not in bounds_cache:
            bounds_cache[group] = size_bounds(uow.reference.size_rule(group))
        return bounds_cache[group]

    next_id, next_year = sources.next_ids()
    now = clock.now()
    rows: list[dict[str, object]] = []
    year_rows: list[dict[str, object]] = []
    names: dict[int, str] = {}

    def insert_chunk() -> None:  # same transaction: a chunk only bounds the memory of 100,000 prepared rows
        if rows:
            keys = list(rows[0])
            sources.insert_new([{k: row.get(k) for k in keys} for row in rows], year_rows,
                               lambda row: str(row["name"]),
                               lambda row: f"{names.get(int(row['enterprise_id']), '')} {row['year']}年")
        rows.clear()
        year_rows.clear()
        names.clear()

    for n, r in enumerate(added):
        if len(rows) >= _INSERT_CHUNK:
            insert_chunk()
        if n % 2000 == 0:
            progress.raise_if_cancelled()
            progress.update(n, len(added) + len(updated), f"正在写入第 {n + 1:,} / {len(added):,} 家新增企业")
        v = dict(r.clean.values)  # type: ignore[attr-defined]
        ys = [_YearRow(cy.year, cy.values) for cy in r.clean.years]  # type: ignore[attr-defined]
        derived = derive(name=str(v["name"]), uscc=str(v["uscc"]), former_names=str(v["former_names"]),
                         name_parts=_name_parts(str(v["name"])),
                         industry_section=v["industry_section"], industry_class=str(v["industry_class"]),
                         size_group=v["size_group"], size_class_override=v["size_class_override"],
                         years=ys, bounds_for=bounds_for)  # type: ignore[arg-type]
        row = {"id": next_id, "uuid": str(uuid.uuid4()), **v, "merged_into_uuid": None, "created_at": now, "updated_at": now, "archived_at": None,
               "archive_reason": None, **derived.columns}
        rows.append(row)
        names[next_id] = str(v["name"])
        for y in ys:
            year_rows.append({"id": next_year, "uuid": str(uuid.uuid4()), "enterprise_id": next_id, "year": y.year,
                              **y.values, "created_at": now, "updated_at": now, "archived_at": None,
                              "archive_reason": None})
            next_year += 1
        r.enterprise_id = next_id
        next_id += 1
    insert_chunk()
    for n, r in enumerate(updated):
        if n % 500 == 0:
            progress.raise_if_cancelled()
            progress.update(len(added) + n, len(added) + len(updated), f"正在更新第 {n + 1:,} / {len(updated):,} 家企业")
        e = uow.enterprises.get(r.enterprise_id)  # type: ignore[arg-type]
        if e is None:
            continue
        apply_clean(e, r.clean)  # type: ignore[arg-type]
        refresh_derived(uow, e)
    uow.flush()




@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """pypinyin's phrase cutter, loaded on the first import (its dictionaries cost ~0.2 s at start-up)."""
    from pypinyin.core import Pinyin

    return Pinyin()


def _name_parts(name: str) -> list[str]:
    """The name cut where pypinyin itself cuts it, so each piece's pinyin is cached across rows
    (the keys come out exactly as converting the whole name; search_key checks the pieces join up)."""
    return list(_segmenter().seg(name))


@dataclass
class _YearRow:
    year: int
    values: dict[str, int | None]

    def __getattr__(self, name: str) -> object:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)
