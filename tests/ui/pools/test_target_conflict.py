"""Two clerks on one database, the real 修改目标 dialog: the second 保存 is told who changed the target, nothing lost."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.ui import messages
from lvqi_desktop.ui.pools.progress_tab import ProgressTab
from lvqi_desktop.ui.pools.progress_tab import TargetDialog
from tests.ui.two_clerks import close_next_message_box

TODAY = date(2026, 11, 26)


def test_a_target_changed_meanwhile_by_another_clerk_is_not_written_over(qtbot, services, other_clerk,
                                                                         monkeypatch) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)  # closing the changed form at teardown
    target = services.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "40")
    tab = ProgressTab(services, today=TODAY)
    qtbot.addWidget(tab)
    tab.reload(select=target)
    row = tab.list.current_row()
    assert (row.target_id, row.target) == (target, 40)
    dialog = TargetDialog(services, row, tab, TODAY)  # as 修改目标 opens it
    qtbot.addWidget(dialog)
    dialog.show()
    other_clerk.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "60")  # 王五 saves first
    dialog.widget("value").setText("50")
    seen: list[str] = []
    close_next_message_box(seen)
    assert dialog.save() is False
    assert seen[0] == "记录已被他人修改" and "该记录已被 王五 于" in seen[1]
    assert dialog.isVisible() and dialog.widget("value").text() == "50"  # what was typed stays to copy
    tab.reload(select=target)
    assert tab.list.current_row().target == 60  # 王五's value stands
    reopened = TargetDialog(services, tab.list.current_row(), tab, TODAY)
    qtbot.addWidget(reopened)
    reopened.show()
    reopened.widget("value").setText("50")
    assert reopened.save() is True
    assert other_clerk.cultivation.targets.list_targets(year=2027)[0].value == 50
