"""The rule inputs (认定条件数据) and the conditions settings through real widgets: typed inputs turn a
缺数据 condition of the gap report into 满足; bad input is explained and saves nothing; the office adds a
provincial 小巨人 condition and renames the 山西股权交易中心 board."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from lvqi_desktop import clock
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.ui import conditions_section
from lvqi_desktop.ui.form_fields import ERROR_COLOUR
from lvqi_desktop.ui.pools.record_dialog import PoolRecordDialog
from lvqi_desktop.ui.pools.tier_inputs import TierInputsWidget
from lvqi_desktop.ui.pools.tier_inputs import YesNoBox
from lvqi_desktop.ui.registry_page import make_enterprise_dialog
from lvqi_desktop.ui.settings_page import SettingsPage
from lvqi_desktop.validation.tier_rules import MET
from lvqi_desktop.validation.tier_rules import NOT_MET
from lvqi_desktop.validation.tier_rules import UNKNOWN
from tests.conftest import make_uscc

BASE = clock.today().year - 1  # the gap report's "上年度"
FIGURES = dict(revenue="9000", main_revenue="8550", total_assets="10000", total_liabilities="4000",
               employees="200", rd_expense="600", rd_staff="50", net_profit="900", ip_class1="5", ip_class2="3")


pytestmark = pytest.mark.usefixtures("page_settings")


def add_firm(services, name: str = "吕梁条件科技有限公司", seed: int = 41) -> int:
    years = [YearDraft(year=y, **FIGURES) for y in (BASE - 2, BASE - 1, BASE)]
    draft = EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, county_code="141102", industry_section="C",
                            registered_on="2012-05-01", years=years)
    return services.enterprises.save(draft).id


def states(dialog: PoolRecordDialog) -> dict[str, str]:
    report = dialog.gap_view.report
    assert report is not None and report.assessment is not None
    return {c.code: c.state for c in report.assessment.conditions}


def open_record(qtbot, services, eid: int) -> PoolRecordDialog:
    rid = services.cultivation.pools.add_to_pool(eid, RecordDraft(pool="srdi", tier="srdi_provincial",
                                                                   rule_set="2022"))
    dialog = PoolRecordDialog(services, "srdi", rid)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def inputs_tab(dialog: PoolRecordDialog) -> TierInputsWidget:
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["培育记录", "时间线", "认定条件数据"]
    dialog.tabs.setCurrentIndex(2)
    widget = dialog.tabs.currentWidget()
    assert isinstance(widget, TierInputsWidget)
    return widget


def test_inputs_typed_in_the_record_editor_turn_missing_data_into_met(qtbot, services, no_boxes):
    eid = add_firm(services)
    dialog = open_record(qtbot, services, eid)
    before = states(dialog)
    assert before["S1"] == UNKNOWN and before["G2"] == UNKNOWN  # 细分市场年限, 负面清单: not entered yet
    assert "缺数据" in dialog.gap_view.text()

    widget = inputs_tab(dialog)
    assert widget.years() == [BASE - 2, BASE - 1, BASE]  # the last three complete years
    years_field = widget.input_widget(BASE, "niche_years")
    qtbot.mouseClick(years_field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(years_field, "12")
    veto = widget.input_widget(BASE, "no_veto")
    assert isinstance(veto, YesNoBox) and veto.text() == "未填"
    widget.scroll.ensureWidgetVisible(veto)
    qtbot.mouseClick(veto, Qt.MouseButton.LeftButton)  # 未填 → 是
    assert veto.value() == "是" and veto.text() == "是"
    widget.input_widget(BASE, "rd_institution_level").set_code("provincial")
    assert widget.is_dirty()
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)

    assert "已保存" in widget.message_text()
    after = states(dialog)  # the gap report beside it was recomputed on save
    assert after["S1"] == MET and after["G2"] == MET
    stored = {d.year: d for d in services.cultivation.checks.tier_inputs(eid)}
    assert list(stored) == [BASE]  # the untouched empty years are not stored
    assert (stored[BASE].niche_years, stored[BASE].no_veto, stored[BASE].rd_institution_level) == \
        ("12", "是", "provincial")
    assert widget.text(BASE, "niche_years") == "12" and not widget.is_dirty()

    # a figure that does not meet the threshold: 细分市场 1 year < 2 → 不满足
    widget.set_text(BASE, "niche_years", "1")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert states(dialog)["S1"] == NOT_MET


def test_bad_input_is_explained_and_saves_nothing(qtbot, services, no_boxes):
    eid = add_firm(services)
    widget = TierInputsWidget(services, eid)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.keyClicks(widget.input_widget(BASE, "niche_years"), "12 years")
    widget.input_widget(BASE - 1, "market_share").setText("很高")  # QTest cannot type Chinese; as an IME would
    qtbot.keyClicks(widget.input_widget(BASE, "new_equity"), "500")
    widget.scroll.ensureWidgetVisible(widget.input_widget(BASE, "own_brand"))
    qtbot.mouseClick(widget.input_widget(BASE, "own_brand"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)

    text = widget.message_text()
    assert f"{BASE}年从事细分市场年限" in text  # the service's message, naming the year
    assert f"{BASE - 1}年市场占有率应为百分数" in text  # a message without a year gets the right one
    assert widget.messages.isVisible() and ERROR_COLOUR in widget.messages.styleSheet()
    assert widget.input_widget(BASE, "niche_years").property("issue") == "error"
    assert widget.input_widget(BASE - 1, "market_share").property("issue") == "error"
    assert widget.input_widget(BASE, "new_equity").property("issue") == ""
    assert services.cultivation.checks.tier_inputs(eid) == []  # all or nothing
    # nothing typed is lost
    assert (widget.text(BASE, "niche_years"), widget.text(BASE - 1, "market_share"),
            widget.text(BASE, "new_equity"), widget.text(BASE, "own_brand")) == ("12 years", "很高", "500", "是")

    # corrected, and an added earlier year, it saves
    widget.set_text(BASE, "niche_years", "12")
    widget.set_text(BASE - 1, "market_share", "12.5")
    widget.year_box.setValue(BASE - 5)
    qtbot.mouseClick(widget.add_year_button, Qt.MouseButton.LeftButton)
    assert widget.years()[0] == BASE - 5
    widget.set_text(BASE - 5, "niche_years", "7")
    assert widget.save()
    stored = {d.year: d for d in services.cultivation.checks.tier_inputs(eid)}
    assert sorted(stored) == [BASE - 5, BASE - 1, BASE]
    assert (stored[BASE].niche_years, stored[BASE].new_equity, stored[BASE].own_brand) == ("12", "500", "是")
    assert stored[BASE - 1].market_share == "12.5" and stored[BASE - 5].niche_years == "7"
    assert widget.input_widget(BASE, "niche_years").property("issue") == ""


def test_enterprise_form_has_the_inputs_tab(qtbot, services, no_boxes):
    eid = add_firm(services)
    services.cultivation.checks.save_tier_inputs(eid, [])
    parent = QLabel()
    qtbot.addWidget(parent)
    dialog = make_enterprise_dialog(services, eid, parent, archived=False)
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[-2:] == ["认定条件数据", "修改记录"]
    widget = dialog.tabs.widget(titles.index("认定条件数据"))
    assert isinstance(widget, TierInputsWidget) and widget.enterprise_id == eid
    new_dialog = make_enterprise_dialog(services, None, parent, archived=False)
    qtbot.addWidget(new_dialog)
    assert "认定条件数据" not in [new_dialog.tabs.tabText(i) for i in range(new_dialog.tabs.count())]


def settings_section(qtbot, services) -> tuple[SettingsPage, conditions_section.ConditionsSection]:
    page = SettingsPage(services)
    qtbot.addWidget(page)
    page.show()
    return page, page.conditions_section


def test_office_adds_a_provincial_little_giant_condition(qtbot, services, no_boxes):
    page, section = settings_section(qtbot, services)
    checks = services.cultivation.checks
    section.rule_set_combo.set_code("2026")
    section.tier_combo.set_code("little_giant_provincial")
    assert section.table.rowCount() == 0 and "还没有条件" in section.empty_label.text()

    # refused: no number
    section.text_edit.setText("上年度营业收入不低于3000万元")
    section.metric_combo.set_code("revenue_wan")
    assert [section.op_combo.itemData(i) for i in range(section.op_combo.count())] == ["ge", "gt", "le", "lt",
                                                                                       "eq"]
    section.op_combo.set_code("ge")
    section.value_edit.setText("三千")
    qtbot.mouseClick(section.save_condition_button, Qt.MouseButton.LeftButton)
    assert "条件值应为数字" in section.form_messages.text()
    assert section.value_edit.property("issue") == "error"
    assert checks.conditions("2026", "little_giant_provincial") == []

    section.value_edit.setText("3000")
    section.source_edit.setText("晋工信中小〔2025〕5号 第3条")
    with qtbot.waitSignal(page.data_changed) as changed:
        qtbot.mouseClick(section.save_condition_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["pool"]
    rows = checks.conditions("2026", "little_giant_provincial")
    assert [(r.code, r.text, r.source, r.editable) for r in rows] == [
        ("X1", "上年度营业收入不低于3000万元", "晋工信中小〔2025〕5号 第3条", True)]
    assert section.table.rowCount() == 1
    assert [section.table.item(0, c).text() for c in (0, 1, 4)] == ["X1", "上年度营业收入不低于3000万元", "本单位录入"]
    assert "营业收入 ≥ 3000" in section.table.item(0, 2).text()
    assert section.text_edit.text() == "" and "已添加条件" in section.form_messages.text()

    # a yes/no indicator offers only “=” and 是/否
    section.text_edit.setText("拥有自主品牌")
    section.metric_combo.set_code("own_brand")
    assert section.op_combo.count() == 1 and section.op_combo.code() == "eq"
    assert section.value_combo.isVisible() and not section.value_edit.isVisible()
    section.value_combo.set_code("是")
    qtbot.mouseClick(section.save_condition_button, Qt.MouseButton.LeftButton)
    assert [r.code for r in checks.conditions("2026", "little_giant_provincial")] == ["X1", "X2"]

    # change X1: the form comes back filled, the change is stored
    section.select_code("X1")
    assert section.edit_button.isEnabled()
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    assert (section.metric_combo.code(), section.op_combo.code(), section.value_edit.text()) == \
        ("revenue_wan", "ge", "3000")
    section.value_edit.setText("4000")
    section.text_edit.setText("上年度营业收入不低于4000万元")
    qtbot.mouseClick(section.save_condition_button, Qt.MouseButton.LeftButton)
    first = checks.conditions("2026", "little_giant_provincial")[0]
    assert first.text == "上年度营业收入不低于4000万元" and "4000" in first.test_text

    # the new conditions now decide a firm's gap report for 省级小巨人
    eid = add_firm(services, "吕梁小巨人候选有限公司", 52)
    report = checks.gap_report(enterprise_id=eid, tier="little_giant_provincial", rule_set="2026")
    assert [(c.code, c.state) for c in report.assessment.conditions] == [("X1", MET), ("X2", UNKNOWN)]

    # remove X2
    section.select_code("X2")
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    assert [r.code for r in checks.conditions("2026", "little_giant_provincial")] == ["X1"]
    assert section.table.rowCount() == 1

    # national conditions are listed with their document, read-only
    section.tier_combo.set_code("little_giant_national")
    assert section.table.rowCount() > 5
    assert "工信部企业〔2026〕2号" in section.table.item(0, 3).text()
    section.table.selectRow(0)
    assert not section.edit_button.isEnabled() and not section.remove_button.isEnabled()
    assert "不能修改" in section.readonly_hint.text()


def test_office_renames_the_equity_center_board(qtbot, services, no_boxes):
    page, section = settings_section(qtbot, services)
    pools = services.cultivation.pools
    assert section.board_edit.text() == pools.catalog().venues["equity_center"].board_name

    section.board_edit.setText("专" * 41)
    qtbot.mouseClick(section.board_button, Qt.MouseButton.LeftButton)
    assert "不能超过40个字" in section.board_message.text()
    assert ERROR_COLOUR in section.board_message.styleSheet()
    assert pools.catalog().venues["equity_center"].board_name == "专精特新专板"
    assert section.board_edit.text() == "专" * 41  # kept for correcting

    section.board_edit.setText("  专精特新“晋兴板”  ")
    with qtbot.waitSignal(page.data_changed):
        qtbot.mouseClick(section.board_button, Qt.MouseButton.LeftButton)
    venue = pools.catalog().venues["equity_center"]
    assert venue.board_name == "专精特新“晋兴板”"
    assert venue.label == "山西股权交易中心挂牌展示（专精特新“晋兴板”）"
    assert section.board_edit.text() == "专精特新“晋兴板”" and "已保存" in section.board_message.text()
