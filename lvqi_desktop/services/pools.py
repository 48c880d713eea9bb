"""Cultivation pools: put firms in pools, move them through tiers and statuses, keep each record's timeline."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.errors import require
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.pool_rows import EVENT_KINDS
from lvqi_desktop.services.pool_rows import PoolRecordRow
from lvqi_desktop.services.pool_rows import RecordDetail
from lvqi_desktop.services.pool_rows import TimelineRow
from lvqi_desktop.services.tier_facts import lines_from
from lvqi_desktop.services.tier_facts import revenues_by_firm
from lvqi_desktop.storage.repositories.pools import PoolRepository
from lvqi_desktop.storage.repositories.pools import RecordFilter
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.above_scale import readiness
from lvqi_desktop.validation.numbers import fen_to_wan_input
from lvqi_desktop.validation.numbers import parse_date
from lvqi_desktop.validation.pools import DATE_FIELDS
from lvqi_desktop.validation.pools import RecordDraft
from lvqi_desktop.validation.pools import check_prerequisite
from lvqi_desktop.validation.pools import check_transition
from lvqi_desktop.validation.pools import clean_record
from lvqi_desktop.validation.text import clean_line
from lvqi_desktop.validation.tier_rules import RuleSetDef
from lvqi_desktop.validation.tier_rules import default_rule_set
from lvqi_desktop.validation.tier_rules import parse_rule_set

__all__ = ["PoolService", "RecordDraft", "RecordFilter"]

# Record fields an edit may change, with the label the timeline names them by.
EDIT_LABELS = {
    "rule_set": "条件版本", "entered_on": "入库日期", "recognized_on": "认定日期", "valid_until": "有效期至",
    "document_no": "认定文号", "prerequisite_valid_until": "省级专精特新有效期至", "override_reason": "越级理由",
    "status_reason": "原因", "info_updated_on": "年度信息更新日期", "completed_on": "股改完成日期",
    "county_review_on": "县级初审日期", "city_review_on": "市级复核日期", "subsidy_fen": "奖补金额",
    "listing_venue": "挂牌/上市情况", "listed_on": "挂牌/上市日期", "target_tier": "目标层级",
    "target_year": "目标年份", "responsible_person": "责任人", "notes": "备注",
}


def _rule_sets(uow: UnitOfWork) -> list[RuleSetDef]:
    return [parse_rule_set(r.code, r.name, r.document, r.applies_from, "[]", {})
            for r in uow.tier_data.rule_sets()]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def record_to_draft(r: CultivationRecord) -> RecordDraft:
    d = RecordDraft(pool=r.pool, tier=r.tier or "", status=r.status, rule_set=r.rule_set or "",
                    document_no=r.document_no, override_reason=r.override_reason, status_reason=r.status_reason,
                    subsidy=fen_to_wan_input(r.subsidy_fen), listing_venue=r.listing_venue or "",
                    target_tier=r.target_tier or "", target_year=_text(r.target_year),
                    responsible_person=r.responsible_person, notes=r.notes,
                    month=(r.enterprise.above_scale_since or "") if r.status == "entered" else "",
                    version=r.version)
    for name in DATE_FIELDS:
        setattr(d, name, _text(getattr(r, name)))
    return d


def held_prerequisite(pool: PoolDef, rec: CultivationRecord, tier: str, today: date) -> str:
    """Moving up from a held, still valid title carries its validity as the new tier's prerequisite
    (ISO date; "" when nothing is carried)."""
    held = pool.statuses[rec.status].holds_title and (rec.valid_until is None or rec.valid_until >= today)
    new_tier = pool.tiers.get(tier)
    if held and new_tier is not None and new_tier.prerequisite == rec.tier and rec.valid_until:
        return rec.valid_until.isoformat()
    return ""


def _row(r: AnyRow, catalog: PoolCatalog, rule_names: dict[str, str]) -> PoolRecordRow:
    pool = catalog.pools[r.pool]
    return PoolRecordRow(
        r.id, r.uuid, r.enterprise_id, r.uscc, r.name, r.county_code, r.township_code,
        r.township_name or "", r.industry_section or "", r.pool, pool.name, r.tier,
        pool.tier_label(r.tier, r.rule_set), r.status, pool.status_label(r.status),
        r.status_reason, r.rule_set, rule_names.get(r.rule_set or "", ""), r.entered_on,
        r.status_on, r.recognized_on, r.valid_until, r.document_no, r.listing_venue,
        catalog.venue_label(r.listing_venue), pool.tier_label(r.target_tier) if r.target_tier else "",
        r.target_year, r.responsible_person, r.last_follow_up_on, r.above_scale_since,
        r.archived_at is not None)


SCALE_UP = "scale_up"
_IDS_PER_QUERY = 30_000  # below SQLite's limit of bound parameters


def _against_the_line(uow: UnitOfWork, ids: list[int], today: date) -> dict[int, str]:
    """小升规 firms: their newest revenue against the 规上 line of their industry, in words."""
    if not ids:
        return {}
    data = uow.tier_data
    lines = lines_from(data.lines())
    chosen = ids if len(ids) <= _IDS_PER_QUERY else None
    revenues = revenues_by_firm(data.revenue_figures(today.year - 2, chosen))
    firms = data.enterprises(chosen)
    return {f.id: readiness(lines, f.industry_section, f.industry_class or "", revenues.get(f.id, {})).message
            for f in firms}


class PoolService:
    """Every public method is one transaction; ValidationFailed carries Chinese issues and changes nothing."""

    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today

    # ---- reading
    def catalog(self) -> PoolCatalog:
        """Pools, tiers, statuses, transitions and listing venues, for drop-downs and labels."""
        with self._db.unit_of_work() as uow:
            return uow.pools.catalog()

    def rule_set_choices(self) -> list[tuple[str, str]]:
        with self._db.unit_of_work() as uow:
            return [(r.code, r.name) for r in _rule_sets(uow)]

    def list_records(self, f: RecordFilter | None = None) -> list[PoolRecordRow]:
        """The rows of a pool page (filters: tier, status, township, industry, year entered)."""
        f = f or RecordFilter()
        if self._office_county() and not f.county_code:
            f = replace(f, county_code=self._office_county() or "")
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            catalog = repo.catalog()
            names = {r.code: r.name for r in _rule_sets(uow)}
            rows = [_row(r, catalog, names) for r in repo.rows(f)]
            against = _against_the_line(uow, [r.enterprise_id for r in rows if r.pool == SCALE_UP], self._today())
        return [replace(r, scale_line=against.get(r.enterprise_id, "")) if r.pool == SCALE_UP else r for r in rows]

    def record(self, record_id: int) -> RecordDetail:
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            catalog = repo.catalog()
            pool = catalog.pools[rec.pool]
            row = _row(repo.rows(RecordFilter(record_id=record_id))[0], catalog,
                       {r.code: r.name for r in _rule_sets(uow)})
            return RecordDetail(row, record_to_draft(rec),
                                [(s, pool.status_label(s)) for s in pool.next_statuses(rec.status)],
                                [(t.code, pool.tier_label(t.code, rec.rule_set)) for t in pool.ladder()])

    def timeline(self, record_id: int) -> list[TimelineRow]:
        """Every change of one record, oldest first."""
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            pool = repo.catalog().pools[rec.pool]
            return [TimelineRow(e.id, e.happened_at, e.effective_on, e.operator, e.kind,
                                EVENT_KINDS.get(e.kind, e.kind),
                                pool.tier_label(e.from_tier, rec.rule_set) if e.from_tier else "",
                                pool.tier_label(e.to_tier, rec.rule_set) if e.to_tier else "",
                                pool.status_label(e.from_status) if e.from_status else "",
                                pool.status_label(e.to_status) if e.to_status else "", e.detail, e.note)
                    for e in repo.events(record_id)]

    def add_to_pool(self, enterprise_id: int, draft: RecordDraft) -> int:
        """Put an enterprise in a pool; refused for an archived firm, a firm already in that pool,
        a 小巨人 without a valid 省级专精特新 (unless an override reason is given), and bad dates."""
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            catalog = repo.catalog()
            enterprise = uow.enterprises.get(enterprise_id)
            if enterprise is None:
                raise NotFound("该企业不存在，可能已被删除。")
            v, issues = self.clean_draft(uow, catalog, draft)
            existing_id = None
            if enterprise.archived_at is not None:
                issues.append(Issue("enterprise", f"企业“{enterprise.name}”已归档，不能入库。"
                                                  "如确需入库，请先在企业名录中恢复该企业。"))
            pool = catalog.pool(str(v.get("pool", "")))
            if pool is not None:
                other = repo.current(enterprise_id, pool.code)
                if other is not None:
                    issues.append(Issue("pool", f"“{enterprise.name}”已在{pool.name}中（"
                                                f"{pool.tier_label(other.tier) + '，' if other.tier else ''}"
                                                f"{pool.status_label(other.status)}），同一企业不能重复入库，"
                                                "请打开原记录修改。"))
                    existing_id = other.id
                issues += self.prerequisite_issues(pool, v)
            if any(i.blocking for i in issues):
                raise ValidationFailed(issues, existing_id)
            assert pool is not None
            rec = CultivationRecord(enterprise_id=enterprise_id, pool=pool.code, status=str(v["status"]))
            rec.enterprise = enterprise
            self.set_fields(rec, v)
            rec.tier = v["tier"]  # type: ignore[assignment]
            rec.status_on = self._today()
            repo.add(rec)
            self.after_status(rec, pool, v)
            self.record_event(uow, repo, rec, "enter", None, rec.tier, None, rec.status,
                        self.status_detail(pool, rec, v), str(v["note"]), rec.entered_on)
            uow.commit()
            return rec.id

    def update_record(self, record_id: int, draft: RecordDraft) -> PoolRecordRow:
        """Save the editor's fields other than tier and status (those go through change_tier/change_status)."""
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            claim_for_save(uow, rec, draft.version)
            catalog = repo.catalog()
            if (draft.tier or None) != rec.tier or (draft.status or rec.status) != rec.status:
                raise ValidationFailed([Issue("status", "层级和状态请用“变更层级”“变更状态”修改，以便记入时间线。")])
            v, issues = self.clean_draft(uow, catalog, replace(draft, pool=rec.pool))
            pool = catalog.pools[rec.pool]
            issues += self.prerequisite_issues(pool, v)
            refuse_blocking(issues)
            changed = self.set_fields(rec, v)
            if changed or v["note"]:
                self.record_event(uow, repo, rec, "edit", rec.tier, rec.tier, rec.status, rec.status,
                            "修改了：" + "、".join(changed) if changed else "", str(v["note"]), self._today())
            uow.commit()
        return self._row_of(record_id)

    def change_status(self, record_id: int, status: str, note: str = "", **details: str) -> PoolRecordRow:
        """Move a record to another status allowed from its current one. `details` may carry the fields the
        new status needs: recognized_on, document_no, valid_until (认定), status_reason (退库/撤销),
        month (已入统, YYYY-MM), completed_on (股改完成)."""
        with self._db.unit_of_work() as uow:
            self._change_status(uow, record_id, status, note, details)
            uow.commit()
        return self._row_of(record_id)

    def bulk_change_status(self, record_ids: Sequence[int], status: str, note: str = "") -> int:
        """Move several records to one status with one note; all or nothing. Returns how many changed."""
        with self._db.unit_of_work() as uow:
            issues: list[Issue] = []
            for rid in record_ids:
                try:
                    self._change_status(uow, rid, status, note, {})
                except ValidationFailed as exc:
                    name = uow.pools.get(rid)
                    who = name.enterprise.name if name else str(rid)
                    issues += [Issue(f"{rid}.{i.field}", f"{who}：{i.message}") for i in exc.issues if i.blocking]
            if issues:
                raise ValidationFailed(issues)
            uow.commit()
            return len(record_ids)

    def change_tier(self, record_id: int, tier: str, note: str = "", override_reason: str = "",
                    status: str = "", **details: str) -> PoolRecordRow:
        """Move a record to another tier (status starts again at the pool's first status unless given).
        Moving up from a held title carries its validity as the prerequisite's; a 小巨人 without a valid
        省级专精特新 needs `override_reason`."""
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            catalog = repo.catalog()
            pool = catalog.pools[rec.pool]
            draft = record_to_draft(rec)
            draft.prerequisite_valid_until = (held_prerequisite(pool, rec, tier, self._today())
                                              or draft.prerequisite_valid_until)
            draft = replace(draft, tier=tier, status=status or pool.initial_status, note=note,
                            override_reason=override_reason or draft.override_reason,
                            recognized_on="", valid_until="", document_no="", status_reason="")
            draft = replace(draft, **details)  # type: ignore[arg-type]  # text fields only (details: str → str)
            v, issues = self.clean_draft(uow, catalog, draft)
            issues += self.prerequisite_issues(pool, v)
            refuse_blocking(issues)
            old_tier, old_status = rec.tier, rec.status
            self.set_fields(rec, v)
            rec.tier, rec.status, rec.status_on = v["tier"], str(v["status"]), self._today()  # type: ignore[assignment]
            self.after_status(rec, pool, v)
            detail = self.status_detail(pool, rec, v)
            if override_reason.strip():
                detail = "；".join(x for x in (detail, f"越级理由：{override_reason.strip()}") if x)
            self.record_event(uow, repo, rec, "tier", old_tier, rec.tier, old_status, rec.status, detail, note,
                        self._today())
            uow.commit()
        return self._row_of(record_id)

    def record_follow_up(self, record_id: int, on: str = "", note: str = "") -> None:
        """Note a follow-up (visit, call) on a record; it resets the 90-day reminder."""
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            issues: list[Issue] = []
            day = parse_date(on, "on", "跟进日期", issues) if on.strip() else self._today()
            if day is not None and day > self._today():
                issues.append(Issue("on", "跟进日期不能晚于今天"))
            if issues:
                raise ValidationFailed(issues)
            rec.last_follow_up_on = day
            self.record_event(uow, repo, rec, "follow_up", rec.tier, rec.tier, rec.status, rec.status, "",
                        note.strip(), day)
            uow.commit()

    def archive_record(self, record_id: int, reason: str) -> None:
        """Take a record out of its pool (kept, never deleted; the city learns of it)."""
        reason = clean_line(reason)
        if not reason:
            raise ValidationFailed([Issue("reason", "移出培育库请填写原因")])
        with self._db.unit_of_work() as uow:
            repo = uow.pools
            rec = self._get(repo, record_id)
            if rec.archived_at is None:
                rec.archived_at, rec.archive_reason = clock.now(), reason[:200]
                self.record_event(uow, repo, rec, "archive", rec.tier, rec.tier, rec.status, rec.status, "", reason,
                            self._today())
                uow.commit()

    def set_board_name(self, venue: str, board_name: str) -> None:
        """Rename the board a venue lists on (e.g. 山西股权交易中心's 专精特新专板)."""
        name = clean_line(board_name)
        if len(name) > 40:
            raise ValidationFailed([Issue("board_name", "板块名称不能超过40个字")])
        with self._db.unit_of_work() as uow:
            found = uow.pools.venue(venue)
            if found is None:
                raise NotFound(f"挂牌场所“{venue}”不存在。")
            found.board_name = name
            uow.commit()

    # ---- internals
    @staticmethod
    def _get(repo: PoolRepository, record_id: int) -> CultivationRecord:
        return require(repo.get(record_id), f"找不到编号为 {record_id} 的培育记录。")

    def _row_of(self, record_id: int) -> PoolRecordRow:
        return self.record(record_id).row

    def clean_draft(self, uow: UnitOfWork, catalog: PoolCatalog, draft: RecordDraft,
               rule_sets: list[RuleSetDef] | None = None) -> tuple[dict[str, object], list[Issue]]:
        """`rule_sets`: loaded once by a caller checking many records (the Excel import)."""
        rule_sets = _rule_sets(uow) if rule_sets is None else rule_sets
        v, issues = clean_record(draft, catalog, {r.code for r in rule_sets}, self._today())
        pool = catalog.pool(str(v.get("pool", "")))
        if pool is not None and pool.code == "srdi" and not v.get("rule_set"):
            status = pool.statuses.get(str(v.get("status")))
            granted = v.get("recognized_on") if status is not None and status.holds_title else None
            v["rule_set"] = default_rule_set(rule_sets, self._today(), granted)  # type: ignore[arg-type]
        return v, issues

    def prerequisite_issues(self, pool: PoolDef, v: dict[str, object]) -> list[Issue]:
        at = v.get("recognized_on") or self._today()
        return check_prerequisite(pool, v.get("tier"), v.get("prerequisite_valid_until"),  # type: ignore[arg-type]
                                  at, str(v.get("override_reason", "")))  # type: ignore[arg-type]

    def _change_status(self, uow: UnitOfWork, record_id: int, status: str, note: str,
                       details: dict[str, str]) -> None:
        repo = uow.pools
        rec = self._get(repo, record_id)
        catalog = repo.catalog()
        pool = catalog.pools[rec.pool]
        issues = check_transition(pool, rec.status, status)
        if rec.archived_at is not None:
            issues.append(Issue("status", "该记录已移出培育库，不能再变更状态。"))
        draft = replace(record_to_draft(rec), status=status, note=note, **details)  # type: ignore[arg-type]  # text fields only
        target = pool.statuses.get(status)
        if "status_reason" not in details and status != rec.status:
            draft.status_reason = note if target and target.needs_reason else ""
        if target is not None and target.needs_recognition and status != rec.status and "recognized_on" not in details:
            draft.recognized_on = draft.valid_until = draft.document_no = ""  # a new title needs its own date
        if "recognized_on" in details and "valid_until" not in details:
            draft.valid_until = ""  # recomputed from the new recognition date
        v, more = self.clean_draft(uow, catalog, draft)
        issues += more
        refuse_blocking(issues)
        old = rec.status
        self.set_fields(rec, v)
        rec.status, rec.status_on = str(v["status"]), self._today()
        self.after_status(rec, pool, v)
        self.record_event(uow, repo, rec, "status", rec.tier, rec.tier, old, rec.status,
                    self.status_detail(pool, rec, v), note.strip(), self._today())

    @staticmethod
    def set_fields(rec: CultivationRecord, v: dict[str, object]) -> list[str]:
        changed = []
        for name, label in EDIT_LABELS.items():
            if name in v and getattr(rec, name) != v[name]:
                setattr(rec, name, v[name])
                changed.append(label)
        return changed

    @staticmethod
    def after_status(rec: CultivationRecord, pool: PoolDef, v: dict[str, object]) -> None:
        """已入统 is one fact, kept on the enterprise: above_scale and the month it entered statistics."""
        if pool.statuses[rec.status].needs_month and v.get("month"):
            rec.enterprise.above_scale = True
            rec.enterprise.above_scale_since = str(v["month"])

    @staticmethod
    def status_detail(pool: PoolDef, rec: CultivationRecord, v: dict[str, object]) -> str:
        s = pool.statuses[rec.status]
        parts = []
        if s.needs_recognition and rec.recognized_on:
            parts.append(f"认定日期 {rec.recognized_on.isoformat()}，文号 {rec.document_no}"
                         + (f"，有效期至 {rec.valid_until.isoformat()}" if rec.valid_until else ""))
        if s.needs_month and v.get("month"):
            parts.append(f"入统年月 {v['month']}")
        if s.needs_completion and rec.completed_on:
            parts.append(f"登记为股份有限公司 {rec.completed_on.isoformat()}")
        if s.needs_reason and rec.status_reason:
            parts.append(f"原因：{rec.status_reason}")
        return "；".join(parts)

    def record_event(self, uow: UnitOfWork, repo: PoolRepository, rec: CultivationRecord, kind: str,
               from_tier: str | None, to_tier: str | None, from_status: str | None, to_status: str | None,
               detail: str, note: str, on: date | None) -> None:
        event = CultivationEvent(kind=kind, happened_at=clock.now(), effective_on=on, operator=uow.operator,
                                 from_tier=from_tier, to_tier=to_tier, from_status=from_status,
                                 to_status=to_status, detail=detail, note=note)
        rec.events.append(event)
        repo.add_event(event)
