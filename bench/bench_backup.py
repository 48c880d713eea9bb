"""Backup of a 65,000-enterprise database (target: under 2 s), with the time of each step.

    python bench/bench_backup.py [--enterprises 65000] [--runs 5] [--data-dir DIR]

Creates the database once with `lvqi init` and `lvqi demo` (kept in bench/out/ for the next
run), then times BackupService.backup (snapshot + integrity_check + gzip + rename + rotation),
each step on its own, a copy off the laptop, and the full check a restore makes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvqi_desktop import clock
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.startup import open_services
from lvqi_desktop.storage import backups
from lvqi_desktop.storage.file_checks import FULL
from lvqi_desktop.storage.file_checks import run_check

HERE = Path(__file__).resolve().parent
TARGET_S = 2.0


def lvqi(*args: str) -> None:
    cli = Path(sys.executable).with_name("lvqi")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "lvqi_desktop.cli"]
    subprocess.run([*command, *args], check=True, stdout=subprocess.DEVNULL)


def ensure_database(root: Path, enterprises: int) -> DataDir:
    data_dir = DataDir(root)
    if not data_dir.database.exists():
        print(f"creating {enterprises} enterprises with lvqi demo in {root} …", flush=True)
        started = time.perf_counter()
        lvqi("--data-dir", str(root), "init", "--county", "141102")
        lvqi("--data-dir", str(root), "demo", "--enterprises", str(enterprises), "--seed", "1")
        print(f"  done in {time.perf_counter() - started:.1f} s")
    return data_dir


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def show(label: str, times: list[float], extra: str = "") -> None:
    print(f"  {label:<34} median {statistics.median(times):6.3f} s   min {min(times):6.3f} s   "
          f"max {max(times):6.3f} s {extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=65000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", default=str(HERE / "out" / "backup65k"))
    args = parser.parse_args()
    data_dir = ensure_database(Path(args.data_dir), args.enterprises)
    services = open_services(data_dir, "基准测试")
    enterprises, _archived = services.enterprises.counts()
    db_bytes = data_dir.database.stat().st_size
    load = f"; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"database: {enterprises} enterprises, {db_bytes / 1e6:.1f} MB; {os.cpu_count()} cpus{load}")

    made = []
    cpu_before = time.process_time()
    times = timed(lambda: made.append(services.backups.backup("manual")), args.runs)
    cpu = (time.process_time() - cpu_before) / args.runs
    size = made[-1].size_bytes
    verdict = "OK" if statistics.median(times) < TARGET_S else "OVER TARGET"
    print(f"\nBackupService.backup ({args.runs} runs; target < {TARGET_S:.0f} s): {verdict}")
    show("whole backup", times, f"  cpu {cpu:.2f} s/run, file {size / 1e6:.1f} MB "
                                f"({size / db_bytes:.0%} of the database)")

    with tempfile.TemporaryDirectory(dir=data_dir.root) as tmp:
        raw = Path(tmp) / "raw.sqlite3"
        print("\nsteps on their own:")
        show("snapshot (online backup API)", timed(lambda: backups.snapshot(data_dir.database, raw), args.runs))
        show("integrity_check of the snapshot", timed(lambda: run_check(raw, FULL, private=True), args.runs))
        target = Path(tmp) / "out.sqlite3.gz"
        show("gzip + fsync (no check thread)", timed(
            lambda: backups._write_part(raw, target, True, backups.open_new, backups.NO_PROGRESS, False),
            args.runs))
        stick = Path(tmp) / "usb"
        stick.mkdir()
        show("copy_to a folder (with read-back)", timed(lambda: services.backups.copy_to(stick), args.runs))
        show("verify a backup (as restore does)", timed(lambda: services.backups.verify(made[-1].path), args.runs))
    started = clock.now()
    listed = services.backups.list_backups()
    print(f"\nlist_backups: {len(listed)} backups in {(clock.now() - started).total_seconds():.3f} s (cached)")
    for m in made:
        m.path.unlink(missing_ok=True)
    services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
