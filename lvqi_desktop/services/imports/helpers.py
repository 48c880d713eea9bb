"""从Excel导入包联领导及包联关系: helpers by name (new ones added), assignments checked by HelperService's rules.

A row pairs one firm (by USCC) with one person. The person is matched by name among the current
helpers; a name not on the list becomes a new helper. An assignment of the same firm, person and role
already running (or starting the same day) is unchanged, or updated when the sheet ends it; any other
overlap is refused by the same check as the 包联 form, including overlaps between rows of the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from datetime import date
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.models import Helper
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.helpers import assignment_of
from lvqi_desktop.services.imports.rows import CellChange
from lvqi_desktop.services.imports.rows import KindContext
from lvqi_desktop.services.imports.rows import RowResult
from lvqi_desktop.services.imports.rows import SheetRow
from lvqi_desktop.services.imports.rows import display
from lvqi_desktop.services.imports.rows import find_firm
from lvqi_desktop.services.imports.rows import finish
from lvqi_desktop.services.imports.rows import place_issues
from lvqi_desktop.services.imports.rows import read_rows
from lvqi_desktop.sheets.column_mapping import SheetLayout
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import AssignmentSpan
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.assignments import check_assignment
from lvqi_desktop.validation.assignments import check_helper
from lvqi_desktop.validation.text import clean_line

table = "helper_assignment"
_HELPER_FIELDS = {"post": "职务", "unit": "工作单位", "level": "层级", "phone": "联系电话"}
_RELATED = {"enterprise_id": "uscc", "helper_id": "helper_name", "team_id": "helper_name",
            "cadence_visits": "role", "cadence_months": "role"}


@dataclass
class _Person:
    """One person named in the sheet: an existing helper (id) or a new one (provisional negative id)."""

    helper_id: int
    draft: HelperDraft  # with this row's cells
    before: HelperDraft | None  # as stored or as earlier rows left it; None: first mention of a new person


@dataclass
class _Planned:
    name: str
    helper: HelperDraft  # the person's fields after this row
    helper_changed: bool
    assignment: AssignmentDraft
    assignment_id: int | None  # an existing assignment whose end date this row sets
    new_assignment: bool


@dataclass
class _State:
    people: dict[str, _Person] = field(default_factory=dict)
    spans: dict[int, list[AssignmentSpan]] = field(default_factory=dict)  # earlier rows' assignments, per firm


def _rules() -> HelperService:
    """HelperService for its checks only (the import's unit of work is passed in)."""
    return HelperService(None)  # type: ignore[arg-type]


def evaluate(uow: UnitOfWork, layout: SheetLayout, ctx: KindContext) -> tuple[list[RowResult], list[int]]:
    """Each row new / update / unchanged / error; writes nothing."""
    rows, skipped = read_rows(layout, ctx.spec, {}, ctx.progress)
    sources = uow.import_sources
    existing = sources.existing_by_uscc({r.result.uscc for r in rows})
    by_name = sources.helpers_by_name()
    state, rules = _State(), _rules()
    for n, row in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在校验第 {n + 1:,} / {len(rows):,} 行")
        firm = find_firm(row, existing, ctx.office_county) if not row.result.errors else None
        person = _person(uow, row, by_name, state) if firm is not None else None
        if firm is None or person is None or row.result.errors:
            finish(row, None, new=True)
            continue
        _evaluate(uow, rules, row, firm, person, state, ctx.today)
    return [r.result for r in rows], skipped


def _person(uow: UnitOfWork, row: SheetRow, by_name: dict[str, list[int]], state: _State) -> _Person | None:
    """The person the row names, with the row's post/unit/level/phone over what is known; errors on the row."""
    name = clean_line(row.texts.get("helper_name", ""))
    ids = by_name.get(name, [])
    if len(ids) > 1:
        row.result.errors.append((row.cell("helper_name"), f"包联帮扶名单中有 {len(ids)} 位“{name}”，无法确定是哪一位。"
                                                           "请先在“包联帮扶”中把姓名区分开（如加注单位）"))
        return None
    known = state.people.get(name)
    if known is not None:
        person = _Person(known.helper_id, known.draft, known.draft)
    elif ids:
        h = uow.helpers.get(ids[0])
        assert h is not None
        if not h.active:
            row.result.errors.append((row.cell("helper_name"), f"帮扶干部“{name}”已停用，请先在“包联帮扶”中启用后再导入"))
            return None
        stored = HelperDraft(h.name, h.post, h.unit, h.level, h.phone, h.active, h.remarks)
        person = _Person(h.id, stored, stored)
    else:
        person = _Person(-1 - len(state.people), HelperDraft(name=name), None)
    draft = HelperDraft(**{f.name: getattr(person.draft, f.name) for f in fields(HelperDraft)})
    for key in _HELPER_FIELDS:
        if row.texts.get(key):
            setattr(draft, key, row.texts[key])
    issues = check_helper(draft)
    place_issues(row, [Issue("helper_name" if i.field == "name" else i.field, i.message, i.blocking) for i in issues])
    if row.result.errors:
        return None
    return _Person(person.helper_id, draft, person.before)


def _evaluate(uow: UnitOfWork, rules: HelperService, row: SheetRow, firm: Any, person: _Person, state: _State,
              today: date) -> None:
    t = row.texts
    changes = _helper_changes(person, row)
    role = t.get("role") or "helper"
    start = date.fromisoformat(t["from_date"]) if t.get("from_date") else None
    end = date.fromisoformat(t["to_date"]) if t.get("to_date") else None
    spans = rules.assignment_spans(uow, firm.id) + state.spans.get(firm.id, [])
    same = _same(spans, person.helper_id, role, start, today)
    if start is None and same is None:
        start = today
        where = row.cells.get("from_date") or f"第{row.result.row}行"  # not the USCC cell: no 开始日期 column
        row.result.notes.append((where, f"包联开始日期未填，按今天 {today.isoformat()}"))
    if same is not None:
        start, end = same.from_date, end if t.get("to_date") else same.to_date
    draft = AssignmentDraft(firm.id, person.helper_id, None, role, start, end, remarks=t.get("remarks", ""))
    place_issues(row, check_assignment(draft, [s for s in spans if s is not same]), _RELATED)
    if row.result.errors:
        finish(row, None, new=True)
        return
    if same is not None and end != same.to_date:
        changes.append(CellChange(row.cell("to_date"), "包联结束日期", display(same.to_date), display(end)))
    state.people[person.draft.name] = person
    if same is None:  # later rows of the sheet are checked against this one too
        assert start is not None  # given, or today (above)
        state.spans.setdefault(firm.id, []).append(
            AssignmentSpan(-row.result.row, role, person.helper_id, None, person.draft.name, start, end))
    row.result.clean = _Planned(person.draft.name, person.draft, bool(changes), draft,
                                same.id if same is not None else None, same is None)
    finish(row, changes, new=same is None or person.before is None)


def _same(spans: list[AssignmentSpan], helper_id: int, role: str, start: date | None,
          today: date) -> AssignmentSpan | None:
    """The stored assignment of this person in this role the row means: the one starting that day, or
    (no start date in the sheet) the one running today."""
    for s in spans:
        if s.id <= 0 or s.helper_id != helper_id or s.role != role:
            continue
        if s.from_date == start or (start is None and s.from_date <= today and (s.to_date is None or s.to_date >= today)):
            return s
    return None


def _helper_changes(person: _Person, row: SheetRow) -> list[CellChange]:
    """A known helper's post/unit/level/phone the row changes (old → new)."""
    if person.before is None:
        return []
    out = []
    for key, label in _HELPER_FIELDS.items():
        old, new = getattr(person.before, key), getattr(person.draft, key)
        if old != new:
            names = HELPER_LEVELS if key == "level" else {}
            out.append(CellChange(row.cell(key), f"{person.draft.name}的{label}", names.get(old, display(old)),
                                  names.get(new, display(new))))
    return out


def write(uow: UnitOfWork, rows: list[RowResult], ctx: KindContext) -> None:
    """New helpers first (once each), then their fields, then each new or ended assignment."""
    created: dict[str, int] = {}
    for n, r in enumerate(rows):
        if n % 500 == 0:
            ctx.progress.raise_if_cancelled()
            ctx.progress.update(n, len(rows), f"正在写入第 {n + 1:,} / {len(rows):,} 条包联关系")
        plan: _Planned = r.clean  # type: ignore[assignment]
        helper_id = plan.assignment.helper_id or 0
        if helper_id < 0 and plan.name not in created:
            created[plan.name] = _save_helper(uow, Helper(), plan.helper)
        elif plan.helper_changed:
            h = uow.helpers.get(created.get(plan.name, helper_id))
            assert h is not None
            _save_helper(uow, h, plan.helper)
        helper_id = created.get(plan.name, helper_id)
        if plan.assignment_id is not None:
            a = uow.helpers.assignment(plan.assignment_id)
            assert a is not None
            a.to_date = plan.assignment.to_date
        elif plan.new_assignment:
            plan.assignment.helper_id = helper_id
            uow.helpers.add(assignment_of(plan.assignment))
    uow.flush()


def _save_helper(uow: UnitOfWork, h: Helper, d: HelperDraft) -> int:
    h.name, h.post, h.unit = clean_line(d.name), clean_line(d.post), clean_line(d.unit)
    h.level, h.phone, h.active, h.remarks = d.level, d.phone.strip(), d.active, d.remarks
    uow.helpers.add(h)
    uow.flush()
    return h.id
