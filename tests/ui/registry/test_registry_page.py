"""The register page driven through real widgets: add, find, duplicate, archive, restore, export, print."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QTableView

from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui import registry_page
from lvqi_desktop.ui import table_export
from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
from lvqi_desktop.ui.registry_page import EMPTY_TEXT
from lvqi_desktop.ui.registry_page import RegistryPage
from lvqi_desktop.ui.table_models.enterprise_table import ARCHIVED_COLOUR
from lvqi_desktop.ui.table_models.enterprise_table import EnterpriseTableModel
from tests.conftest import make_uscc
from tests.conftest import set_up_city
from tests.ui.conftest import shown_at
from tests.ui.conftest import type_text

NAME_COLUMN = 1


pytestmark = pytest.mark.usefixtures("page_settings")


def add(services, name: str, seed: int, **fields) -> int:
    return services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, **fields)).id


def open_page(qtbot, services) -> RegistryPage:
    page = shown_at(qtbot, RegistryPage(services), 1200, 700)
    return page


def names(page: RegistryPage) -> list[str]:
    return [r.name for r in page.model.shown_rows()]


def fill_form_and_save(qtbot, uscc: str, name: str):
    """An exec() replacement for the real form: type like a user, click 保存, report the outcome."""

    def run(dialog: EnterpriseDialog) -> int:
        dialog.show()
        type_text(qtbot, dialog.basic.widget("uscc"), uscc)
        type_text(qtbot, dialog.basic.widget("name"), name)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    return run


def patch_dialog(monkeypatch, behaviour, opened: list | None = None) -> None:
    real = registry_page.make_enterprise_dialog

    def make(services, enterprise_id, parent, archived):
        dialog = real(services, enterprise_id, parent, archived)
        if opened is not None:
            opened.append((enterprise_id, dialog))
        dialog.exec = lambda: behaviour(dialog)
        return dialog

    monkeypatch.setattr(registry_page, "make_enterprise_dialog", make)


def test_empty_register_says_what_to_do(qtbot, services):
    page = open_page(qtbot, services)
    assert page.stack.currentIndex() == 1
    assert page.empty_label.text() == EMPTY_TEXT
    assert page.count_label.text() == "共 0 家"
    assert [a.text() for a in page.page_actions()] == ["新增", "编辑", "归档", "导入Excel", "导出Excel", "导出待补充清单", "打印"]
    assert page.new_action.shortcut().toString() == "Ctrl+N"
    assert page.print_action.shortcut().toString() == "Ctrl+P"
    assert page.search_edit.hasFocus() or page.focusProxy() is page.search_edit


def test_add_through_form_then_find_by_pinyin_initials(qtbot, services, monkeypatch):
    add(services, "山西离石鑫源煤业有限公司", seed=2)
    page = open_page(qtbot, services)
    # full-width, lower-case code as typed from a scanned licence: the service normalises it
    typed = make_uscc(seed=1).lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    patch_dialog(monkeypatch, fill_form_and_save(qtbot, typed, "吕梁建投测试有限公司"))
    with qtbot.waitSignal(page.data_changed) as changed, qtbot.waitSignal(page.status_message) as status:
        page.new_action.trigger()
    assert changed.args == ["enterprise"]
    assert status.args == ["已保存：吕梁建投测试有限公司"]
    assert "吕梁建投测试有限公司" in names(page)
    assert page.model.shown_rows()[page.table.currentIndex().row()].uscc == make_uscc(seed=1)
    assert page.count_label.text() == "共 2 家"

    qtbot.keyClicks(page.search_edit, "lljt")
    qtbot.waitUntil(lambda: names(page) == ["吕梁建投测试有限公司"], timeout=2000)
    assert page.count_label.text() == "共 2 家，筛选后 1 家"
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "lvliang")
    qtbot.waitUntil(lambda: names(page) == ["吕梁建投测试有限公司"], timeout=2000)
    page.search_edit.setText("无此企业")
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1, timeout=2000)
    assert "没有符合条件" in page.empty_label.text()
    qtbot.mouseClick(page.empty_button, Qt.MouseButton.LeftButton)  # 清除筛选
    assert len(names(page)) == 2 and page.search_edit.text() == ""


def test_typing_on_searches_among_the_last_hits_yet_finds_a_firm_added_meanwhile(qtbot, services, monkeypatch):
    """A keystroke that only narrows the search looks among the last hits; a firm saved since is not missed,
    and deleting a letter widens the search again."""
    add(services, "吕梁建投有限公司", seed=2)
    add(services, "吕梁商贸有限公司", seed=3)
    add(services, "离石煤业有限公司", seed=4)
    page = open_page(qtbot, services)
    qtbot.waitUntil(lambda: page.loaded, timeout=2000)
    qtbot.keyClicks(page.search_edit, "ll")
    qtbot.waitUntil(lambda: sorted(names(page)) == ["吕梁商贸有限公司", "吕梁建投有限公司"], timeout=2000)
    patch_dialog(monkeypatch, fill_form_and_save(qtbot, make_uscc(seed=5), "吕梁九州有限公司"))
    with qtbot.waitSignal(page.data_changed):
        page.new_action.trigger()
    page.search_edit.setFocus()
    page.search_edit.end(False)
    qtbot.keyClicks(page.search_edit, "j")
    qtbot.waitUntil(lambda: sorted(names(page)) == ["吕梁九州有限公司", "吕梁建投有限公司"], timeout=2000)
    qtbot.keyClicks(page.search_edit, "t")
    qtbot.waitUntil(lambda: names(page) == ["吕梁建投有限公司"], timeout=2000)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: len(names(page)) == 3, timeout=2000)


def test_rows_selected_together_stay_selected_when_the_search_keeps_them(qtbot, services):
    add(services, "吕梁建投有限公司", seed=2)
    add(services, "吕梁商贸有限公司", seed=3)
    add(services, "离石煤业有限公司", seed=4)
    page = open_page(qtbot, services)
    qtbot.waitUntil(lambda: page.loaded, timeout=2000)
    wanted = {r.id for r in page.model.shown_rows() if r.name.startswith("吕梁")}
    first = page.model.position_of(min(wanted))
    page.table.selectRow(first)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     page.table.visualRect(page.model.index(page.model.position_of(max(wanted)), 1)).center())
    assert set(page.selected_ids()) == wanted
    qtbot.keyClicks(page.search_edit, "ll")
    qtbot.waitUntil(lambda: len(names(page)) == 2, timeout=2000)
    assert set(page.selected_ids()) == wanted


def test_duplicate_uscc_is_refused_with_the_existing_name_and_can_be_opened(qtbot, services, monkeypatch):
    existing = add(services, "吕梁宏达建筑工程有限公司", seed=5)
    page = open_page(qtbot, services)
    opened: list = []
    seen: dict = {}

    def behaviour(dialog: EnterpriseDialog) -> int:
        if dialog.enterprise_id is not None:  # the duplicate, opened on top of the new form
            return QDialog.DialogCode.Rejected
        fill_form_and_save(qtbot, make_uscc(seed=5), "另一家公司")(dialog)
        seen["message"] = dialog.basic.boxes["uscc"].message.text()
        seen["kept"] = (dialog.basic.widget("uscc").text(), dialog.basic.widget("name").text())
        seen["button"] = dialog.open_existing_button.isVisible()
        qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Rejected

    patch_dialog(monkeypatch, behaviour, opened)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    page.add_enterprise()
    assert "已登记为“吕梁宏达建筑工程有限公司”" in seen["message"]
    assert seen["kept"] == (make_uscc(seed=5), "另一家公司")  # nothing typed was lost
    assert seen["button"]
    assert [eid for eid, _ in opened] == [None, existing]
    assert opened[1][1].parent() is opened[0][1]
    assert services.enterprises.counts() == (1, 0)


def test_archive_asks_for_a_reason_then_restore_brings_it_back(qtbot, services, monkeypatch):
    add(services, "吕梁天宇食品有限公司", seed=11)
    add(services, "离石恒泰物流有限公司", seed=12)
    page = open_page(qtbot, services)
    asked = []
    monkeypatch.setattr(registry_page, "ask_archive_reason", lambda parent, ns: asked.append(ns) or "重复登记")
    page.table.selectRow(names(page).index("吕梁天宇食品有限公司"))
    assert page.archive_action.isEnabled() and page.archive_action.text() == "归档"
    with qtbot.waitSignal(page.status_message) as status:
        page.archive_action.trigger()
    assert asked == [["吕梁天宇食品有限公司"]]
    assert status.args == ["已归档：吕梁天宇食品有限公司"]
    assert names(page) == ["离石恒泰物流有限公司"]
    assert services.enterprises.counts() == (1, 1)

    qtbot.mouseClick(page.filters.archived_button, Qt.MouseButton.LeftButton)
    assert names(page) == ["吕梁天宇食品有限公司"]
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == ARCHIVED_COLOUR
    assert page.archive_action.text() == "恢复" and not page.new_action.isEnabled()
    assert page.count_label.text() == "已归档 1 家"
    page.table.selectRow(0)
    page.archive_action.trigger()
    assert names(page) == []
    assert "没有已归档的企业" in page.empty_label.text()
    qtbot.mouseClick(page.filters.current_button, Qt.MouseButton.LeftButton)
    assert sorted(names(page)) == sorted(["吕梁天宇食品有限公司", "离石恒泰物流有限公司"])
    assert services.enterprises.counts() == (2, 0)


def test_enter_or_double_click_opens_the_record_and_ctrl_f_finds(qtbot, services, monkeypatch):
    enterprise_id = add(services, "吕梁天宇食品有限公司", seed=11)
    page = open_page(qtbot, services)
    opened: list = []
    patch_dialog(monkeypatch, lambda dialog: QDialog.DialogCode.Rejected, opened)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [eid for eid, _ in opened] == [enterprise_id]
    page.edit_action.trigger()
    assert len(opened) == 2 and opened[1][1].windowTitle() == "编辑企业 — 吕梁天宇食品有限公司"
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus, timeout=2000)


def test_cancelled_archive_changes_nothing(qtbot, services, monkeypatch):
    add(services, "吕梁天宇食品有限公司", seed=11)
    page = open_page(qtbot, services)
    monkeypatch.setattr(registry_page, "ask_archive_reason", lambda *a: None)
    page.table.selectRow(0)
    page.archive_action.trigger()
    assert services.enterprises.counts() == (1, 0) and len(names(page)) == 1


def test_restore_refused_shows_the_service_message(qtbot, services, monkeypatch):
    first = add(services, "吕梁金桥机械制造有限公司", seed=21)
    services.enterprises.archive(first, "录入错误")
    add(services, "吕梁金桥机械制造有限公司", seed=22)  # registered again meanwhile
    page = open_page(qtbot, services)
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": shown.append(str(error)))
    page.filters.set_archived(True)
    page.table.selectRow(0)
    page.archive_action.trigger()
    assert shown and "不能恢复" in shown[0]
    assert names(page) == ["吕梁金桥机械制造有限公司"]  # still in the archive
    assert services.enterprises.counts() == (1, 1)


def test_filters_by_industry_size_and_above_scale(qtbot, services):
    years = [YearDraft(2025, revenue="50000", total_assets="60000", employees="1200")]
    add(services, "大厂有限公司", seed=31, industry_section="C", above_scale=True, above_scale_since="2024-01",
        years=years)
    add(services, "小店有限公司", seed=32, industry_section="F", industry_class="5212")
    page = open_page(qtbot, services)
    page.filters.section.set_code("C")
    assert names(page) == ["大厂有限公司"]
    page.filters.clear()
    page.filters.size.set_code("none")
    assert names(page) == ["小店有限公司"]
    page.filters.size.set_code("1")
    assert names(page) == ["大厂有限公司"]
    page.filters.clear()
    page.filters.above_scale.set_code("no")
    assert names(page) == ["小店有限公司"]
    assert page.count_label.text() == "共 2 家，筛选后 1 家"


def test_names_sort_syllable_by_syllable_as_in_a_dictionary(qtbot, services):
    """安宸 (an chen) before 安诚 (an cheng) before 安创 (an chuang); 吕 (lü) after 鲁 (lu) and before 马 (ma)."""
    wanted = ["离石安宸商贸有限公司", "离石安诚商务有限公司", "离石安创商贸有限公司", "鲁山煤业有限公司",
              "吕梁建投有限公司", "马坊商贸有限公司"]
    for seed, name in enumerate(reversed(wanted), start=60):
        add(services, name, seed=seed)
    page = open_page(qtbot, services)
    page.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.AscendingOrder)
    assert names(page) == wanted
    page.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.DescendingOrder)
    assert names(page) == list(reversed(wanted))


def test_sort_order_and_column_widths_are_remembered(qtbot, services):
    for seed, name in enumerate(["乙公司", "甲公司", "丙公司"], start=40):
        add(services, name, seed=seed)
    page = open_page(qtbot, services)
    page.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.DescendingOrder)
    assert names(page) == ["乙公司", "甲公司", "丙公司"]  # pinyin order: yi, jia, bing
    page.table.horizontalHeader().resizeSection(NAME_COLUMN, 333)
    page.save_header_state()
    again = open_page(qtbot, services)
    assert names(again) == ["乙公司", "甲公司", "丙公司"]
    assert again.table.horizontalHeader().sectionSize(NAME_COLUMN) == 333


def test_big_register_shows_a_first_batch_then_loads_the_rest(qtbot, services, monkeypatch):
    for i in range(8):
        add(services, f"批量企业{i}有限公司", seed=50 + i)
    monkeypatch.setattr(registry_page, "SYNC_LOAD_UP_TO", 5)
    monkeypatch.setattr(registry_page, "FIRST_BATCH", 3)
    page = RegistryPage(services)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.rows_loaded, timeout=10000):
        page.on_shown()
        assert page.model.rowCount() == 3
        assert "正在载入" in page.count_label.text()
    assert page.model.rowCount() == 8 and page.count_label.text() == "共 8 家"


def test_export_writes_the_filtered_sorted_view(qtbot, services, monkeypatch, tmp_path):
    add(services, "吕梁建投甲有限公司", seed=61, contact_phone="0358-8221234",
        years=[YearDraft(2025, revenue="1234.5", employees="12")])
    add(services, "吕梁建投乙有限公司", seed=62)
    add(services, "=HYPERLINK(1)公司", seed=63)
    page = open_page(qtbot, services)
    page.search_edit.setText("lljt")
    page.apply_filter()
    page.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.AscendingOrder)
    target = tmp_path / "导出.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    offered = []
    monkeypatch.setattr(messages, "inform_with_action", lambda *a, **k: offered.append(a[1]) or False)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=10000)
    assert offered == ["已导出 2 行到“导出.xlsx”。"]
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "吕梁市离石区中小企业服务中心企业名录"
    assert sheet["A2"].value == "统一社会信用代码" and sheet["H2"].value == "营业收入（万元）"
    assert sheet["G2"].value == "数据年度" and sheet["G3"].value == "2025年"  # the figures name their year
    assert [sheet["B3"].value, sheet["B4"].value] == ["吕梁建投甲有限公司", "吕梁建投乙有限公司"]
    assert sheet["A3"].value == make_uscc(seed=61) and sheet["A3"].data_type == "s"
    assert sheet["H3"].value == 1234.5 and sheet["H3"].number_format == "#,##0.00"
    assert sheet["I3"].value == 12 and sheet["L3"].value == "0358-8221234"


def test_print_asks_first_when_it_is_long(qtbot, services, monkeypatch):
    page = open_page(qtbot, services)
    many = EnterpriseTableModel()
    many.set_rows([_row(i) for i in range(table_export.PRINT_CONFIRM_ABOVE + 1)])
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or False)
    assert table_export.print_view(page, many, "很长的表") is None
    assert asked and "3,001 行" in asked[0]


def _row(i: int, **changes) -> EnterpriseRow:
    values = dict(id=i, uuid=f"u{i}", uscc=f"9114110200000{i:05d}", name=f"企业{i}", county_code="141102",
                  township_code=None, township_name="", industry_section="C", size_class=None,
                  above_scale=False, business_status="active", legal_representative="", contact_person="",
                  contact_phone="", registered_on=date(2020, 1, 1) if i % 2 else None, latest_year=None,
                  latest_revenue_fen=i * 10_000 if i % 3 else None, latest_employees=i, archived=False,
                  updated_at=None)
    values.update(changes)
    return EnterpriseRow(**values)


def test_table_model_passes_the_model_tester_and_sorts_empty_values_last(qtmodeltester):
    model = EnterpriseTableModel({"C": "C 制造业"})
    model.set_rows([_row(i) for i in range(1, 10)])
    qtmodeltester.check(model)
    revenue = [c.title for c in model.columns].index("营业收入（万元）")
    model.sort(revenue, Qt.SortOrder.DescendingOrder)
    shown = [r.latest_revenue_fen for r in model.shown_rows()]
    assert shown[:6] == [80000, 70000, 50000, 40000, 20000, 10000] and shown[6:] == [None] * 3
    assert model.data(model.index(0, revenue)) == "0.08"
    assert model.data(model.index(0, 3)) == "C 制造业"
    model.set_filter_ids({2, 4, 9})
    assert [r.id for r in model.shown_rows()] == [4, 2, 9]
    model.upsert_rows([_row(4, name="改名"), _row(20), _row(2, archived=True)])
    assert [r.name for r in model.shown_rows()] == ["改名", "企业9", "企业20"]
    model.set_archived_view(True)
    assert [r.id for r in model.shown_rows()] == [2]
    qtmodeltester.check(model)
    model.sort(-1)
    model.set_archived_view(False)
    assert [r.id for r in model.shown_rows()][:3] == [1, 3, 4]


def test_a_few_hits_among_many_rows_keep_the_sort_order_and_the_archived_view(qtmodeltester):
    """A handful of ids among hundreds of rows are placed by position, not by testing every row: same answer."""
    model = EnterpriseTableModel({"C": "C 制造业"})
    model.set_rows([_row(i, archived=i % 50 == 0) for i in range(1, 801)])
    revenue = [c.title for c in model.columns].index("营业收入（万元）")
    model.sort(revenue, Qt.SortOrder.DescendingOrder)
    model.set_filter_ids({5, 701, 300, 6, 9999})
    assert [r.id for r in model.shown_rows()] == [701, 5, 6]  # 300 is archived, 6 has no revenue: last
    qtmodeltester.check(model)
    model.upsert_rows([_row(5, latest_revenue_fen=99_000_000)] + [_row(i) for i in range(801, 830)])
    wanted = {5, 701, 300, 6, 810}
    model.set_filter_ids(wanted)
    assert [r.id for r in model.shown_rows()] == [r.id for r in model.all_rows() if r.id in wanted and not r.archived]
    assert {r.id for r in model.shown_rows()} == {5, 701, 6, 810}
    model.set_archived_view(True)
    model.set_filter_ids(wanted)
    assert [r.id for r in model.shown_rows()] == [300]


def test_city_edition_has_a_county_column_and_filter(qtbot, blank_services, monkeypatch):
    services = blank_services
    set_up_city(services)
    page = open_page(qtbot, services)
    assert [c.title for c in page.model.columns][2] == "县区"
    assert not page.filters.township.isEnabled()

    def fill(dialog: EnterpriseDialog) -> int:
        dialog.basic.widget("county_code").set_code("141181")  # 孝义市
        dialog.basic.widget("township_code").set_code(dialog.basic.widget("township_code").itemData(1))
        return fill_form_and_save(qtbot, make_uscc("141181", seed=81), "孝义测试有限公司")(dialog)

    patch_dialog(monkeypatch, fill)
    page.add_enterprise()
    assert names(page) == ["孝义测试有限公司"]
    assert page.model.data(page.model.index(0, 2)) == "孝义市"
    page.filters.county.set_code("141102")
    assert names(page) == [] and page.filters.township.isEnabled()
    page.filters.county.set_code("141181")
    assert names(page) == ["孝义测试有限公司"]


def test_incomplete_firms_are_filtered_listed_on_the_start_page_and_exported(qtbot, services, tmp_path, monkeypatch):
    """资料待补充 (issue 17): the register's 资料 filter, the start page's group, 导出待补充清单 through the real page."""
    from lvqi_desktop.ui.reminders_widget import RemindersWidget

    add(services, "吕梁市资料齐全有限公司", 1)
    sheet = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "统一社会信用代码", "是否规上"])
    wb.active.append(["吕梁市缺入统年月有限公司", make_uscc(seed=2), "是"])
    wb.save(sheet)
    services.imports.apply(sheet, "enterprises")
    page = open_page(qtbot, services)
    qtbot.waitUntil(lambda: len(names(page)) == 2)
    page.filters.completeness.set_code("incomplete")
    qtbot.waitUntil(lambda: names(page) == ["吕梁市缺入统年月有限公司"])
    page.grab().save(str(tmp_path / "registry-incomplete.png"))
    reminders = RemindersWidget(services)
    qtbot.addWidget(reminders)
    groups = {reminders.tree.topLevelItem(i).text(0): reminders.tree.topLevelItem(i)
              for i in range(reminders.tree.topLevelItemCount())}
    group = groups["资料待补充（1）"]
    assert (group.child(0).text(0), group.child(0).text(1)) == ("待补充", "吕梁市缺入统年月有限公司")
    opened: list[int] = []
    reminders.firm_requested.connect(opened.append)
    reminders.open_item(group.child(0))
    assert len(opened) == 1
    out = tmp_path / "清单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, title="": shown.append(text))
    page.incomplete_action.trigger()
    assert shown and "已导出 1 家" in shown[0] and openpyxl.load_workbook(out).active["C1"].value == "入统年月"


def test_names_spelled_alike_sort_by_their_characters_and_the_selected_row_follows(qtbot):
    """离石 and 力石 are both 'li shi': the stored spelling ties them and their characters decide, in either
    direction; the selected firm stays selected where the sort moved it."""
    model = EnterpriseTableModel({"C": "C 制造业"})
    spelled = [("马坊商贸", "ma fang shang mao"), ("离石商贸", "li shi shang mao"), ("安宸商贸", "an chen shang mao"),
               ("力石商贸", "li shi shang mao"), ("离石商贸", "li shi shang mao")]
    model.set_rows([_row(i, name=name, name_sort=sort) for i, (name, sort) in enumerate(spelled, start=1)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectRow(3)  # 力石商贸, id 4
    model.sort(NAME_COLUMN, Qt.SortOrder.AscendingOrder)
    assert [(r.name, r.id) for r in model.shown_rows()] == [
        ("安宸商贸", 3), ("力石商贸", 4), ("离石商贸", 2), ("离石商贸", 5), ("马坊商贸", 1)]
    assert [model.row_at(i.row()).id for i in view.selectionModel().selectedRows()] == [4]
    model.sort(NAME_COLUMN, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in model.shown_rows()] == ["马坊商贸", "离石商贸", "离石商贸", "力石商贸", "安宸商贸"]
    assert [model.row_at(i.row()).id for i in view.selectionModel().selectedRows()] == [4]


def assert_positions(model: EnterpriseTableModel) -> None:
    """`position_of` finds every shown row where it is shown, and no other row (the selection follows by it)."""
    shown = [r.id for r in model.shown_rows()]
    assert [model.position_of(r.id) for r in model.all_rows()] == [
        shown.index(r.id) if r.id in shown else None for r in model.all_rows()]


def test_a_filter_by_places_in_the_pool_survives_a_sort_an_edit_and_the_archived_view(qtmodeltester, qtbot):
    """The search hands the table places among its rows, not ids: a sort or an edit reorders or rebuilds those
    rows, so the filter must keep showing the same firms; a filter that shows the same rows leaves the view."""
    model = EnterpriseTableModel({"C": "C 制造业"})
    model.set_rows([_row(i, archived=i % 50 == 0) for i in range(1, 201)])
    pool = model.pool_rows()
    assert len(pool) == 196 and not any(r.archived for r in pool)
    places = [p for p, r in enumerate(pool) if r.id % 7 == 0]
    wanted = [r.id for r in pool if r.id % 7 == 0]
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_filter_places(list(range(len(pool))))  # every row: nothing to redo
    assert_positions(model)
    model.set_filter_places(places)
    assert [r.id for r in model.shown_rows()] == wanted
    assert_positions(model)
    qtmodeltester.check(model)
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_filter_places(list(places))
    revenue = [c.title for c in model.columns].index("营业收入（万元）")
    model.sort(revenue, Qt.SortOrder.DescendingOrder)
    in_order = [r.id for r in model.all_rows() if r.id % 7 == 0 and not r.archived]
    assert [r.id for r in model.shown_rows()] == in_order and in_order != wanted
    model.upsert_rows([_row(14, name="改名企业"), _row(201)])
    assert {r.id for r in model.shown_rows()} == set(wanted) | {201}  # a new row stays until the filter changes
    assert model.row_at(model.position_of(14)).name == "改名企业"
    assert_positions(model)
    model.set_filter_places([p for p, r in enumerate(model.pool_rows()) if r.id in (14, 201)])
    assert sorted(r.id for r in model.shown_rows()) == [14, 201]
    assert_positions(model)
    model.set_archived_view(True)
    assert [r.id for r in model.shown_rows()] == [r.id for r in model.all_rows() if r.archived]
    assert_positions(model)
    assert sorted(r.id for r in model.shown_rows()) == [50, 100, 150, 200]


def test_a_renamed_firm_shows_its_new_name_and_is_found_by_it_after_a_sort(qtbot, services, monkeypatch):
    """The search looks among the table's own rows by their places: after a sort and an edit it finds the
    firms by what they are called now."""
    add(services, "吕梁建投有限公司", seed=2)
    renamed = add(services, "离石九州有限公司", seed=3)
    add(services, "吕梁商贸有限公司", seed=4)
    page = open_page(qtbot, services)
    qtbot.waitUntil(lambda: page.loaded, timeout=2000)
    qtbot.keyClicks(page.search_edit, "ll")
    qtbot.waitUntil(lambda: sorted(names(page)) == ["吕梁商贸有限公司", "吕梁建投有限公司"], timeout=2000)
    page.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.DescendingOrder)
    assert names(page) == ["吕梁商贸有限公司", "吕梁建投有限公司"]
    qtbot.keyClicks(page.search_edit, "s")
    qtbot.waitUntil(lambda: names(page) == ["吕梁商贸有限公司"], timeout=2000)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: len(names(page)) == 2, timeout=2000)

    def rename(dialog: EnterpriseDialog) -> int:
        dialog.show()
        dialog.basic.widget("name").clear()
        type_text(qtbot, dialog.basic.widget("name"), "吕梁九州有限公司")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    patch_dialog(monkeypatch, rename)
    page.open_enterprise(renamed)
    page.search_edit.setFocus()
    page.search_edit.end(False)
    qtbot.keyClicks(page.search_edit, "j")
    qtbot.waitUntil(lambda: sorted(names(page)) == ["吕梁九州有限公司", "吕梁建投有限公司"], timeout=2000)
    shown = page.model.position_of(renamed)
    assert page.model.index(shown, NAME_COLUMN).data() == "吕梁九州有限公司"
    page.search_edit.setText("lsjz")  # its old name's initials
    page.apply_filter()
    assert names(page) == []
    page.search_edit.setText("jiuzhou")
    page.apply_filter()
    assert names(page) == ["吕梁九州有限公司"]
