"""The 梯度培育库 page driven through real widgets: SRDI tiers with timeline and progress, the 小巨人 override,
bulk status changes (all or nothing), and 检查全部 in the background."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lvqi_desktop import clock
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.ui import enterprise_picker
from lvqi_desktop.ui.pools import page as pools_page
from lvqi_desktop.ui.pools import progress_tab as pool_progress_tab
from lvqi_desktop.ui.pools import record_dialog as pool_record_dialog
from lvqi_desktop.ui.pools.change_dialogs import BulkStatusDialog
from lvqi_desktop.ui.pools.change_dialogs import StatusChangeDialog
from lvqi_desktop.ui.pools.change_dialogs import TierChangeDialog
from lvqi_desktop.ui.pools.page import PoolsPage
from lvqi_desktop.ui.pools.progress_tab import TargetDialog
from lvqi_desktop.ui.pools.record_dialog import PoolRecordDialog
from tests.conftest import make_uscc
from tests.services.pools.conftest import STRONG
from tests.services.pools.conftest import STRONG_INPUT
from tests.ui.conftest import shown_at

SMALL = {2024: dict(revenue="900", main_revenue="850", employees="40", total_assets="700"),
         2025: dict(revenue="1100", main_revenue="1000", employees="45", total_assets="800")}
Script = Callable[[QDialog], None]


pytestmark = pytest.mark.usefixtures("page_settings")


class Dialogs:
    """Replaces run_dialog: each dialog the page opens is shown and driven by the next script in line."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.scripts: list[Script] = []
        self.opened: list[QDialog] = []

    def __call__(self, dialog: QDialog) -> bool:
        self.qtbot.addWidget(dialog)
        dialog.show()
        self.opened.append(dialog)
        assert self.scripts, f"no script for {type(dialog).__name__}"
        self.scripts.pop(0)(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted


@pytest.fixture
def dialogs(qtbot, monkeypatch, no_boxes) -> Dialogs:
    runner = Dialogs(qtbot)
    for module in (pools_page, pool_record_dialog, pool_progress_tab, enterprise_picker):
        monkeypatch.setattr(module, "run_dialog", runner)
    return runner


def add_firm(services, name: str, seed: int, years: dict | None = None, **fields) -> int:
    draft = EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, county_code="141102", industry_section="C",
                            registered_on="2012-05-01",
                            years=[YearDraft(year=y, **v) for y, v in (years or SMALL).items()], **fields)
    return services.enterprises.save(draft).id


def open_page(qtbot, services, pool: str = "srdi") -> PoolsPage:
    page = shown_at(qtbot, PoolsPage(services), 1300, 760)
    page.show_pool(pool)
    return page


def click_save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def select_rows(page: PoolsPage, ids: list[int]) -> None:
    tab = page.current_pool_tab()
    table = tab.list.table
    table.clearSelection()
    flags = table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows
    for rid in ids:
        table.selectionModel().select(tab.model.index(tab.model.position_of(rid), 0), flags)


def test_srdi_firm_moves_through_tiers_with_timeline_and_progress(qtbot, services, dialogs, qtmodeltester,
                                                                  fixed_clock):
    fixed_clock.set(datetime(2026, 11, 20, 10))  # titles of 2026 still valid, figures of 2023–2025 the latest
    eid = add_firm(services, "吕梁强企科技有限公司", 1, STRONG)
    services.cultivation.checks.save_tier_inputs(eid, [STRONG_INPUT])
    page = open_page(qtbot, services)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "专精特新"
    assert [page.tabs.tabText(i) for i in range(6)] == ["小升规", "专精特新", "股份制改造", "上市挂牌后备", "检查全部",
                                                        "目标与进度"]
    tab = page.current_pool_tab()
    assert tab.list.currentIndex() == 1 and "还没有企业" in tab.list.empty_label.text()

    # a county target for 省级专精特新 this year, set in the progress tab
    def set_target(d: TargetDialog) -> None:
        d.widget("metric").set_code("tier:srdi_provincial")
        d.widget("value").setText("2")
        click_save(qtbot, d)
    page.tabs.setCurrentWidget(page.progress_tab)
    dialogs.scripts.append(set_target)
    page.progress_tab.add_target()
    progress = {(r.scope, r.metric, r.year): r for r in page.progress_tab.model.all_rows()}
    mine = progress[("141102", "tier:srdi_provincial", clock.today().year)]
    assert (mine.target, mine.achieved, mine.gap, mine.percent) == (2, 0.0, 2.0, 0.0)
    qtmodeltester.check(page.progress_tab.model)

    # 入库 by picking the firm in the search dialog, as 创新型中小企业
    def pick(d) -> None:
        d.search_edit.setText("强企")
        d.search()
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)

    def enter(d: PoolRecordDialog) -> None:
        dialogs.scripts.insert(0, pick)
        qtbot.mouseClick(d.widget("enterprise").pick_button, Qt.MouseButton.LeftButton)
        assert d.widget("enterprise").name_edit.text() == "吕梁强企科技有限公司"
        d.widget("tier").set_code("innovative_sme")
        assert "满足" in d.gap_view.text()  # the gap report follows the firm and tier picked
        click_save(qtbot, d)
    page.show_pool("srdi")
    dialogs.scripts.append(enter)
    page.new_action.trigger()
    rows = tab.model.shown_rows()
    assert [(r.name, r.tier, r.status_label) for r in rows] == [("吕梁强企科技有限公司", "innovative_sme", "培育中")]
    assert tab.count_label.text() == "共 1 家"
    rid = rows[0].id
    qtmodeltester.check(tab.model)

    # in the editor: 培育中 → 已申报 → 已认定 (date and document number), then up a tier
    def to_status(status: str, **fill: object) -> Script:
        def run(d: StatusChangeDialog) -> None:
            d.widget("status").set_code(status)
            for name, value in fill.items():
                w = d.widget(name)
                w.set_value(value) if isinstance(value, date) else w.setText(str(value))
            click_save(qtbot, d)
        return run

    def recognise_without_number(d: StatusChangeDialog) -> None:
        d.widget("status").set_code("recognized")
        assert d.form.isRowVisible(d.boxes["document_no"])  # the change asks for what it needs
        click_save(qtbot, d)
        assert "请填写认定文号" in d.boxes["document_no"].message.text() and d.isVisible()
        to_status("recognized", recognized_on=date(2026, 3, 2), document_no="晋工信中小〔2026〕8号")(d)

    def tier_up(d: TierChangeDialog) -> None:
        d.widget("tier").set_code("srdi_provincial")
        d.widget("status").set_code("recognized")
        d.widget("recognized_on").set_value(date(2026, 9, 1))
        d.widget("document_no").setText("晋工信中小〔2026〕30号")
        d.widget("note").setText("省厅公布第二批名单")
        click_save(qtbot, d)

    def editor(d: PoolRecordDialog) -> None:
        dialogs.scripts[:0] = [to_status("applied", note="已报送"), recognise_without_number]
        qtbot.mouseClick(d.status_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(d.status_button, Qt.MouseButton.LeftButton)
        assert d.status_label.text() == "已认定"
        assert d.widget("valid_until").value() == date(2029, 3, 2)  # 3 years, filled by the service
        assert "对照：省级专精特新中小企业" in d.gap_view.text()  # a held title is checked against the next tier
        dialogs.scripts.insert(0, tier_up)
        qtbot.mouseClick(d.tier_button, Qt.MouseButton.LeftButton)
        assert d.tier_label.text() == "省级专精特新中小企业" and d.status_label.text() == "已认定"
        d.tabs.setCurrentIndex(1)
        lines = [(r.kind_label, r.summary, r.note, r.operator) for r in d.timeline_model.all_rows()]
        assert lines[0][0] == "入库"
        assert lines[1][1] == "培育中 → 已申报" and lines[1][2] == "已报送"
        assert lines[2][1].startswith("已申报 → 已认定；认定日期 2026-03-02，文号 晋工信中小〔2026〕8号")
        assert lines[3][0] == "层级变更" and "创新型中小企业 → 省级专精特新中小企业" in lines[3][1]
        assert lines[3][2] == "省厅公布第二批名单" and lines[3][3] == "测试员"
        qtmodeltester.check(d.timeline_model)
        d.reject()
    dialogs.scripts.append(editor)
    tab.list.row_activated.emit(tab.model.row_at(0))
    assert tab.model.row_at(0).tier == "srdi_provincial" and tab.model.row_at(0).status == "recognized"

    page.tabs.setCurrentWidget(page.progress_tab)
    progress = {(r.scope, r.metric, r.year): r for r in page.progress_tab.model.all_rows()}
    mine = progress[("141102", "tier:srdi_provincial", clock.today().year)]
    assert (mine.achieved, mine.gap, mine.percent) == (1.0, 1.0, 50.0)
    assert page.progress_tab.model.data(page.progress_tab.model.index(
        page.progress_tab.model.position_of(mine.target_id), 8)) == "进行中"
    assert rid


def test_little_giant_without_provincial_title_needs_an_override_reason(qtbot, services, dialogs):
    eid = add_firm(services, "越级申报有限公司", 2, STRONG)
    rid = services.cultivation.pools.add_to_pool(eid, RecordDraft(pool="srdi", tier="srdi_provincial"))
    page = open_page(qtbot, services)

    def jump(d: TierChangeDialog) -> None:
        d.widget("tier").set_code("little_giant_national")
        assert not d.form.isRowVisible(d.boxes["override_reason"])
        click_save(qtbot, d)
        assert d.isVisible()
        message = d.boxes["override_reason"].message.text()
        assert "须先持有有效的省级专精特新中小企业称号" in message and "越级理由" in message
        assert d.form.isRowVisible(d.boxes["override_reason"]) and d.save_button.text() == "越级变更"
        assert services.cultivation.pools.record(rid).row.tier == "srdi_provincial"  # nothing changed
        click_save(qtbot, d)  # still no reason: still refused
        assert d.isVisible()
        d.widget("override_reason").setText("经省工信厅同意直接申报")
        click_save(qtbot, d)

    def editor(d: PoolRecordDialog) -> None:
        dialogs.scripts.insert(0, jump)
        qtbot.mouseClick(d.tier_button, Qt.MouseButton.LeftButton)
        assert d.tier_label.text() == "国家级专精特新“小巨人”企业"
        last = d.timeline_model.all_rows()[-1]
        assert "越级理由：经省工信厅同意直接申报" in last.summary
        d.reject()
    dialogs.scripts.append(editor)
    page.open_record(rid)
    assert page.current_pool_tab().model.row_at(0).tier == "little_giant_national"

    # entering a new 小巨人 straight away is refused the same way, then accepted with a reason
    other = add_firm(services, "直接入库小巨人有限公司", 3, STRONG)

    def enter(d: PoolRecordDialog) -> None:
        d.widget("enterprise").set_enterprise(other, "直接入库小巨人有限公司")
        d.widget("tier").set_code("little_giant_provincial")
        click_save(qtbot, d)
        assert d.isVisible() and "越级理由" in d.boxes["override_reason"].message.text()
        assert d.save_button.text() == "越级入库"
        d.widget("override_reason").setText("省级称号在复核中")
        click_save(qtbot, d)
    dialogs.scripts.append(enter)
    page.new_action.trigger()
    assert {r.name for r in page.current_pool_tab().model.all_rows()} == {"越级申报有限公司", "直接入库小巨人有限公司"}


def test_bulk_status_change_of_three_rows_all_or_nothing(qtbot, services, dialogs, no_boxes):
    pools = services.cultivation.pools
    ids = [pools.add_to_pool(add_firm(services, f"小升规候选{i}号有限公司", 10 + i), RecordDraft(pool="scale_up"))
           for i in range(4)]
    pools.change_status(ids[3], "withdrawn", "企业迁出", status_reason="企业迁出")
    page = open_page(qtbot, services, "scale_up")
    tab = page.current_pool_tab()
    assert tab.count_label.text() == "共 4 家"
    tab.status.set_code("survey")
    assert tab.count_label.text() == "共 4 家，筛选后 3 家"
    tab.status.set_code("")

    select_rows(page, ids[:3])
    assert page.bulk_action.isEnabled() and not page.status_action.isEnabled()

    def bulk(d: BulkStatusDialog) -> None:
        d.widget("status").set_code("cultivating")
        d.widget("note").setText("第一批重点培育")
        click_save(qtbot, d)
    dialogs.scripts.append(bulk)
    page.bulk_action.trigger()
    by_id = {r.id: r for r in tab.model.all_rows()}
    assert [by_id[i].status_label for i in ids] == ["培育中", "培育中", "培育中", "退库"]
    assert all(pools.timeline(i)[-1].note == "第一批重点培育" for i in ids[:3])

    select_rows(page, [ids[0], ids[3]])  # 退库 cannot go to 已达标待入统: neither changes

    def refused(d: BulkStatusDialog) -> None:
        d.widget("status").set_code("qualified")
        click_save(qtbot, d)
        assert d.isVisible() and "小升规候选3号有限公司：“退库”不能直接改为“已达标待入统”" in d.general_messages.text()
        d.reject()
    dialogs.scripts.append(refused)
    page.bulk_action.trigger()
    assert pools.record(ids[0]).row.status == "cultivating" and pools.record(ids[3]).row.status == "withdrawn"


def test_check_all_runs_in_background_and_lists_a_firm_meeting_its_next_tier(qtbot, services, dialogs,
                                                                             qtmodeltester, fixed_clock):
    fixed_clock.set(datetime(2026, 11, 20, 10))  # the firms' figures are of 2023–2025
    strong = add_firm(services, "吕梁达标科技有限公司", 20, STRONG, above_scale=True, above_scale_since="2024-01")
    services.cultivation.checks.save_tier_inputs(strong, [STRONG_INPUT])
    services.cultivation.pools.add_to_pool(strong, RecordDraft(pool="srdi", tier="srdi_provincial", rule_set="2022"))
    thin = add_firm(services, "吕梁缺数有限公司", 21, {2025: dict(revenue="3000", employees="50")})
    services.cultivation.pools.add_to_pool(thin, RecordDraft(pool="srdi", tier="srdi_provincial", rule_set="2022"))
    page = open_page(qtbot, services)
    page.check_action.trigger()
    assert page.tabs.currentWidget() is page.check_tab
    qtbot.waitUntil(lambda: page.check_tab.ran_at is not None, timeout=10000)
    rows = {r.name: r for r in page.check_tab.model.shown_rows()}
    assert rows["吕梁达标科技有限公司"].outcome_label == "已符合"
    assert rows["吕梁达标科技有限公司"].target_label == "省级专精特新中小企业"
    assert rows["吕梁缺数有限公司"].outcome_label == "缺少数据"
    assert "已符合下一层级或规上标准 1 家，缺少数据 1 家" in page.check_tab.summary.text()
    page.check_tab.outcome.set_code("meets")
    assert [r.name for r in page.check_tab.model.shown_rows()] == ["吕梁达标科技有限公司"]
    assert page.check_tab.count_label.text() == "共 2 条，筛选后 1 条"
    qtmodeltester.check(page.check_tab.model)
    model = page.check_tab.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).name() == "#2e7d32"

    opened: list[int] = []
    page.open_record = lambda rid: opened.append(rid)  # type: ignore[method-assign]
    page.check_tab.list.row_activated.emit(model.row_at(0))
    assert opened == [model.row_at(0).record_id]


def test_a_fresh_county_install_judges_no_city_target(qtbot, services):
    """The city plan's targets are no county's: shown as 全市目标（参考）, never a red 未完成 against one county's data."""
    page = open_page(qtbot, services)
    page.tabs.setCurrentWidget(page.progress_tab)
    model = page.progress_tab.model
    rows = model.all_rows()
    assert rows and {r.scope_label for r in rows} == {"全市目标（参考）"}
    states = {model.data(model.index(i, 8)) for i in range(model.rowCount())}
    assert states == {"参考"}
