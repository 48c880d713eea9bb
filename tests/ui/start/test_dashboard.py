"""The start-page dashboard: each figure equals the service/return figure; clicks land on the filtered list."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.dashboard import DashboardService
from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.service import ReturnService
from lvqi_desktop.ui.charts import BarChart
from lvqi_desktop.ui.dashboard_widget import EMPTY_TEXT
from lvqi_desktop.ui.dashboard_widget import DashboardWidget
from lvqi_desktop.ui.dashboard_widget import open_filtered
from lvqi_desktop.validation.visits import VisitDraft
from tests.ui.conftest import main_window
from tests.ui.ui_activity import TODAY
from tests.ui.ui_activity import enterprise
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper

D = date


pytestmark = pytest.mark.usefixtures("page_settings")


def fixed(services):
    """All services on TODAY, the dashboard built over them the way bundle.py builds it."""
    fix_today(services)
    services.cultivation = build_cultivation(services.db, services.office_county, lambda: TODAY)
    sources = ReturnSources(services.db, services.kpi, services.cultivation.targets, services.demands,
                            services.visits)
    services.returns = ReturnService(sources, services.office_info, today=lambda: TODAY)
    services.dashboard = DashboardService(sources, services.office_info, services.bases, services.office_county,
                                         services.enterprises)
    return services


@pytest.fixture
def office(services):
    return fixed(services)


@pytest.fixture
def filled(office):
    return fill(office)


def fill(s):
    firms = [enterprise(s, f"吕梁概览测试{i}有限公司", seed=900 + i) for i in range(1, 6)]
    pools = s.cultivation.pools
    pools.add_to_pool(firms[0], RecordDraft(pool="srdi", tier="innovative_sme", entered_on="2026-10-08"))
    pools.add_to_pool(firms[1], RecordDraft(pool="srdi", tier="innovative_sme", status="valid",
                                            entered_on="2025-05-01", recognized_on="2026-11-02",
                                            document_no="晋工信〔2026〕1号"))
    pools.add_to_pool(firms[3], RecordDraft(pool="scale_up", entered_on="2026-10-15"))
    left = pools.add_to_pool(firms[4], RecordDraft(pool="scale_up", entered_on="2025-01-10"))
    pools.change_status(left, "withdrawn", "经营困难，企业申请退出", status_reason="经营困难")
    s.cultivation.targets.save_target("141102", "tier:innovative_sme", 2026, "4")
    s.cultivation.targets.save_target("141102", "enterprises_served", 2026, "10")
    ds = s.demands
    late = ds.register(DemandDraft(enterprise_id=firms[2], source="visit", category="finance",
                                   description="流动资金紧张，需要贷款支持", received_on=D(2026, 11, 5))).id
    ds.assign(late, "区工信局", D(2026, 11, 15), on=D(2026, 11, 5))
    ds.start(late, on=D(2026, 11, 5))  # due 11-15, still open on 11-26: overdue
    done = ds.register(DemandDraft(enterprise_id=firms[0], source="visit", category="labour",
                                   description="招工难", received_on=D(2026, 10, 5))).id
    ds.assign(done, "区人社局", D(2026, 10, 20), on=D(2026, 10, 5))
    ds.resolve(done, "已解决", on=D(2026, 10, 15))
    ds.register(DemandDraft(enterprise_id=firms[1], source="visit", category="land",
                            description="用地手续", received_on=D(2026, 11, 20)))
    h = helper(s, "张三")
    s.visits.log_visit(VisitDraft(firms[0], D(2026, 3, 15), helper_ids=[h]))
    s.visits.log_visit(VisitDraft(firms[1], D(2026, 10, 8), helper_ids=[h]))
    s.visits.log_visit(VisitDraft(firms[2], D(2026, 10, 9), channel="phone", helper_ids=[h]))
    return s


def test_figures_equal_the_service_and_return_figures(filled) -> None:
    s = filled
    f = s.dashboard.figures(2026, TODAY)
    assert not f.empty
    # demands: the 企业诉求 board, status by status, and overdue
    board = s.demands.board()
    assert [(d.status, d.total, d.overdue, d.gt30, d.d8_30, d.le7) for d in f.demands] == \
           [(r.status, r.total, r.overdue, r.gt30, r.d8_30, r.le7) for r in board]
    assert f.overdue == sum(r.overdue for r in board) == 1
    # targets: TargetService.progress for the office's county
    progress = s.cultivation.targets.progress("141102", 2026)
    assert [(t.metric, t.target, t.achieved, t.percent) for t in f.targets] == \
           [(p.metric, p.target, p.achieved, p.percent) for p in progress]
    # KPIs: enterprises served vs target
    k = s.kpi.kpis("2026")
    assert (f.enterprises_served, f.served_target) == (k.enterprises_served_ytd, k.served_target)
    assert f.served_target == 10
    # visits per month: VisitService.list_visits
    months = Counter(v.visited_on.month for v in s.visits.list_visits("2026"))
    assert f.visits_by_month == tuple(months.get(m, 0) for m in range(1, 13))
    assert f.visits_by_month[9] == 2 and f.visits == 3
    # pool flow: the 梯度培育企业汇总表 for the year, summed over tiers
    doc = s.returns.build(["pool_summary"], "2026")[0]
    by_pool: dict[str, list[int]] = {}
    at = [doc.definition.index(key) for key in ("in_pool", "entered", "recognized", "left")]
    for line in doc.lines:
        if line.kind == "data":
            sums = by_pool.setdefault(line.values[0], [0, 0, 0, 0])
            for i, column in enumerate(at):
                sums[i] += line.values[column] or 0
    assert {p.name: [p.in_pool, p.entered, p.recognized, p.left] for p in f.pools} == by_pool
    srdi = next(p for p in f.pools if p.pool == "srdi")
    assert (srdi.entered, srdi.recognized) == (1, 1)
    scale = next(p for p in f.pools if p.pool == "scale_up")
    assert (scale.entered, scale.left) == (1, 1)
    # bases by level: the ledger's counts
    assert sum(b.count for b in f.bases) == len(s.bases.list_bases())


def test_empty_database_shows_the_empty_state(qtbot, office) -> None:
    f = office.dashboard.figures(2026, TODAY)
    assert f.empty
    widget = DashboardWidget(office, today=TODAY, background=False)
    qtbot.addWidget(widget)
    widget.show()
    widget.reload()
    assert widget.message.text() == EMPTY_TEXT and widget.message.isVisible()
    assert not widget.content.isVisible()


def test_background_load_and_click_on_overdue_bar_opens_the_filtered_ledger(qtbot, filled) -> None:
    window = main_window(qtbot, filled, (1400, 900))
    from lvqi_desktop.ui.dashboard_widget import DashboardWidget as Widget

    dashboard = window.findChild(Widget)
    assert dashboard is not None
    qtbot.waitUntil(lambda: dashboard.figures is not None and dashboard.figures.complete and not dashboard.loading,
                    timeout=10000)
    assert dashboard.figures == filled.dashboard.figures(2026, TODAY)
    assert dashboard.content.isVisible()
    chart: BarChart = dashboard.demands
    qtbot.waitUntil(lambda: "demands:overdue" in chart.element_rects(), timeout=5000)  # once painted
    rects = chart.element_rects()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rects["demands:overdue"].center())
    page = window.pages[window._nav.currentRow()]
    assert page.title == "企业诉求"
    page.on_shown()
    ledger = page.ledger
    assert ledger.age.code() == "overdue"
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 1, timeout=5000)
    assert ledger.model.row_at(0).overdue and ledger.model.row_at(0).description == "流动资金紧张，需要贷款支持"


def test_pool_and_visit_clicks_open_their_lists(qtbot, filled) -> None:
    window = main_window(qtbot, filled)
    open_filtered(window, "梯度培育库", "scale_up")
    pools = window.pages[window._nav.currentRow()]
    assert pools.title == "梯度培育库" and pools.current_pool_tab().pool.code == "scale_up"
    open_filtered(window, "入企服务", "2026-10")
    visits = window.pages[window._nav.currentRow()]
    assert visits.title == "入企服务" and visits.visits.period.code() == "2026-10"
    open_filtered(window, "双创基地", "city")
    bases = window.pages[window._nav.currentRow()]
    assert bases.title == "双创基地" and bases.bases.level.code() == "city"


def test_numbers_are_links_that_name_their_list(qtbot, filled) -> None:
    widget = DashboardWidget(filled, today=TODAY, background=False)
    qtbot.addWidget(widget)
    widget.show()
    widget.reload()
    assert 'href="visits:"' in widget.served.text() and 'href="demands:"' in widget.served.text()
    with qtbot.waitSignal(widget.open_requested) as opened:
        widget.served.linkActivated.emit("visits:")
    assert opened.args == ["入企服务", ""]
    with qtbot.waitSignal(widget.open_requested) as opened:
        widget.demands.activated.emit("demands:status:in_progress")
    assert opened.args == ["企业诉求", "status:in_progress"]


def test_core_then_complete_equals_figures(filled) -> None:
    d = filled.dashboard
    core = d.core(2026, TODAY)
    assert not core.complete and core.visits_by_month == () and core.monitoring is None
    assert d.complete(core, TODAY) == d.figures(2026, TODAY)


def test_enterprises_without_activity_are_not_empty(office) -> None:
    enterprise(office, "吕梁概览空白测试有限公司", seed=990)
    f = office.dashboard.figures(2026, TODAY)
    assert not f.empty and f.enterprises == 1 and f.overdue == 0 and f.visits == 0


def test_monitoring_tile_follows_the_monitoring_service(filled) -> None:
    f = filled.dashboard.figures(2026, TODAY)
    if not filled.dashboard.has_monitoring:
        assert f.monitoring is None
        return
    from lvqi_desktop.services.monitoring import MonitoringService

    monitoring = MonitoringService(filled.db, filled.office_county, lambda: TODAY)
    monitoring.add_to_sample(filled.enterprises.list_rows()[0].id, D(2026, 1, 1))
    f = filled.dashboard.figures(2026, TODAY)
    done = monitoring.missing_now()
    assert done.expected == 1
    assert f.monitoring is not None
    assert (f.monitoring.period, f.monitoring.expected, f.monitoring.received, f.monitoring.on_time) == \
           (done.period, done.expected, done.received, done.on_time)
    assert [v.period for v in f.monitoring.revenue_trend][-1] == done.period


def test_chart_exports_png(qtbot, filled, tmp_path) -> None:
    widget = DashboardWidget(filled, today=TODAY, background=False)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    widget.reload()
    path = tmp_path / "诉求.png"
    assert widget.demands.export_png(str(path))
    assert path.stat().st_size > 1000
