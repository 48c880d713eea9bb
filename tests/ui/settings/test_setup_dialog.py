"""First run, operators, and the settings and start pages, through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QInputDialog
from PySide6.QtWidgets import QMessageBox

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.ui import operator_dialog
from lvqi_desktop.ui.operator_dialog import OperatorDialog
from lvqi_desktop.ui.operator_dialog import choose_operator
from lvqi_desktop.ui.settings_page import SettingsPage
from lvqi_desktop.ui.setup_dialog import SetupDialog
from lvqi_desktop.ui.start_page import StartPage
from tests.conftest import make_uscc


@pytest.fixture(autouse=True)
def ini_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()


def make_dialog(qtbot, services) -> SetupDialog:
    dialog = SetupDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_first_run_county_office_with_default_name(qtbot, blank_services):
    dialog = make_dialog(qtbot, blank_services)
    assert dialog.county_radio.isChecked() and dialog.county_combo.count() == 14  # 13 counties + prompt
    dialog.county_combo.set_code("141102")
    assert dialog.name_edit.text() == "吕梁市离石区中小企业服务中心"
    dialog.county_combo.set_code("141121")
    assert dialog.name_edit.text() == "吕梁市文水县中小企业服务中心"  # follows while not edited
    qtbot.keyClicks(dialog.preparer_edit, "zhang")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    info = blank_services.office_info()
    assert (info.kind, info.county_code, info.name, info.default_preparer) == (
        "county", "141121", "吕梁市文水县中小企业服务中心", "zhang")
    assert blank_services.office.operators() == ["zhang"]


def test_city_center_needs_no_county(qtbot, blank_services):
    dialog = make_dialog(qtbot, blank_services)
    qtbot.mouseClick(dialog.city_radio, Qt.MouseButton.LeftButton)
    assert not dialog.county_combo.isEnabled()
    assert dialog.name_edit.text() == "吕梁市中小企业服务中心"
    dialog.preparer_edit.setText("王芳")
    dialog.accept()
    assert blank_services.office_info().is_city


def test_typed_name_is_kept_when_the_county_changes(qtbot, blank_services):
    dialog = make_dialog(qtbot, blank_services)
    dialog.county_combo.set_code("141102")
    dialog.name_edit.setText("离石区中小企业发展促进中心")
    dialog.county_combo.set_code("141122")
    assert dialog.name_edit.text() == "离石区中小企业发展促进中心"


def test_missing_fields_are_shown_at_the_field_and_nothing_is_stored(qtbot, blank_services):
    dialog = make_dialog(qtbot, blank_services)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert "请从列表中选择本单位所在的县" in dialog.boxes["county_code"].message.text()
    assert "请填写默认填报人" in dialog.boxes["default_preparer"].message.text()
    assert blank_services.office.office() is None


def test_changing_the_office_is_refused_once_records_exist(qtbot, services):
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=1), name="吕梁建投测试有限公司"))
    dialog = make_dialog(qtbot, services)
    assert dialog.county_combo.code() == "141102" and dialog.name_edit.text() == "吕梁市离石区中小企业服务中心"
    dialog.county_combo.set_code("141123")
    dialog.accept()
    assert dialog.isVisible()
    assert "本机已有企业记录，不能再更改所属单位" in dialog.boxes["kind"].message.text()
    assert services.office_info().county_code == "141102"


def test_single_operator_is_taken_without_asking(services, monkeypatch):
    monkeypatch.setattr(OperatorDialog, "exec", lambda self: pytest.fail("no dialog expected"))
    assert choose_operator(services) == "测试员"


def test_operator_dialog_adds_a_new_name(qtbot, services, monkeypatch):
    services.office.add_operator("李娜")
    dialog = OperatorDialog(services, services.office.operators())
    qtbot.addWidget(dialog)
    dialog.combo.setCurrentText("")
    dialog.accept()
    assert "请填写操作员姓名" in dialog.box.message.text() and dialog.operator is None
    dialog.combo.setCurrentText(" 赵强 ")
    dialog.accept()
    assert dialog.operator == "赵强" and "赵强" in services.office.operators()

    monkeypatch.setattr(operator_dialog.OperatorDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert choose_operator(services) is None


def test_settings_page_shows_the_office_and_adds_operators(qtbot, services):
    page = SettingsPage(services)
    qtbot.addWidget(page)
    assert page.name_label.text() == "吕梁市离石区中小企业服务中心"
    assert page.county_label.text() == "离石区（141102）"
    assert page.data_folder_label.text() == str(services.data_dir.root)
    qtbot.keyClicks(page.new_operator_edit, "li")
    with qtbot.waitSignal(page.status_message):
        qtbot.keyClick(page.new_operator_edit, Qt.Key.Key_Return)
    assert [page.operators_list.item(i).text() for i in range(page.operators_list.count())] == ["测试员", "li"]
    extra = QGroupBox("备份")
    page.add_section(extra)
    assert extra.parent() is not None


def test_settings_page_edit_reruns_set_up(qtbot, services, monkeypatch):
    page = SettingsPage(services)
    qtbot.addWidget(page)

    def edit(dialog):
        dialog.name_edit.setText("离石区中小企业服务中心（新）")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SetupDialog, "exec", edit)
    with qtbot.waitSignal(page.data_changed) as changed:
        page.edit_office()
    assert changed.args == ["office"]
    assert page.name_label.text() == "离石区中小企业服务中心（新）"


def test_start_page_counts_and_next_step(qtbot, services):
    page = StartPage(services)
    qtbot.addWidget(page)
    page.show()
    assert page.counts_label.text() == "在册企业 0 家，已归档 0 家"
    assert page.open_registry_button.isVisible()
    with qtbot.waitSignal(page.open_page_requested) as requested:
        qtbot.mouseClick(page.open_registry_button, Qt.MouseButton.LeftButton)
    assert requested.args == ["企业库"]
    first = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=1), name="甲公司")).id
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=2), name="乙公司"))
    services.enterprises.archive(first)
    page.on_data_changed("enterprise")
    assert page.counts_label.text() == "在册企业 1 家，已归档 1 家"
    assert not page.open_registry_button.isVisible()


def _answer_next_dialog(qtbot, answer) -> None:
    """When the next modal dialog opens (a real QInputDialog or QMessageBox), let `answer` close it."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        answer(dialog)
    QTimer.singleShot(20, poll)


def test_an_operator_is_renamed_and_retired_and_the_history_keeps_the_old_name(qtbot, services):
    services.office.add_operator("李四")
    services.office.use_operator("李四")
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=31), name="吕梁改名前有限公司"))
    services.office.use_operator("测试员")
    page = SettingsPage(services)
    qtbot.addWidget(page)
    page.show()
    page.operators_list.setCurrentRow(1)

    def rename(dialog):
        assert isinstance(dialog, QInputDialog) and dialog.textValue() == "李四"
        dialog.setTextValue("李思")
        dialog.accept()
    _answer_next_dialog(qtbot, rename)
    with qtbot.waitSignal(page.status_message) as status:
        page.rename_operator_button.click()
    assert status.args == ["已改名：李四 → 李思"]
    assert services.office.operators() == ["测试员", "李思"]
    assert {r.operator for r in services.history.list(table="enterprise")} == {"李四"}  # the history keeps it
    [renamed] = services.history.list(table="operator")[:1]
    assert ("姓名", "李四", "李思") in {(c.label, c.old_text, c.new_text) for c in renamed.changes}

    page.operators_list.setCurrentRow(1)
    _answer_next_dialog(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    with qtbot.waitSignal(page.status_message) as status:
        page.retire_operator_button.click()
    assert status.args == ["已停用操作员：李思"] and services.office.operators() == ["测试员"]
    with pytest.raises(ValidationFailed, match="当前操作员，不能停用"):
        services.office.retire_operator("测试员")
    services.office.add_operator("李思")  # brought back
    assert services.office.operators() == ["测试员", "李思"]
