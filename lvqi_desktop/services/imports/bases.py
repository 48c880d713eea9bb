"""从Excel导入双创基地: matched by name within the county, checked by the base form's rules (clean_base).

A new name registers a base at its level (with the first event of its timeline); a known name updates
the filled cells (blank cells keep the stored value); the level of a stored base changes only on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields
from typing import Any

from lvqi_desktop.services.bases import base_to_draft
from lvqi_desktop.services.bases import level_rules
from lvqi_desktop.services.bases import operator_types
from lvqi_desktop.services.bases import register_base
from lvqi_desktop.services.imports.rows import CellChange
from lvqi_desktop.services.imports.rows import KindContext
from lvqi_desktop.services.imports.rows import RowResult
from lvqi_desktop.services.imports.rows import SheetRow
from lvqi_desktop.services.imports.rows import display
from lvqi_desktop.services.imports.rows import finish
from lvqi_desktop.services.imports.rows import mark_duplicates
from lvqi_desktop.services.imports.rows import place_issues
from lvqi_desktop.services.imports.rows import read_rows
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.storage.repositories.bases import BaseRepository
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.bases import BaseDraft
from lvqi_desktop.validation.bases import clean_base

table = "incubation_base"
_RELATED = {"floor_area_m2": "floor_area"}


@dataclass
class _Planned:
    base_id: int | None
    values: dict[str, object]


def evaluate(uow: UnitOfWork, layout: SheetLayout, ctx: KindContext) -> tuple[list[RowResult], list[int]]:
    """Each row new / update / unchanged / error by the base form's rules; writes nothing."""
    rows, skipped = read_rows(layout, ctx.spec, {}, ctx.progress)
    mark_duplicates(rows, lambda r: r.result.name or None, "同名基地")
    repo = uow.bases
    kinds = {k.code: k.name for k in repo.kinds()}
    rules = level_rules(repo)
    county = ctx.office_county or ""
    townships = {t.name: t.code for t in uow.reference.townships(county)} if county else {}
    for n, row in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在校验第 {n + 1:,} / {len(rows):,} 行")
        if not county:
            row.result.errors.append((row.cell("name"), "双创基地由所在县（市、区）登记，市中心不能导入。"))
        if row.result.errors:
            finish(row, None, new=True)
            continue
        _evaluate(repo, row, county, townships, kinds, rules, ctx)
    return [r.result for r in rows], skipped


def _evaluate(repo: BaseRepository, row: SheetRow, county: str, townships: dict[str, str], kinds: dict[str, str],
              rules: Any, ctx: KindContext) -> None:
    t = dict(row.texts)
    township = t.get("township_code", "")
    if township:
        t["township_code"] = townships.get(township, township if township in townships.values() else "")
        if not t["township_code"]:
            row.result.errors.append((row.cell("township_code"), f"乡镇（街道）“{township}”不是本县（市、区）的乡镇（街道）"))
    stored = repo.same_name(county, row.result.name, None)
    draft = base_to_draft(stored) if stored is not None else BaseDraft()
    for f in fields(BaseDraft):
        if f.name != "version" and t.get(f.name):
            setattr(draft, f.name, t[f.name])
    out = clean_base(draft, kinds, rules, operator_types(), ctx.today, new=stored is None)
    place_issues(row, out.issues, _RELATED)
    if stored is not None and stored.archived_at is not None:
        row.result.errors.append((row.cell("name"), f"“{stored.name}”已归档。如需导入，请先在“双创基地”页恢复该基地"))
    if row.result.errors:
        finish(row, None, new=True)
        return
    row.result.clean = _Planned(stored.id if stored is not None else None, out.values)
    if stored is None:
        finish(row, None, new=True)
        return
    changes = [CellChange(row.cells.get(_RELATED.get(k, k), row.cell("name")), _label(ctx, k),
                          display(getattr(stored, k)), display(v))
               for k, v in out.values.items() if k != "level_on" and getattr(stored, k) != v]
    finish(row, changes, new=False)


def _label(ctx: KindContext, key: str) -> str:
    key = _RELATED.get(key, key)
    return next((f.label for f in ctx.spec.fields if f.key == key), key)


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """Register the new bases and update the changed ones."""
    repo = uow.bases
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 个基地")
        plan: _Planned = r.clean  # type: ignore[assignment]
        if plan.base_id is None:
            register_base(uow, repo, ctx.office_county or "", plan.values, "从Excel导入")
            continue
        b = repo.get(plan.base_id)
        for key, value in plan.values.items():
            if key != "level_on" and getattr(b, key) != value:
                setattr(b, key, value)
    uow.flush()
