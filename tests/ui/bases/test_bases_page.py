"""The 双创基地 page driven like a clerk: add a base (refused, then saved), add a tenant, change its level."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.ui.bases_page import BasesPage
from lvqi_desktop.ui.record_dialog import RecordDialog
from tests.conftest import set_up_city
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import drive_dialogs
from tests.ui.ui_activity import throwaway_settings

SHOTS = Path(os.environ.get("LVQI_SHOTS", "")) if os.environ.get("LVQI_SHOTS") else None


def shot(widget, name: str) -> None:
    """With LVQI_SHOTS=folder, save what the widget looks like (for a person to look at)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot, services, bases, tmp_path):
    throwaway_settings(tmp_path)
    widget = shown_at(qtbot, BasesPage(services), 1100, 600)
    return widget


def test_empty_state_says_what_to_do(page) -> None:
    assert page.bases.list.currentIndex() == 1
    assert "还没有双创基地" in page.bases.list.empty_label.text()
    assert page.bases.count_label.text() == "共 0 个"
    shot(page, "bases_empty")


def test_add_base_refused_then_saved(qtbot, page, services, monkeypatch) -> None:
    seen: dict[str, object] = {}

    def fill(dialog: RecordDialog) -> None:
        dialog.widget("name").setText("离石区返乡创业园")
        dialog.widget("kind").set_code("returnee")
        dialog.widget("operator_name").setText("吕梁某投资运营有限公司")
        dialog.widget("operator_type").set_code("国有企业")
        dialog.widget("floor_area").setText("8500")
        dialog.widget("services_offered").setPlainText("工商代办、创业培训、融资对接")
        dialog.tabs.setCurrentIndex(1)
        dialog.widget("level").set_code("city")
        dialog.widget("city_recognized_on").set_value(date(2025, 5, 1))
        shot(dialog, "base_new_level_tab")
        click(qtbot, dialog.save_button)  # no document number: refused, stays open on the level tab
        seen["refused"] = dialog.boxes["city_document_no"].findChild(type(dialog.general_messages)).text() \
            if dialog.boxes["city_document_no"].findChild(type(dialog.general_messages)) else ""
        seen["tab"] = dialog.tabs.currentIndex()
        seen["open"] = dialog.isVisible()
        shot(dialog, "base_new_refused")
        dialog.widget("city_document_no").setText("吕中小企发〔2025〕7号")
        dialog.tabs.setCurrentIndex(0)
        shot(dialog, "base_new_basic_tab")
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, BaseDialog=fill)
    assert not services.bases.list_bases()  # nothing saved until the dialog's save succeeds... checked below
    click(qtbot, page.bases.list.empty_button)
    assert seen["open"] is True and seen["tab"] == 1
    assert "认定文号" in str(seen["refused"])
    rows = services.bases.list_bases()
    assert [(r.name, r.level_label, r.city_document_no) for r in rows] == [
        ("离石区返乡创业园", "市级", "吕中小企发〔2025〕7号")]
    assert page.bases.model.rowCount() == 1 and page.bases.count_label.text() == "共 1 个"
    shot(page, "bases_list")


def test_add_tenant_and_change_level(qtbot, page, services, add_base, add_firm, monkeypatch) -> None:
    add_base("信义镇扶贫车间", kind="poverty_workshop", level="city", city_recognized_on="2024-05-01",
             city_document_no="吕中小企发〔2024〕3号")
    firm = add_firm("吕梁信义手工艺品有限公司")
    archived = add_firm("吕梁已关停制衣有限公司")
    services.enterprises.archive(archived, "关停")
    page.refresh()
    results: dict[str, object] = {}

    def base_dialog(dialog) -> None:
        dialog.tabs.setCurrentIndex(2)
        click(qtbot, dialog.add_tenant_button)
        results["tenants"] = [t.name for t in dialog.tenants.all_rows()]
        shot(dialog, "base_tenants_tab")
        dialog.tabs.setCurrentIndex(1)
        click(qtbot, dialog.change_button)
        results["level"] = dialog.level_label.text()
        results["timeline"] = dialog.timeline.rowCount()
        shot(dialog, "base_level_tab")
        dialog.tabs.setCurrentIndex(3)
        results["years"] = [(y.year, y.linked_tenants) for y in dialog.years.all_rows()]
        shot(dialog, "base_years_tab")
        dialog.tabs.setCurrentIndex(4)
        results["history"] = dialog.history_tab.rows_shown()
        shot(dialog, "base_history_tab")
        dialog.reject()

    def tenant_dialog(dialog) -> None:
        dialog.widget("enterprise_id").pick()
        dialog.widget("moved_in_on").set_value(date(2026, 3, 1))
        shot(dialog, "tenant_dialog")
        click(qtbot, dialog.save_button)

    def picker(dialog) -> None:
        dialog.search_edit.setText("信义手工")
        dialog.search()
        assert dialog.model.rowCount() == 1
        click(qtbot, dialog.ok_button)

    def level_dialog(dialog) -> None:
        box = dialog.widget("level")
        results["offered"] = [box.itemText(i) for i in range(box.count())]  # only the allowed next levels
        box.set_code("revoked")
        click(qtbot, dialog.save_button)  # 撤销 without a reason: refused, the dialog stays open
        results["revoke_refused"] = dialog.isVisible() and "须填写原因" in " ".join(
            label.text() for label in dialog.findChildren(type(dialog.general_messages)))
        dialog.widget("level").set_code("provincial_applied")
        dialog.widget("effective_on").set_value(date(2026, 9, 1))
        shot(dialog, "level_dialog")
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, BaseDialog=base_dialog, TenantDialog=tenant_dialog,
                  EnterprisePickerDialog=picker, LevelDialog=level_dialog)
    page.bases.list.table.selectRow(0)
    page.edit_action.trigger()
    assert results["tenants"] == ["吕梁信义手工艺品有限公司"]
    assert results["offered"] == ["（请选择）", "申报省级", "撤销"]
    assert results["revoke_refused"] is True
    assert "申报省级" in str(results["level"]) and results["timeline"] == 2
    assert results["years"] == [(2026, 1)]
    assert results["history"] and any("信义镇扶贫车间" in text for text in results["history"])
    row = services.bases.list_bases()[0]
    assert (row.level_label, row.current_tenants) == ("申报省级", 1)
    assert page.bases.model.row_at(0).current_tenants == 1  # the page reloaded after the dialog's changes
    assert services.bases.tenants(row.id)[0].enterprise_id == firm


def test_city_edition_filters_bases_by_county(qtbot, blank_services, tmp_path):
    """The city sees every county's bases with a 县区 column; choosing a county shows only that county's."""
    from lvqi_desktop.services.bases import BaseDraft
    from lvqi_desktop.services.bases import BaseService
    from tests.services.bases.conftest import TODAY

    throwaway_settings(tmp_path)
    set_up_city(blank_services)
    for county, name in (("141102", "离石区电商产业园"), ("141181", "孝义市返乡创业园")):  # as received in packages
        BaseService(blank_services.db, lambda c=county: c, lambda: TODAY).save_base(BaseDraft(
            name=name, kind="ecommerce", operator_name="运营公司", operator_type="民营企业", address="某路1号"))
    blank_services.bases = BaseService(blank_services.db, blank_services.office_county, lambda: TODAY)
    empty = BasesPage(blank_services)  # what the city sees with no bases: no 新增 it could not use
    qtbot.addWidget(empty)
    assert empty.bases.empty_text()[0].startswith("还没有收到各县（市、区）报送的双创基地") and not empty.bases.empty_text()[1]
    widget = BasesPage(blank_services)
    qtbot.addWidget(widget)
    widget.show()
    widget.on_shown()
    tab = widget.bases
    names = lambda: sorted(r.name for r in tab.model.shown_rows())  # noqa: E731
    assert [c.title for c in tab.model.columns][1] == "县区"
    assert names() == ["孝义市返乡创业园", "离石区电商产业园"]
    tab.county.set_code("141181")
    assert names() == ["孝义市返乡创业园"]
    tab.county.set_code("141102")
    assert names() == ["离石区电商产业园"]
    tab.county.set_code("")
    assert len(names()) == 2


def test_county_edition_has_no_county_filter(page):
    assert page.bases.county is None
    assert "县区" not in [c.title for c in page.bases.model.columns]
