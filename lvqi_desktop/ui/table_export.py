"""Export to Excel and print what a table page shows (filtered and sorted); every table page uses these."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from lvqi_desktop import clock
from lvqi_desktop.exporters.table_xlsx import write_table_xlsx
from lvqi_desktop.progress import Progress
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask, run_in_background
from lvqi_desktop.ui.table_models.row_table import RowTableModel, TableSnapshot

PRINT_CONFIRM_ABOVE = 3000
_LAST_FOLDER_KEY = "export/last_folder"


def _safe_file_name(title: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in title).strip() or "导出"


def ask_export_path(parent: QWidget | None, title: str) -> Path | None:
    """The save-as dialog, starting in the last export folder (or 文档) with a dated file name."""
    folder = QSettings().value(_LAST_FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = Path(str(folder)) / f"{_safe_file_name(title)}-{clock.today():%Y%m%d}.xlsx"
    chosen, _ = QFileDialog.getSaveFileName(parent, "导出Excel", str(suggested), "Excel 工作簿 (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    QSettings().setValue(_LAST_FOLDER_KEY, str(path.parent))
    return path


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
        return write_table_xlsx(path, title, snapshot.headers, rows, snapshot.text_columns, progress=progress)

    def done(written: Path) -> None:
        text = f"已导出 {len(snapshot.rows):,} 行到“{written.name}”。"
        if messages.inform_with_action(parent, text, "打开所在文件夹", "导出完成"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written.parent)))

    return run_in_background(parent, work, title="正在导出Excel…", on_success=done)


def print_html(snapshot: TableSnapshot[Any], title: str) -> str:
    """The table as simple HTML for QTextDocument; the header row repeats on every printed page."""
    align = {Qt.AlignmentFlag.AlignRight: "right", Qt.AlignmentFlag.AlignHCenter: "center"}
    aligns = [align.get(a, "left") for a in snapshot.alignments()]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in snapshot.headers)
    body = "".join(
        "<tr>" + "".join(f'<td align="{aligns[i]}">{html.escape(text)}</td>' for i, text in enumerate(row))
        + "</tr>" for row in snapshot.text_rows())
    today = clock.today()
    return (f'<h3 align="center">{html.escape(title)}</h3>'
            f'<p align="right">共 {len(snapshot.rows):,} 行　打印日期：{today.year}年{today.month}月{today.day}日</p>'
            '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse: collapse;">'
            f'<thead><tr style="background-color: #e8edf3;">{head}</tr></thead><tbody>{body}</tbody></table>')


def print_document(snapshot: TableSnapshot[Any], title: str) -> QTextDocument:
    document = QTextDocument()
    font = document.defaultFont()
    font.setPointSizeF(8.5)
    document.setDefaultFont(font)
    document.setHtml(print_html(snapshot, title))
    return document


def a4_landscape_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName("吕企台账")
    return printer


def print_view(parent: QWidget | None, model: RowTableModel[Any], title: str) -> None:
    """Print preview of the shown rows, A4 landscape with page numbers; asks first above 3,000 rows."""
    snapshot = model.snapshot()
    if not snapshot.rows:
        messages.inform(parent, "当前表格没有数据，无需打印。请先调整筛选条件。", "打印")
        return
    if len(snapshot.rows) > PRINT_CONFIRM_ABOVE and not messages.confirm(
            parent, f"要打印的表格共有 {len(snapshot.rows):,} 行，约 {len(snapshot.rows) // 30 + 1:,} 页，"
                    "生成预览需要一些时间。建议先用筛选缩小范围。\n\n仍要继续吗？", "打印"):
        return
    document = print_document(snapshot, title)
    dialog = QPrintPreviewDialog(a4_landscape_printer(), parent)
    dialog.setWindowTitle(f"打印预览 — {title}")
    dialog.paintRequested.connect(document.print_)
    show_preview(dialog)


def show_preview(dialog: QPrintPreviewDialog) -> None:
    """Run the preview modally (tests replace this)."""
    dialog.resize(1100, 760)
    dialog.exec()
