"""从Excel导入培育库记录: firms by USCC in this office's county, checked and written by PoolService's own rules.

A row whose firm already has a current record in that pool updates it (a blank cell keeps the stored
value; a status change must be one the pool allows from the current status); otherwise the firm
enters the pool, as 入库 does. Each written record gets its timeline event like a change in the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from typing import Any

from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.imports.rows import CellChange
from lvqi_desktop.services.imports.rows import KindContext
from lvqi_desktop.services.imports.rows import RowResult
from lvqi_desktop.services.imports.rows import SheetRow
from lvqi_desktop.services.imports.rows import display
from lvqi_desktop.services.imports.rows import find_firm
from lvqi_desktop.services.imports.rows import finish
from lvqi_desktop.services.imports.rows import mark_duplicates
from lvqi_desktop.services.imports.rows import place_issues
from lvqi_desktop.services.imports.rows import read_rows
from lvqi_desktop.services.pools import EDIT_LABELS
from lvqi_desktop.services.pools import PoolService
from lvqi_desktop.services.pools import _rule_sets
from lvqi_desktop.services.pools import held_prerequisite
from lvqi_desktop.services.pools import record_to_draft
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.storage.repositories.pools import PoolRepository
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.import_cleaning import code_lookup
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.pools import RecordDraft
from lvqi_desktop.validation.pools import check_transition
from lvqi_desktop.validation.text import to_halfwidth
from lvqi_desktop.validation.tier_rules import RuleSetDef

table = "cultivation_record"
# sheet field → RecordDraft attribute (the same name unless listed)
_DRAFT_FIELDS = ("entered_on", "recognized_on", "valid_until", "document_no", "subsidy", "responsible_person",
                 "notes", "month", "status_reason")
_VALUE_CELLS = {"subsidy_fen": "subsidy"}  # a checked value → the sheet field it came from
# an issue about a field the sheet lacks is shown at the cell that caused it
_RELATED = {"override_reason": "tier", "prerequisite_valid_until": "tier", "rule_set": "tier",
            "subsidy_fen": "subsidy", "completed_on": "status", "month": "status", "status_reason": "status"}
_POOL_SUFFIXES = ("梯度培育库", "培育库", "资源库", "库")


@dataclass
class _Planned:
    pool: PoolDef
    values: dict[str, object]
    record_id: int | None  # None: the firm enters the pool


def _rules(ctx: KindContext) -> PoolService:
    """PoolService for its checks only (its database is never opened here: the import's unit of work is used)."""
    return PoolService(None, lambda: ctx.office_county, lambda: ctx.today)  # type: ignore[arg-type]


def _fold(text: str) -> str:
    return to_halfwidth(text).replace(" ", "").lower()


def _pool_lookup(catalog: PoolCatalog) -> dict[str, str]:
    """Pool codes and names, also without 培育库 (专精特新, 小升规…)."""
    lookup = code_lookup({p.code: p.name for p in catalog.pools.values()})
    for p in catalog.pools.values():
        for suffix in _POOL_SUFFIXES:
            if p.name.endswith(suffix) and len(p.name) > len(suffix) + 1:
                lookup.setdefault(_fold(p.name.removesuffix(suffix)), p.code)
    return lookup


def _tier_code(pool: PoolDef, text: str) -> tuple[str, list[str]]:
    """A tier's code from its code, name or 2026 name, or from a loose name a ledger uses (创新型, 省级专精特新,
    国家级小巨人); other text stays for the check. Also the tier names a loose text could mean (小巨人 → two)."""
    names = {t.code: t.name for t in pool.tiers.values()}
    lookup = code_lookup(names) | code_lookup({t.code: t.name_2026 for t in pool.tiers.values() if t.name_2026})
    folded = _fold(text)
    if folded in lookup:
        return lookup[folded], []
    meant: dict[str, set[str]] = {}
    for t in pool.tiers.values():
        for name in filter(None, (t.name, t.name_2026)):
            for short in _short_names(name):
                meant.setdefault(short, set()).add(t.code)
    codes = meant.get(_quoteless(folded), set())
    if len(codes) == 1:
        return next(iter(codes)), []
    return text, [names[c] for c in names if c in codes]


def _quoteless(text: str) -> str:
    return "".join(ch for ch in text if ch not in "“”\"'‘’「」")


def _short_names(name: str) -> set[str]:
    """省级专精特新“小巨人”企业 → 省级专精特新小巨人, 省级小巨人, 小巨人 …; 创新型中小企业 → 创新型."""
    full = _quoteless(_fold(name))
    out = {full}
    for suffix in ("中小企业", "企业"):
        out |= {n.removesuffix(suffix) for n in out if n.endswith(suffix) and len(n) > len(suffix) + 1}
    out |= {n.replace("专精特新", "") for n in out if "专精特新" in n and n != "专精特新"}
    out |= {n.removeprefix(level) for n in out for level in ("省级", "国家级") if n.startswith(level)}
    return {n for n in out if n}


def _status_code(pool: PoolDef, text: str) -> str:
    return code_lookup({s.code: s.name for s in pool.statuses.values()}).get(_fold(text), text) if text else ""


def template_lists(uow: UnitOfWork) -> dict[str, list[str]]:
    """The template's drop-downs: pool names, every tier and every status name."""
    catalog = uow.pools.catalog()
    pools = list(catalog.pools.values())
    return {"pools": [p.name for p in pools],
            "tiers": list(dict.fromkeys(t.name for p in pools for t in p.ladder())),
            "statuses": list(dict.fromkeys(s.name for p in pools for s in p.statuses.values()))}


def evaluate(uow: UnitOfWork, layout: SheetLayout, ctx: KindContext) -> tuple[list[RowResult], list[int]]:
    """Each row new (enters the pool) / update / unchanged / error; writes nothing."""
    repo = uow.pools
    catalog = repo.catalog()
    rows, skipped = read_rows(layout, ctx.spec, {"pool": _pool_lookup(catalog)}, ctx.progress)
    mark_duplicates(rows, lambda r: (r.result.uscc, r.texts["pool"]) if r.result.uscc and r.texts.get("pool")
                    else None, "同一企业的同一培育库")
    sources = uow.import_sources
    existing = sources.existing_by_uscc({r.result.uscc for r in rows})
    current = sources.current_pool_records(e.id for e in existing.values())
    checks = _Checks(_rules(ctx), _rule_sets(uow), catalog)
    for n, row in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在校验第 {n + 1:,} / {len(rows):,} 行")
        _evaluate(uow, checks, row, existing, current, ctx)
    return [r.result for r in rows], skipped


@dataclass
class _Checks:
    """PoolService's checks with what they need loaded once for the whole sheet."""

    rules: PoolService
    rule_sets: list[RuleSetDef]
    catalog: PoolCatalog


def _evaluate(uow: UnitOfWork, checks: _Checks, row: SheetRow, existing: dict[tuple[str, str], Any],
              records: dict[tuple[int, str], CultivationRecord], ctx: KindContext) -> None:
    catalog, rules = checks.catalog, checks.rules
    if row.result.errors:
        finish(row, None, new=True)
        return
    firm = find_firm(row, existing, ctx.office_county)
    pool = catalog.pool(row.texts.get("pool", ""))
    if pool is None:
        names = "、".join(p.name for p in catalog.pools.values())
        row.result.errors.append((row.cell("pool"), f"请填写培育库（可选：{names}）"))
    if firm is None or pool is None:
        finish(row, None, new=True)
        return
    current = records.get((firm.id, pool.code))
    draft = record_to_draft(current) if current is not None else RecordDraft(pool=pool.code)
    for key in _DRAFT_FIELDS:
        text = row.texts.get(key, "")
        if text or current is None:  # a blank cell never clears what is stored
            setattr(draft, key, text)
    if row.texts.get("tier"):
        draft.tier = _read_tier(row, pool)
        if row.result.errors:
            finish(row, None, new=current is None)
            return
    if row.texts.get("status"):
        draft.status = _status_code(pool, row.texts["status"])
    elif current is None and row.texts.get("recognized_on"):
        draft.status = _recognized_status(row, pool) or draft.status
    issues = []
    if current is not None:
        if draft.tier == (current.tier or "") and draft.status in pool.statuses:  # a new tier starts afresh
            issues += check_transition(pool, current.status, draft.status)
        draft = _changed_record(pool, current, draft, row.texts, ctx.today)
    values, more = rules.clean_draft(uow, catalog, draft, checks.rule_sets)
    issues += more + (rules.prerequisite_issues(pool, values) if values.get("pool") else [])
    place_issues(row, issues, _RELATED)
    if row.result.errors:
        finish(row, None, new=current is None)
        return
    row.result.clean = _Planned(pool, values, current.id if current is not None else None)
    finish(row, _diff(current, pool, values, row) if current is not None else None, new=current is None)


def _read_tier(row: SheetRow, pool: PoolDef) -> str:
    """The tier code the row means, with a cleaning note when it was written loosely (never a silent guess)."""
    text = row.texts["tier"]
    code, candidates = _tier_code(pool, text)
    tier = pool.tiers.get(code)
    if tier is not None and _fold(text) not in (_fold(tier.name), _fold(tier.name_2026 or tier.name), _fold(code)):
        row.result.notes.append((row.cell("tier"), f"层级“{text}”读作“{tier.name}”"))
    elif len(candidates) > 1:
        row.result.errors.append((row.cell("tier"), f"层级“{text}”不明确，可能是{'或'.join(candidates)}，"
                                                    "请写明完整层级名称"))
    return code


def _recognized_status(row: SheetRow, pool: PoolDef) -> str | None:
    """A new row with a 认定日期 but no 状态 is a held title (已认定), not 培育中 with a stray date; said in a note."""
    status = next((s for s in pool.statuses.values() if s.needs_recognition), None)
    if status is not None:
        row.result.notes.append((row.cell("recognized_on"), f"状态未填，已填认定日期，按“{status.name}”导入"))
    return status.code if status is not None else None


def _changed_record(pool: PoolDef, rec: CultivationRecord, draft: RecordDraft, texts: dict[str, str],
                    today: date) -> RecordDraft:
    """A new tier or status as the 变更层级/变更状态 dialogs make it: a new tier starts again at the pool's
    first status and carries a held title as its prerequisite; a new title (or tier) takes its date and
    document number from the row, never from the old title; a new status takes its reason from the row."""
    tier_changed = draft.tier != (rec.tier or "")
    if tier_changed:
        carried = held_prerequisite(pool, rec, draft.tier, today)
        draft = replace(draft, status=draft.status if texts.get("status") else pool.initial_status,
                        prerequisite_valid_until=carried or draft.prerequisite_valid_until)
    target = pool.statuses.get(draft.status)
    new_title = target is not None and target.needs_recognition and draft.status != rec.status
    for key in ("recognized_on", "valid_until", "document_no"):
        if (tier_changed or new_title) and not texts.get(key):
            setattr(draft, key, "")
    if draft.status != rec.status and not texts.get("status_reason"):
        draft.status_reason = ""
    return draft


def _value_text(key: str, value: object, pool: PoolDef) -> str:
    if key == "subsidy_fen":
        return fen_to_wan_text(value) + " 万元" if value is not None else "（空）"  # type: ignore[arg-type]
    if key in ("tier", "target_tier"):
        return pool.tier_label(value) or "（空）"  # type: ignore[arg-type]
    if key == "status":
        return pool.status_label(str(value))
    return display(value)


def _diff(rec: CultivationRecord, pool: PoolDef, values: dict[str, object], row: SheetRow) -> list[CellChange]:
    labels = {"tier": "层级", "status": "状态", **EDIT_LABELS}
    changes = []
    for key, label in labels.items():
        if key not in values:
            continue
        old, new = getattr(rec, key), values[key]
        if (old or None) != (new or None):
            cell = row.cells.get(_VALUE_CELLS.get(key, key), "")
            changes.append(CellChange(cell, label, _value_text(key, old, pool), _value_text(key, new, pool)))
    return changes


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """Enter each new firm in its pool and update each matched record, with their timeline events."""
    repo = uow.pools
    rules = _rules(ctx)
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 条培育记录")
        plan: _Planned = r.clean  # type: ignore[assignment]
        if plan.record_id is None:
            _enter(uow, repo, rules, r.enterprise_id, plan, ctx.today)  # type: ignore[arg-type]
        else:
            _update(uow, repo, rules, plan, ctx.today)
    uow.flush()


def _enter(uow: UnitOfWork, repo: PoolRepository, rules: PoolService, enterprise_id: int, plan: _Planned,
           today: date) -> None:
    v, pool = plan.values, plan.pool
    rec = CultivationRecord(enterprise_id=enterprise_id, pool=pool.code, status=str(v["status"]))
    if pool.statuses[rec.status].needs_month:  # 已入统 is kept on the enterprise
        rec.enterprise = uow.enterprises.get(enterprise_id)  # type: ignore[assignment]
    rules.set_fields(rec, v)
    rec.tier, rec.status_on = v["tier"], today  # type: ignore[assignment]
    repo.add(rec)
    rules.after_status(rec, pool, v)
    rules.record_event(uow, repo, rec, "enter", None, rec.tier, None, rec.status,
                 rules.status_detail(pool, rec, v), "从Excel导入", rec.entered_on)


def _update(uow: UnitOfWork, repo: PoolRepository, rules: PoolService, plan: _Planned, today: date) -> None:
    v, pool = plan.values, plan.pool
    rec = repo.get(plan.record_id)  # type: ignore[arg-type]
    assert rec is not None
    old_tier, old_status = rec.tier, rec.status
    changed = rules.set_fields(rec, v)
    rec.tier, rec.status = v["tier"], str(v["status"])  # type: ignore[assignment]
    if (rec.tier, rec.status) == (old_tier, old_status):
        rules.record_event(uow, repo, rec, "edit", rec.tier, rec.tier, rec.status, rec.status,
                     "修改了：" + "、".join(changed) if changed else "", "从Excel导入", today)
        return
    rec.status_on = today
    rules.after_status(rec, pool, v)
    kind = "tier" if rec.tier != old_tier else "status"
    rules.record_event(uow, repo, rec, kind, old_tier, rec.tier, old_status, rec.status,
                 rules.status_detail(pool, rec, v), "从Excel导入", today)
