"""Issue 22 speed figures: the city edition on PostgreSQL beside the same work on a SQLite file.

One county package (--package-firms, 8,000 in the issue) is imported into a city database that already holds
--background firms with activity (the issue's province: 1,000,000; this machine: far less, say so when quoting);
then the start page's figures and 各县对比, the 梯度培育企业汇总表 by county, and a register search keystroke are
timed on both engines. Targets (province on PostgreSQL): import ≤ 5 s; 首页 and 各县对比 ≤ 2 s; the pool summary
by county ≤ 5 s; keystroke ≤ 100 ms.
Run: python bench/bench_city_server.py [--background N] [--package-firms N] [--database postgresql://…]
Without --database a throw-away cluster is started (tests/pg_cluster.py; Debian's postgresql package).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from lvqi_desktop import __version__, clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services, build_services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.period import quarter_of
from tests.exchange.keyring import city_keys, county_keys
from tests.pg_cluster import find_bin_dir, start_cluster


def open_services(data_dir: DataDir) -> Services:
    engine = open_server_database(data_dir.server, __version__) if data_dir.server else open_database(
        data_dir, __version__)
    return build_services(data_dir, Database(engine, operator="压测员"))


def timed(label: str, run: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"  {label:<34} best {best * 1000:8.0f} ms  median {statistics.median(times) * 1000:8.0f} ms")
    return best


def county_packages(root: Path, firms: int) -> tuple[Path, Path]:
    """The county's package of `firms` firms, then its next package of the same quarter with `firms` more."""
    s = open_services(DataDir(root / "county"))
    s.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "压测员")
    s.forget_office()
    county_keys(s)
    made = []
    for n in range(2):
        s.demo.generate(firms, seed=22 + n)
        generate_activity(s.db, s.office_code, helpers=60, assignments=firms // 2, visits=firms,
                          demands=firms // 4, seed=22 + n)
        out = root / f"usb{n}"
        out.mkdir()
        made.append(s.exchange.export_package(quarter_of(clock.today()).code, out, with_returns=False).path)
    s.close()
    return made[0], made[1]


def _import(s: Services, package: Path, label: str) -> None:
    plan = s.exchange.dry_run([package])
    start = time.perf_counter()
    try:
        s.exchange.apply(plan)
    except LvqiError as exc:  # the demo's random USCCs may meet the city's background ones
        print(f"  {label}: refused ({exc})")
        return
    print(f"  {label:<34} {time.perf_counter() - start:8.2f} s  ({plan.counties[0].total.new:,} new records)")


def run_engine(name: str, data_dir: DataDir, background: int, packages: tuple[Path, Path]) -> None:
    print(f"== {name}")
    s = open_services(data_dir)
    try:
        s.office.set_up("city", None, "吕梁市中小企业服务中心", "压测员")
        s.forget_office()
        city_keys(s)
        _import(s, packages[0], "first package, empty city")
        start = time.perf_counter()  # after the county's firms, so the demo does not reuse their USCCs
        s.demo.generate(background, seed=7, activity=True)
        print(f"  background: {background:,} firms with activity in {time.perf_counter() - start:.1f} s")
        _import(s, packages[1], "next package, full city")
        if data_dir.server:  # what autovacuum does a minute later: the planner's statistics after a bulk load
            with s.db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        today = clock.today()
        dash = s.dashboard
        timed("首页 figures()", lambda: dash.figures(today.year, today))
        timed("各县对比 county_comparison()", lambda: dash.county_comparison(today.year, today))
        quarter = quarter_of(today)
        timed("梯度培育企业汇总表 by county", lambda: s.returns.build(["pool_summary"], quarter))
        timed("register keystroke (search 'lljt')", lambda: s.enterprises.matching_ids(EnterpriseFilter(search="lljt")),
              repeat=10)
    finally:
        s.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--background", type=int, default=20000, help="firms already in the city database")
    parser.add_argument("--package-firms", type=int, default=8000, help="firms in the imported county package")
    parser.add_argument("--database", default="", help="an empty PostgreSQL database (default: a throw-away cluster)")
    args = parser.parse_args()
    cluster = None
    url = args.database
    if not url:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL is not installed: only SQLite is timed")
        else:
            cluster = start_cluster(bin_dir)
            import psycopg

            with psycopg.connect(cluster.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE lvqi_bench")
            url = cluster.url("lvqi_bench")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            packages = county_packages(root, args.package_firms)
            run_engine("SQLite file", DataDir(root / "city-sqlite"), args.background, packages)
            if url:
                run_engine("PostgreSQL server", DataDir(root / "city-pg", url), args.background, packages)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
