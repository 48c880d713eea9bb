"""从Excel导入企业诉求: new demands raised by `raise_demand` (numbered), numbered ones edited as the form does.

A new row may carry the state an old case had reached (办理状态, 办结日期, 办理结果, 回访满意度): it is then
taken through the same lifecycle steps as on the 企业诉求 page (交办 and 开始办理 on the received day, 办结
or 解释 on the closing day, 回访), each checked by `check_transition` and logged, so it counts in the KPIs.

A row with a 诉求编号 updates that demand (refused when it is closed or belongs to another firm);
a row without one is a new demand, unless the firm already has a current demand received the same
day with the same category and text (then it is unchanged, so importing a sheet twice adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.models import Demand
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import IMPORT_DEMAND_STATUSES
from lvqi_desktop.models.demands import IMPORT_STATUS_WORDS
from lvqi_desktop.models.demands import VISIT_SOURCES
from lvqi_desktop.services.demands import EDIT_LABELS
from lvqi_desktop.services.demands import apply_draft
from lvqi_desktop.services.demands import apply_step
from lvqi_desktop.services.demands import log_event
from lvqi_desktop.services.demands import raise_demand
from lvqi_desktop.services.imports.rows import UNCHANGED
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
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.demands import TransitionDraft
from lvqi_desktop.validation.demands import check_demand
from lvqi_desktop.validation.demands import check_transition
from lvqi_desktop.validation.demands import refusal
from lvqi_desktop.validation.import_cleaning import code_lookup
from lvqi_desktop.validation.text import to_halfwidth

table = "demand"
_TEXT_FIELDS = ("description", "suggestion", "responsible_unit")
_CODES = {"source": DEMAND_SOURCES, "category": DEMAND_CATEGORIES, "urgency": DEMAND_URGENCIES}
_RELATED = {"enterprise_id": "uscc", "office": "uscc", "action": "number"}
_STEP_RELATED = {"action": "status", "on": "closed_on", "responsible_unit": "status", "due_on": "status",
                 "result": "status", "satisfaction": "status"}
_CLOSING = {"resolved": "resolve", "explained": "explain"}
_HISTORY_KEYS = ("closed_on", "result", "satisfaction", "followed_up_on")


@dataclass
class _Planned:
    draft: DemandDraft
    demand_id: int | None  # None: a new demand
    steps: tuple[TransitionDraft, ...] = ()  # a new demand's lifecycle up to the state the sheet gives


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
    rows, skipped = read_rows(layout, ctx.spec, {"status": _status_lookup()}, ctx.progress)
    mark_duplicates(rows, lambda r: r.texts.get("number") or None, "诉求编号")
    mark_duplicates(rows, lambda r: None if r.texts.get("number") else
                    (r.result.uscc, r.texts.get("received_on"), r.texts.get("category"), r.texts.get("description")),
                    "同一企业同一受理日期、同类别、同内容的诉求")
    sources = uow.import_sources
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
        steps = _lifecycle(row, draft, ctx)
        if row.result.errors:
            finish(row, None, new=True)
            return
        same = known.get((firm.id, draft.received_on, draft.category, draft.description.strip()))
        row.result.clean = _Planned(draft, None, steps)
        if same is not None:
            row.result.status = UNCHANGED
            row.result.warnings.append((row.cell("description"), f"库中已有同日同类同内容的诉求 {same}，未重复登记"))
            return
        finish(row, None, new=True)
        return
    if row.texts.get("status") and row.texts["status"] != d.status:
        row.result.warnings.append((row.cell("status"), f"诉求 {d.number} 当前为“{DEMAND_STATUSES[d.status]}”，"
                                                        "表中的办理状态未导入：已登记诉求请在“企业诉求”页逐步办理"))
    row.result.clean = _Planned(draft, d.id)
    finish(row, _diff(d, draft, row), new=False)


def _status_lookup() -> dict[str, str]:
    """办理状态 by code, label or the words county ledgers use (已解决, 正在办理 …)."""
    words = {to_halfwidth(w).replace(" ", "").lower(): code for w, code in IMPORT_STATUS_WORDS.items()}
    return {**words, **code_lookup(IMPORT_DEMAND_STATUSES)}


def _lifecycle(row: SheetRow, draft: DemandDraft, ctx: KindContext) -> tuple[TransitionDraft, ...]:
    """The steps that bring a new demand to the sheet's state, each checked on a stand-in case as the page would."""
    t = row.texts
    status = t.get("status") or "pending"
    if status == "pending":
        filled = [ctx.spec.field(k).label for k in _HISTORY_KEYS if t.get(k)]
        if filled:
            row.result.errors.append((row.cell("status"), f"填了{'、'.join(filled)}，但办理状态为空或“待受理”。"
                                                          "请填写办理状态（已办结、已解释等）"))
        return ()
    if status in _CLOSING and not t.get("closed_on"):
        row.result.errors.append((row.cell("closed_on"), f"办理状态为“{IMPORT_DEMAND_STATUSES[status]}”，请填写办结日期"))
        return ()
    if t.get("satisfaction") and status not in _CLOSING:
        row.result.errors.append((row.cell("satisfaction"), "只有已办结或已解释的诉求才能登记回访满意度"))
        return ()
    closed_on = _day(t.get("closed_on", ""))
    steps = [TransitionDraft("assign", draft.received_on, responsible_unit=draft.responsible_unit,
                             co_units=draft.co_units, unit_contact=draft.unit_contact, due_on=draft.due_on)]
    if status == "in_progress":
        steps.append(TransitionDraft("start", draft.received_on))
    if status in _CLOSING:
        steps.append(TransitionDraft(_CLOSING[status], closed_on, result=t.get("result", "")))
    if t.get("satisfaction"):
        steps.append(TransitionDraft("follow_up", _day(t.get("followed_up_on", "")) or closed_on,
                                     satisfaction=t["satisfaction"]))
    case = Demand(number="（新诉求）", status="pending", received_on=draft.received_on, reopen_count=0)
    for step in steps:
        issues = check_transition(case, step, ctx.today)
        if any(i.blocking for i in issues):
            label = {"assign": "交办", "start": "开始办理", "resolve": "办结", "explain": "解释",
                     "follow_up": "回访"}[step.action]
            place_issues(row, [Issue(i.field, f"按办理状态导入时{label}：{i.message}", i.blocking) for i in issues],
                         _STEP_RELATED)
            return ()
        apply_step(case, step, step.on or ctx.today)
    return tuple(steps)


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
            changes.append(CellChange(row.cells.get(key, ""), EDIT_LABELS.get(key, key), _text(key, old),
                                      _text(key, new)))
    return changes


def _raised_at(uow: UnitOfWork, draft: DemandDraft) -> int | None:
    """The visit a 包联走访/工作组 demand was raised at: the firm's visit recorded on the day it was received."""
    if draft.source not in VISIT_SOURCES or draft.enterprise_id is None or draft.received_on is None:
        return None
    return uow.visits.visit_on(draft.enterprise_id, draft.received_on)


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """Raise each new demand (numbered in row order) and save each edited one, with their log rows."""
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 件诉求")
        plan: _Planned = r.clean  # type: ignore[assignment]
        if plan.demand_id is None:
            d = raise_demand(uow, plan.draft, ctx.office_code, ctx.today, _raised_at(uow, plan.draft))
            for step in plan.steps:
                before, on = d.status, step.on or ctx.today
                note, satisfaction = apply_step(d, step, on)
                log_event(uow, d, step.action, on, before, note, satisfaction)
            continue
        found = uow.demands.get(plan.demand_id)
        assert found is not None
        d = found
        before = d.status
        changed = apply_draft(d, plan.draft)
        if changed:
            log_event(uow, d, "edit", ctx.today, before, "从Excel导入修改：" + "、".join(changed))
    uow.flush()
