"""The start page's reminders: grouped, a coloured word on every line, each line opening its record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.ui.reminders_widget import EMPTY_TEXT
from lvqi_desktop.ui.reminders_widget import ROW_ROLE
from lvqi_desktop.ui.reminders_widget import RemindersWidget
from tests.conftest import make_uscc

TODAY = date(2026, 11, 26)


def add_firm(services, name: str, seed: int, revenue: str = "900") -> int:
    draft = EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, county_code="141102", industry_section="C",
                            years=[YearDraft(year=2025, revenue=revenue, main_revenue=revenue, employees="60")])
    return services.enterprises.save(draft).id


def lines(widget: RemindersWidget) -> dict[str, list[tuple[str, str, str]]]:
    """Group title → (word, firm, colour) of each line."""
    out = {}
    for i in range(widget.tree.topLevelItemCount()):
        group = widget.tree.topLevelItem(i)
        out[group.text(0)] = [(group.child(j).text(0), group.child(j).text(1),
                               group.child(j).foreground(0).color().name()) for j in range(group.childCount())]
    return out


def test_empty_state_says_what_will_appear(qtbot, services):
    widget = RemindersWidget(services, today=TODAY)
    qtbot.addWidget(widget)
    assert widget.stack.currentWidget() is widget.empty_label and widget.empty_label.text() == EMPTY_TEXT


def test_reminders_are_grouped_coloured_with_words_and_open_their_record(qtbot, services):
    pools = services.cultivation.pools
    expiring = pools.add_to_pool(add_firm(services, "称号将到期有限公司", 1), RecordDraft(
        pool="srdi", tier="srdi_provincial", status="valid", recognized_on="2023-12-15", document_no="晋〔2023〕9号"))
    quiet = pools.add_to_pool(add_firm(services, "久未跟进有限公司", 2),
                              RecordDraft(pool="scale_up", entered_on="2026-06-01"))
    above = add_firm(services, "达到规上未入统有限公司", 3, revenue="2600")
    widget = RemindersWidget(services, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    got = lines(widget)
    assert got["称号即将到期（1）"] == [("即将到期", "称号将到期有限公司", "#9a5b00")]
    assert got["年度信息待更新（1）"] == [("已逾期", "称号将到期有限公司", "#c62828")]
    assert got["超过90天未跟进（1）"] == [("逾期未跟进", "久未跟进有限公司", "#c62828")]
    assert got["已达规上标准未入统（1）"] == [("待入统", "达到规上未入统有限公司", "#9a5b00")]
    assert widget.count_label.text() == "共 4 条"

    records: list[int] = []
    firms: list[int] = []
    widget.record_requested.connect(records.append)
    widget.enterprise_requested.connect(firms.append)
    first = widget.tree.topLevelItem(0).child(0)
    widget.tree.setCurrentItem(first)
    qtbot.keyClick(widget.tree, Qt.Key.Key_Return)
    assert records == [expiring]
    item = widget.tree.topLevelItem(2).child(0)
    assert item.data(0, ROW_ROLE).record_id == quiet
    widget.tree.itemActivated.emit(item, 0)
    assert records == [expiring, quiet]
    widget.tree.setCurrentItem(widget.tree.topLevelItem(3).child(0))
    qtbot.mouseClick(widget.open_button, Qt.MouseButton.LeftButton)
    assert firms == [above]
    widget.tree.setCurrentItem(widget.tree.topLevelItem(0))
    assert not widget.open_button.isEnabled()  # a group heading opens nothing

    pools.record_follow_up(quiet, "2026-11-20", "电话回访")
    widget.refresh()
    assert "超过90天未跟进（1）" not in lines(widget)
