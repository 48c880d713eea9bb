"""pytest-qt through the import dialog for the kinds beyond enterprises: choose 培育库记录 in the 导入 list,
the chosen file is read again for that kind, preview words and cells, import, and the message in 条."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.ui.import_dialog import ImportDialog
from tests.conftest import uscc_for
from tests.sheets.county_sheets import write_rows


@pytest.fixture
def importer(services) -> ImportService:
    services.enterprises.save(EnterpriseDraft(uscc=uscc_for(1), name="吕梁测试1号有限公司", county_code="141102"))
    return ImportService(services.db, services.office_county, lambda p: services.backups.backup("before-import", p).path,
                         lambda: date(2026, 11, 26), services.office_code)


def test_pool_records_through_the_dialog(qtbot, importer, services, told, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "培育库.xlsx", [
        ["单位名称", "信用代码", "所属培育库", "梯度层级", "入库时间"],
        ["吕梁测试1号有限公司", uscc_for(1), "专精特新", "创新型中小企业", "2025.3.1"],
        ["吕梁某某有限公司", uscc_for(9), "专精特新", "创新型中小企业", "2025.3.1"],
    ])
    dialog = ImportDialog(None, importer, "enterprises", str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
    assert dialog.field_combo("C").currentData() is None  # 所属培育库 means nothing to the enterprise import

    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("培育库记录"))
    qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
    assert dialog.windowTitle() == "从Excel导入：培育库记录"
    assert [dialog.field_combo(c).currentData() for c in "ABCDE"] == ["name", "uscc", "pool", "tier", "entered_on"]

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    model = dialog.preview_model
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["新增", "有错误"]
    assert "E2" in model.data(model.index(0, 4)) and "2025-03-01" in model.data(model.index(0, 4))
    assert "B3" in model.data(model.index(1, 4)) and "不在本单位企业库中" in model.data(model.index(1, 4))
    if os.environ.get("LVQI_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["LVQI_SCREENSHOTS"], "import-pools-preview.png"))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported and dialog.task is None, timeout=20000)
    assert any(kind == "inform" and "新增 1 条" in text for kind, text in told)
    (rec,) = services.cultivation.pools.list_records()
    assert (rec.pool, rec.tier, rec.entered_on) == ("srdi", "innovative_sme", date(2025, 3, 1))
