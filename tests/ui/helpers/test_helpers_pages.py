"""The 包联帮扶 page through real widgets: helpers, teams, assignments with history, and the coverage matrix."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.services.helpers import AssignmentDraft
from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.helpers.page import ASSIGNMENTS
from lvqi_desktop.ui.helpers.page import COVERAGE
from lvqi_desktop.ui.helpers.page import HELPERS
from lvqi_desktop.ui.helpers.page import TEAMS
from lvqi_desktop.ui.helpers.page import HelpersPage
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import click
from tests.ui.ui_activity import drive_dialogs
from tests.ui.ui_activity import enterprise
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

STATE, MONTH = 8, 5  # coverage columns: 情况, 本月走访 / 应走访


pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def office(services):
    return fix_today(services)


def open_page(qtbot, office, tab: int = HELPERS) -> HelpersPage:
    page = shown_at(qtbot, HelpersPage(office), 1200, 700)
    page.tabs.setCurrentIndex(tab)
    return page


def visible_actions(page: HelpersPage) -> list[str]:
    return [a.text() for a in page.page_actions() if a.isVisible()]


def test_coverage_matrix_shows_a_helper_behind_in_red(qtbot, office, qtmodeltester):
    firm_a = enterprise(office, "吕梁鑫源煤化工有限公司", seed=1)
    firm_b = enterprise(office, "离石恒泰物流有限公司", seed=2)
    zhang, li = helper(office, "张建国"), helper(office, "李慧敏", "局长")
    office.helpers.assign(AssignmentDraft(firm_a, zhang, from_date=date(2026, 11, 1)))
    office.helpers.assign(AssignmentDraft(firm_b, li, from_date=date(2026, 11, 1)))
    office.visits.log_visit(VisitDraft(firm_a, date(2026, 11, 20), helper_ids=[zhang]))
    page = open_page(qtbot, office, COVERAGE)
    assert visible_actions(page) == ["导出Excel", "打印"]
    model = page.coverage_tab.model
    qtmodeltester.check(model)
    rows = {r.holder: i for i, r in enumerate(model.shown_rows())}
    behind, fine = rows["李慧敏"], rows["张建国"]
    assert model.data(model.index(behind, STATE)) == "落后"
    assert model.data(model.index(behind, STATE), Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    assert model.data(model.index(behind, MONTH)) == "0 / 1"
    assert model.tone_at(behind, MONTH) == "red"
    assert model.data(model.index(fine, STATE)) == "正常"
    assert model.data(model.index(fine, STATE), Qt.ItemDataRole.ForegroundRole).name() == "#2e7d32"
    assert model.data(model.index(fine, MONTH)) == "1 / 1" and model.tone_at(fine, MONTH) == ""
    assert "落后 1 条" in page.coverage_tab.summary.text()

    page.coverage_tab.behind_only.setChecked(True)
    assert [r.holder for r in model.shown_rows()] == ["李慧敏"]
    page.coverage_tab.helper.set_code(str(zhang))
    assert model.rowCount() == 0 and "没有落后的包联" in page.coverage_tab.list.empty_label.text()


def test_assignment_form_refuses_end_before_start_under_the_field(qtbot, office, monkeypatch):
    firm = enterprise(office, "山西吕梁天宇食品有限公司", seed=3)
    zhang = helper(office, "张建国")
    page = open_page(qtbot, office, ASSIGNMENTS)
    assert "还没有包联关系" in page.assignments_tab.list.empty_label.text()
    seen = {}

    def form(dialog):
        dialog.widget("enterprise_id").set_enterprise(firm, "山西吕梁天宇食品有限公司")
        dialog.widget("helper_id").set_code(str(zhang))
        dialog.widget("role").set_code("lead")
        dialog.widget("from_date").set_value(date(2026, 11, 10))
        dialog.widget("to_date").set_value(date(2026, 11, 1))
        qtbot.waitUntil(lambda: dialog.boxes["to_date"].message.isVisible(), timeout=2000)  # as the user types
        click(qtbot, dialog.save_button)
        seen["message"] = dialog.boxes["to_date"].message.text()
        seen["open"] = dialog.isVisible()
        dialog.widget("to_date").set_value(None)
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, AssignmentDialog=form)
    page.new_action.trigger()
    assert seen["message"] == "包联结束日期（2026-11-01）早于开始日期（2026-11-10），请核对"
    assert seen["open"] is True
    rows = page.assignments_tab.model.shown_rows()
    assert [(r.enterprise_name, r.holder, r.role_label, r.to_date) for r in rows] == [
        ("山西吕梁天宇食品有限公司", "张建国", "包联领导", None)]


def test_reassign_keeps_the_old_assignment_as_history(qtbot, office, monkeypatch):
    firm = enterprise(office, "吕梁金桥机械制造有限公司", seed=4)
    zhang, wang = helper(office, "张建国"), helper(office, "王志强", "副市长")
    office.helpers.assign(AssignmentDraft(firm, zhang, role="lead", from_date=date(2026, 1, 1)))
    page = open_page(qtbot, office, ASSIGNMENTS)
    assert visible_actions(page) == ["新增", "更换", "结束", "导入Excel", "导出Excel", "打印"]
    page.assignments_tab.list.table.selectRow(0)
    assert page.reassign_action.isEnabled()

    def reassign(dialog):
        dialog.widget("from_date").set_value(date(2026, 11, 1))
        dialog.widget("helper_id").set_code(str(wang))
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, ReassignDialog=reassign)
    with qtbot.waitSignal(page.status_message) as status:
        page.reassign_action.trigger()
    assert status.args == ["已更换包联：吕梁金桥机械制造有限公司"]
    assert [r.holder for r in page.assignments_tab.model.shown_rows()] == ["王志强"]
    page.assignments_tab.view.set_code("all")
    history = sorted((r.holder, r.from_date, r.to_date, r.active) for r in page.assignments_tab.model.shown_rows())
    assert history == [("张建国", date(2026, 1, 1), date(2026, 10, 31), False),
                       ("王志强", date(2026, 11, 1), None, True)]
    model = page.assignments_tab.model
    ended = next(i for i, r in enumerate(model.shown_rows()) if not r.active)
    assert model.data(model.index(ended, 8)) == "已结束"


def test_add_helper_archive_and_restore(qtbot, office, monkeypatch):
    page = open_page(qtbot, office, HELPERS)
    assert "还没有帮扶干部" in page.helpers_tab.list.empty_label.text()

    def form(dialog):
        assert not dialog.save_button.isEnabled()  # the name is required
        dialog.widget("name").setText("赵丽")
        dialog.widget("post").setText("科员")
        dialog.widget("phone").setText("12")
        click(qtbot, dialog.save_button)
        assert dialog.boxes["phone"].message.isVisible()  # the phone rule's message, under the field
        dialog.widget("phone").setText("13912345678")
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, HelperDialog=form)
    with qtbot.waitSignal(page.status_message) as status:
        page.new_action.trigger()
    assert status.args == ["已保存：赵丽"]
    model = page.helpers_tab.model
    assert [(r.name, r.post, r.phone) for r in model.shown_rows()] == [("赵丽", "科员", "13912345678")]

    page.helpers_tab.list.table.selectRow(0)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    assert page.archive_action.text() == "归档"
    page.archive_action.trigger()
    assert model.rowCount() == 0
    page.helpers_tab.view.set_code("archived")
    assert page.archive_action.text() == "恢复" and not page.new_action.isEnabled()
    page.helpers_tab.list.table.selectRow(0)
    page.archive_action.trigger()
    assert model.rowCount() == 0
    page.helpers_tab.view.set_code("current")
    assert [r.name for r in model.shown_rows()] == ["赵丽"]


def test_team_with_leader_and_members(qtbot, office, monkeypatch):
    zhang, li = helper(office, "张建国"), helper(office, "李慧敏", "局长")
    page = open_page(qtbot, office, TEAMS)

    def form(dialog):
        dialog.widget("name").setText("离石区第一入企服务工作组")
        dialog.widget("leader_id").set_code(str(zhang))
        dialog.widget("members").set_member(zhang, "leader")
        dialog.widget("members").set_member(li, "liaison")
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, TeamDialog=form)
    page.new_action.trigger()
    row = page.teams_tab.model.shown_rows()[0]
    assert (row.name, row.leader_name, sorted(m.name for m in row.members)) == (
        "离石区第一入企服务工作组", "张建国", ["张建国", "李慧敏"])


def test_dissolving_a_team_is_not_called_undo(qtbot, office):
    helper(office, "张建国")
    page = open_page(qtbot, office, TEAMS)
    assert "解散" in visible_actions(page)
    assert not [t for t in visible_actions(page) if "撤销" in t]  # 撤销 is Undo (编辑 → 撤销, Ctrl+Z)
