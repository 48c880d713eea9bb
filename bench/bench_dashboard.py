"""Issue 10 speed figure: DashboardService.figures on a city-scale database (65,000 firms).

Run: python bench/bench_dashboard.py [--data-dir /tmp/lvqi-bench-65k] [--repeat 3] [--no-seed]
The database is copied to a temporary folder first, so the original is never opened for writing. Unless
--no-seed, the copy gets the city scenario's activity as the other benches make it: 5,000 assignments, 60,000
visits and 20,000 demands (services.activity_demo), 7,000 pool records with targets (bench_returns.seed_pools),
and 5,000 monitored firms × 24 months of reports (as bench_monitoring seeds them).
Target: within 1 s. The widget shows core() first, then complete() adds visits per month and monitoring;
both run off the GUI thread, so typing never waits.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from lvqi_desktop import __version__  # noqa: E402
from lvqi_desktop.models import Enterprise  # noqa: E402
from lvqi_desktop.models.base import new_uuid  # noqa: E402
from lvqi_desktop.models.monitoring import MonitoredFirm, MonitoringReport  # noqa: E402
from lvqi_desktop.paths import DataDir  # noqa: E402
from lvqi_desktop.services.activity_demo import generate_activity  # noqa: E402
from lvqi_desktop.services.bundle import Services, build_services  # noqa: E402
from lvqi_desktop.services.monitoring_rows import shift_month  # noqa: E402
from lvqi_desktop.storage.opening import open_database  # noqa: E402
from lvqi_desktop.storage.unit_of_work import Database  # noqa: E402


def seed_monitoring(services: Services, firms: int, months: int, last: str) -> int:
    from bench_monitoring import values  # the same report values as the monitoring bench

    rng = random.Random(9)
    codes = [shift_month(last, -k) for k in range(months)]
    with services.db.unit_of_work() as uow:
        ids = uow.session.scalars(select(Enterprise.id).order_by(Enterprise.id)).all()[:firms]
        uow.session.execute(insert(MonitoredFirm), [
            {"uuid": new_uuid(), "enterprise_id": eid, "monitored_from": date(2024, 1, 1), "note": ""} for eid in ids])
        rows = []
        for eid in ids:
            base = rng.randint(10_000_000, 5_000_000_000)
            for code in codes:
                if rng.random() < 0.03:
                    continue
                nxt = shift_month(code, 1)
                rows.append({"uuid": new_uuid(), "enterprise_id": eid, "period": code, "form_version": "2026.1",
                             "values": json.dumps(values(rng, int(code[5:]), base), ensure_ascii=False),
                             "received_on": date(int(nxt[:4]), int(nxt[5:]), rng.choice([3, 8, 10, 14])),
                             "corrections": 0, "confirmed": False, "warnings": ""})
        uow.session.execute(insert(MonitoringReport), rows)
        uow.commit()
    return len(rows)


def seed(services: Services, today: date) -> None:
    from bench_returns import seed_pools

    started = time.perf_counter()
    counts = generate_activity(services.db, services.office_code, helpers=400, assignments=5000, visits=60000,
                               demands=20000, seed=1)
    seed_pools(services, {"srdi": 5000, "scale_up": 1500, "share_reform": 300, "listing_reserve": 200})
    last = shift_month(f"{today.year:04d}-{today.month:02d}", -1)
    reports = seed_monitoring(services, 5000, 24, last)
    print(f"seeded {counts}, 7,000 pool records, {reports:,} monitoring reports in "
          f"{time.perf_counter() - started:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/lvqi-bench-65k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--today", default="")
    parser.add_argument("--no-seed", action="store_true", help="time the copied database as it is")
    args = parser.parse_args()
    source = Path(args.data_dir)
    if not (source / "lvqi.sqlite3").exists():
        print(f"no database in {source}; skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        target.mkdir()
        shutil.copy2(source / "lvqi.sqlite3", target / "lvqi.sqlite3")
        services = build_services(DataDir(target), Database(open_database(DataDir(target), __version__)))
        try:
            today = date.fromisoformat(args.today) if args.today else date.today()
            print(f"office: {services.office_info()}")
            current, archived = services.enterprises.counts()
            print(f"enterprises: {current:,} current, {archived:,} archived")
            if not args.no_seed:
                seed(services, today)
            for n in range(args.repeat):
                started = time.perf_counter()
                core = services.dashboard.core(today.year, today)
                took_core = time.perf_counter() - started
                f = services.dashboard.complete(core, today)
                took = time.perf_counter() - started
                print(f"run {n + 1}: core (shown first) {took_core:.3f} s; all figures {took:.3f} s"
                      f"{'' if took_core < 1 else '  (core over the 1 s target)'}")
            print(f"empty={f.empty} targets={len(f.targets)} pools="
                  f"{[(p.name, p.in_pool, p.entered, p.recognized, p.left) for p in f.pools]}")
            print(f"demands={sum(d.total for d in f.demands):,} overdue={f.overdue:,} visits={f.visits:,} "
                  f"served={f.enterprises_served:,}/{f.served_target} bases={sum(b.count for b in f.bases)}")
            m = f.monitoring
            print("monitoring:", None if m is None else (m.period, m.expected, m.received, m.on_time,
                                                        [(v.period, v.value) for v in m.revenue_trend]))
        finally:
            services.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
