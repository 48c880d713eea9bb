"""File dialogs without a folder of their own open in Documents, then in the last folder the clerk chose."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QFileDialog

from lvqi_desktop.ui.charts import BarChart
from lvqi_desktop.ui.start_folder import remember_folder
from lvqi_desktop.ui.start_folder import start_folder
from tests.ui.safety_window import isolate_settings


def documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def answer_file_dialog(qtbot, seen: list[str], choose: Path | None) -> None:
    """When the real file dialog shows: note the folder it opened in, then choose `choose` (or cancel)."""

    def answer() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        seen.append(dialog.directory().absolutePath())
        if choose is None:
            dialog.reject()
        else:
            dialog.selectFile(str(choose))
            dialog.accept()

    QTimer.singleShot(50, answer)


def test_start_folder_is_documents_then_the_last_folder_used_while_it_exists(tmp_path):
    isolate_settings(tmp_path)
    assert start_folder() == documents()
    assert start_folder("D:/报表") == "D:/报表"  # a page's own folder wins
    chosen = tmp_path / "U盘 报送"
    chosen.mkdir()
    remember_folder(str(chosen / "离石区.png"))  # a file: its folder is remembered
    assert start_folder() == str(chosen)
    chosen.rmdir()  # the USB stick is gone: back to Documents
    assert start_folder() == documents()


def test_chart_export_opens_in_documents_and_the_next_one_in_the_folder_chosen(qtbot, tmp_path, monkeypatch):
    isolate_settings(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # a Documents folder of the test's own
    (tmp_path / "home" / "Documents").mkdir(parents=True)
    assert documents() == str(tmp_path / "home" / "Documents")
    chart = BarChart("各县区企业数")
    qtbot.addWidget(chart)
    chart.resize(400, 300)
    chart.show()
    qtbot.waitExposed(chart)
    folder = tmp_path / "图片 导出"
    folder.mkdir()
    seen: list[str] = []
    answer_file_dialog(qtbot, seen, folder / "各县区企业数.png")
    chart.export_dialog()
    assert seen == [documents()]
    assert (folder / "各县区企业数.png").exists()
    answer_file_dialog(qtbot, seen, None)
    chart.export_dialog()
    assert Path(seen[1]) == folder
