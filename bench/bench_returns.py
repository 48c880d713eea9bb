"""Bench: a 5,000-row ledger to xlsx (< 3 s) and PDF (< 6 s), and the whole catalogue for one county-quarter (< 10 s).

Two data folders. "city": city-sized data in one office (the worst case): 65,000 enterprises
(services.demo), 5,000 专精特新 records plus 1,500 小升规, 300 股改 and 200 上市挂牌后备 records written in
bulk, 5,000 assignments, 60,000 visits and 20,000 demands (services.demo.activity). "county": the
largest county's share of that (孝义市, 16/96 of the demo weights): 10,800 enterprises, 1,167 pool
records, 830 assignments, 10,000 visits, 3,300 demands. The ledgers are timed on "city", the whole
catalogue (every return that takes a quarter, xlsx + PDF) on both.
Run: /work/venv/bin/python bench/bench_returns.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import date
from datetime import timedelta
from pathlib import Path

from bench_office import open_bench_services
from sqlalchemy import insert
from sqlalchemy import select

from lvqi_desktop import clock
from lvqi_desktop.exporters.pdf_fonts import resolve_cjk_font
from lvqi_desktop.exporters.return_pdf import write_return_pdf
from lvqi_desktop.exporters.return_xlsx import write_returns_xlsx
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.services.returns.catalogue import CATALOGUE
from lvqi_desktop.validation.period import quarter_of

LIMITS = {"5,000-row ledger → xlsx": 3.0, "5,000-row ledger → PDF": 6.0, "whole catalogue, one quarter": 10.0}
SRDI = [("innovative_sme", "cultivating"), ("innovative_sme", "valid"), ("srdi_provincial", "applied"),
        ("srdi_provincial", "valid"), ("little_giant_provincial", "cultivating"), ("little_giant_national", "valid")]
NOTES = ["", "", "企业正在申报省级专精特新，需补充知识产权材料。", "2025年营业收入增长18%，研发投入占比4.2%。"]


def _record(rng: random.Random, today: date, eid: int, pool: str, n: int) -> dict[str, object]:
    entered = today - timedelta(days=rng.randrange(1, 900))
    row: dict[str, object] = dict(
        uuid=str(uuid.uuid4()), enterprise_id=eid, pool=pool, status_reason="", document_no="", override_reason="",
        responsible_person=rng.choice(["王建国", "李红梅", "张志强"]), notes=rng.choice(NOTES), entered_on=entered,
        tier=None, rule_set=None, recognized_on=None, valid_until=None, last_follow_up_on=entered + timedelta(days=20))
    if pool == "srdi":
        tier, status = SRDI[n % len(SRDI)]
        recognized = today - timedelta(days=rng.randrange(1, 700)) if status == "valid" else None
        row.update(tier=tier, status=status, rule_set="2022", recognized_on=recognized,
                   valid_until=recognized.replace(year=recognized.year + 3) if recognized else None,
                   document_no=f"晋工信中小字〔{recognized.year}〕{n % 90 + 1}号" if recognized else "")
    elif pool == "scale_up":
        row.update(status=rng.choice(["survey", "cultivating", "qualified"]), target_year=today.year + 1)
    elif pool == "share_reform":
        status = rng.choice(["planned", "started", "completed"])
        row.update(status=status, completed_on=today - timedelta(days=rng.randrange(1, 200)) if status == "completed"
                   else None, subsidy_fen=rng.choice([None, 500_000_00]))
    else:
        row.update(tier=rng.choice(["basic", "neeq_reserve", "ipo_reserve"]), status="admitted",
                   listing_venue=rng.choice(["none", "equity_center", "neeq_basic"]))
    return row


def seed_pools(services: Services, counts: dict[str, int], seed: int = 1, target_scope: str | None = "141102") -> None:
    """Pool records and their entry events, inserted in bulk (the bench's own shortcut); targets for `target_scope`."""
    rng = random.Random(seed)
    today = clock.today()
    with services.db.unit_of_work() as uow:
        ids = list(uow.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
        records = []
        for pool, count in counts.items():
            records += [_record(rng, today, eid, pool, n) for n, eid in enumerate(rng.sample(ids, count))]
        keys = {k for r in records for k in r}
        uow.session.execute(insert(CultivationRecord.__table__), [{k: r.get(k) for k in keys} for r in records])
        rids = list(uow.session.scalars(select(CultivationRecord.id).where(
            ~CultivationRecord.id.in_(select(CultivationEvent.record_id)))))
        uow.session.execute(insert(CultivationEvent.__table__), [
            dict(uuid=str(uuid.uuid4()), record_id=rid, kind="enter", happened_at=today, operator="压测员",
                 detail="", note="") for rid in rids])
        uow.commit()
    if target_scope is None:
        return
    targets = services.cultivation.targets
    for metric, value in (("tier:innovative_sme", 2500), ("tier:srdi_provincial", 900),
                          ("tier:little_giant_provincial", 200), ("tier:little_giant_national", 30),
                          ("scale_up_entered", 60), ("share_reform_completed", 40), ("enterprises_served", 6000)):
        targets.save_target(target_scope, metric, today.year, str(value))


SCENARIOS = {
    "city": (65000, {"srdi": 5000, "scale_up": 1500, "share_reform": 300, "listing_reserve": 200}, (5000, 60000, 20000)),
    "county": (10800, {"srdi": 833, "scale_up": 250, "share_reform": 50, "listing_reserve": 34}, (830, 10000, 3300)),
}


def seed(services: Services, scenario: str) -> None:
    enterprises, pools, (assignments, visits, demands) = SCENARIOS[scenario]
    start = time.perf_counter()
    services.demo.generate(enterprises, seed=1)
    generate_activity(services.db, services.office_code, helpers=max(40, assignments // 12), assignments=assignments,
                      visits=visits, demands=demands, seed=1)
    seed_pools(services, pools)
    print(f"set-up ({scenario}): {enterprises:,} enterprises, {sum(pools.values()):,} pool records, "
          f"{assignments:,} assignments, {visits:,} visits, {demands:,} demands in {time.perf_counter() - start:.1f} s")


def _timed(label: str, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    limit = LIMITS.get(label)
    verdict = "" if limit is None else ("  OK" if took < limit else f"  SLOW (limit {limit:.0f} s)")
    print(f"{label:34s} {took:6.2f} s{verdict}")
    return took, result


def _services_for(root: Path, scenario: str) -> Services:
    fresh = not (root / scenario).exists()
    services = open_bench_services(root / scenario)
    if fresh:
        seed(services, scenario)
    return services


def _catalogue(label: str, services: Services, out: Path) -> bool:
    quarter = quarter_of(clock.today())
    ids = [e.return_id for e in CATALOGUE if e.definition.accepts("quarter")]
    docs = services.returns.build(ids, quarter)
    rows = sum(len(d.lines) for d in docs)
    out.mkdir(exist_ok=True)
    took, result = _timed(label, lambda: services.returns.export(ids, quarter, ["xlsx", "pdf"], out))
    print(f"  {len(docs)} returns, {rows:,} lines, {len(result.paths)} files")  # type: ignore[attr-defined]
    return took >= LIMITS["whole catalogue, one quarter"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="keep the data folders and outputs here (re-uses data already there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        city = _services_for(root, "city")
        out = root / "out"
        out.mkdir(exist_ok=True)
        resolve_cjk_font()
        _took, docs = _timed("build 专精特新台账", lambda: city.returns.build(["srdi_ledger"], quarter_of(clock.today())))
        ledger = docs[0]  # type: ignore[index]
        print(f"  ledger lines: {len(ledger.lines):,}")
        took, _ = _timed("5,000-row ledger → xlsx", lambda: write_returns_xlsx([ledger], out / "ledger.xlsx"))
        slow = took >= LIMITS["5,000-row ledger → xlsx"]
        took, _ = _timed("5,000-row ledger → PDF",
                         lambda: write_return_pdf(ledger, out / "ledger.pdf", resolve_cjk_font()))
        slow |= took >= LIMITS["5,000-row ledger → PDF"]
        _catalogue("whole catalogue (city-sized office)", city, out / "city")
        city.db.dispose()
        county = _services_for(root, "county")
        slow |= _catalogue("whole catalogue, one quarter", county, out / "county")
        county.db.dispose()
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
