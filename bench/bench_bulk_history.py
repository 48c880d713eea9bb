"""Bench: a 1,000-record bulk status change with its history rows (target < 0.5 s), its undo and redo.

Run: /work/venv/bin/python bench/bench_bulk_history.py [--count 1000] [--total 65000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench_office import open_bench_services

from lvqi_desktop.services.bundle import Services

TARGET_SECONDS = 0.5


def _fill(services: Services, count: int, total: int) -> list[int]:
    """`total` demo enterprises via the demo service if there is one (else `count` saved one by one);
    the ids of the first `count`."""
    demo = getattr(services, "demo", None)
    if demo is not None:
        demo.generate(max(count, total), seed=1)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from conftest import make_uscc

        from lvqi_desktop.services.enterprises import EnterpriseDraft
        for i in range(count):
            services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=i), name=f"吕梁压测第{i}号有限公司",
                                                      county_code="141102"))
    return [r.id for r in services.enterprises.list_rows()][:count]


def _timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"{label}: {took * 1000:.0f} ms")
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--total", type=int, default=0, help="enterprises in the database (default: --count)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = open_bench_services(Path(tmp) / "data")
        start = time.perf_counter()
        ids = _fill(services, args.count, args.total)
        print(f"{max(args.count, args.total)} enterprises created in {time.perf_counter() - start:.1f} s")
        worst = 0.0
        for i in range(args.repeat):
            status = "revoked" if i % 2 == 0 else "active"
            worst = max(worst, _timed(f"bulk status change of {len(ids)} (+{len(ids) + 1} history rows)",
                                      lambda s=status: services.bulk.set_business_status(ids, s, "压测")))
        _timed("undo of the last bulk change", services.undo.undo)
        _timed("redo of it", services.undo.redo)
        rows = services.history.list(limit=None)
        print(f"history rows in total: {len(rows)}")
        services.db.dispose()
    verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
    print(f"worst bulk change: {worst * 1000:.0f} ms (target < {TARGET_SECONDS * 1000:.0f} ms): {verdict}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
