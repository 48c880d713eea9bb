"""Issue 21: the register's 导出Excel of 5,000 rows against bare openpyxl writing the same cells, in one run.

Run: QT_QPA_PLATFORM=offscreen python bench/bench_table_export.py [--rows 5000] [--runs 5]
Prints both medians and their ratio; target: the program's export within 1.3× of bare openpyxl.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def register_snapshot(root: Path, rows: int):  # type: ignore[no-untyped-def]
    """A demo register of `rows` firms as the page shows it (the export's input: a TableSnapshot)."""
    from PySide6.QtWidgets import QApplication

    from lvqi_desktop.cli import main as lvqi
    from lvqi_desktop.paths import resolve_data_dir
    from lvqi_desktop.services.startup import open_services
    from lvqi_desktop.ui.table_models.enterprise_table import EnterpriseTableModel

    QApplication.instance() or QApplication([])
    data = root / "data"
    for argv in (["init", "--county", "141102"], ["demo", "--enterprises", str(rows), "--seed", "1"]):
        if lvqi(["--data-dir", str(data), *argv]) != 0:
            raise SystemExit(f"lvqi {' '.join(argv)} failed")
    services = open_services(resolve_data_dir(data), "bench")
    model = EnterpriseTableModel({s.code: s.label for s in services.reference.sections()})
    model.set_rows(services.enterprises.list_rows())
    services.db.dispose()
    return model.snapshot()


def program_export(snapshot, path: Path) -> None:  # type: ignore[no-untyped-def]
    """What 导出Excel runs in its worker thread (ui/table_export.py)."""
    from lvqi_desktop.exporters.table_xlsx import write_table_xlsx

    write_table_xlsx(path, "企业库", snapshot.headers, list(snapshot.export_rows()), snapshot.text_columns)


def bare_openpyxl(snapshot, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same title, header and cells through a write-only openpyxl workbook, nothing else."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业库")
    ws.append(["企业库"])
    ws.append(snapshot.headers)
    for row in snapshot.export_rows():
        ws.append(row)
    wb.save(path)


def bare_openpyxl_formatted(snapshot, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same cells with the same number formats ('@' text columns, '#,##0', '#,##0.00'), set the plain way."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业库")
    ws.append(["企业库"])
    ws.append(snapshot.headers)
    text_columns = snapshot.text_columns

    def cell(col: int, value: object) -> object:
        if value is None or isinstance(value, bool) or not (col in text_columns or isinstance(value, int | float)):
            return value
        styled = WriteOnlyCell(ws, value=value)
        styled.number_format = "@" if col in text_columns else "#,##0" if isinstance(value, int) else "#,##0.00"
        return styled

    for row in snapshot.export_rows():
        ws.append([cell(col, value) for col, value in enumerate(row)])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="lvqi-bench-export-"))
    snapshot = register_snapshot(root, args.rows)
    writers = {"program": program_export, "formatted": bare_openpyxl_formatted, "values": bare_openpyxl}
    times: dict[str, list[float]] = {label: [] for label in writers}
    for run in range(args.runs):
        for label, write in writers.items():
            started = time.perf_counter()
            write(snapshot, root / f"{label}-{run}.xlsx")
            times[label].append(time.perf_counter() - started)
    program, formatted, values = (statistics.median(times[k]) for k in writers)
    print(f"{len(snapshot.rows):,} rows × {len(snapshot.headers)} columns → xlsx, median of {args.runs}: "
          f"program {program:.2f} s; bare openpyxl, same cells and number formats {formatted:.2f} s "
          f"(ratio {program / formatted:.2f}, target ≤ 1.30); bare values without formats {values:.2f} s "
          f"(ratio {program / values:.2f})")


if __name__ == "__main__":
    main()
