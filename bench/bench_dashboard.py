"""Issue 10 speed figure: DashboardService.figures on a city-scale database (65,000 firms).

Run: python bench/bench_dashboard.py [--data-dir /tmp/lvqi-bench-65k] [--repeat 3] [--no-seed]
                                     [--keep-seeded DIR] [--city]
The database is copied to a temporary folder first, so the original is never opened for writing. Unless
--no-seed, the copy gets the city scenario's activity as the other benches make it: 5,000 assignments, 60,000
visits and 20,000 demands (services.demo.activity), 7,000 pool records with targets (bench_returns.seed_pools),
and 5,000 monitored firms × 24 months of reports (as bench_monitoring seeds them). --keep-seeded saves the
seeded copy for later runs with --no-seed. --city turns the copy into the city center's database (the firms
spread over the 13 counties) and also times the per-county comparison (各县对比).
Target: all figures within 1 s. The widget runs figures() once, off the GUI thread (typing never waits), and
starts it while the main window is being shown; figures() runs its parts side by side in a few threads.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from lvqi_desktop import __version__
from lvqi_desktop import clock
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database


def seed(services: Services, today: date) -> None:
    from bench_monitoring import seed_reports  # the monitoring bench's reports, never corrected
    from bench_returns import seed_pools

    started = time.perf_counter()
    counts = generate_activity(services.db, services.office_code, helpers=400, assignments=5000, visits=60000,
                               demands=20000, seed=1)
    seed_pools(services, {"srdi": 5000, "scale_up": 1500, "share_reform": 300, "listing_reserve": 200})
    last = shift_month(f"{today.year:04d}-{today.month:02d}", -1)
    _firms, reports = seed_reports(services, 5000, 24, last, corrections=False)
    print(f"seeded {counts}, 7,000 pool records, {reports:,} monitoring reports in "
          f"{time.perf_counter() - started:.1f} s")


def make_city(services: Services) -> None:
    """The copy as the city center's database: firms spread over the 13 counties by id, office kind 'city'."""
    with services.db.unit_of_work() as uow:
        codes = [c.code for c in uow.reference.counties() if c.code != "141100"]
        cases = " ".join(f"WHEN {i} THEN '{code}'" for i, code in enumerate(codes))
        uow.session.execute(text(f"UPDATE enterprise SET county_code = CASE id % {len(codes)} {cases} END"))
        uow.session.execute(text("UPDATE office SET kind = 'city', county_code = NULL, name = '吕梁市中小企业服务中心'"))
        uow.commit()
    services.forget_office()


def timed(what: str, run: object, repeat: int) -> object:
    result = None
    for n in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()  # type: ignore[operator]
        print(f"run {n + 1}: {what} {time.perf_counter() - started:.3f} s (process CPU {time.process_time() - cpu:.3f} s)")
    return result


def gui_run(services: Services) -> None:
    """Offscreen main window: seconds from show() to a complete dashboard, and the longest GUI stall meanwhile
    (a 10 ms timer's largest gap: what typing would wait)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lvqi_desktop.app import make_main_window
    from lvqi_desktop.ui.background import wait_for_background
    from lvqi_desktop.ui.dashboard_widget import DashboardWidget

    app = QApplication.instance() or QApplication(["bench"])
    started = time.perf_counter()
    window = make_main_window(services)
    window.resize(1400, 900)
    window.show()
    shown = time.perf_counter()
    dashboard = window.findChild(DashboardWidget)
    gaps, last, drawing = [0.0], [time.perf_counter()], [0.0]
    show_figures = dashboard.show_figures

    def timed_show(figures: object) -> None:  # the dashboard's own work on the GUI thread
        begun = time.perf_counter()
        show_figures(figures)
        drawing[0] += time.perf_counter() - begun

    dashboard.show_figures = timed_show  # type: ignore[method-assign]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if dashboard.figures is not None and dashboard.figures.complete
                         and not dashboard.loading else None)
    poll.start(5)
    loop.exec()
    done = time.perf_counter()
    timer.stop()
    poll.stop()
    print(f"GUI: window built and shown in {shown - started:.3f} s; dashboard complete {done - shown:.3f} s after "
          f"show(); longest GUI-thread stall meanwhile {max(gaps) * 1000:.0f} ms (any page's work), of which the "
          f"dashboard's own GUI-thread work {drawing[0] * 1000:.0f} ms")
    window.close()
    wait_for_background()
    app.processEvents()


def keep_copy(services: Services, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with services.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy2(services.db.engine.url.database, folder / "lvqi.sqlite3")
    print(f"seeded copy kept in {folder}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/lvqi-bench-65k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--today", default="")
    parser.add_argument("--no-seed", action="store_true", help="time the copied database as it is")
    parser.add_argument("--keep-seeded", default="", help="also save the seeded copy here (reuse with --no-seed)")
    parser.add_argument("--city", action="store_true", help="as the city center, with the comparison view")
    parser.add_argument("--gui", action="store_true", help="also time the offscreen main window (QT_QPA_PLATFORM)")
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
            today = date.fromisoformat(args.today) if args.today else clock.today()
            current, archived = services.enterprises.counts()
            print(f"enterprises: {current:,} current, {archived:,} archived")
            if not args.no_seed:
                seed(services, today)
                if args.keep_seeded:
                    keep_copy(services, Path(args.keep_seeded))
            if args.city:
                make_city(services)
            print(f"office: {services.office_info()}")
            dash = services.dashboard
            timed("core() alone", lambda: dash.core(today.year, today), args.repeat)
            f = timed("figures(), all tiles (what the start page runs)", lambda: dash.figures(today.year, today),
                      args.repeat)
            if args.city:
                c = timed("county_comparison()", lambda: dash.county_comparison(today.year, today), args.repeat)
                print("comparison:", [(r.county_name, r.enterprises, r.visits, r.overdue, r.monitoring_percent)
                                      for r in (*c.rows, c.total)])
            if args.gui:
                for _ in range(args.repeat):
                    gui_run(services)
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
