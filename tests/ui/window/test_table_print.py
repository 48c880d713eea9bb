"""Printing a table page: the real print preview opens and closes, long previews are laid out in the
background (取消 works), only the selected rows can be printed, and the printed pages carry every row."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtCore import QSizeF
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.ui import messages
from lvqi_desktop.ui import table_export
from lvqi_desktop.ui.screen_fit import work_area
from lvqi_desktop.ui.table_models.enterprise_table import EnterpriseTableModel
from lvqi_desktop.ui.table_print import TablePreview
from lvqi_desktop.ui.table_print import a4_landscape_printer
from lvqi_desktop.ui.table_print import fit_widths
from lvqi_desktop.ui.table_print import lay_out
from lvqi_desktop.ui.table_print import paint_pages
from tests.ui.registry.test_registry_page import _row
from tests.ui.registry.test_registry_page import add
from tests.ui.registry.test_registry_page import open_page

pytestmark = pytest.mark.usefixtures("page_settings")


def close_preview_soon(seen: list[TablePreview]) -> None:
    """Poll for the real preview; when it is on screen, note it, let it paint, then close it."""

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, TablePreview) and w.isVisible()]
        if not shown:
            QTimer.singleShot(50, look)
            return
        seen.append(shown[0])
        shown[0].grab()  # paints the pages through paintRequested, as the screen would
        shown[0].reject()

    QTimer.singleShot(50, look)


def test_print_opens_the_real_preview_and_a_timer_closes_it(qtbot, services):
    add(services, "吕梁德润医药连锁有限公司", seed=71)
    add(services, "吕梁建投乙有限公司", seed=72)
    page = open_page(qtbot, services)
    seen: list[TablePreview] = []
    close_preview_soon(seen)
    page.print_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    preview = seen[0]
    assert "企业名录" in preview.windowTitle() and "1 页" in preview.windowTitle()
    assert isinstance(preview.printer, QPrinter)  # the dialog keeps its printer alive
    printed = [row.cells[1] for row in preview.pages.pages[0]]
    assert sorted(printed) == ["吕梁建投乙有限公司", "吕梁德润医药连锁有限公司"]
    assert work_area(preview).contains(preview.geometry())


def test_only_the_selected_rows_can_be_printed(qtbot, services, monkeypatch):
    for seed, name in enumerate(["甲一有限公司", "乙二有限公司", "丙三有限公司"], start=80):
        add(services, name, seed=seed)
    page = open_page(qtbot, services)
    table = page.table
    table.selectRow(0)
    table.selectionModel().select(page.model.index(2, 0), QItemSelectionModel.SelectionFlag.Select
                                  | QItemSelectionModel.SelectionFlag.Rows)
    asked: list[list[str]] = []
    monkeypatch.setattr(messages, "choose", lambda parent, text, options, *a: asked.append(options) or 0)
    seen: list[TablePreview] = []
    close_preview_soon(seen)
    page.print_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert asked == [["只打印选中的 2 行", "打印全部 3 行"]]
    shown = page.model.shown_rows()
    assert [r.cells[1] for r in seen[0].pages.pages[0]] == [shown[0].name, shown[2].name]
    assert seen[0].pages.subtitle.startswith("共 2 行")


def test_a_long_preview_is_laid_out_in_the_background_and_cancel_stops_it(qtbot, services, monkeypatch):
    page = open_page(qtbot, services)
    many = EnterpriseTableModel()
    many.set_rows([_row(i) for i in range(table_export.PRINT_CONFIRM_ABOVE + 1)])
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    errors: list[object] = []
    monkeypatch.setattr(messages, "show_error", lambda *a, **k: errors.append(a))
    gate = threading.Event()  # the worker starts laying out only once 取消 has been pressed

    def lay_out_after_gate(*args, **kwargs):
        gate.wait(10)
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(table_export, "lay_out", lay_out_after_gate)
    task = table_export.print_view(page, many, "很长的表")
    assert asked and "3,001 行" in asked[0]
    assert task is not None
    task.progress.cancel_event.set()  # what the progress dialog's 取消 does
    with qtbot.waitSignal(task.signals.failed, timeout=20000) as failed:
        gate.set()  # inside the wait: the worker may emit before a later connection is made
    assert isinstance(failed.args[0], Cancelled)
    QApplication.processEvents()
    assert errors == [] and not [w for w in QApplication.topLevelWidgets() if isinstance(w, TablePreview)
                                 and w.isVisible()]


def test_the_layout_puts_every_row_on_a_page_once_and_cancels_between_rows():
    model = EnterpriseTableModel()
    model.set_rows([_row(i, name=f"企业{i}" + "很长的名称" * (i % 7)) for i in range(2000)])
    printer = a4_landscape_printer()
    size = printer.pageRect(QPrinter.Unit.Point).size() * 10
    pages = lay_out(model.snapshot(), "企业名录", "共 2,000 行", size, SilentProgress())
    printed = [row.cells[0] for rows in pages.pages for row in rows]
    assert printed == [r.uscc for r in model.shown_rows()]
    assert abs(sum(pages.widths) - size.width()) < 1
    for number, rows in enumerate(pages.pages):
        used = sum(r.height for r in rows) + pages.header_height + (pages.top if number == 0 else 0)
        assert used <= size.height()
    stopped = SilentProgress()
    stopped.cancel_event.set()
    with pytest.raises(Cancelled):
        lay_out(model.snapshot(), "企业名录", "", size, stopped)


def test_fit_widths_keeps_narrow_columns_and_shares_the_rest():
    assert fit_widths([100, 100], 400) == [200, 200]
    assert fit_widths([50, 500, 500], 650) == [50, 300, 300]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_printed_pages_number_themselves_and_repeat_the_header(tmp_path):
    model = EnterpriseTableModel()
    model.set_rows([_row(i) for i in range(100)])
    printer = a4_landscape_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "t.pdf"))
    size = printer.pageRect(QPrinter.Unit.Point).size() * 10
    pages = lay_out(model.snapshot(), "企业名录", "共 100 行", QSizeF(size), SilentProgress())
    paint_pages(printer, pages)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    count = len(pages.pages)
    assert count > 1 and f"第{count}页共{count}页" in text.replace(" ", "")
    assert text.count("统一社会信用代码") == count and "企业99" in text and "企业名录" in text
