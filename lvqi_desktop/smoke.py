"""`lvqi-desktop --smoke`: the Qt-free half of the start-up smoke test (the GUI half is in app.py).

Opens (migrating) a database in a data dir, sets up a county office, generates demo data, writes
one xlsx and one PDF return, and loads the PostgreSQL dialect and driver of the city edition (without connecting). The frozen build runs this to catch missing hidden imports and data files.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.office import OFFICE_KIND_COUNTY
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import resolve_data_dir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.office import default_office_name
from lvqi_desktop.services.startup import open_services
from lvqi_desktop.services.startup import server_driver

SMOKE_COUNTY = "141102"  # 离石区
SMOKE_PREPARER = "冒烟测试"
SMOKE_ENTERPRISES = 60
SMOKE_RETURN = "pool_summary"


@dataclass
class SmokeRun:
    """What the Qt-free part produced; the GUI part adds the window timing."""

    data_dir: DataDir
    services: Services | None = None
    files: list[Path] = field(default_factory=list)
    enterprises: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    server_driver: str = ""  # what carries the city edition to a PostgreSQL server, or why it cannot


def smoke_data_dir(cli_value: str | None) -> DataDir:
    """The given data dir, or a fresh temporary one (never the user's real data)."""
    return resolve_data_dir(cli_value or tempfile.mkdtemp(prefix="lvqi-smoke-"))


def prepare(run: SmokeRun, full: bool = True, today: date | None = None) -> SmokeRun:
    """Database with migrations, a county office, demo data, one xlsx and one PDF return.

    With full=False (start-up timing) an already set-up data dir is only opened.
    """
    today = today or clock.today()
    started = time.perf_counter()
    services = run.services = open_services(run.data_dir)
    run.seconds["open"] = time.perf_counter() - started
    if services.office_info() is not None and not full:
        return run
    if services.office_info() is None:
        county = next(c for c in services.reference.counties() if c.code == SMOKE_COUNTY)
        services.office.set_up(OFFICE_KIND_COUNTY, county.code, default_office_name(county.label), SMOKE_PREPARER)
        services.forget_office()
    services.office.use_operator(SMOKE_PREPARER)
    mark = time.perf_counter()
    run.enterprises = services.demo.generate(SMOKE_ENTERPRISES, seed=1).enterprises
    run.seconds["demo"] = time.perf_counter() - mark
    out = run.data_dir.root / "smoke-returns"
    out.mkdir(parents=True, exist_ok=True)
    mark = time.perf_counter()
    result = services.returns.export([SMOKE_RETURN], str(today.year - 1), ["xlsx", "pdf"], out)
    run.seconds["returns"] = time.perf_counter() - mark
    run.files = list(result.paths)
    try:
        run.server_driver = server_driver()
    except LvqiError as exc:  # a county install without the server extra: said, not a failure
        run.server_driver = f"未安装（{exc}）"
    return run


def file_problems(files: list[Path]) -> list[str]:
    """Each written file must exist, be non-empty and look like what its suffix says."""
    problems = []
    magic = {".xlsx": b"PK", ".pdf": b"%PDF"}
    suffixes = {p.suffix for p in files}
    for wanted in magic:
        if wanted not in suffixes:
            problems.append(f"没有生成 {wanted} 文件")
    for path in files:
        if not path.is_file() or path.stat().st_size == 0:
            problems.append(f"文件不存在或为空：{path}")
            continue
        head = path.read_bytes()[:4]
        if path.suffix in magic and not head.startswith(magic[path.suffix]):
            problems.append(f"文件内容不对：{path}")
    return problems


def summary(run: SmokeRun, window_ms: float, since_start_ms: float | None) -> str:
    sizes = "，".join(f"{p.suffix[1:]} {p.stat().st_size // 1024} KB" for p in run.files)
    start = f"，启动到主窗口 {since_start_ms:.0f} ms" if since_start_ms is not None else ""
    return (f"SMOKE OK：数据库 {run.data_dir.database}，演示企业 {run.enterprises} 家，{sizes}，"
            f"建库 {run.seconds.get('open', 0):.1f} s，演示数据 {run.seconds.get('demo', 0):.1f} s，"
            f"报表 {run.seconds.get('returns', 0):.1f} s，主窗口 {window_ms:.0f} ms{start}，"
            f"PostgreSQL 驱动 {run.server_driver or '未检查'}")


def process_age_ms() -> float | None:
    """Milliseconds since this process was created (the OS's clock: includes the frozen bootloader)."""
    try:
        if sys.platform.startswith("linux"):
            fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
            started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
            return (float(Path("/proc/uptime").read_text().split()[0]) - started) * 1000
        if os.name == "nt":
            import ctypes
            from ctypes import wintypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.GetCurrentProcess.restype = wintypes.HANDLE
            kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE, *[ctypes.POINTER(wintypes.FILETIME)] * 4]
            times = [wintypes.FILETIME() for _ in range(5)]
            kernel32.GetProcessTimes(kernel32.GetCurrentProcess(), *(ctypes.byref(t) for t in times[:4]))
            kernel32.GetSystemTimeAsFileTime(ctypes.byref(times[4]))
            created, now = ((t.dwHighDateTime << 32) | t.dwLowDateTime for t in (times[0], times[4]))
            return (now - created) / 10_000
    except Exception:  # noqa: BLE001 - a measurement only: never let it fail the smoke test
        return None
    return None


def report(data_dir: DataDir, line: str) -> None:
    """Print a line; a windowed Windows build has no stdout, so the line goes to smoke-output.txt too."""
    if sys.stdout is not None:
        print(line, flush=True)
    try:
        with open(data_dir.root / "smoke-output.txt", "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError:
        pass
