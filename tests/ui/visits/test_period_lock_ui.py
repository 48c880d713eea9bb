"""The visit form tells the user, under the visit date, that a received period is locked; nothing is saved."""

from __future__ import annotations

import os
from datetime import date

import pytest

from lvqi_desktop import clock
from lvqi_desktop.storage import period_lock
from lvqi_desktop.ui.visits_page import VisitsPage
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import click
from tests.ui.ui_activity import drive_dialogs
from tests.ui.ui_activity import enterprise
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

pytestmark = pytest.mark.usefixtures("page_settings")


def test_the_visit_form_says_the_quarter_is_locked_and_saves_nothing(qtbot, services, monkeypatch):
    office = fix_today(services)
    firm = enterprise(office, "吕梁晋绥红枣加工有限责任公司", seed=7, registered_on="2020-05-01")
    zhang = helper(office, "张建国")
    with office.db.unit_of_work() as uow:  # what importing the city's accepted receipt for 2026Q3 does
        period_lock.lock_period(uow.session, "2026Q3", "00000000-0000-0000-0000-000000000000", clock.now())
        uow.commit()
    page = shown_at(qtbot, VisitsPage(office), 1200, 600)
    seen = {}

    def form(dialog):
        dialog.resize(900, 700)
        dialog.widget("enterprise_id").set_enterprise(firm, "吕梁晋绥红枣加工有限责任公司")
        dialog.widget("visited_on").set_value(date(2026, 9, 18))
        dialog.widget("helper_ids").set_checked([zhang])
        click(qtbot, dialog.save_button)
        seen["message"] = dialog.boxes["visited_on"].message.text()
        seen["still_open"] = dialog.isVisible()
        if shots := os.environ.get("LVQI_SHOTS"):
            dialog.grab().save(f"{shots}/visit_form_locked.png")
        dialog.done(0)

    drive_dialogs(monkeypatch, VisitDialog=form)
    page.new_action.trigger()
    assert "入企走访（2026-09-18）属于2026年第三季度（2026Q3）" in seen["message"]
    assert "该期已由市中心接收并锁定；如需修改，请先在“数据报送”页重新打开该期（需填写原因）" in seen["message"]
    assert seen["still_open"] is True
    assert office.visits.list_visits() == []
