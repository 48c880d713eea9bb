"""The city edition's 各县对比: each county's figures equal the list pages' own counts for that county, the 全市 row
equals the dashboard tiles, sorting keeps 全市 last, a double-click lands on the county's list, late packages show."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from lvqi_desktop.models.bases import IncubationBase
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.services.county_comparison import package_deadline
from lvqi_desktop.services.county_comparison import package_period
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.dashboard import DashboardService
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.services.monitoring_stats import month_summary
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.ui import background
from lvqi_desktop.ui import table_export
from lvqi_desktop.ui.county_comparison import EMPTY_TEXT
from lvqi_desktop.ui.county_comparison import CountyComparisonWidget
from lvqi_desktop.validation.visits import VisitDraft
from tests.conftest import make_uscc
from tests.conftest import set_up_city
from tests.ui.conftest import main_window
from tests.ui.ui_activity import TODAY
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

D = date
LISHI, XIAOYI, FENYANG = "141102", "141181", "141182"


pytestmark = pytest.mark.usefixtures("page_settings")


def _dated(s):
    """Services on TODAY, the dashboard built over them the way bundle.py builds it."""
    fix_today(s)
    s.cultivation = build_cultivation(s.db, s.office_county, lambda: TODAY)
    sources = ReturnSources(s.db, s.kpi, s.cultivation.targets, s.demands, s.visits)
    s.dashboard = DashboardService(sources, s.office_info, s.bases, s.office_county, s.enterprises)
    return s


def _firm(s, county: str, seed: int, name: str) -> int:
    return s.enterprises.save(EnterpriseDraft(uscc=make_uscc(county, seed=seed), name=name, county_code=county,
                                              registered_on="2015-03-01")).id


def _fill(s) -> dict[str, list[int]]:
    """离石: 2 firms, an overdue demand, 2 visits, 1 provincial SRDI; 孝义: 1 firm, an open demand, 1 visit, a base."""
    firms = {LISHI: [_firm(s, LISHI, 51, "离石概览甲有限公司"), _firm(s, LISHI, 52, "离石概览乙有限公司")],
             XIAOYI: [_firm(s, XIAOYI, 53, "孝义概览丙有限公司")]}
    pools = s.cultivation.pools
    pools.add_to_pool(firms[LISHI][0], RecordDraft(pool="srdi", tier="srdi_provincial", status="valid",
                                                   entered_on="2025-05-01", recognized_on="2026-03-02",
                                                   document_no="晋工信〔2026〕9号"))
    pools.add_to_pool(firms[XIAOYI][0], RecordDraft(pool="srdi", tier="innovative_sme", entered_on="2026-10-08"))
    s.cultivation.targets.save_target(LISHI, "tier:srdi_provincial", 2026, "2")
    late = s.demands.register(DemandDraft(firms[LISHI][1], "visit", "finance", "流动资金紧张",
                                          received_on=D(2026, 11, 2))).id
    s.demands.assign(late, "区工信局", D(2026, 11, 12), on=D(2026, 11, 2))
    s.demands.register(DemandDraft(firms[XIAOYI][0], "visit", "land", "用地手续", received_on=D(2026, 11, 20)))
    h = helper(s, "王五")
    for firm, day in ((firms[LISHI][0], D(2026, 3, 5)), (firms[LISHI][1], D(2026, 10, 9)),
                      (firms[XIAOYI][0], D(2026, 10, 20)), (firms[XIAOYI][0], D(2025, 12, 30))):
        s.visits.log_visit(VisitDraft(firm, day, helper_ids=[h]))
    monitoring = MonitoringService(s.db, s.office_county, lambda: TODAY)
    for firm in (firms[LISHI][0], firms[XIAOYI][0]):
        monitoring.add_to_sample(firm, D(2025, 1, 1))
    monitoring.save_report(ReportDraft(firms[LISHI][0], "2026-10", {"revenue_ytd": "120"}, D(2026, 11, 5)),
                           confirmed=True)
    monitoring.save_report(ReportDraft(firms[LISHI][0], "2026-09", {"revenue_ytd": "90"}, D(2026, 10, 5)),
                           confirmed=True)
    monitoring.save_report(ReportDraft(firms[XIAOYI][0], "2026-09", {"revenue_ytd": "30.5"}, D(2026, 10, 28)),
                           confirmed=True)
    s.enterprises.archive(_firm(s, FENYANG, 54, "汾阳已注销有限公司"), "已注销")  # archived: counted nowhere
    with s.db.unit_of_work() as uow:
        level = s.bases.level_choices()[0][0]
        uow.session.add(IncubationBase(county_code=XIAOYI, name="孝义市电商产业园", kind="ecommerce", level=level))
        uow.commit()
    return firms


@pytest.fixture
def city(blank_services):
    set_up_city(blank_services)
    s = _dated(blank_services)
    _fill(s)
    return s


def test_each_county_row_equals_that_countys_own_lists(city) -> None:
    s = city
    c = s.dashboard.county_comparison(2026, TODAY)
    assert [r.county_code for r in c.rows] == sorted(r.county_code for r in c.rows) and len(c.rows) == 13
    monitoring = MonitoringService(s.db, s.office_county, lambda: TODAY)
    for row in c.rows:
        code = row.county_code
        board = s.demands.board(code)
        done = monitoring.completeness(monitoring.current_due_month(), county_code=code)
        assert row.open_demands == sum(b.le7 + b.d8_30 + b.gt30 + b.overdue for b in board)
        assert row.overdue == sum(b.overdue for b in board)
        assert row.visits == len(s.visits.list_visits("2026", county_code=code))
        assert (row.monitoring_expected, row.monitoring_received) == (done.expected, done.received)
        assert row.bases == sum(1 for b in s.bases.list_bases() if b.county_code == code)
    lishi = next(r for r in c.rows if r.county_code == LISHI)
    xiaoyi = next(r for r in c.rows if r.county_code == XIAOYI)
    assert (lishi.enterprises, lishi.open_demands, lishi.overdue, lishi.visits) == (2, 1, 1, 2)
    assert (xiaoyi.enterprises, xiaoyi.open_demands, xiaoyi.overdue, xiaoyi.visits, xiaoyi.bases) == (1, 1, 0, 1, 1)
    assert (lishi.monitoring_percent, xiaoyi.monitoring_percent) == (100.0, 0.0)
    fenyang = next(r for r in c.rows if r.county_code == FENYANG)
    assert fenyang.monitoring_percent is None and fenyang.enterprises == 0  # no sample; its one firm is archived
    # tiers: TargetService.progress's count where a target is set; the 省级 holder also counts as 创新型
    progress = {p.metric: p for p in s.cultivation.targets.progress(LISHI, 2026)}
    provincial = next(t for t in lishi.tiers if t.metric == "tier:srdi_provincial")
    assert (provincial.achieved, provincial.target) == (progress["tier:srdi_provincial"].achieved, 2) == (1, 2)
    assert [t.achieved for t in lishi.tiers][:2] == [1, 1] and all(t.target is None for t in xiaoyi.tiers)


def test_city_total_equals_the_dashboard_tiles(city) -> None:
    s = city
    c = s.dashboard.county_comparison(2026, TODAY)
    f = s.dashboard.figures(2026, TODAY)
    t = c.total
    assert t.county_code == CITY_CODE and t.county_name == "全市"
    assert t.enterprises == f.enterprises == s.enterprises.counts()[0] == 3
    assert t.overdue == f.overdue == 1
    assert t.open_demands == sum(d.le7 + d.d8_30 + d.gt30 + d.overdue for d in f.demands) == 2
    assert t.visits == f.visits == 3  # the 2025 visit is not this year's
    assert t.bases == sum(b.count for b in f.bases) == 1
    assert f.monitoring is not None
    assert (t.monitoring_expected, t.monitoring_received) == (f.monitoring.expected, f.monitoring.received) == (2, 1)
    for field in ("enterprises", "open_demands", "overdue", "visits", "bases", "monitoring_expected"):
        assert getattr(t, field) == sum(getattr(r, field) for r in c.rows)
    assert [x.achieved for x in t.tiers] == [sum(r.tiers[i].achieved for r in c.rows) for i in range(len(t.tiers))]


def test_revenue_trend_and_completeness_equal_the_monitoring_returns(city) -> None:
    s = city
    f = s.dashboard.figures(2026, TODAY)
    monitoring = MonitoringService(s.db, s.office_county, lambda: TODAY)
    done = monitoring.missing_now()
    assert f.monitoring is not None
    assert (f.monitoring.period, f.monitoring.expected, f.monitoring.received, f.monitoring.on_time) == \
           (done.period, done.expected, done.received, done.on_time) == ("2026-10", 2, 1, 1)
    for point in f.monitoring.revenue_trend:
        revenue = next(i for i in month_summary(monitoring, point.period).indicators if i.field.key == "revenue_ytd")
        assert point.value == (revenue.total / 1_000_000 if revenue.firms else None)
    assert [(v.period, v.value) for v in f.monitoring.revenue_trend][-2:] == [("2026-09", 120.5), ("2026-10", 120)]


def test_reporting_period_is_the_last_finished_quarter() -> None:
    assert package_period(D(2026, 11, 26)).code == "2026Q3"
    assert package_deadline(package_period(D(2026, 11, 26))) == D(2026, 10, 10)
    assert package_period(D(2027, 1, 5)).code == "2026Q4"
    assert package_deadline(package_period(D(2027, 1, 5))) == D(2027, 1, 11)  # the 10th is a Sunday


def _widget(qtbot, services) -> CountyComparisonWidget:
    widget = CountyComparisonWidget(services, today=TODAY, background=False)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    return widget


def _names(widget) -> list[str]:
    return [widget.model.row_at(i).county_name for i in range(widget.model.rowCount())]


def test_sorting_keeps_the_city_total_last_and_late_packages_show(qtbot, city) -> None:
    widget = _widget(qtbot, city)
    names = _names(widget)
    assert len(names) == 14 and names[0] == "离石区" and names[-1] == "全市"
    widget.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # 在册企业, most first
    names = _names(widget)
    assert names[:2] == ["离石区", "孝义市"] and names[-1] == "全市"
    widget.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert _names(widget)[-3:] == ["孝义市", "离石区", "全市"]
    total = widget.model.index(widget.model.rowCount() - 1, 1)
    assert widget.model.data(total) == "3" and widget.model.data(total, Qt.ItemDataRole.FontRole).bold()
    # no package has come in for 2026Q3, due 2026-10-10: every county is late
    assert len(widget.submissions) == 13 and all(s.status == "missing" and s.late for s in widget.submissions)
    text = widget.packages_label.text()
    assert "2026年第三季度" in text
    assert "2026-10-10" in text and "逾期未报 13 个" in text and "已报送 0 个" in text and "未报送（已逾期）" in text


def test_double_click_opens_the_countys_filtered_list(qtbot, city) -> None:
    from lvqi_desktop.ui.county_comparison import CountyComparisonWidget as Widget

    window = main_window(qtbot, city, (1400, 900))
    widget = window.findChild(Widget)
    assert widget is not None
    tabs = window.findChild(QTabWidget, "start_tabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["全市概览", "各县对比"]
    tabs.setCurrentWidget(widget)  # the comparison loads when its tab is first shown
    qtbot.waitUntil(lambda: widget.comparison is not None and not widget.loading, timeout=10000)
    row = _names(widget).index("孝义市")
    table = widget.table

    def double_click(column: int) -> None:
        rect = table.visualRect(widget.model.index(row, column))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a user presses first
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    double_click(7)  # 其中逾期 → 企业诉求, 孝义市, overdue
    page = window.current_page()
    assert page.title == "企业诉求"
    assert page.ledger.county.code() == XIAOYI and page.ledger.age.code() == "overdue"
    window.show_page("首页")
    assert tabs.currentWidget() is widget
    double_click(1)  # 在册企业 → 企业库 filtered to 孝义市
    page = window.current_page()
    assert page.title == "企业库" and page.filters.county.code() == XIAOYI
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.row_at(0).name == "孝义概览丙有限公司"


def test_export_writes_the_table_as_shown(qtbot, city, tmp_path, monkeypatch) -> None:
    widget = _widget(qtbot, city)
    target = tmp_path / "各县对比.xlsx"
    monkeypatch.setattr(table_export, "ask_export_path", lambda *_: target)
    monkeypatch.setattr(table_export.messages, "inform_with_action", lambda *_: False)
    widget.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)  # 今年入企服务
    widget.export()
    background.wait_for_background()
    qtbot.waitUntil(target.exists, timeout=5000)
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "县（市、区）")
    body = [r for r in values[header + 1:] if r[0]]
    assert [r[0] for r in body[:2]] == ["离石区", "孝义市"] and body[-1][0] == "全市" and len(body) == 14
    assert body[-1][1] == 3 and body[-1][8] == 3


def test_county_edition_has_no_comparison(qtbot, services) -> None:
    from lvqi_desktop.ui.county_comparison import CountyComparisonWidget as Widget

    window = main_window(qtbot, _dated(services))
    assert window.findChild(Widget) is None


def test_empty_city_database_shows_the_empty_state_and_who_is_late(qtbot, blank_services) -> None:
    set_up_city(blank_services)
    s = _dated(blank_services)
    assert s.dashboard.county_comparison(2026, TODAY).empty
    widget = _widget(qtbot, s)
    assert widget.note.text() == EMPTY_TEXT and not widget.table.isVisible()
    assert not widget.export_button.isEnabled()
    assert "逾期未报 13 个" in widget.packages_label.text()


def test_a_received_package_shows_as_sent_and_its_county_fills_its_row(qtbot, tmp_path) -> None:
    from tests.services.exchange.conftest import make_city
    from tests.services.exchange.conftest import make_county

    county = make_county(tmp_path / "county", enterprises=12)
    made = county.exchange.export_package("2026Q3", tmp_path, with_returns=False)
    county.db.dispose()
    city = _dated(make_city(tmp_path / "city"))
    try:
        x = city.exchange
        x.apply(x.dry_run([made.path]))
        x.write_receipt(made.manifest.package_uuid, "accepted", [], tmp_path)
        widget = _widget(qtbot, city)
        by_county = {s.county_code: s for s in widget.submissions}
        assert by_county[LISHI].status == "accepted" and by_county[XIAOYI].status == "missing"
        late = by_county[LISHI].late  # received on the real clock: after 2026-10-10 unless the machine says otherwise
        text = widget.packages_label.text()
        assert "逾期未报 12 个" in text and "已报送 1 个" in text and f"逾期报送 {int(late)} 个" in text
        assert by_county[LISHI].status_label in text
        lishi = next(r for r in widget.comparison.rows if r.county_code == LISHI)
        assert lishi.enterprises == 12 == widget.comparison.total.enterprises
    finally:
        background.wait_for_background()
        city.db.dispose()
