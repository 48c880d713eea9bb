"""The demand page through real widgets: a demand raised on the visit form, handled to 回访, board and KPIs follow."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.demands.board import percent
from lvqi_desktop.ui.demands.page import DemandsPage
from lvqi_desktop.ui.demands.tables import ledger_model
from lvqi_desktop.ui.visits_page import VisitsPage
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import TODAY
from tests.ui.ui_activity import click
from tests.ui.ui_activity import drive_dialogs
from tests.ui.ui_activity import enterprise
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

STATUS, HANDLING = 8, 9  # ledger columns


pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.fixture
def office(services):
    return fix_today(services)


def open_page(qtbot, page):
    return shown_at(qtbot, page, 1200, 760)


def board_counts(page: DemandsPage) -> dict[str, str]:
    return {status: card.count_label.text() for status, card in page.board.cards.items()}


def fill_visit(qtbot, enterprise_id: int, name: str, helper_id: int):
    def run(dialog):
        dialog.widget("enterprise_id").set_enterprise(enterprise_id, name)
        dialog.widget("helper_ids").set_checked([helper_id])
        dialog.widget("policies_explained").setPlainText("研发费用加计扣除")
        dialog.widget("firm_reported").setPlainText("订单增加，流动资金紧张")
        assert dialog.no_demands.isVisible()
        click(qtbot, dialog.add_demand_button)
        block = dialog.blocks[0]
        assert not dialog.save_button.isEnabled()  # a demand without category and description cannot be saved
        block.widget("category").set_code("finance")
        block.widget("description").setPlainText("需要300万元流动资金贷款")
        block.widget("urgency").set_code("urgent")
        block.widget("responsible_unit").setText("区金融办")
        assert dialog.save_button.isEnabled()
        click(qtbot, dialog.save_button)
    return run


def test_visit_raises_demand_which_is_handled_to_follow_up_and_board_and_kpis_change(qtbot, office, monkeypatch):
    firm = enterprise(office, "吕梁鑫源煤化工有限公司", seed=1)
    zhang = helper(office, "张建国")
    visits = open_page(qtbot, VisitsPage(office))
    demands = open_page(qtbot, DemandsPage(office))
    assert "还没有诉求" in demands.board.summary.text()
    assert demands.ledger.list.currentIndex() == 1 and "新增" == demands.ledger.list.empty_button.text()
    assert demands.kpis.values["satisfaction"].text().startswith("—")  # no follow-up yet: no rate, not 0%

    drive_dialogs(monkeypatch, VisitDialog=fill_visit(qtbot, firm, "吕梁鑫源煤化工有限公司", zhang))
    changed: list[str] = []
    visits.data_changed.connect(changed.append)
    with qtbot.waitSignal(visits.status_message) as status:
        visits.new_action.trigger()
    assert status.args[0] == "已登记走访：吕梁鑫源煤化工有限公司；同时登记诉求 1 件（141102-2026-0001）"
    assert changed == ["visit", "demand"]
    assert [r.who_went for r in visits.visits.model.shown_rows()] == ["张建国"]

    demands.on_data_changed("demand")  # what the main window broadcasts
    assert board_counts(demands)["pending"] == "1"
    assert demands.board.cards["pending"].bucket_buttons["le7"].text() == "≤7天　1 件"
    assert demands.ledger.count_label.text() == "共 1 件"
    row = demands.ledger.model.shown_rows()[0]
    assert (row.number, row.category_label, row.urgency_label, row.responsible_unit) == (
        "141102-2026-0001", "融资", "紧急", "区金融办")
    assert demands.kpis.period.code() == "2026Q4"
    assert demands.kpis.values["received"].text() == "1 件"
    assert demands.kpis.values["served"].text().startswith("1 家")

    seen: dict[str, object] = {}

    def detail(dialog):
        shown = lambda: [a for a, b in dialog.step_buttons.items() if not b.isHidden()]  # noqa: E731
        seen["pending"] = shown()
        click(qtbot, dialog.step_buttons["assign"])
        seen["assigned"] = shown()
        click(qtbot, dialog.step_buttons["resolve"])
        seen["resolved"] = shown()
        click(qtbot, dialog.step_buttons["follow_up"])
        seen["followed"] = shown()
        seen["log"] = [e.kind_label for e in dialog.events.shown_rows()]
        seen["heading"] = dialog.heading.text()
        return True

    def step(dialog):
        if dialog.action == "assign":
            dialog.widget("responsible_unit").setText("区金融办")
            dialog.widget("co_units").setText("区工信局")
            dialog.widget("due_on").set_value(date(2026, 12, 10))
        elif dialog.action == "resolve":
            assert not dialog.save_button.isEnabled()  # 办结 requires a result
            dialog.widget("result").setPlainText("已对接农商行，发放贷款300万元")
            dialog.widget("on").set_value(date(2026, 11, 1))  # before it was received: the service refuses
            click(qtbot, dialog.save_button)
            seen["refusal"] = dialog.boxes["on"].message.text()
            assert dialog.isVisible() and dialog.result() == 0
            dialog.widget("on").set_value(TODAY)
        elif dialog.action == "follow_up":
            assert not dialog.save_button.isEnabled()
            dialog.widget("satisfaction").set_code("satisfied")
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, DemandDetailDialog=detail, StepDialog=step)
    with qtbot.waitSignal(demands.status_message) as status:
        demands.open_demand(row.id)
    assert seen["pending"] == ["assign"]
    assert seen["assigned"] == ["assign", "start", "progress", "resolve", "explain"]
    assert seen["resolved"] == ["follow_up", "reopen", "sign_off"]
    assert seen["followed"] == ["follow_up", "reopen", "sign_off"]
    assert "早于受理日期 2026-11-26" in str(seen["refusal"])
    assert seen["log"] == ["登记", "交办", "办结", "回访"]
    assert "按期办结" in str(seen["heading"])
    assert status.args == ["已办理诉求 141102-2026-0001：已办结"]

    assert board_counts(demands)["pending"] == "0" and board_counts(demands)["resolved"] == "1"
    assert "在办 0 件" in demands.board.summary.text()
    k = demands.kpis.values
    assert (k["received"].text(), k["closed"].text()) == ("1 件", "1 件")
    assert k["on_time"].text().startswith("1 件") and "100.0%" in k["on_time"].text()
    assert k["resolution"].text() == "100.0%"
    assert k["satisfaction"].text().startswith("100.0%")
    model = demands.ledger.model
    assert model.data(model.index(0, STATUS)) == "已办结"
    assert model.data(model.index(0, HANDLING)) == "按期办结"
    assert model.tone_at(0, HANDLING) == "green"


def test_refusals_show_the_service_message_and_change_nothing(qtbot, office, monkeypatch):
    firm = enterprise(office, "离石恒泰物流有限公司", seed=2)
    d = office.demands.register(DemandDraft(firm, "self", "land", "厂房用地手续", received_on=date(2026, 11, 2))).id
    office.demands.assign(d, "区自然资源局", date(2026, 11, 20), on=date(2026, 11, 2))
    office.demands.resolve(d, "已办理", on=date(2026, 11, 10))
    page = open_page(qtbot, DemandsPage(office))
    seen: dict[str, object] = {}

    def detail(dialog):
        click(qtbot, dialog.step_buttons["sign_off"])  # not followed up yet
        click(qtbot, dialog.step_buttons["reopen"])
        return True

    def step(dialog):
        if dialog.action == "sign_off":
            click(qtbot, dialog.save_button)
            seen["sign_off"] = dialog.general_messages.text()
            dialog.done(0)
        else:
            seen["reopen_enabled"] = dialog.save_button.isEnabled()  # no reason, no reopening
            dialog.done(0)

    drive_dialogs(monkeypatch, DemandDetailDialog=detail, StepDialog=step)
    page.open_demand(d)
    assert "办结后尚未回访" in str(seen["sign_off"]) and "不能销号" in str(seen["sign_off"])
    assert seen["reopen_enabled"] is False
    assert office.demands.detail(d).row.status == "resolved"
    assert [e.kind for e in office.demands.detail(d).events] == ["create", "assign", "resolve"]


def test_overdue_first_in_red_and_board_click_filters_the_ledger(qtbot, office, qtmodeltester):
    firm = enterprise(office, "吕梁金桥机械制造有限公司", seed=3)
    late = office.demands.register(DemandDraft(firm, "hotline", "arrears", "工程款拖欠", received_on=date(2026, 9, 1))).id
    office.demands.assign(late, "区住建局", date(2026, 10, 1), on=date(2026, 9, 1))
    office.demands.register(DemandDraft(firm, "self", "labour", "招工难", received_on=date(2026, 11, 10)))
    office.demands.register(DemandDraft(firm, "self", "tax", "留抵退税", received_on=date(2026, 11, 24)))
    page = open_page(qtbot, DemandsPage(office))
    card = page.board.cards["assigned"]
    overdue_button = card.bucket_buttons["overdue"]
    assert list(card.bucket_buttons) == ["overdue", "gt30", "d8_30", "le7"]  # overdue first
    assert overdue_button.text() == "逾期　1 件" and "#c62828" in overdue_button.styleSheet()
    assert "逾期 1 件" in page.board.summary.text()
    assert [page.board.cards["pending"].bucket_buttons[b].text() for b in ("d8_30", "le7")] == [
        "8–30天　1 件", "≤7天　1 件"]

    click(qtbot, overdue_button)
    model = page.ledger.model
    assert [r.id for r in model.shown_rows()] == [late]
    assert model.data(model.index(0, HANDLING)) == "逾期49天"  # 时限 1 Oct (国庆) moved to 8 Oct
    assert model.data(model.index(0, HANDLING), Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    assert page.ledger.count_label.text() == "共 3 件，筛选后 1 件"
    qtmodeltester.check(model)

    page.ledger.clear_filters()
    assert len(model.shown_rows()) == 3
    page.ledger.overdue_only.setChecked(True)
    assert [r.id for r in model.shown_rows()] == [late]
    page.ledger.overdue_only.setChecked(False)
    page.ledger.category.set_code("tax")
    assert [r.category_label for r in model.shown_rows()] == ["税费"]
    page.ledger.category.set_code("finance")
    assert page.ledger.list.currentIndex() == 1 and page.ledger.list.empty_button.text() == "清除筛选"
    click(qtbot, page.ledger.list.empty_button)
    assert len(model.shown_rows()) == 3


def test_kpi_strip_periods_and_number_formats(qtbot, office, qtmodeltester):
    firm = enterprise(office, "山西吕梁天宇食品有限公司", seed=4)
    for day in (5, 6):
        office.demands.register(DemandDraft(firm, "self", "policy", "补贴兑现", received_on=date(2026, 10, day)))
    page = open_page(qtbot, DemandsPage(office))
    strip = page.kpis
    strip.kind.set_code("month")
    assert strip.period.code() == "2026-11" and strip.values["received"].text() == "0 件"
    strip.period.set_code("2026-10")
    assert strip.values["received"].text() == "2 件"
    strip.kind.set_code("year")
    assert strip.period.code() == "2026" and strip.values["received"].text() == "2 件"
    assert strip.values["resolution"].text() == "—"  # nothing closed: no rate
    assert (percent(2 / 3), percent(None), percent(1)) == ("66.7%", "—", "100.0%")
    qtmodeltester.check(ledger_model(TODAY))


def test_new_demand_form_refuses_due_before_received_under_the_field(qtbot, office, monkeypatch):
    firm = enterprise(office, "离石区宏达建筑工程有限公司", seed=5)
    page = open_page(qtbot, DemandsPage(office))
    seen = {}

    def form(dialog):
        dialog.widget("enterprise_id").set_enterprise(firm, "离石区宏达建筑工程有限公司")
        dialog.widget("received_on").set_value(date(2026, 11, 20))
        dialog.fields.widget("category").set_code("approval")
        dialog.fields.widget("description").setPlainText("施工许可办理慢")
        dialog.fields.widget("due_on").set_value(date(2026, 11, 1))
        click(qtbot, dialog.save_button)
        seen["due"] = dialog.fields.boxes["due_on"].message.text()
        dialog.fields.widget("due_on").set_value(date(2026, 12, 1))
        click(qtbot, dialog.save_button)

    drive_dialogs(monkeypatch, DemandDialog=form)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: pytest.fail("nothing should ask"))
    with qtbot.waitSignal(page.status_message) as status:
        page.new_action.trigger()
    assert "办理时限 2026-11-01 早于受理日期 2026-11-20" in seen["due"]
    assert status.args == ["已登记诉求：141102-2026-0001"]
    assert page.ledger.model.shown_rows()[0].due_on == date(2026, 12, 1)
