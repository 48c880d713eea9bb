"""Issue 8 figures for the kinds beyond enterprises: N firms imported first, then an N-row sheet each of
pool records, demands, visits and helper pairings — dry run, then import (backup and re-check included).

Run: python bench/bench_import_kinds.py [--rows N]   (default 2,000; no target in the issue, printed to compare)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lvqi_desktop import __version__
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.uscc import check_character


def uscc(n: int) -> str:
    first17 = f"91141102{n:08d}0"
    return first17 + check_character(first17)


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def sheets(folder: Path, n: int) -> dict[str, Path]:
    firms = [(uscc(i), f"吕梁市测试{i}号有限公司") for i in range(1, n + 1)]
    return {
        "enterprises": write(folder / "e.xlsx", ["统一社会信用代码", "企业名称"], [list(f) for f in firms]),
        "pools": write(folder / "p.xlsx", ["统一社会信用代码", "企业名称", "培育库", "层级", "入库日期"],
                       [[u, m, "专精特新", "创新型中小企业", "2025-03-01"] for u, m in firms]),
        "demands": write(folder / "d.xlsx", ["统一社会信用代码", "企业名称", "诉求类别", "诉求内容", "受理日期"],
                         [[u, m, "融资", f"流动资金紧张（{i}）", "2026-03-01"] for i, (u, m) in enumerate(firms)]),
        "visits": write(folder / "v.xlsx", ["统一社会信用代码", "企业名称", "走访日期", "帮扶干部"],
                        [[u, m, "2026-03-01", f"干部{i % 50}"] for i, (u, m) in enumerate(firms)]),
    }


def helper_sheet(folder: Path, n: int) -> Path:
    return write(folder / "h.xlsx", ["统一社会信用代码", "企业名称", "包联领导姓名", "角色", "包联开始日期"],
                 [[uscc(i), f"吕梁市测试{i}号有限公司", f"干部{i % 50}", "帮扶干部", "2026-01-01"]
                  for i in range(1, n + 1)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = DataDir(folder / "data")
        services = build_services(data, Database(open_database(data, __version__), operator="bench"))
        services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "bench")
        services.forget_office()
        importer = services.imports
        files = sheets(folder, args.rows)
        files = {"enterprises": files.pop("enterprises"), "helpers": helper_sheet(folder, args.rows), **files}
        for kind, path in files.items():
            start = time.perf_counter()
            plan = importer.dry_run(path, kind)
            dry = time.perf_counter() - start
            start = time.perf_counter()
            result = importer.apply(path, kind, plan.layout)
            done = time.perf_counter() - start
            print(f"{kind:12s} {args.rows:,} rows: dry run {dry:5.2f} s, import {done:5.2f} s "
                  f"(added {result.added:,}, errors {result.skipped:,})")
        services.db.dispose()


if __name__ == "__main__":
    main()
