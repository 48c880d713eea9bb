"""The demand ledger (诉求台账): register, hand over, handle, close, follow up, reopen and sign off demands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from lvqi_desktop import clock
from lvqi_desktop.errors import ExportError
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.errors import require
from lvqi_desktop.exporters.handover_sheet import TITLE
from lvqi_desktop.exporters.handover_sheet import HandoverSheet
from lvqi_desktop.models import Demand
from lvqi_desktop.models import DemandEvent
from lvqi_desktop.models import codes
from lvqi_desktop.models.demands import CLOSED_STATUSES
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import SATISFACTIONS
from lvqi_desktop.models.demands import TRANSITIONS
from lvqi_desktop.models.demands import age_bucket
from lvqi_desktop.models.demands import demand_number
from lvqi_desktop.services.demand_rows import BoardRow
from lvqi_desktop.services.demand_rows import DemandDetail
from lvqi_desktop.services.demand_rows import DemandRow
from lvqi_desktop.services.demand_rows import EventRow
from lvqi_desktop.services.demand_rows import SavedDemand
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.office import FONT_SETTING
from lvqi_desktop.storage.repositories.demands import DemandFilter
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.demands import TransitionDraft
from lvqi_desktop.validation.demands import check_demand
from lvqi_desktop.validation.demands import check_transition
from lvqi_desktop.validation.demands import refusal
from lvqi_desktop.validation.text import clean_line
from lvqi_desktop.validation.workdays import next_working_day

__all__ = ["DemandDraft", "DemandFilter", "DemandService", "TransitionDraft", "raise_demand"]

EDIT_LABELS = {"source": "来源", "category": "类别", "description": "问题描述", "suggestion": "企业诉求/建议",
                "urgency": "紧急程度", "received_on": "受理日期", "helper_id": "包联领导",
                "responsible_unit": "责任单位", "co_units": "协办单位", "unit_contact": "责任单位联系人",
                "due_on": "办理时限"}


_ALLOWED = {status: tuple(a for a, (_, sources, _) in TRANSITIONS.items() if status in sources)
            for status in DEMAND_STATUSES}


def allowed_actions(status: str, archived: bool = False) -> tuple[str, ...]:
    """The lifecycle steps a case in `status` may take (buttons the page enables)."""
    return () if archived else _ALLOWED.get(status, ())


def _row(r: AnyRow, today: date) -> DemandRow:
    closed = r.status in CLOSED_STATUSES
    overdue = not closed and r.due_on is not None and today > r.due_on
    end = r.closed_on if closed and r.closed_on else today
    age = (end - r.received_on).days
    first = r.first_closed_on
    on_time = None if first is None else (r.due_on is None or first <= r.due_on)
    archived = r.archived_at is not None
    return DemandRow(
        r.id, r.number, r.enterprise_id, r.enterprise_name, r.uscc, r.source, r.category,
        r.description, r.urgency, r.received_on, r.status, r.responsible_unit, r.co_units,
        r.due_on, r.closed_on, first, r.reopen_count, r.satisfaction, r.result, r.visit_id,
        r.helper_name or "", archived, overdue, age,
        "" if closed else age_bucket(age, overdue), on_time, allowed_actions(r.status, archived),
        r.county_code or "", r.helper_id)


def _sheet_write_error(target: Path, exc: OSError) -> ExportError:
    return ExportError.writing(exc, target.parent, target, "交办单没有生成", retry="请换一个位置后重试。",
                               denied=f"没有权限写入“{target}”（可能是只读文件夹或U盘，或同名文件正被PDF阅读器打开），"
                                      "交办单没有生成。请关闭已打开的文件或换一个位置。")


def _units(text: str) -> str:
    parts = [p.strip() for p in text.replace("，", "、").replace(",", "、").replace(";", "、").split("、")]
    return "、".join(dict.fromkeys(p for p in parts if p))


def log_event(uow: UnitOfWork, d: Demand, kind: str, on: date, before: str, note: str = "",
         satisfaction: str | None = None) -> None:
    uow.demands.add(DemandEvent(demand_id=d.id, kind=kind, happened_on=on, from_status=before, to_status=d.status,
                                note=note, satisfaction=satisfaction, operator=uow.operator))


def raise_demand(uow: UnitOfWork, draft: DemandDraft, office_code: str | None, today: date,
                 visit_id: int | None = None, field_prefix: str = "") -> Demand:
    """Register one demand inside the caller's transaction: check, number it, log 'create'.

    Raises ValidationFailed (fields prefixed with `field_prefix`) and changes nothing on refusal.
    """
    issues = check_demand(draft, today)
    if draft.enterprise_id is not None:
        e = uow.enterprises.get(draft.enterprise_id)
        if e is None or e.is_archived:
            issues.append(Issue("enterprise_id", "所选企业不存在或已归档"))
    if draft.helper_id is not None and uow.helpers.get(draft.helper_id) is None:
        issues.append(Issue("helper_id", "所选包联领导不存在"))
    if not office_code:
        issues.append(Issue("office", "本机尚未设置所属单位，无法为诉求编号"))
    if any(i.blocking for i in issues):
        raise ValidationFailed([Issue(field_prefix + i.field, i.message, i.blocking) for i in issues])
    assert draft.received_on is not None and office_code is not None
    year = draft.received_on.year
    seq = uow.demands.next_seq(office_code, year)
    d = Demand(number=demand_number(office_code, year, seq), office_code=office_code, year=year, seq=seq,
               visit_id=visit_id, status="pending")
    apply_draft(d, draft)
    uow.demands.add(d)
    uow.flush()
    log_event(uow, d, "create", draft.received_on, "", f"登记诉求：{DEMAND_CATEGORIES[d.category]}")
    return d


def working_due(due_on: date | None) -> date | None:
    """办理时限 as kept: a day off moves to the next working day, so 按期 and 逾期 compare with the stored date."""
    return None if due_on is None else next_working_day(due_on)


def apply_draft(d: Demand, draft: DemandDraft) -> list[str]:
    """Copy the draft onto the demand; returns the labels of the fields that changed."""
    values = {"enterprise_id": draft.enterprise_id, "source": draft.source, "category": draft.category,
              "description": draft.description.strip(), "suggestion": draft.suggestion.strip(),
              "urgency": draft.urgency, "received_on": draft.received_on, "helper_id": draft.helper_id,
              "responsible_unit": clean_line(draft.responsible_unit), "co_units": _units(draft.co_units),
              "unit_contact": clean_line(draft.unit_contact), "due_on": working_due(draft.due_on)}
    changed = []
    for key, value in values.items():
        if getattr(d, key, None) != value:
            setattr(d, key, value)
            if key in EDIT_LABELS:
                changed.append(EDIT_LABELS[key])
    return changed


def apply_step(d: Demand, t: TransitionDraft, on: date) -> tuple[str, str | None]:
    """Change the case for one lifecycle step (already checked); returns the log note and satisfaction."""
    target = TRANSITIONS[t.action][2]
    note = t.note.strip()
    if t.action == "assign":
        d.responsible_unit, d.co_units = clean_line(t.responsible_unit), _units(t.co_units)
        d.unit_contact, d.due_on, d.assigned_on = clean_line(t.unit_contact), working_due(t.due_on), on
        co = f"，协办：{d.co_units}" if d.co_units else ""
        moved = f"（{t.due_on} 为休息日，顺延）" if d.due_on != t.due_on else ""
        note = f"交办{d.responsible_unit}{co}，办理时限 {d.due_on}{moved}" + (f"。{note}" if note else "")
    elif t.action in ("resolve", "explain"):
        d.result, d.closing_kind, d.closed_on = t.result.strip(), "resolved" if t.action == "resolve" else "explained", on
        d.first_closed_on = d.first_closed_on or on
        d.satisfaction, d.followed_up_on, d.followed_up_by = None, None, ""
        note = d.result + (f"。{note}" if note else "")
    elif t.action == "follow_up":
        d.satisfaction, d.followed_up_on, d.followed_up_by = t.satisfaction, on, clean_line(t.followed_up_by)
        if t.satisfaction == "unsatisfied":
            target = "in_progress"
            _reopen(d)
        note = f"回访：{SATISFACTIONS[t.satisfaction]}" + (f"。{note}" if note else "")
    elif t.action == "reopen":
        _reopen(d)
        note = f"重新办理，理由：{note}"
    elif t.action == "sign_off":
        d.signed_off_on = on
    if target is not None:
        d.status = target
    return note, t.satisfaction if t.action == "follow_up" else None


def _reopen(d: Demand) -> None:
    d.reopen_count += 1
    d.closed_on, d.closing_kind = None, None


class DemandService:
    def __init__(self, db: Database, office_code: Callable[[], str | None],
                 today: Callable[[], date] = clock.today, office_name: Callable[[], str] = lambda: "") -> None:
        self._db = db
        self._office_code = office_code
        self._office_name = office_name
        self._today = today

    def today(self) -> date:
        """The service's 'today' (injectable for tests); overdue and ages are judged against it."""
        return self._today()

    # ---- pick-lists
    @staticmethod
    def choices() -> dict[str, dict[str, str]]:
        """Coded values and labels for the form's drop-downs."""
        return {"category": DEMAND_CATEGORIES, "source": DEMAND_SOURCES, "urgency": DEMAND_URGENCIES,
                "status": DEMAND_STATUSES, "satisfaction": SATISFACTIONS,
                "action": {a: v[0] for a, v in TRANSITIONS.items()}}

    # ---- reading
    def list_demands(self, f: DemandFilter | None = None) -> list[DemandRow]:
        today = self._today()
        with self._db.unit_of_work() as uow:
            return [_row(r, today) for r in uow.demands.rows(f or DemandFilter(), today)]

    def detail(self, demand_id: int) -> DemandDetail:
        today = self._today()
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            rows = uow.demands.rows(DemandFilter(archived=d.is_archived, search=d.number), today)
            row = next(_row(r, today) for r in rows if r.id == d.id)
            events = [EventRow(e.id, e.kind, e.happened_on, e.recorded_at, e.from_status, e.to_status, e.note,
                               e.satisfaction, e.operator) for e in uow.demands.events(d.id)]
            return DemandDetail(row, d.suggestion, d.unit_contact, d.assigned_on, d.followed_up_on,
                                d.followed_up_by, d.signed_off_on, events)

    def draft(self, demand_id: int) -> DemandDraft:
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            return DemandDraft(d.enterprise_id, d.source, d.category, d.description, d.suggestion, d.urgency,
                               d.received_on, d.helper_id, d.responsible_unit, d.co_units, d.unit_contact, d.due_on,
                               d.version)

    def find_id(self, number: str) -> int:
        """The id of the demand with this number (e.g. 141102-2026-0001)."""
        with self._db.unit_of_work() as uow:
            d = uow.demands.by_number(number.strip())
            if d is None:
                raise NotFound(f"找不到编号为 {number.strip()} 的诉求。")
            return d.id

    def board(self, county_code: str = "") -> list[BoardRow]:
        """Counts per status in lifecycle order (zeros included); open cases split into age buckets;
        `county_code` counts one county's demands only (the city edition's 县区 filter)."""
        with self._db.unit_of_work() as uow:
            found = {r.status: r for r in uow.demands.board(self._today(), county_code)}
        return [BoardRow(s, int(found[s].total), int(found[s].le7), int(found[s].d8_30), int(found[s].gt30),
                         int(found[s].overdue)) if s in found else BoardRow(s, 0, 0, 0, 0, 0)
                for s in DEMAND_STATUSES]

    # ---- writing
    def check(self, draft: DemandDraft) -> list[Issue]:
        return check_demand(draft, self._today())

    def register(self, draft: DemandDraft) -> SavedDemand:
        """Register a demand as 待受理 with the next number of this office and year."""
        with self._db.unit_of_work() as uow:
            d = raise_demand(uow, draft, self._office_code(), self._today())
            uow.commit()
            return SavedDemand(d.id, d.number, d.status)

    def update(self, demand_id: int, draft: DemandDraft) -> SavedDemand:
        """Edit an open case (logged); closed cases are refused until reopened with a reason."""
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            claim_for_save(uow, d, draft.version)
            refused = refusal(d, "edit")
            issues = [refused] if refused else check_demand(draft, self._today())
            if draft.enterprise_id != d.enterprise_id and not refused:
                issues.append(Issue("enterprise_id", "诉求登记后不能更换企业；如登记错了，请归档后重新登记"))
            refuse_blocking(issues)
            before = d.status
            changed = apply_draft(d, draft)
            if changed:
                log_event(uow, d, "edit", self._today(), before, "修改：" + "、".join(changed))
                uow.commit()
            return SavedDemand(d.id, d.number, d.status)

    def transition(self, demand_id: int, step: TransitionDraft) -> DemandRow:
        """Take one lifecycle step; ValidationFailed (nothing changed) when not allowed or incomplete."""
        today = self._today()
        if step.action == "edit":
            raise LvqiError("修改诉求请使用“修改”功能")
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            refuse_blocking(check_transition(d, step, today))
            on, before = step.on or today, d.status
            note, satisfaction = apply_step(d, step, on)
            log_event(uow, d, step.action, on, before, note, satisfaction)
            uow.commit()
            number = d.number
        return next(r for r in self.list_demands(DemandFilter(search=number)) if r.id == demand_id)

    # Named steps for the pages' buttons; each is one transaction.
    def assign(self, demand_id: int, responsible_unit: str, due_on: date, co_units: str = "",
               unit_contact: str = "", note: str = "", on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("assign", on, note, responsible_unit=responsible_unit,
                                                          co_units=co_units, unit_contact=unit_contact,
                                                          due_on=due_on))

    def start(self, demand_id: int, note: str = "", on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("start", on, note))

    def add_progress(self, demand_id: int, note: str, on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("progress", on, note))

    def resolve(self, demand_id: int, result: str, on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("resolve", on, result=result))

    def explain(self, demand_id: int, explanation: str, on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("explain", on, result=explanation))

    def follow_up(self, demand_id: int, satisfaction: str, by: str = "", note: str = "",
                  on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("follow_up", on, note, satisfaction=satisfaction,
                                                          followed_up_by=by))

    def reopen(self, demand_id: int, reason: str, on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("reopen", on, reason))

    def sign_off(self, demand_id: int, note: str = "", on: date | None = None) -> DemandRow:
        return self.transition(demand_id, TransitionDraft("sign_off", on, note))

    def archive(self, demand_id: int, reason: str) -> None:
        """Withdraw a demand registered by mistake (kept, logged, never deleted); a reason is required."""
        if not reason.strip():
            raise ValidationFailed([Issue("reason", "归档诉求必须说明理由")])
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            if d.archived_at is None:
                d.archived_at, d.archive_reason = clock.now(), reason.strip()[:200]
                log_event(uow, d, "archive", self._today(), d.status, reason.strip())
                uow.commit()

    # ---- the hand-over sheet
    def handover_sheet(self, demand_id: int) -> HandoverSheet:
        """The 交办单 data for a demand that has been handed over (the PDF writer renders it)."""
        with self._db.unit_of_work() as uow:
            d = self._demand(uow, demand_id)
            if not d.responsible_unit:
                raise LvqiError(f"诉求 {d.number} 尚未交办责任单位，不能生成交办单")
            e = uow.enterprises.get(d.enterprise_id)
            helper = uow.helpers.get(d.helper_id) if d.helper_id else None
            assert e is not None
            contact = " ".join(p for p in (e.contact_person, e.contact_phone) if p)
            return HandoverSheet(
                TITLE, self._office_name(), d.number, e.name, e.uscc, contact,
                f"{helper.name}（{helper.post}）" if helper and helper.post else (helper.name if helper else ""),
                codes.label(DEMAND_CATEGORIES, d.category), codes.label(DEMAND_SOURCES, d.source),
                codes.label(DEMAND_URGENCIES, d.urgency), d.received_on, d.description, d.suggestion,
                d.responsible_unit, tuple(u for u in d.co_units.split("、") if u), d.unit_contact, d.assigned_on,
                d.due_on, self._today())

    @staticmethod
    def handover_file_name(number: str) -> str:
        """交办单-141102-2026-0001.pdf"""
        return f"交办单-{number}.pdf"

    def export_handover_sheet(self, demand_id: int, folder_or_path: str | Path) -> Path:
        """Print the 交办单 as a PDF into a folder (named 交办单-<编号>.pdf) or to a file; returns the path.

        LvqiError when the demand has not been handed over; ExportError in Chinese when there is no usable
        Chinese font or the target cannot be written (no partial file is left).
        """
        from lvqi_desktop.exporters.handover_pdf import write_handover_pdf

        sheet = self.handover_sheet(demand_id)
        if not str(folder_or_path).strip():
            raise ExportError("请选择交办单的保存位置。")
        target = Path(folder_or_path).expanduser()
        if target.is_dir():
            target = target / self.handover_file_name(sheet.number)
        elif target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        if not target.parent.is_dir():
            raise ExportError(f"文件夹“{target.parent}”不存在（U盘是否已拔出？），交办单没有生成。请重新选择保存位置。")
        with self._db.unit_of_work() as uow:
            font_path = uow.office.setting(FONT_SETTING) or None
        try:
            write_handover_pdf(sheet, target, font_path)
        except OSError as exc:
            raise _sheet_write_error(target, exc) from exc
        return target

    @staticmethod
    def _demand(uow: UnitOfWork, demand_id: int) -> Demand:
        return require(uow.demands.get(demand_id), f"找不到编号为 {demand_id} 的诉求。")
