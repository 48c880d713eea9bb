"""Two clerks on one database, the real forms: the second 保存 is told who changed the record, and keeps what was typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
from lvqi_desktop.ui.visit_form import VisitDialog
from tests.conftest import make_uscc
from tests.ui.registry.test_enterprise_form import type_into
from tests.ui.two_clerks import close_next_message_box

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch):
    """Closing the still-changed form at teardown would ask."""
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)


def test_the_enterprise_form_saved_after_another_clerk_is_told_and_keeps_the_typed_values(qtbot, services,
                                                                                          other_clerk):
    firm = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=61), name="吕梁汾酒包装有限公司",
                                                     contact_person="赵六")).id
    dialog = EnterpriseDialog(services, firm, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    other_clerk.enterprises.save(replace(other_clerk.enterprises.draft(firm), contact_person="王五改的"), firm)
    type_into(qtbot, dialog.basic.widget("contact_phone"), "0358-8221234")
    type_into(qtbot, dialog.basic.widget("address"), "汾阳市杏花村镇")
    seen: list[str] = []
    close_next_message_box(seen)
    assert dialog.save() is False
    assert seen[0] == "记录已被他人修改"
    assert "该记录已被 王五 于" in seen[1] and "请关闭后重新打开" in seen[1]
    assert dialog.isVisible() and dialog.saved is None  # not closed: the clerk can copy what was typed
    assert dialog.basic.widget("contact_phone").text() == "0358-8221234"
    assert dialog.basic.widget("address").text() == "汾阳市杏花村镇"
    stored = services.enterprises.draft(firm)
    assert (stored.contact_person, stored.contact_phone, stored.address) == ("王五改的", "", "")

    reopened = EnterpriseDialog(services, firm, today=TODAY)  # closed and opened again: the save goes through
    qtbot.addWidget(reopened)
    reopened.show()
    type_into(qtbot, reopened.basic.widget("contact_phone"), "0358-8221234")
    assert reopened.save() is True
    stored = other_clerk.enterprises.draft(firm)
    assert (stored.contact_person, stored.contact_phone) == ("王五改的", "0358-8221234")


def test_the_visit_form_saved_after_another_clerk_is_told_and_stays_open(qtbot, services, other_clerk):
    firm = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=62), name="吕梁孝义铝业有限公司")).id
    visit = services.visits.log_visit(VisitDraft(firm, date(2026, 11, 2), visitors="测试员")).visit_id
    dialog = VisitDialog(services, today=TODAY, enterprise=(firm, "吕梁孝义铝业有限公司"), visit_id=visit)  # as 修改 opens it
    qtbot.addWidget(dialog)
    dialog.show()
    other_clerk.visits.update_visit(visit, replace(other_clerk.visits.draft_of(visit), firm_reported="订单增加"))
    dialog.widget("policies_explained").setPlainText("讲解了稳岗补贴")
    seen: list[str] = []
    close_next_message_box(seen)
    assert dialog.save() is False
    assert "该记录已被 王五 于" in seen[1]
    assert dialog.isVisible() and dialog.widget("policies_explained").toPlainText() == "讲解了稳岗补贴"
    stored = services.visits.draft_of(visit)
    assert (stored.firm_reported, stored.policies_explained) == ("订单增加", "")
