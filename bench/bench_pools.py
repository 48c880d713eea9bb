"""Bench: 检查全部 over a county-sized register (< 3 s) and a 5,000-record pool page (< 0.5 s).

65,000 enterprises with three years of figures (services.demo), then 5,000 SRDI records and 2,000 小升规
records with rule inputs, written in bulk. Run: /work/venv/bin/python bench/bench_pools.py [--repeat 3]
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import timedelta

from bench_office import best_of
from bench_office import demo_office
from bench_office import int_options
from sqlalchemy import insert
from sqlalchemy import select

from lvqi_desktop import clock
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.tier_rules import TierInput
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pools import RecordFilter

LIMITS = {"check_all (检查全部)": 3.0, "list 5,000-record pool": 0.5, "gap report (one record)": None,
          "reminders": None, "target progress": None}
SRDI_STATES = [("innovative_sme", "cultivating"), ("innovative_sme", "valid"), ("srdi_provincial", "cultivating"),
               ("srdi_provincial", "applied"), ("srdi_provincial", "valid"), ("little_giant_national", "cultivating")]


def _records(services: Services, srdi: int, scale_up: int, seed: int = 1) -> None:
    """Pool records, their entry events and rule inputs, inserted in bulk (the bench's own shortcut)."""
    rng = random.Random(seed)
    today = clock.today()
    with services.db.unit_of_work() as uow:
        ids = list(uow.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
        chosen = rng.sample(ids, srdi + scale_up)
        records, inputs = [], []
        for n, eid in enumerate(chosen):
            common = dict(uuid=str(uuid.uuid4()), enterprise_id=eid, status_reason="", document_no="",
                          override_reason="", responsible_person="", notes="",
                          entered_on=today - timedelta(days=rng.randrange(30, 900)))
            if n < srdi:
                tier, status = rng.choice(SRDI_STATES)
                recognized = today - timedelta(days=rng.randrange(100, 900)) if status == "valid" else None
                records.append(dict(common, pool="srdi", tier=tier, status=status, rule_set=rng.choice(["2022", "2026"]),
                                    recognized_on=recognized, document_no="晋工信〔2025〕1号" if recognized else "",
                                    valid_until=recognized.replace(year=recognized.year + 3) if recognized else None,
                                    prerequisite_valid_until=today + timedelta(days=400)
                                    if tier == "little_giant_national" else None))
                inputs.append(dict(uuid=str(uuid.uuid4()), enterprise_id=eid, year=today.year - 1,
                                   niche_years=rng.randrange(0, 12), new_equity_fen=0,
                                   ip_class1_high_value=rng.randrange(0, 2), ip_class1_own=rng.randrange(0, 5),
                                   rd_institution_level=rng.choice(["none", "city", "provincial"]),
                                   national_award_rank=0, provincial_award_rank=0, maker_china_rank=0,
                                   market_share_bp=rng.randrange(0, 2000), market_rank=rng.randrange(0, 20),
                                   market_leading=rng.random() < 0.5, digital_level=rng.randrange(1, 5),
                                   quality_cert=rng.random() < 0.5, own_brand=rng.random() < 0.5,
                                   strategic_emerging=rng.random() < 0.5, product_field="other",
                                   key_chain_link=rng.random() < 0.3, info_system=True, no_veto=True,
                                   platform_score=rng.randrange(30, 90)))
            else:
                records.append(dict(common, pool="scale_up", tier=None, status=rng.choice(["survey", "cultivating"]),
                                    rule_set=None, recognized_on=None, valid_until=None,
                                    prerequisite_valid_until=None))
        uow.session.execute(insert(CultivationRecord.__table__), records)
        rids = list(uow.session.scalars(select(CultivationRecord.id)))
        uow.session.execute(insert(CultivationEvent.__table__), [
            dict(uuid=str(uuid.uuid4()), record_id=rid, kind="enter", happened_at=today, operator="压测员",
                 detail="", note="") for rid in rids])
        uow.session.execute(insert(TierInput.__table__), inputs)
        uow.commit()


def main() -> int:
    args = int_options(enterprises=65000, srdi=5000, scale_up=2000, repeat=3)
    with demo_office(args.enterprises) as services:
        start = time.perf_counter()
        _records(services, args.srdi, args.scale_up)
        print(f"set-up: {args.srdi} SRDI + {args.scale_up} 小升规 records in {time.perf_counter() - start:.1f} s")
        c = services.cultivation
        first = c.pools.list_records(RecordFilter(pool="srdi"))[0].id
        cases = {
            "check_all (检查全部)": lambda: c.checks.check_all(),
            "list 5,000-record pool": lambda: c.pools.list_records(RecordFilter(pool="srdi")),
            "gap report (one record)": lambda: c.checks.gap_report(first),
            "reminders": lambda: c.reminders.reminders(),
            "target progress": lambda: c.targets.progress(),
        }
        failed = False
        for name, fn in cases.items():
            seconds, result = best_of(fn, args.repeat)
            limit = LIMITS[name]
            verdict = "" if limit is None else ("ok" if seconds < limit else "TOO SLOW")
            failed |= verdict == "TOO SLOW"
            size = len(result) if isinstance(result, list) else "-"  # type: ignore[arg-type]
            print(f"{name:28s} {seconds:7.3f} s  rows={size!s:>6}  "
                  + (f"limit {limit:.1f} s {verdict}" if limit else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
