"""Two clerks on one database, the real 结束包联 and 更换包联 dialogs: a pairing changed meanwhile is not overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.helpers.assignment_forms import EndAssignmentDialog
from lvqi_desktop.ui.helpers.assignment_forms import ReassignDialog
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import HelperDraft
from tests.conftest import make_uscc
from tests.ui.two_clerks import close_next_message_box

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("dialog_class", [EndAssignmentDialog, ReassignDialog])
def test_the_dialog_on_a_pairing_another_clerk_ended_is_told_and_stays_open(qtbot, services, other_clerk, monkeypatch,
                                                                          dialog_class) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)  # closing the changed form at teardown
    firm = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=71), name="吕梁兴县铸造有限公司")).id
    zhang = services.helpers.save_helper(HelperDraft(name="张三", post="副县长", unit="县政府", level="county"))
    services.helpers.save_helper(HelperDraft(name="赵六", post="局长", unit="县工信局", level="county"))
    pair = services.helpers.assign(AssignmentDraft(firm, zhang, role="lead", from_date=date(2026, 1, 1)))
    row = services.helpers.assignments(enterprise_id=firm)[0]
    dialog = dialog_class(services, row, None, TODAY)  # as 结束 / 更换 open it on the selected row
    qtbot.addWidget(dialog)
    dialog.show()
    other_clerk.helpers.end_assignment(pair, date(2026, 10, 31))  # 王五 ends it first
    if dialog_class is ReassignDialog:
        dialog.widget("helper_id").setCurrentIndex(dialog.widget("helper_id").findText("赵六"))
    seen: list[str] = []
    close_next_message_box(seen)
    assert dialog.save() is False
    assert seen[0] == "记录已被他人修改" and "该记录已被 王五 于" in seen[1]
    assert dialog.isVisible()
    assert [(r.helper_name, r.to_date) for r in services.helpers.assignments(enterprise_id=firm)] == [
        ("张三", date(2026, 10, 31))]  # 王五's end stands; nothing of this dialog was written
