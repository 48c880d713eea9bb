"""从Excel导入企业诉求: new demands raised by `raise_demand` (numbered, 待受理), numbered ones edited as the form does.

A row with a 诉求编号 updates that demand (refused when it is closed or belongs to another firm);
a row without one is a new demand, unless the firm already has a current demand received the same
day with the same category and text (then it is unchanged, so importing a sheet twice adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.exchange.column_mapping import SheetLayout
from lvqi_desktop.models import Demand
from lvqi_desktop.models.demands import DEMAND_CATEGORIES, DEMAND_SOURCES, DEMAND_URGENCIES
from lvqi_desktop.services.demands import _EDIT_LABELS, _apply_draft, _log, raise_demand
from lvqi_desktop.services.import_rows import (
    UNCHANGED,
    CellChange,
    KindContext,
    RowResult,
    SheetRow,
    display,
    find_firm,
    finish,
    mark_duplicates,
    place_issues,
    read_rows,
)
from lvqi_desktop.storage.repositories.import_sources import import_sources_of
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.demands import DemandDraft, check_demand, refusal

table = "demand"
_TEXT_FIELDS = ("description", "suggestion", "responsible_unit")
_CODES = {"source": DEMAND_SOURCES, "category": DEMAND_CATEGORIES, "urgency": DEMAND_URGENCIES}
_RELATED = {"enterprise_id": "uscc", "office": "uscc", "action": "number"}


@dataclass
class _Planned:
    draft: DemandDraft
    demand_id: int | None  # None: a new demand


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _draft_of(d: Demand) -> DemandDraft:
    return DemandDraft(d.enterprise_id, d.source, d.category, d.description, d.suggestion, d.urgency,
                       d.received_on, d.helper_id, d.responsible_unit, d.co_units, d.unit_contact, d.due_on)


def _fill(draft: DemandDraft, texts: dict[str, str]) -> DemandDraft:
    """The row's filled cells over the draft (an empty cell keeps the stored or default value)."""
    for key in (*_CODES, *_TEXT_FIELDS):
        if texts.get(key):
            setattr(draft, key, texts[key])
    for key in ("received_on", "due_on"):
        if texts.get(key):
            setattr(draft, key, _day(texts[key]))
    return draft


def evaluate(uow: UnitOfWork, layout: SheetLayout, ctx: KindContext) -> tuple[list[RowResult], list[int]]:
    """Each row new / update / unchanged / error by the demand rules; writes nothing."""
    rows, skipped = read_rows(layout, ctx.spec, {}, ctx.progress)
    mark_duplicates(rows, lambda r: r.texts.get("number") or None, "诉求编号")
    mark_duplicates(rows, lambda r: None if r.texts.get("number") else
                    (r.result.uscc, r.texts.get("received_on"), r.texts.get("category"), r.texts.get("description")),
                    "同一企业同一受理日期、同类别、同内容的诉求")
    sources = import_sources_of(uow)
    existing = sources.existing_by_uscc({r.result.uscc for r in rows})
    firms = [find_firm(r, existing, ctx.office_county) if not r.result.errors else None for r in rows]
    known = sources.demand_keys(f.id for f in firms if f is not None)
    for n, (row, firm) in enumerate(zip(rows, firms, strict=True)):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在校验第 {n + 1:,} / {len(rows):,} 行")
        _evaluate(uow, row, firm, known, ctx)
    return [r.result for r in rows], skipped


def _evaluate(uow: UnitOfWork, row: SheetRow, firm: Any, known: dict[tuple[int, object, str, str], str],
              ctx: KindContext) -> None:
    if firm is None or row.result.errors:
        finish(row, None, new=True)
        return
    number = row.texts.get("number", "")
    d = uow.demands.by_number(number) if number else None
    if number and d is None:
        row.result.errors.append((row.cell("number"), f"诉求编号 {number} 不存在。新诉求请把编号留空，导入时自动编号"))
    elif d is not None and d.enterprise_id != firm.id:
        row.result.errors.append((row.cell("uscc"), f"诉求 {number} 是另一家企业的诉求，登记后不能更换企业；"
                                                    "请核对编号或信用代码"))
    if row.result.errors:
        finish(row, None, new=True)
        return
    draft = _fill(_draft_of(d) if d is not None else DemandDraft(enterprise_id=firm.id), row.texts)
    issues = check_demand(draft, ctx.today)
    if d is None and not ctx.office_code:
        issues.append(Issue("office", "本机尚未设置所属单位，无法为诉求编号"))
    if d is not None and (refused := refusal(d, "edit")) is not None:
        issues.insert(0, refused)
    place_issues(row, issues, _RELATED)
    if row.result.errors:
        finish(row, None, new=d is None)
        return
    if d is None:
        same = known.get((firm.id, draft.received_on, draft.category, draft.description.strip()))
        row.result.clean = _Planned(draft, None)
        if same is not None:
            row.result.status = UNCHANGED
            row.result.warnings.append((row.cell("description"), f"库中已有同日同类同内容的诉求 {same}，未重复登记"))
            return
        finish(row, None, new=True)
        return
    row.result.clean = _Planned(draft, d.id)
    finish(row, _diff(d, draft, row), new=False)


def _text(key: str, value: object) -> str:
    if key in _CODES:
        return _CODES[key].get(str(value), display(value))
    return display(value)


def _diff(d: Demand, draft: DemandDraft, row: SheetRow) -> list[CellChange]:
    changes = []
    for key in (*_CODES, *_TEXT_FIELDS, "received_on", "due_on"):
        old, new = getattr(d, key), getattr(draft, key)
        new = new.strip() if isinstance(new, str) else new
        if (old or None) != (new or None):
            changes.append(CellChange(row.cells.get(key, ""), _EDIT_LABELS.get(key, key), _text(key, old),
                                      _text(key, new)))
    return changes


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """Raise each new demand (numbered in row order) and save each edited one, with their log rows."""
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 件诉求")
        plan: _Planned = r.clean  # type: ignore[assignment]
        if plan.demand_id is None:
            raise_demand(uow, plan.draft, ctx.office_code, ctx.today)
            continue
        d = uow.demands.get(plan.demand_id)
        assert d is not None
        before = d.status
        changed = _apply_draft(d, plan.draft)
        if changed:
            _log(uow, d, "edit", ctx.today, before, "从Excel导入修改：" + "、".join(changed))
    uow.flush()
