"""从Excel导入入企服务记录: firm by USCC, helpers by name, checked by VisitService's rules; duplicates unchanged.

A visit has no number, so a row is either new or, when the firm already has a visit that day by the
same helpers (or, without helpers, a visit by nobody on the helper list), unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from lvqi_desktop.services.imports.rows import UNCHANGED
from lvqi_desktop.services.imports.rows import KindContext
from lvqi_desktop.services.imports.rows import RowResult
from lvqi_desktop.services.imports.rows import SheetRow
from lvqi_desktop.services.imports.rows import find_firm
from lvqi_desktop.services.imports.rows import finish
from lvqi_desktop.services.imports.rows import mark_duplicates
from lvqi_desktop.services.imports.rows import place_issues
from lvqi_desktop.services.imports.rows import read_rows
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.services.visits import new_visit
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.visits import VisitDraft

table = "visit"
_NAME_SPLIT = re.compile(r"[、,，;；/\s]+")
_RELATED = {"enterprise_id": "uscc", "helper_ids": "helper_names", "team_id": "helper_names"}


@dataclass
class _Planned:
    draft: VisitDraft


def split_names(text: str) -> list[str]:
    """王五、赵六 / 王五,赵六 / 王五 赵六 → the names, in order, once each."""
    return list(dict.fromkeys(n for n in _NAME_SPLIT.split(text) if n))


def _rules(ctx: KindContext) -> VisitService:
    """VisitService for its checks only (the import's unit of work is passed in; its own database is never opened)."""
    return VisitService(None, lambda: ctx.office_code, lambda: ctx.today)  # type: ignore[arg-type]


def _helper_ids(row: SheetRow, by_name: dict[str, list[int]]) -> list[int]:
    ids = []
    for name in split_names(row.texts.get("helper_names", "")):
        found = by_name.get(name, [])
        if not found:
            row.result.errors.append((row.cell("helper_names"), f"帮扶干部“{name}”不在包联帮扶名单中。请先在“包联帮扶”中"
                                                                "登记此人，或把姓名填在“走访人员”列"))
        elif len(found) > 1:
            row.result.errors.append((row.cell("helper_names"), f"包联帮扶名单中有 {len(found)} 位“{name}”，无法确定是哪一位。"
                                                                "请把姓名填在“走访人员”列，导入后在走访记录中选择"))
        else:
            ids.append(found[0])
    return ids


def evaluate(uow: UnitOfWork, layout: SheetLayout, ctx: KindContext) -> tuple[list[RowResult], list[int]]:
    """Each row new / unchanged / error by the visit rules; writes nothing."""
    rows, skipped = read_rows(layout, ctx.spec, {}, ctx.progress)
    mark_duplicates(rows, lambda r: (r.result.uscc, r.texts.get("visited_on"),
                                     frozenset(split_names(r.texts.get("helper_names", "")))) if r.result.uscc else None,
                    "同一企业同一日期同一批帮扶干部的走访")
    sources = uow.import_sources
    existing = sources.existing_by_uscc({r.result.uscc for r in rows})
    firms = [find_firm(r, existing, ctx.office_county) if not r.result.errors else None for r in rows]
    known = sources.visit_keys(f.id for f in firms if f is not None)
    by_name = sources.helpers_by_name()
    rules = _rules(ctx)
    for n, (row, firm) in enumerate(zip(rows, firms, strict=True)):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在校验第 {n + 1:,} / {len(rows):,} 行")
        _evaluate(uow, rules, row, firm, by_name, known)
    return [r.result for r in rows], skipped


def _evaluate(uow: UnitOfWork, rules: VisitService, row: SheetRow, firm: Any, by_name: dict[str, list[int]],
              known: set[tuple[int, object, frozenset[int]]]) -> None:
    helper_ids = _helper_ids(row, by_name)
    if firm is None or row.result.errors:
        finish(row, None, new=True)
        return
    t = row.texts
    draft = VisitDraft(enterprise_id=firm.id, visited_on=date.fromisoformat(t["visited_on"]) if t.get("visited_on")
                       else None, channel=t.get("channel") or "visit", campaign=t.get("campaign", ""),
                       helper_ids=helper_ids, visitors=t.get("visitors", ""),
                       policies_explained=t.get("policies_explained", ""), firm_reported=t.get("firm_reported", ""),
                       remarks=t.get("remarks", ""))
    place_issues(row, rules.issues_of(uow, draft), _RELATED)
    if row.result.errors:
        finish(row, None, new=True)
        return
    row.result.clean = _Planned(draft)
    if (firm.id, draft.visited_on, frozenset(helper_ids)) in known:
        row.result.status = UNCHANGED
        who = "、".join(split_names(t.get("helper_names", ""))) or "（无帮扶干部）"
        row.result.warnings.append((row.cell("visited_on"), f"库中已有该企业 {draft.visited_on} {who} 的走访记录，"
                                                            "未重复登记"))
        return
    finish(row, None, new=True)


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """Log each new visit with the helpers who went."""
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 条走访记录")
        d: VisitDraft = r.clean.draft  # type: ignore[attr-defined]
        uow.visits.add(new_visit(d))
    uow.flush()
