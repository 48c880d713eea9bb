"""Reminders for the start page: expiring titles, annual updates, records not followed up, 规上 firms not entered,
firms an import took without some facts (资料待补充)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from datetime import timedelta

from lvqi_desktop import clock
from lvqi_desktop.models.enterprise import parse_marks
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.pool_rows import ReminderRow
from lvqi_desktop.services.tier_facts import lines_from
from lvqi_desktop.services.tier_facts import revenues_by_firm
from lvqi_desktop.services.tier_facts import title_held
from lvqi_desktop.storage.repositories.enterprises import EnterpriseFilter
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.above_scale import readiness
from lvqi_desktop.validation.tier_rules import MET

EXPIRY_MONTHS = 6
FOLLOW_UP_DAYS = 90


def annual_due(pool: PoolDef, today: date) -> date | None:
    """This year's annual information update deadline of a pool (None if it has none)."""
    if not pool.annual_update_due:
        return None
    month, day = (int(x) for x in pool.annual_update_due.split("-"))
    return date(today.year, month, day)


class ReminderService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today

    def reminders(self, today: date | None = None, county_code: str | None = None) -> list[ReminderRow]:
        """Everything due, most urgent first; `today` may be given (tests, 'as of' views); `county_code` is the
        city edition's choice of one county (a county edition always sees its own)."""
        today = today or self._today()
        county = self._office_county() or county_code or ""
        rows: list[ReminderRow] = []
        with self._db.unit_of_work() as uow:
            catalog = uow.pools.catalog()
            records = uow.pools.reminder_rows(county)
            data = uow.tier_data
            lines = lines_from(data.lines())
            firms = data.enterprises(county_code=county)
            revenues = revenues_by_firm(data.revenue_figures(today.year - 2))
            incomplete = uow.enterprises.list_rows(EnterpriseFilter(county_code=county, incomplete=True))
        for r in records:
            pool = catalog.pools[r.pool]
            rows += [replace(x, county_code=r.county_code) for x in self._record_reminders(pool, r, today)]
        for f in firms:
            if f.above_scale or f.business_status != "active":
                continue
            result = readiness(lines, f.industry_section, f.industry_class or "", revenues.get(f.id, {}))
            if result.state == MET:
                rows.append(ReminderRow("above_line_not_entered", f.id, f.name, None, None, None,
                                        result.message + "，尚未标记为规上（入统）", f.county_code))
        rows += [ReminderRow("incomplete", f.id, f.name, None, None, None,
                             "；".join(parse_marks(f.incomplete).values()), f.county_code) for f in incomplete]
        rows.sort(key=lambda x: (x.due_on or date.max, x.kind, x.name))
        return rows

    @staticmethod
    def _record_reminders(pool: PoolDef, r: AnyRow, today: date) -> list[ReminderRow]:
        out = []
        name, rid, eid = r.name, r.id, r.enterprise_id
        status = pool.statuses.get(r.status)
        tier = pool.tier_label(r.tier)
        if status is not None and status.holds_title and r.valid_until is not None:
            until = r.valid_until
            if until <= _months_later(today, EXPIRY_MONTHS):
                days = (until - today).days
                text = (f"{tier}称号已于 {until.isoformat()} 到期，请更新状态" if days < 0
                        else f"{tier}称号将于 {until.isoformat()} 到期（{days}天后），请提醒企业准备复核")
                out.append(ReminderRow("title_expiring", eid, name, rid, until, days, text))
        due = annual_due(pool, today)
        if due is not None and status is not None and title_held(pool, r.status, r.valid_until, today):
            updated = r.info_updated_on
            opens = due - timedelta(days=pool.annual_update_remind_days)
            if today >= opens and (updated is None or updated < date(today.year, 1, 1)):
                days = (due - today).days
                text = (f"{today.year}年度信息更新截止 {due.isoformat()}" + ("，已逾期" if days < 0 else f"，还有{days}天"))
                out.append(ReminderRow("annual_update", eid, name, rid, due, days, text))
        if status is not None and not status.terminal:
            last = r.last_follow_up_on or r.entered_on
            if last is not None and (today - last).days > FOLLOW_UP_DAYS:
                since = "入库" if r.last_follow_up_on is None else "上次跟进"
                out.append(ReminderRow("no_follow_up", eid, name, rid, last + timedelta(days=FOLLOW_UP_DAYS),
                                       FOLLOW_UP_DAYS - (today - last).days,
                                       f"{pool.name}：自{since}（{last.isoformat()}）起已{(today - last).days}天未跟进"))
        return out


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)
