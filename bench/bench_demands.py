"""Bench: coverage matrix (< 1 s), demand board (< 1 s) and a quarter's KPIs (< 0.5 s) on a county-sized ledger.

65,000 enterprises (services.demo), then 5,000 assignments, 60,000 visits and 20,000 demands
(services.demo.activity). Run: /work/venv/bin/python bench/bench_demands.py [--enterprises 65000] [--repeat 3]
"""

from __future__ import annotations

import time

from bench_office import best_of
from bench_office import demo_office
from bench_office import int_options

from lvqi_desktop import clock
from lvqi_desktop.services.demands import DemandFilter
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.validation.period import quarter_of

LIMITS = {"coverage matrix": 1.0, "demand board": 1.0, "demand list (all)": None, "demand list (overdue)": None,
          "KPI, quarter": 0.5}


def main() -> int:
    args = int_options(enterprises=65000, repeat=3)
    with demo_office(args.enterprises) as services:
        start = time.perf_counter()
        counts = generate_activity(services.db, services.office_code, assignments=5000, visits=60000,
                                   demands=20000, seed=1)
        print(f"set-up: {counts} in {time.perf_counter() - start:.1f} s")
        quarter = quarter_of(clock.today()).code
        cases = {
            "coverage matrix": lambda: services.helpers.coverage(),
            "demand board": lambda: services.demands.board(),
            "demand list (all)": lambda: services.demands.list_demands(),
            "demand list (overdue)": lambda: services.demands.list_demands(DemandFilter(overdue=True)),
            "KPI, quarter": lambda: services.kpi.kpis(quarter),
        }
        failed = False
        for label, fn in cases.items():
            took, result = best_of(fn, args.repeat)
            limit = LIMITS[label]
            size = f"{len(result)} rows" if isinstance(result, list) else ""
            verdict = "" if limit is None else ("OK" if took < limit else f"TOO SLOW (limit {limit} s)")
            failed |= limit is not None and took >= limit
            print(f"{label}: {took * 1000:.0f} ms {size} {verdict}".rstrip())
        k = services.kpi.kpis(quarter)
        print(f"KPI {k.period_code}: served {k.enterprises_served}, received {k.received}, closed {k.closed}, "
              f"on time {k.closed_on_time}, satisfied {k.satisfied}/{k.followed_up}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
