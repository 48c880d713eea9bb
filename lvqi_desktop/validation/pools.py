"""Checks for pool records as typed: tier, status, dates, transitions and tier prerequisites."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.validation.enterprise import _check_above_scale_month as check_month
from lvqi_desktop.validation.numbers import parse_date
from lvqi_desktop.validation.numbers import parse_wan_to_fen
from lvqi_desktop.validation.text import clean_line

DATE_FIELDS = {
    "entered_on": "入库日期", "recognized_on": "认定日期", "valid_until": "有效期至",
    "prerequisite_valid_until": "省级专精特新有效期至", "info_updated_on": "年度信息更新日期",
    "completed_on": "股改完成（登记为股份有限公司）日期", "county_review_on": "县级初审日期",
    "city_review_on": "市级复核日期", "listed_on": "挂牌/上市日期",
}
TEXT_LIMITS = {"document_no": ("认定文号", 60), "override_reason": ("越级理由", 200),
               "status_reason": ("原因", 200), "responsible_person": ("责任人", 40)}


@dataclass
class RecordDraft:
    """A pool record as typed (all text, so nothing is lost when a save is refused)."""

    pool: str = ""
    tier: str = ""
    status: str = ""  # empty: the pool's first status
    rule_set: str = ""  # empty: chosen by date (new applications from 2026-04-01 use 2026)
    entered_on: str = ""  # empty: today
    recognized_on: str = ""
    valid_until: str = ""  # empty: recognized_on + the tier's validity (3 years)
    document_no: str = ""
    prerequisite_valid_until: str = ""
    override_reason: str = ""
    status_reason: str = ""
    month: str = ""  # 已入统 month, YYYY-MM (stored on the enterprise)
    info_updated_on: str = ""
    completed_on: str = ""
    county_review_on: str = ""
    city_review_on: str = ""
    subsidy: str = ""  # 万元
    listing_venue: str = ""
    listed_on: str = ""
    target_tier: str = ""
    target_year: str = ""
    responsible_person: str = ""
    notes: str = ""
    note: str = ""  # the timeline note for this change
    version: int | None = None  # the stored record's version when the form read it; None: not checked


DRAFT_FIELDS = tuple(f.name for f in fields(RecordDraft))


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 Feb becomes 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def clean_record(draft: RecordDraft, catalog: PoolCatalog, rule_sets: set[str], today: date
                 ) -> tuple[dict[str, object], list[Issue]]:
    """Typed values for a record and every issue; `month` is returned for the enterprise, not the record."""
    issues: list[Issue] = []
    pool = catalog.pool(draft.pool.strip())
    if pool is None:
        return {}, [Issue("pool", f"培育库“{draft.pool}”不存在，应为：{'、'.join(catalog.pools)}")]
    v: dict[str, object] = {"pool": pool.code}
    for name, label in DATE_FIELDS.items():
        v[name] = parse_date(getattr(draft, name), name, label, issues)
    for name, (label, limit) in TEXT_LIMITS.items():
        v[name] = clean_line(getattr(draft, name))
        if len(str(v[name])) > limit:
            issues.append(Issue(name, f"{label}不能超过{limit}个字"))
    v["notes"] = draft.notes.strip()
    v["note"] = draft.note.strip()
    v["tier"] = _check_tier(pool, draft.tier.strip(), issues)
    v["status"] = draft.status.strip() or pool.initial_status
    if v["status"] not in pool.statuses:
        issues.append(Issue("status", f"“{pool.name}”没有“{draft.status}”这一状态，可选："
                                      f"{'、'.join(s.name for s in pool.statuses.values())}"))
    v["target_tier"] = _check_tier(pool, draft.target_tier.strip(), issues, field="target_tier", required=False)
    v["rule_set"] = draft.rule_set.strip() or None
    if v["rule_set"] and v["rule_set"] not in rule_sets:
        issues.append(Issue("rule_set", f"条件版本“{draft.rule_set}”不存在，应为：{'、'.join(sorted(rule_sets))}"))
    venue = draft.listing_venue.strip() or None
    if venue and venue not in catalog.venues:
        issues.append(Issue("listing_venue", "挂牌/上市情况请从列表中选择"))
    v["listing_venue"] = venue
    v["subsidy_fen"] = parse_wan_to_fen(draft.subsidy, "subsidy", "奖补金额", allow_negative=False, issues=issues)
    v["target_year"] = _check_year(draft.target_year, issues)
    v["month"] = check_month(draft.month, issues)
    if v["entered_on"] is None:
        v["entered_on"] = today
    check_dates(v, pool, today, issues)
    if isinstance(v["status"], str) and v["status"] in pool.statuses:
        check_status_needs(pool, v["status"], v, today, issues)
    return v, issues


def _check_tier(pool: PoolDef, tier: str, issues: list[Issue], field: str = "tier",
                required: bool = True) -> str | None:
    if not tier:
        if required and pool.tiers:
            issues.append(Issue(field, f"请选择层级：{'、'.join(t.name for t in pool.ladder())}"))
        return None
    if tier not in pool.tiers:
        allowed = "、".join(t.name for t in pool.ladder()) or "（此库不分层级）"
        issues.append(Issue(field, f"“{pool.name}”没有“{tier}”这一层级，可选：{allowed}"))
        return None
    return tier


def _check_year(text: str, issues: list[Issue]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        issues.append(Issue("target_year", "目标年份应为四位年份，如 2027"))
        return None
    return int(text)


def check_dates(v: dict[str, object], pool: PoolDef, today: date, issues: list[Issue]) -> None:
    """Recognition not in the future; valid_until filled from the tier's validity and never before it."""
    recognized, valid = v.get("recognized_on"), v.get("valid_until")
    if isinstance(recognized, date) and recognized > today:
        issues.append(Issue("recognized_on", f"认定日期 {recognized.isoformat()} 晚于今天，请核对"))
    tier = pool.tiers.get(str(v.get("tier") or ""))
    if isinstance(recognized, date) and valid is None and tier is not None and tier.valid_years:
        v["valid_until"] = valid = add_years(recognized, tier.valid_years)
    if isinstance(recognized, date) and isinstance(valid, date) and valid < recognized:
        issues.append(Issue("valid_until", f"有效期至 {valid.isoformat()} 早于认定日期 {recognized.isoformat()}，请核对"))
    for name in ("entered_on", "completed_on", "county_review_on", "city_review_on", "listed_on"):
        day = v.get(name)
        if isinstance(day, date) and day > today:
            issues.append(Issue(name, f"{DATE_FIELDS[name]} {day.isoformat()} 晚于今天，请核对"))


def check_status_needs(pool: PoolDef, status: str, v: dict[str, object], today: date,
                       issues: list[Issue]) -> None:
    """What a status requires: 认定 a date and document number, 退库/撤销 a reason, 已入统 a month."""
    s = pool.statuses[status]
    if s.needs_recognition:
        if v.get("recognized_on") is None:
            issues.append(Issue("recognized_on", f"状态为“{s.name}”时请填写认定日期"))
        if not v.get("document_no"):
            issues.append(Issue("document_no", f"状态为“{s.name}”时请填写认定文号"))
    if s.needs_reason and not v.get("status_reason"):
        issues.append(Issue("status_reason", f"状态为“{s.name}”时请填写原因"))
    if s.needs_completion and v.get("completed_on") is None:
        issues.append(Issue("completed_on", "股改完成时请填写登记为股份有限公司的日期"))
    month = v.get("month")
    if s.needs_month:
        if not month:
            issues.append(Issue("month", f"状态为“{s.name}”时请填写入统年月（如 {today.year}-03）"))
        elif str(month) > f"{today.year:04d}-{today.month:02d}":
            issues.append(Issue("month", f"入统年月 {month} 晚于本月，请核对"))


def check_transition(pool: PoolDef, from_status: str, to_status: str) -> list[Issue]:
    if from_status == to_status or pool.allows(from_status, to_status):
        return []
    allowed = "、".join(pool.status_label(s) for s in pool.next_statuses(from_status)) or "无（已是最终状态）"
    return [Issue("status", f"“{pool.status_label(from_status)}”不能直接改为“{pool.status_label(to_status)}”。"
                            f"当前可改为：{allowed}")]


def check_prerequisite(pool: PoolDef, tier: str | None, prerequisite_valid_until: date | None, at: date,
                       override_reason: str) -> list[Issue]:
    """A tier that needs another tier's valid title (any 小巨人 needs 省级专精特新) without it needs a reason."""
    spec = pool.tiers.get(tier or "")
    if spec is None or not spec.prerequisite:
        return []
    if prerequisite_valid_until is not None and prerequisite_valid_until >= at:
        return []
    if override_reason.strip():
        return []
    needed = pool.tier_label(spec.prerequisite)
    have = (f"（所填有效期至 {prerequisite_valid_until.isoformat()}，{at.isoformat()} 时已失效）"
            if prerequisite_valid_until else "")
    return [Issue("override_reason", f"“{spec.name}”须先持有有效的{needed}称号{have}。请填写{needed}有效期，"
                                     "或确需越级时填写越级理由")]
