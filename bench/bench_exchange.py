"""Issue 7 speed figures: 13 county packages of 5,000 enterprises each (with pools, assignments, visits, demands).

Run: python bench/bench_exchange.py [--work DIR] [--enterprises N]
Targets: dry run of all 13 < 10 s, import < 15 s, re-import (nothing changes) < 5 s,
one county export < 3 s plus its returns. County databases and packages are cached in --work.
Issue 18: signing, sealing and unsealing add under 10 % to export and to dry run + import (printed last).
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_returns import seed_pools
from sqlalchemy import func
from sqlalchemy import select

from lvqi_desktop import __version__
from lvqi_desktop.exchange.sealing import Cover
from lvqi_desktop.exchange.sealing import seal
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.models import County
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database


def open_services(root: Path) -> Services:
    return build_services(DataDir(root), Database(open_database(DataDir(root), __version__), operator="压测员"))


def county_codes(work: Path) -> list[tuple[str, str]]:
    s = open_services(work / "probe")
    with s.db.unit_of_work() as uow:
        codes = [(c.code, c.name) for c in uow.session.query(County).order_by(County.code)]
    s.db.dispose()
    shutil.rmtree(work / "probe")
    return codes


def make_county(root: Path, code: str, name: str, enterprises: int, seed: int) -> Services:
    s = open_services(root)
    if s.office_info() is None:
        s.office.set_up("county", code, f"吕梁市{name}中小企业服务中心", "压测员")
        s.forget_office()
        s.demo.generate(enterprises, seed=seed)
        generate_activity(s.db, s.office_code, helpers=120, assignments=enterprises, visits=3 * enterprises,
                          demands=enterprises, seed=seed)
    with s.db.unit_of_work() as uow:
        has_pools = uow.session.scalar(select(func.count()).select_from(CultivationRecord)) > 0
    if not has_pools:  # the city scenario's 7,000 pool records, spread over the 13 counties
        share = enterprises / 65000
        seed_pools(s, {pool: round(n * share) for pool, n in
                       {"srdi": 5000, "scale_up": 1500, "share_reform": 300, "listing_reserve": 200}.items()},
                   seed=seed, target_scope=None)
    return s


def enrol(at: Services, other: Services, folder: Path) -> None:
    """`at` enrols `other`'s public key as the offices do: key file, digits read aloud, confirmed."""
    keys = at.keys
    offered = keys.offer(other.keys.export_public(folder))
    if offered.status == "pending":
        keys.confirm(offered.office_code, offered.digits, "压测：重新登记")


def crypto_seconds(city: Services, packages: list[Path]) -> tuple[float, float]:
    """(seal one package again, unseal all of them): the cryptography's own share of export and import."""
    pair = city.keys.own()
    opened = []
    started = time.perf_counter()
    for path in packages:
        out = io.BytesIO()
        unseal(path, pair, out)
        opened.append(out.getvalue())
    unsealing = time.perf_counter() - started
    started = time.perf_counter()
    seal(opened[0], io.BytesIO(), Cover("141102", "离石区", "2026Q3", 1), [pair.public, pair.public])
    pair.sign(opened[0][:4096])
    return time.perf_counter() - started, unsealing


def timed(label: str, fn, limit: float | None = None):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    verdict = "" if limit is None else ("  OK" if seconds < limit else f"  OVER {limit:.0f} s")
    print(f"{label:<42}{seconds:8.2f} s{verdict}", flush=True)
    return result, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "lvqi-bench-exchange"))
    ap.add_argument("--enterprises", type=int, default=5000)
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    usb = work / "usb"
    usb.mkdir(exist_ok=True)
    packages: list[Path] = []
    codes = county_codes(work)
    city_root = work / "city"
    shutil.rmtree(city_root, ignore_errors=True)
    city = open_services(city_root)
    city.office.set_up("city", None, "吕梁市中小企业服务中心", "压测员")
    city.forget_office()
    export_seconds = 0.0
    for n, (code, name) in enumerate(codes, 1):
        s = make_county(work / f"county-{code}", code, name, args.enterprises, n)
        enrol(s, city, usb)
        enrol(city, s, usb)
        x = s.exchange
        if n == 1:
            made, export_seconds = timed(f"county export {name} (data only)", lambda x=x: x.export_package(
                "2026Q3", usb, with_returns=False), 3.0)
            made, _ = timed(f"county export {name} (with returns)", lambda x=x: x.export_package("2026Q3", usb))
            print(f"  {made.path.name}: {made.path.stat().st_size / 1e6:.1f} MB, "
                  f"{sum(made.manifest.counts.values())} records, {len(made.returns)} return files")
        else:
            made = x.export_package("2026Q3", usb, with_returns=False)
        packages.append(Path(shutil.copyfile(made.path, usb / f"{code}.lvqi")))
        s.db.dispose()
    x = city.exchange
    plan, dry_seconds = timed("city dry run, 13 packages", lambda: x.dry_run(packages), 10.0)
    print("  " + plan.summary, f"records: {sum(c.total.new for c in plan.counties)} new")
    result, import_seconds = timed("city import, 13 packages (incl. backup)", lambda: x.apply(plan), 15.0)
    print("  " + result.summary)
    sealing, unsealing = crypto_seconds(city, packages)
    print(f"signing + sealing one package       {sealing:8.2f} s = {100 * sealing / export_seconds:4.1f} % of its export")
    print(f"unsealing + signatures, 13 packages {unsealing:8.2f} s = "
          f"{100 * unsealing / (dry_seconds + import_seconds):4.1f} % of dry run + import")

    def reimport():
        again = x.dry_run(packages)
        return x.apply(again)
    result, _ = timed("city re-import, 13 packages (no change)", reimport, 5.0)
    print("  " + result.summary)
    city.db.dispose()


if __name__ == "__main__":
    main()
