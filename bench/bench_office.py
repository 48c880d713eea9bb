"""Shared set-up of the benches: a bench office's services on a data folder, the demo register, best-of timing."""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lvqi_desktop import __version__
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database


def open_bench_services(root: Path, city: bool = False) -> Services:
    """The services on `root`, set up as 离石区's office (`city`: the city center's) unless set up already."""
    services = build_services(DataDir(root), Database(open_database(DataDir(root), __version__), "压测员"))
    if services.office_info() is None:
        if city:
            services.office.set_up("city", None, "吕梁市中小企业服务中心", "压测员")
        else:
            services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "压测员")
        services.forget_office()
    return services


def int_options(**defaults: int) -> argparse.Namespace:
    """The command line of a bench whose options are whole numbers: `scale_up=2000` is `--scale-up`, default 2000."""
    parser = argparse.ArgumentParser()
    for name, default in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    return parser.parse_args()


@contextmanager
def demo_office(enterprises: int) -> Iterator[Services]:
    """A bench office on a throw-away data folder with `enterprises` demo firms; closed at the end."""
    with tempfile.TemporaryDirectory() as tmp:
        services = open_bench_services(Path(tmp) / "data")
        demo_register(services, enterprises)
        yield services
        services.db.dispose()


def demo_register(services: Services, enterprises: int) -> None:
    """`enterprises` demo firms (services.demo, seed 1), the time it took printed."""
    start = time.perf_counter()
    services.demo.generate(enterprises, seed=1)
    print(f"set-up: {enterprises} enterprises in {time.perf_counter() - start:.1f} s")


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs of `fn` in seconds, and the last run's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result
