"""Synthetic pool records with dated timelines (entry, status and tier changes, moves out), for demo data and tests."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.demo.activity import Maker
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork

RULES_2026 = date(2026, 4, 1)  # tier_rules_2026.json applies_from
_REASONS = ("经营困难，企业申请退出", "不再符合入库条件", "企业迁出本县")
_PEOPLE = ("王建国", "李红梅", "张志强")


@dataclass
class _Record:
    """One record being walked through its pool's transitions: its row and its timeline."""

    row: dict[str, object]
    events: list[dict[str, object]]


def _event(m: Maker, rec: _Record, kind: str, on: date, to_tier: object, to_status: object) -> None:
    row = rec.row
    rec.events.append(m.row("cultivation_event", record_id=row["id"], kind=kind,
                            happened_at=datetime.combine(on, time(10)), effective_on=on, operator="演示数据",
                            from_tier=row["tier"], to_tier=to_tier, from_status=row["status"], to_status=to_status,
                            detail="", note=""))
    row["tier"], row["status"] = to_tier, to_status


def _step(m: Maker, pool: PoolDef, rec: _Record, on: date, months: dict[int, str]) -> None:
    """One change on `on`: usually a status move the pool allows, sometimes a tier change or a move out."""
    row, rng = rec.row, m.rng
    if rng.random() < 0.05:
        _event(m, rec, "archive", on, row["tier"], row["status"])
        row["archived_at"], row["archive_reason"] = datetime.combine(on, time(10)), "演示：移出培育库"
        return
    if pool.tiers and rng.random() < 0.15:
        _event(m, rec, "tier", on, rng.choice([t.code for t in pool.ladder()]), pool.initial_status)
        row["status_on"], row["recognized_on"], row["valid_until"], row["document_no"] = on, None, None, ""
        return
    choices = pool.next_statuses(str(row["status"]))
    if not choices:
        return
    status = pool.statuses[rng.choice(choices)]
    _event(m, rec, "status", on, row["tier"], status.code)
    row["status_on"] = on
    if status.needs_recognition:
        row.update(recognized_on=on, valid_until=on + timedelta(days=3 * 365),
                   document_no=f"晋工信中小字〔{on.year}〕{rng.randint(1, 90)}号")
    if status.needs_reason:
        row["status_reason"] = rng.choice(_REASONS)
    if status.needs_month:
        months[int(row["enterprise_id"])] = f"{on.year:04d}-{on.month:02d}"  # type: ignore[call-overload]
    if status.needs_completion:
        row["completed_on"] = on
    if pool.code == "listing_reserve" and status.code == "admitted" and rng.random() < 0.2:
        row.update(listing_venue="equity_center", listed_on=on)


def _walk(m: Maker, pool: PoolDef, enterprise_id: int, months: dict[int, str]) -> _Record:
    rng = m.rng
    entered = m.today - timedelta(days=rng.randint(1, 900))
    tier = rng.choice([t.code for t in pool.ladder()]) if pool.tiers else None
    row = m.row("cultivation_record", enterprise_id=enterprise_id, pool=pool.code, tier=None, status=None,
                status_reason="", rule_set=("2026" if entered >= RULES_2026 else "2022") if pool.code == "srdi" else None,
                entered_on=entered, status_on=entered, recognized_on=None, valid_until=None, document_no="",
                prerequisite_valid_until=None, override_reason="", info_updated_on=None, completed_on=None,
                county_review_on=None, city_review_on=None, subsidy_fen=None, listing_venue=None, listed_on=None,
                target_tier=None, target_year=m.today.year + 1, responsible_person=rng.choice(_PEOPLE), notes="",
                last_follow_up_on=None)
    rec = _Record(row, [])
    _event(m, rec, "enter", entered, tier, pool.initial_status)
    day = entered
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        day += timedelta(days=rng.randint(5, 200))
        if day > m.today or row["archived_at"] is not None:
            break
        _step(m, pool, rec, day, months)
    return rec


def pools_scaled_to(enterprises: int) -> dict[str, int]:
    """How many pool records `demo --activity` adds per pool for a register of this many enterprises."""
    n = enterprises
    return {"srdi": max(3, n // 13), "scale_up": max(3, n // 40), "share_reform": max(2, n // 200),
            "listing_reserve": max(2, n // 300)}


def generate_pools(db: Database, per_pool: dict[str, int], *, seed: int = 1, today: date | None = None) -> int:
    """Put `per_pool[pool]` random register enterprises into each pool, each with a dated timeline; one transaction.
    Returns how many records were made."""
    with db.unit_of_work() as uow:
        made = add_pools(uow, per_pool, seed=seed, today=today or clock.today())
        uow.commit()
        return made


def add_pools(uow: UnitOfWork, per_pool: dict[str, int], *, seed: int, today: date) -> int:
    """The rows of `generate_pools` inside the caller's transaction (which commits them, or not)."""
    enterprise_ids = uow.enterprises.current_ids()
    if not enterprise_ids:
        raise LvqiError("企业库为空，请先生成或登记企业")
    catalog = uow.pools.catalog()
    m = Maker(random.Random(seed), today, uow.demo_rows.next_ids())
    records: list[_Record] = []
    months: dict[int, str] = {}
    taken = uow.demo_rows.pool_members()  # a firm has one record per pool
    for code, count in per_pool.items():
        free = [eid for eid in enterprise_ids if (eid, code) not in taken]
        firms = m.rng.sample(free, min(count, len(free)))
        records += [_walk(m, catalog.pools[code], eid, months) for eid in firms]
    uow.demo_rows.insert_rows("cultivation_record", [r.row for r in records])
    uow.demo_rows.insert_rows("cultivation_event", [e for r in records for e in r.events])
    uow.demo_rows.mark_above_scale(months)
    uow.demo_rows.record_batch(f"生成演示培育库记录（随机种子 {seed}）", "cultivation_record",
                               {"records": len(records)})
    return len(records)
