"""Issue 22 speed figures: the city edition on PostgreSQL beside the same work on a SQLite file.

One county package (--package-firms, 8,000 in the issue) is imported into a city database that already holds
--background firms with activity (the issue's province: 1,000,000 firms, ~920,000 visits, ~310,000 demands, ~110,000
pool records); then the start page's figures and 各县对比, the 梯度培育企业汇总表 by county, and a register search
keystroke are timed. Targets (province on PostgreSQL): import ≤ 5 s; 首页 and 各县对比 ≤ 2 s; the pool summary by
county ≤ 5 s; keystroke ≤ 100 ms; the same on SQLite for the 13-county city (--sqlite-background 65000) beside them.
Run: python bench/bench_city_server.py [--background N] [--sqlite-background N] [--package-firms N] [--keep DIR]
[--skip-sqlite] [--only dashboard,comparison,summary,keystroke] [--repeat N]
A PostgreSQL cluster of its own is started (tests/pg_cluster.py; Debian's postgresql package). The cities are built
through the demo generator (its bulk path, 200,000 firms a step); with --keep DIR the cluster, the packages and the
built cities stay in DIR and the next run with the same sizes only copies them (CREATE DATABASE … TEMPLATE) and
measures, e.g. the province: --background 1000000 --sqlite-background 65000 --keep /tmp/lvqi-province
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from lvqi_desktop import __version__
from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.services.demo.service import MAX_ENTERPRISES
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.period import quarter_of
from tests.exchange.keyring import city_keys
from tests.exchange.keyring import county_keys
from tests.pg_cluster import find_bin_dir
from tests.pg_cluster import start_cluster


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


def _build_city(s: Services, background: int, first_package: Path) -> None:
    """The city with its keys, the county's first package, then `background` demo firms with activity, in steps of
    the demo's largest run; prints the time of each step and per 100,000 firms."""
    s.office.set_up("city", None, "吕梁市中小企业服务中心", "压测员")
    s.forget_office()
    city_keys(s)
    _import(s, first_package, "first package, empty city")
    start = time.perf_counter()  # after the county's firms, so the demo does not reuse their USCCs
    done, step = 0, 0
    while done < background:
        n = min(MAX_ENTERPRISES, background - done)
        t0 = time.perf_counter()
        s.demo.generate(n, seed=7 + step, activity=True)
        done, step = done + n, step + 1
        print(f"  background: {done:,} of {background:,} firms ({time.perf_counter() - t0:.0f} s for {n:,})", flush=True)
    took = time.perf_counter() - start
    per = took / background * 100_000 if background else 0.0
    print(f"  background: {background:,} firms with activity in {took:.0f} s ({per:.0f} s per 100,000 firms)", flush=True)
    if s.db.engine.dialect.name == "postgresql":
        _autovacuum(s)


def _autovacuum(s: Services) -> None:
    """What the server's autovacuum does a minute after a bulk load: the planner's statistics (ANALYZE) and the
    visibility map (VACUUM), without which an index-only scan still reads the table for each recently written page."""
    with s.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))


def _counts(s: Services) -> str:
    with s.db.engine.connect() as conn:
        found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                 for t in ("enterprise", "enterprise_year", "cultivation_record", "visit", "demand")}
    return ", ".join(f"{t} {n:,}" for t, n in found.items())


FIGURES = ("dashboard", "comparison", "summary", "keystroke")  # dashboard: 首页 and 各县对比; comparison: 各县对比


def measure(name: str, data_dir: DataDir, package: Path, only: tuple[str, ...] = FIGURES, repeat: int = 3) -> None:
    """Import the county's next package into the built city, then time the start page, 各县对比, the 汇总表 and a
    keystroke `repeat` times each (the keystroke 10; or only the figures named in `only`; the import always runs,
    so the city is the same)."""
    s = open_services(data_dir)
    try:
        print(f"== {name}: {_counts(s)}", flush=True)
        _import(s, package, "next package, full city")
        if data_dir.server:
            start = time.perf_counter()
            _autovacuum(s)
            print(f"  (VACUUM (ANALYZE) after the import: {time.perf_counter() - start:.0f} s)", flush=True)
        today = clock.today()
        dash = s.dashboard
        if "dashboard" in only:
            timed("首页 figures()", lambda: dash.figures(today.year, today), repeat)
        if "dashboard" in only or "comparison" in only:
            timed("各县对比 county_comparison()", lambda: dash.county_comparison(today.year, today), repeat)
        quarter = quarter_of(today)
        if "summary" in only:
            timed("梯度培育企业汇总表 by county", lambda: s.returns.build(["pool_summary"], quarter), repeat)
        if "keystroke" in only:
            timed("register keystroke (search 'lljt')",
                  lambda: s.enterprises.matching_ids(EnterpriseFilter(search="lljt")), repeat=10)
    finally:
        s.close()


def _built(data_dir: DataDir, background: int) -> bool:
    return (data_dir.root / f"built-{background}").exists()


def _build_once(name: str, built: DataDir, background: int, first_package: Path) -> None:
    """Build the city into `built` (its folder made anew) and mark it built, so a kept folder is built once."""
    shutil.rmtree(built.root, ignore_errors=True)
    print(f"== {name}: building the city ({background:,} firms)", flush=True)
    s = open_services(built)
    try:
        _build_city(s, background, first_package)
    finally:
        s.close()
    (built.root / f"built-{background}").write_text("built by bench/bench_city_server.py\n")


def sqlite_city(root: Path, background: int, packages: tuple[Path, Path]) -> DataDir:
    """A fresh copy of the SQLite city (built once into root/city-sqlite-<N> when kept), for one measuring run."""
    built = DataDir(root / f"city-sqlite-{background}")
    if not _built(built, background):
        _build_once("SQLite file", built, background, packages[0])
    run = root / "city-sqlite-run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(built.root, run)
    return DataDir(run)


def pg_city(root: Path, admin_url: str, background: int, packages: tuple[Path, Path]) -> DataDir:
    """A fresh copy (CREATE DATABASE … TEMPLATE) of the server city built once into the database lvqi_city_<N>."""
    import psycopg

    name = f"lvqi_city_{background}"
    built = DataDir(root / f"city-pg-{background}", _with_database(admin_url, name))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not _built(built, background):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            _build_once("PostgreSQL server", built, background, packages[0])
        _clear_collisions(root, built.server or "")
        start = time.perf_counter()
        conn.execute('DROP DATABASE IF EXISTS "lvqi_run"')
        conn.execute(f'CREATE DATABASE "lvqi_run" TEMPLATE "{name}" STRATEGY FILE_COPY')  # PostgreSQL 15+: no WAL
        print(f"  (copy of the built city for this run: {time.perf_counter() - start:.0f} s)", flush=True)
    run = root / "city-pg-run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(built.root, run)
    return DataDir(run, _with_database(admin_url, "lvqi_run"))


def _clear_collisions(root: Path, url: str) -> None:
    """The city's demo background knows nothing of the county's next package (made on the county's laptop), so
    at province size some of its random USCCs are the package's; a real city holds no such firms of its own.
    Give those background firms (not the county's own, matched by uuid) another USCC before the run."""
    import sqlite3

    import psycopg

    with sqlite3.connect(root / "county" / "lvqi.sqlite3") as county:
        rows = county.execute("SELECT county_code, uscc, uuid FROM enterprise").fetchall()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        changed = conn.execute(
            "UPDATE enterprise SET uscc = '9Z' || lpad(id::text, 16, '0') WHERE county_code = ANY(%s) "
            "AND uscc = ANY(%s) AND uuid <> ALL(%s)",
            (sorted({r[0] for r in rows}), [r[1] for r in rows], [r[2] for r in rows])).rowcount
    if changed:
        print(f"  ({changed} background firms had a USCC of the county's next package: given another)", flush=True)


def _with_database(url: str, database: str) -> str:
    head, _, tail = url.partition("@/")
    return f"{head}@/{database}?{tail.partition('?')[2]}"


def kept_packages(root: Path, firms: int) -> tuple[Path, Path]:
    """The two county packages, made once into root (the built cities have enrolled this county's key)."""
    found = sorted(root.glob("usb*/*"))
    if len(found) == 2 and (root / f"packages-{firms}").exists():
        return found[0], found[1]
    for old in ("county", "usb0", "usb1"):
        shutil.rmtree(root / old, ignore_errors=True)
    made = county_packages(root, firms)
    (root / f"packages-{firms}").write_text("made by bench/bench_city_server.py\n")
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--background", type=int, default=20000,
                        help="firms already in the city database on the server (the province: 1000000)")
    parser.add_argument("--sqlite-background", type=int, default=None,
                        help="firms already in the SQLite city (the 13-county city: 65000; default: --background)")
    parser.add_argument("--package-firms", type=int, default=8000, help="firms in the imported county package")
    parser.add_argument("--keep", default="", help="a folder that keeps the built cities and the cluster between runs")
    parser.add_argument("--skip-sqlite", action="store_true", help="time only the server")
    parser.add_argument("--only", default=",".join(FIGURES),
                        help="comma-separated figures to time after the import: " + ", ".join(FIGURES))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (best and median are printed)")
    args = parser.parse_args()
    only = tuple(f.strip() for f in args.only.split(",") if f.strip())
    unknown = [f for f in only if f not in FIGURES]
    if unknown:
        parser.error(f"unknown --only figures: {', '.join(unknown)} (known: {', '.join(FIGURES)})")
    sqlite_background = args.background if args.sqlite_background is None else args.sqlite_background
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL is not installed: only SQLite is timed")
    with contextlib.ExitStack() as stack:
        root = Path(args.keep).resolve() if args.keep else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        root.mkdir(parents=True, exist_ok=True)
        cluster = None
        if bin_dir is not None:
            cluster = start_cluster(bin_dir, root / "pg" if args.keep else None)
            stack.callback(cluster.stop)
        packages = kept_packages(root, args.package_firms)
        if not args.skip_sqlite:
            measure("SQLite file", sqlite_city(root, sqlite_background, packages), packages[1], only, args.repeat)
        if cluster is not None:
            city = pg_city(root, cluster.url(), args.background, packages)
            measure("PostgreSQL server", city, packages[1], only, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
