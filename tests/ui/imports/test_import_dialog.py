"""pytest-qt through the import dialog: auto-mapping pre-filled, a corrected mapping, the preview with
words and colours, the import in the background, and the remembered mapping."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from lvqi_desktop.ui.import_dialog import ImportDialog
from tests.sheets.county_sheets import USCC
from tests.sheets.county_sheets import merged_title_sheet
from tests.sheets.county_sheets import write_rows


def _open(qtbot, importer, path: Path) -> ImportDialog:
    dialog = ImportDialog(None, importer, "enterprises", str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
    return dialog


def test_mapping_preview_and_import(qtbot, importer, services, told, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "企业", "年度", "营业收入（元）"],
                                            [USCC[0], "吕梁市甲有限公司", 2024, 5_000_000],
                                            [USCC[1], "吕梁市乙有限公司", 2024, 1_000_000],
                                            ["bad", "吕梁市丙有限公司", 2024, 1]])
    dialog = _open(qtbot, importer, path)
    assert dialog.field_combo("A").currentData() == "uscc"
    assert dialog.field_combo("B").currentData() is None  # “企业” is not a known header
    assert not dialog.preview_button.isEnabled() and "企业名称" in dialog.problems_label.text()
    dialog.set_field("B", "name")
    assert dialog.problems_label.text() == "" and dialog.preview_button.isEnabled()
    dialog.set_field("A", "name")  # two columns to one field: refused in words, no preview
    assert "一个字段只能对应一列" in dialog.problems_label.text() and not dialog.preview_button.isEnabled()
    dialog.set_field("A", "uscc")

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    model = dialog.preview_model
    assert model.rowCount() == 3
    words = [model.data(model.index(r, 1)) for r in range(3)]
    assert words == ["新增", "新增", "有错误"]
    assert model.data(model.index(2, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert "A4" in model.data(model.index(2, 4))
    assert "换算为万元" in model.data(model.index(0, 4))
    dialog.status_filter.setCurrentIndex(dialog.status_filter.findData("error"))
    assert dialog.proxy.rowCount() == 1
    assert dialog.import_button.isEnabled()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported and dialog.task is None, timeout=20000)
    assert services.enterprises.counts() == (2, 0)
    assert any(kind == "inform" and "新增 2 家" in text for kind, text in told)

    again = _open(qtbot, importer, write_rows(tmp_path / "b.xlsx", [["信用代码", "企业", "年度", "营业收入（元）"],
                                                                    [USCC[2], "吕梁市丁有限公司", 2024, 1]]))
    assert again.field_combo("B").currentData() == "name"  # remembered for the same headers
    assert "上次确认" in again.info_label.text()


def test_all_or_nothing_refuses_in_the_dialog(qtbot, importer, services, told, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.xlsx", [["信用代码", "企业名称"], [USCC[0], "吕梁市甲有限公司"], ["bad", "x公司"]])
    dialog = _open(qtbot, importer, path)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    dialog.all_or_nothing.setChecked(True)
    dialog.start_import()
    assert told and told[-1][0] == "error" and "全部成功才导入" in told[-1][1]
    assert services.enterprises.counts() == (0, 0)


def test_merged_title_sheet_in_the_dialog_and_report(qtbot, importer, told, tmp_path: Path) -> None:
    dialog = _open(qtbot, importer, merged_title_sheet(tmp_path / "台账.xlsx"))
    assert "表头在第 3 行" in dialog.info_label.text() and "单位行" in dialog.info_label.text()
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert "合计行" in dialog.summary_label.text()
    dialog.save_report(str(tmp_path / "r.xlsx"))
    qtbot.waitUntil(lambda: dialog.task is None and (tmp_path / "r.xlsx").exists(), timeout=10000)


def test_unreadable_file_shows_the_message(qtbot, importer, told, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"junk" * 100)
    dialog = ImportDialog(None, importer, "enterprises", str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert told and "设置了打开密码" in told[-1][1]
    assert dialog.layout_ is None and not dialog.preview_button.isEnabled()


def test_the_preview_shows_what_is_still_to_be_completed(qtbot, importer, told, tmp_path: Path) -> None:
    """A two-row header ledger with a 规上 firm lacking its 入统年月: 新增（有待补充） and the 待补充 line."""
    path = write_rows(tmp_path / "两行.xlsx", [["企业名称", "统一社会信用代码", "是否规上", "2024年", None],
                                              [None, None, None, "营业收入", "从业人数"],
                                              ["吕梁市甲有限公司", USCC[0], "是", 100, 10],
                                              ["吕梁市乙有限公司", USCC[1], "否", 50, 5]])
    dialog = _open(qtbot, importer, path)
    assert dialog.field_combo("D").currentData() == "revenue"
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    model = dialog.preview_model
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["新增（有待补充）", "新增"]
    assert "待补充 C3：已标记为规上企业，请填写入统年月" in model.data(model.index(0, 4))
    dialog.resize(1100, 600)
    dialog.grab().save(str(tmp_path / "preview.png"))
