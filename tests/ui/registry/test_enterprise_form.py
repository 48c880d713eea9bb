"""The enterprise form through real widgets: typing, messages at the field, saving, never losing input."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QLabel

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.enterprise_form import CHECK_DELAY_MS
from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
from lvqi_desktop.ui.form_fields import ERROR_COLOUR
from lvqi_desktop.ui.form_fields import ERROR_FILL
from lvqi_desktop.ui.form_fields import WARNING_COLOUR
from tests.conftest import make_uscc
from tests.ui.conftest import type_text

TODAY = date(2026, 11, 26)


def type_into(qtbot, widget, text: str) -> None:
    """Keys for ASCII, an input-method commit (what a Chinese IME sends) for everything else."""
    widget.setFocus()
    type_text(qtbot, widget, text)


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch):
    """Closing a changed form at teardown would ask; tests that care patch confirm themselves."""
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)


@pytest.fixture
def form(qtbot, services):
    def make(enterprise_id: int | None = None) -> EnterpriseDialog:
        dialog = EnterpriseDialog(services, enterprise_id, today=TODAY)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def settle(qtbot) -> None:
    """Let the debounced check run."""
    qtbot.wait(CHECK_DELAY_MS + 100)


def test_new_form_has_three_default_years_and_save_needs_code_and_name(qtbot, form):
    dialog = form()
    assert dialog.windowTitle() == "新增企业"
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["基本信息", "年度数据", "企业规模"]
    assert dialog.years.years() == [2023, 2024, 2025]
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=1))
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog.basic.widget("name"), "吕梁建投测试有限公司")
    assert dialog.save_button.isEnabled()
    dialog.basic.widget("name").clear()
    assert not dialog.save_button.isEnabled()


def test_add_with_figures_saves_exact_money_and_closes(qtbot, form, services):
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=2))
    type_into(qtbot, dialog.basic.widget("name"), "吕梁金桥机械制造有限公司")
    dialog.basic.widget("township_code").set_code("141102001")
    dialog.basic.widget("industry_section").set_code("C")
    type_into(qtbot, dialog.basic.widget("contact_phone"), "0358-8221234")
    dialog.years.set_cell(2025, "revenue", "1,234.56")
    dialog.years.set_cell(2025, "employees", "120")
    dialog.years.set_cell(2025, "total_assets", "5000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.name == "吕梁金桥机械制造有限公司"
    stored = services.enterprises.draft(dialog.saved.id)
    assert stored.township_code == "141102001" and stored.contact_phone == "0358-8221234"
    assert [(y.year, y.revenue, y.employees) for y in stored.years] == [(2025, "1234.56", "120")]  # empty years left out


def test_errors_appear_under_the_field_as_you_type(qtbot, form):
    dialog = form()
    type_into(qtbot, dialog.basic.widget("contact_phone"), "12345")
    settle(qtbot)
    box = dialog.basic.boxes["contact_phone"]
    assert box.message.isVisible() and "联系电话应为11位手机号" in box.message.text()
    assert ERROR_COLOUR in box.message.styleSheet()
    assert box.widget.property("issue") == "error"
    assert not dialog.basic.boxes["uscc"].message.isVisible()  # untouched fields stay quiet until 保存
    assert "1处错误" in dialog.tabs.tabText(0)
    dialog.basic.widget("contact_phone").setText("13812345678")
    settle(qtbot)
    assert not box.message.isVisible() and box.widget.property("issue") == ""


def test_bad_figure_colours_the_cell_and_refusal_keeps_everything(qtbot, form, services):
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=3))
    type_into(qtbot, dialog.basic.widget("name"), "吕梁天宇食品有限公司")
    dialog.years.set_cell(2025, "revenue", "一百万")
    dialog.years.set_cell(2024, "employees", "-3")
    dialog.tabs.setCurrentIndex(0)
    assert dialog.save() is False
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.tabs.currentIndex() == 1  # the first error's tab
    grid = dialog.years
    assert grid.cell_text(2025, "revenue") == "一百万"  # nothing typed is lost
    cell = grid.table.item(grid.years().index(2025), 0)
    assert cell.background().color() == QColor(ERROR_FILL)
    assert "2025年营业收入应为数字" in grid.messages.text() and "2024年从业人员不能为负数" in grid.messages.text()
    assert dialog.basic.widget("name").text() == "吕梁天宇食品有限公司"
    assert services.enterprises.counts() == (0, 0)


def test_warning_is_amber_and_does_not_block(qtbot, form):
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=4))
    type_into(qtbot, dialog.basic.widget("name"), "资不抵债测试有限公司")
    dialog.years.set_cell(2025, "total_assets", "100")
    dialog.years.set_cell(2025, "total_liabilities", "250")
    settle(qtbot)
    assert "提示：2025年负债总额大于资产总额" in dialog.years.messages.text()
    assert WARNING_COLOUR in dialog.years.messages.styleSheet()
    assert dialog.tabs.tabText(1) == "年度数据（有提示）"
    assert dialog.save() is True


def test_full_width_lower_case_code_is_accepted(qtbot, form, services):
    code = make_uscc(seed=5)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # ９１１４… as typed with a full-width IME
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), typed)
    type_into(qtbot, dialog.basic.widget("name"), "全角代码有限公司")
    assert dialog.save() is True
    assert services.enterprises.draft(dialog.saved.id).uscc == code


def test_duplicate_code_names_the_existing_enterprise_and_offers_to_open_it(qtbot, form, services):
    existing = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=6), name="吕梁宏达建筑工程有限公司")).id
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=6))
    settle(qtbot)
    message = dialog.basic.boxes["uscc"].message.text()
    assert "已登记为“吕梁宏达建筑工程有限公司”" in message
    assert dialog.open_existing_button.isVisible()
    with qtbot.waitSignal(dialog.open_existing_requested) as requested:
        qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert requested.args == [existing]


def test_size_group_is_asked_only_when_the_industry_needs_it(qtbot, form):
    dialog = form()
    group = dialog.basic.widget("size_group")
    dialog.basic.widget("industry_section").set_code("C")
    assert not group.isEnabled() and group.code() == "industry"
    dialog.basic.widget("industry_section").set_code("G")
    assert group.isEnabled()
    group.set_code("transport")
    dialog.basic.widget("industry_class").setText("5910")  # 仓储业 follows from the class
    assert not group.isEnabled() and group.code() == "warehousing"
    dialog.basic.widget("industry_class").setText("")
    assert group.isEnabled() and group.code() == "transport"  # the user's choice comes back


def test_size_tab_shows_the_computed_class_and_override_needs_a_reason(qtbot, form):
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=7))
    type_into(qtbot, dialog.basic.widget("name"), "划型测试有限公司")
    dialog.basic.widget("industry_section").set_code("C")
    dialog.years.set_cell(2025, "employees", "50")
    dialog.years.set_cell(2025, "revenue", "1500")
    settle(qtbot)
    assert dialog.size_tab.computed_label.text() == "小型（按“工业”标准判定）"
    dialog.size_tab.override_combo.set_code("2")
    assert dialog.save() is False
    reason_box = dialog.size_tab.boxes["size_class_override_reason"]
    assert "必须填写理由" in reason_box.message.text()
    assert dialog.tabs.currentIndex() == 2
    type_into(qtbot, dialog.size_tab.reason_edit, "集团统一核定")
    assert dialog.size_tab.effective_label.text() == "中型（人工指定）"
    assert dialog.save() is True
    assert dialog.saved.size_class == "2" and dialog.saved.size_class_computed == "3"


def test_edit_loads_the_record_and_esc_asks_before_discarding(qtbot, form, services, monkeypatch):
    enterprise_id = services.enterprises.save(EnterpriseDraft(
        uscc=make_uscc(seed=8), name="吕梁德润医药连锁有限公司", industry_section="F", industry_class="5251",
        years=[YearDraft(2024, revenue="88.5")])).id
    dialog = form(enterprise_id)
    assert dialog.windowTitle() == "编辑企业 — 吕梁德润医药连锁有限公司"
    assert dialog.years.cell_text(2024, "revenue") == "88.5"
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not asked and not dialog.isVisible()  # nothing changed: closes without asking

    dialog = form(enterprise_id)
    dialog.basic.widget("address").setText("离石区滨河北路1号")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()  # refused to discard
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_ctrl_s_saves(qtbot, form, services):
    dialog = form()
    dialog.activateWindow()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=9))
    type_into(qtbot, dialog.basic.widget("name"), "快捷键有限公司")
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClick(dialog.basic.widget("name"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=2000)
    assert services.enterprises.counts() == (1, 0)


def test_another_tab_can_be_added(qtbot, form):
    dialog = form()
    index = dialog.add_tab(QLabel("修改记录"), "修改记录")
    assert index == 3 and dialog.tabs.tabText(3) == "修改记录"
