"""The 入企服务 page through real widgets: the visit form's refusals, all-or-nothing demands, the month filter."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.ui.visits_page import VisitsPage
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import click
from tests.ui.ui_activity import drive_dialogs
from tests.ui.ui_activity import enterprise
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def office(services):
    return fix_today(services)


def open_page(qtbot, office) -> VisitsPage:
    page = shown_at(qtbot, VisitsPage(office), 1200, 600)
    return page


def test_future_visit_and_bad_demand_are_refused_under_their_fields_and_nothing_is_saved(qtbot, office, monkeypatch):
    firm = enterprise(office, "吕梁晋绥红枣加工有限责任公司", seed=7, registered_on="2020-05-01")
    zhang = helper(office, "张建国")
    page = open_page(qtbot, office)
    assert page.visits.list.currentIndex() == 1 and "还没有走访记录" in page.visits.list.empty_label.text()
    seen = {}

    def form(dialog):
        dialog.widget("enterprise_id").set_enterprise(firm, "吕梁晋绥红枣加工有限责任公司")
        dialog.widget("visited_on").set_value(date(2026, 12, 3))
        block = dialog.add_demand()
        block.widget("category").set_code("utilities")
        block.widget("description").setPlainText("冬季供暖用气指标不足")
        block.widget("due_on").set_value(date(2026, 11, 1))
        click(qtbot, dialog.save_button)
        seen["date"] = dialog.boxes["visited_on"].message.text()
        seen["who"] = dialog.boxes["visitors"].message.text()
        dialog.widget("visited_on").set_value(date(2026, 11, 20))
        dialog.widget("helper_ids").set_checked([zhang])
        click(qtbot, dialog.save_button)  # the visit is fine now; the demand is not: nothing is saved
        seen["due"] = block.boxes["due_on"].message.text()
        seen["still_open"] = dialog.isVisible()
        dialog.done(0)

    drive_dialogs(monkeypatch, VisitDialog=form)
    page.new_action.trigger()
    assert "晚于今天" in seen["date"] and "不能登记未来的走访" in seen["date"]
    assert "请填写走访人员" in seen["who"]
    assert "办理时限 2026-11-01 早于受理日期 2026-11-20" in seen["due"]
    assert seen["still_open"] is True
    assert office.visits.list_visits() == [] and office.demands.list_demands() == []


def test_month_enterprise_and_helper_filters(qtbot, office, qtmodeltester):
    firm_a = enterprise(office, "吕梁鑫源煤化工有限公司", seed=1)
    firm_b = enterprise(office, "离石恒泰物流有限公司", seed=2)
    zhang, li = helper(office, "张建国"), helper(office, "李慧敏", "局长")
    office.visits.log_visit(VisitDraft(firm_a, date(2026, 11, 3), helper_ids=[zhang], campaign="服务月"))
    office.visits.log_visit(VisitDraft(firm_b, date(2026, 11, 12), channel="phone", helper_ids=[li],
                                       visitors="刘会计"))
    office.visits.log_visit(VisitDraft(firm_a, date(2026, 10, 15), helper_ids=[li]))
    page = open_page(qtbot, office)
    model = page.visits.model
    qtmodeltester.check(model)
    assert page.visits.period.code() == "2026-11"
    assert sorted((r.enterprise_name, r.channel_label, r.who_went) for r in model.shown_rows()) == [
        ("吕梁鑫源煤化工有限公司", "走访", "张建国"), ("离石恒泰物流有限公司", "电话", "李慧敏、刘会计")]
    assert page.visits.count_label.text() == "共 2 次"
    page.visits.period.set_code("2026-10")
    assert [r.visited_on for r in model.shown_rows()] == [date(2026, 10, 15)]
    page.visits.period.set_code("")
    assert model.rowCount() == 3
    page.visits.enterprise.set_enterprise(firm_a, "吕梁鑫源煤化工有限公司")
    assert model.rowCount() == 2
    page.visits.helper.set_code(str(li))
    assert [r.visited_on for r in model.shown_rows()] == [date(2026, 10, 15)]
    page.visits.helper.set_code(str(zhang))
    page.visits.period.set_code("2026-09")
    assert model.rowCount() == 0 and "没有符合条件的走访记录" in page.visits.list.empty_label.text()
    page.visits.period.set_code("")
    page.visits.enterprise.set_enterprise(None, "")
    page.visits.helper.set_code("")
    page.visits.search_edit.setText("刘会计")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=2000)
    assert page.visits.count_label.text() == "共 3 次，筛选后 1 次"


def test_a_visit_is_corrected_in_its_form_and_the_history_keeps_the_old_values(qtbot, office, monkeypatch):
    firm = enterprise(office, "吕梁鑫源煤化工有限公司", seed=1)
    zhang, li = helper(office, "张建国"), helper(office, "李慧敏", "局长")
    logged = office.visits.log_visit(VisitDraft(firm, date(2026, 11, 3), helper_ids=[zhang], campaign="服务月",
                                                firm_reported="订单充足", remarks="由台账导入"))
    page = open_page(qtbot, office)
    page.visits.list.table.selectRow(0)
    assert page.view_action.text() == "修改" and page.view_action.isEnabled()
    seen = {}

    def form(dialog):
        seen["title"] = dialog.windowTitle()
        seen["filled"] = (dialog.widget("visited_on").value(), dialog.widget("helper_ids").field_value(),
                          dialog.widget("campaign").code(), dialog.widget("firm_reported").toPlainText())
        seen["offers_demands"] = dialog.add_demand_button.isVisible()
        dialog.widget("firm_reported").setPlainText("订单不足，回款慢")
        dialog.widget("helper_ids").set_checked([li])
        dialog.widget("visited_on").set_value(date(2026, 11, 4))
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, VisitDialog=form)
    with qtbot.waitSignal(page.status_message) as status:
        page.view_action.trigger()
    assert seen["title"] == "修改走访记录" and not seen["offers_demands"]
    assert seen["filled"] == (date(2026, 11, 3), [zhang], "服务月", "订单充足")
    assert status.args == ["已修改走访记录：吕梁鑫源煤化工有限公司"]
    [row] = office.visits.list_visits()
    assert (row.id, row.visited_on, row.who_went, row.firm_reported) == (
        logged.visit_id, date(2026, 11, 4), "李慧敏", "订单不足，回款慢")
    assert office.visits.draft_of(row.id).remarks == "由台账导入"  # a field the form does not show is kept
    [update] = [h for h in office.history.list(table="visit") if h.action == "update"]
    assert update.summary == "修改走访记录：吕梁鑫源煤化工有限公司 2026-11-04"
    assert {(c.field, c.old, c.new) for c in update.changes} >= {("firm_reported", "订单充足", "订单不足，回款慢")}
    assert ("走访日期", "2026-11-03", "2026-11-04") in {(c.label, c.old_text, c.new_text) for c in update.changes}
    assert office.visits.list_visits(helper_id=zhang) == []
