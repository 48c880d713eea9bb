"""Issue 9 speed figures: 5,000 monitored firms × 24 months of reports.

Run: python bench/bench_monitoring.py [--firms N] [--months M]
Targets: a month's grid (service) < 1 s; the summary return and completeness for a month < 1 s.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_office import int_options

from lvqi_desktop import __version__
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.models.monitoring import MonitoredFirm
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.services.monitoring_stats import month_summary
from lvqi_desktop.services.returns.service import ReturnService
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database

TODAY = date(2026, 11, 26)
LAST = "2026-10"


def values(rng: random.Random, month: int, base: int) -> dict[str, object]:
    revenue = base + rng.randint(-base // 10, base // 10)
    return {"revenue": revenue, "revenue_ytd": base * month, "cost_ytd": base * month * 8 // 10,
            "profit_ytd": base * month // 10, "tax_ytd": base * month // 50, "employees": rng.randint(5, 300),
            "electricity": rng.randint(1000, 90000), "receivables": revenue * 2, "finished_goods": revenue,
            "domestic_orders": rng.choice(["增加", "持平", "减少"]), "operation_status": rng.choice(["好", "一般", "差"]),
            "working_capital": rng.choice(["紧张", "正常", "宽裕"]), "labour": rng.choice(["短缺", "平衡", "富余"]),
            "difficulties": rng.sample(["订单不足", "招工难", "融资难融资贵", "其他"], 2)}


def seed_reports(services, firms: int, months: int, last: str, corrections: bool = True) -> tuple[int, int]:
    """The first `firms` enterprises monitored, with `months` months of reports up to `last` (about 3 % missing;
    `corrections`: some corrected once); (firms, reports) written."""
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
                    continue  # some missing months
                nxt = shift_month(code, 1)
                rows.append({"uuid": new_uuid(), "enterprise_id": eid, "period": code, "form_version": "2026.1",
                             "values": json.dumps(values(rng, int(code[5:]), base), ensure_ascii=False),
                             "received_on": date(int(nxt[:4]), int(nxt[5:]), rng.choice([3, 8, 10, 14])),
                             "corrections": rng.choice([0, 0, 0, 1]) if corrections else 0, "confirmed": False,
                             "warnings": ""})
        uow.session.execute(insert(MonitoringReport), rows)
        uow.commit()
    return len(ids), len(rows)


def seed(services, firms: int, months: int) -> None:
    t = time.perf_counter()
    services.demo.generate(firms, seed=3)
    print(f"seed: {firms:,} enterprises (demo) in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    monitored, reports = seed_reports(services, firms, months, LAST)
    print(f"seed: {monitored:,} monitored firms, {reports:,} reports in {time.perf_counter() - t:.1f} s")


def timed(label: str, fn, target: float | None = None) -> object:
    best, result = None, None
    for _ in range(3):
        t = time.perf_counter()
        result = fn()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    verdict = "" if target is None else ("  OK" if best < target else f"  SLOW (target {target} s)")
    print(f"{label:<46} {best * 1000:8.0f} ms{verdict}")
    return result


def main() -> int:
    args = int_options(firms=5000, months=24)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = DataDir(Path(tmp) / "data")
        services = build_services(data_dir, Database(open_database(data_dir, __version__), operator="基准"))
        services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "基准")
        services.forget_office()
        seed(services, args.firms, args.months)
        mon = MonitoringService(services.db, services.office_county, lambda: TODAY)
        rows = timed(f"month grid {LAST} ({args.firms:,} firms)", lambda: mon.month_grid(LAST), 1.0)
        done = timed("completeness for the month", lambda: mon.completeness(LAST), 1.0)
        timed("summary figures for the month", lambda: month_summary(mon, LAST), 1.0)
        returns = ReturnService(services.returns._sources, services.office_info, today=lambda: TODAY)
        timed("运行监测月报汇总表 built (return)", lambda: returns.build(["monitoring_summary"], LAST), 1.0)
        timed("summary return + completeness together",
              lambda: (returns.build(["monitoring_summary"], LAST), mon.completeness(LAST)), 1.0)
        timed("报送及时率统计表 for the year 2026", lambda: returns.build(["monitoring_timeliness"], "2026"))
        timed("statistician assessment 2026 (no statisticians)", lambda: mon.assessment(2026))
        drafts = [ReportDraft(r.enterprise_id, LAST, {**r.values, "remarks": "核对"}) for r in rows[:500]]
        t = time.perf_counter()
        mon.save_reports(LAST, drafts, confirmed=True)
        print(f"{'bulk save of 500 corrected grid rows':<46} {(time.perf_counter() - t) * 1000:8.0f} ms")
        print(f"grid rows {len(rows):,}; expected {done.expected:,}, received {done.received:,}, "
              f"on time {done.on_time:,}")
        services.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
