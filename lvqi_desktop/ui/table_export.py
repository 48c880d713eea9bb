"""Export to Excel and print what a table page shows (filtered and sorted); every table page uses these."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.progress import Progress
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.screen_fit import fit_to_screen
from lvqi_desktop.ui.start_folder import ask_save_path
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.table_print import TablePreview
from lvqi_desktop.ui.table_print import a4_landscape_printer
from lvqi_desktop.ui.table_print import lay_out
from lvqi_desktop.ui.table_print import page_size_units

PRINT_CONFIRM_ABOVE = 3000
_LAST_FOLDER_KEY = "export/last_folder"


def _safe_file_name(title: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in title).strip() or "导出"


def ask_export_path(parent: QWidget | None, title: str) -> Path | None:
    """The save-as dialog, starting in the last export folder (or 文档) with a dated file name."""
    return ask_save_path(parent, "导出Excel", _LAST_FOLDER_KEY, f"{_safe_file_name(title)}-{clock.today():%Y%m%d}.xlsx",
                         "Excel 工作簿 (*.xlsx)", ".xlsx")


def export_view_to_xlsx(parent: QWidget | None, model: RowTableModel[Any], title: str) -> BackgroundTask | None:
    """Ask for a file, write the shown rows in the background, then offer to open the folder."""
    snapshot = model.snapshot()
    if not snapshot.rows:
        messages.inform(parent, "当前表格没有数据，无需导出。请先调整筛选条件。", "导出Excel")
        return None
    path = ask_export_path(parent, title)
    if path is None:
        return None

    def work(progress: Progress) -> Path:
        rows = list(snapshot.export_rows())
        from lvqi_desktop.exporters.table_xlsx import write_table_xlsx  # openpyxl: not at start-up

        return write_table_xlsx(path, title, snapshot.headers, rows, snapshot.text_columns, progress=progress)

    def done(written: Path) -> None:
        text = f"已导出 {len(snapshot.rows):,} 行到“{written.name}”。"
        if messages.inform_with_action(parent, text, "打开所在文件夹", "导出完成"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written.parent)))

    return run_in_background(parent, work, title="正在导出Excel…", on_success=done)


def _selected_rows(parent: QWidget | None, model: RowTableModel[Any]) -> list[Any]:
    """The rows selected in the view of `model` on the page, in the order shown."""
    views = [v for v in (parent.findChildren(QTableView) if parent else []) if v.model() is model]
    if not views or views[0].selectionModel() is None:
        return []
    positions = sorted(index.row() for index in views[0].selectionModel().selectedRows())
    return [row for row in map(model.row_at, positions) if row is not None]


def print_view(parent: QWidget | None, model: RowTableModel[Any], title: str) -> BackgroundTask | None:
    """Print preview of the shown rows (or only the selected ones), A4 landscape with page numbers.
    The pages are laid out in the background with progress and 取消; above 3,000 rows it asks first."""
    snapshot = model.snapshot()
    if not snapshot.rows:
        messages.inform(parent, "当前表格没有数据，无需打印。请先调整筛选条件。", "打印")
        return None
    selected = _selected_rows(parent, model)
    if 1 < len(selected) < len(snapshot.rows):
        answer = messages.choose(parent, f"表格中选中了 {len(selected):,} 行，共显示 {len(snapshot.rows):,} 行。要打印哪些？",
                                 [f"只打印选中的 {len(selected):,} 行", f"打印全部 {len(snapshot.rows):,} 行"], "打印")
        if answer is None:
            return None
        if answer == 0:
            snapshot = replace(snapshot, rows=selected)
    if len(snapshot.rows) > PRINT_CONFIRM_ABOVE and not messages.confirm(
            parent, f"要打印的表格共有 {len(snapshot.rows):,} 行，约 {len(snapshot.rows) // 30 + 1:,} 页，"
                    "生成预览需要一些时间。建议先用筛选缩小范围。\n\n仍要继续吗？", "打印"):
        return None
    printer = a4_landscape_printer()
    size = page_size_units(printer)
    today = clock.today()
    subtitle = f"共 {len(snapshot.rows):,} 行　打印日期：{today.year}年{today.month}月{today.day}日"

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            messages.show_error(parent, exc if isinstance(exc, LvqiError) else f"无法生成打印预览：{exc}")

    return run_in_background(parent, lambda progress: lay_out(snapshot, title, subtitle, size, progress),
                             title="正在准备打印预览…", read_only=True, on_failure=failed,
                             on_success=lambda pages: show_preview(TablePreview(pages, printer, parent)))


def show_preview(dialog: TablePreview) -> None:
    """Run the preview modally, sized to the screen's work area."""
    fit_to_screen(dialog, QSize(1100, 760))
    dialog.exec()
    dialog.deleteLater()
