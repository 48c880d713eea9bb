"""Bench: the city edition's whole catalogue by county (each return built for 13 counties plus the city total).

Data: a city-center office with city-sized data spread over the 13 counties by the demo's weights (65,000
enterprises, 7,000 pool records, 5,000 assignments, 60,000 visits, 20,000 demands; bench_returns' "city" scenario).
Prints the build time and the export time (xlsx + PDF) of every return that takes a quarter; no pass/fail limit
(the issue sets none), compare with bench_returns' "whole catalogue (city-sized office)", the same data as one table.
Run: /work/venv/bin/python bench/bench_city_returns.py [--keep DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_office import open_bench_services
from bench_returns import seed

from lvqi_desktop import clock
from lvqi_desktop.exporters.pdf_fonts import resolve_cjk_font
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.returns.catalogue import CATALOGUE
from lvqi_desktop.validation.period import quarter_of


def _city(root: Path) -> Services:
    """The city-center office, seeded on first use."""
    if root.exists():
        return open_bench_services(root)
    root.mkdir(parents=True)
    services = open_bench_services(root, city=True)
    seed(services, "city")
    return services


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="keep the data folder and outputs here (re-uses data already there)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        city = _city(root / "city-edition")
        resolve_cjk_font()
        quarter = quarter_of(clock.today())
        ids = [e.return_id for e in CATALOGUE if e.definition.accepts("quarter")]
        for n in range(args.repeat):
            start = time.perf_counter()
            docs = city.returns.build(ids, quarter)
            built = time.perf_counter() - start
            out = root / f"out-city-{n}"
            out.mkdir(exist_ok=True)
            start = time.perf_counter()
            result = city.returns.export(ids, quarter, ["xlsx", "pdf"], out)
            took = time.perf_counter() - start
            print(f"run {n + 1}: build by county {built:6.2f} s; export xlsx + PDF {took:6.2f} s; "
                  f"{len(docs)} returns, {sum(len(d.lines) for d in docs):,} lines, {len(result.paths)} files")
        city.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
