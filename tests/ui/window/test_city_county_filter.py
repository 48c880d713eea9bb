"""The city edition's 县区 filter on every list page: choosing a county shows only its rows, 全部县区 all of them,
and a 县区 column appears only in the city edition (a county edition keeps its pages as they were)."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.services.demands import DemandDraft
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.helpers import AssignmentDraft
from lvqi_desktop.services.helpers import TeamDraft
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.visits import VisitDraft
from lvqi_desktop.ui.demands.page import DemandsPage
from lvqi_desktop.ui.helpers.page import HelpersPage
from lvqi_desktop.ui.monitoring.page import MonitoringPage
from lvqi_desktop.ui.monitoring.start import MissingReportsWidget
from lvqi_desktop.ui.pools.page import PoolsPage
from lvqi_desktop.ui.reminders_widget import RemindersWidget
from lvqi_desktop.ui.visits_page import VisitsPage
from tests.conftest import make_uscc
from tests.conftest import set_up_city
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import TODAY
from tests.ui.ui_activity import fix_today
from tests.ui.ui_activity import helper


def on_today(services) -> MonitoringService:
    """The bundle's monitoring service, on the test's fixed day."""
    return MonitoringService(services.db, services.office_county, lambda: TODAY)

LISHI, XIAOYI = "141102", "141181"
FIRMS = {LISHI: "离石红枣加工有限公司", XIAOYI: "孝义铝业有限公司"}


pytestmark = pytest.mark.usefixtures("page_settings")


def _firm(services, county: str, seed: int) -> int:
    draft = EnterpriseDraft(uscc=make_uscc(county, seed=seed), name=FIRMS[county], county_code=county,
                            industry_section="C", registered_on="2015-03-01",
                            years=[YearDraft(year=2025, revenue="1000", employees="100")])
    return services.enterprises.save(draft).id


def _activity(services) -> dict[str, int]:
    """One firm per county, each in 小升规, paired with its own helper, visited, with a demand, monitored."""
    firms = {county: _firm(services, county, seed) for county, seed in ((LISHI, 31), (XIAOYI, 32))}
    team_members = []
    for county, firm in firms.items():
        services.cultivation.pools.add_to_pool(firm, RecordDraft(pool="scale_up", entered_on="2026-06-01"))
        person = helper(services, f"干部{county[-2:]}")
        team_members.append(person)
        services.helpers.assign(AssignmentDraft(firm, person, from_date=date(2026, 11, 1)))
        services.visits.log_visit(VisitDraft(firm, date(2026, 11, 20), helper_ids=[person]))
        services.demands.register(DemandDraft(firm, "self", "land", f"{FIRMS[county]}用地手续",
                                              received_on=date(2026, 11, 2)))
        MonitoringService(services.db, services.office_county, lambda: TODAY).add_to_sample(firm, date(2025, 1, 1))
    services.helpers.save_team(TeamDraft("孝义服务组", team_members[1], [(team_members[1], "leader")]))
    return firms


@pytest.fixture
def city(blank_services):
    set_up_city(blank_services)
    services = fix_today(blank_services)
    _activity(services)
    return services


@pytest.fixture
def county(services):
    office = fix_today(services)
    firm = _firm(office, LISHI, 41)
    MonitoringService(office.db, office.office_county, lambda: TODAY).add_to_sample(firm, date(2025, 1, 1))
    return office


def _show(qtbot, page):
    return shown_at(qtbot, page, 1300, 700)


def _shown(tab, name_of) -> list[str]:
    return sorted(name_of(r) for r in tab.model.shown_rows())


def _titles(model) -> list[str]:
    return [c.title for c in model.columns]


def _check_county_combo(tab, load, name_of, expect_all: list[str]) -> None:
    """Each county shows only its rows, 全部县区 all; the choice survives a reload (refresh)."""
    assert tab.county.itemText(0) == "全部县区" and tab.county.count() == 14
    assert _shown(tab, name_of) == sorted(expect_all)
    tab.county.set_code(XIAOYI)
    assert [name_of(r) for r in tab.model.shown_rows()] == [n for n in expect_all if "孝义" in n]
    load()
    assert tab.county.code() == XIAOYI and [name_of(r) for r in tab.model.shown_rows()] == [
        n for n in expect_all if "孝义" in n]
    tab.county.set_code(LISHI)
    assert [name_of(r) for r in tab.model.shown_rows()] == [n for n in expect_all if "离石" in n]
    tab.county.set_code("")
    assert _shown(tab, name_of) == sorted(expect_all)


def test_pools_page_filters_by_county_and_fills_townships_from_it(qtbot, city):
    page = _show(qtbot, PoolsPage(city))
    tab = page.show_pool("scale_up")
    assert _titles(tab.model)[1] == "县区"
    assert not tab.township.isVisibleTo(tab)  # 全部县区: no township list until a county is chosen
    _check_county_combo(tab, page.refresh, lambda r: r.name, list(FIRMS.values()))
    assert tab.model.data(tab.model.index(0, 1)) in ("离石区", "孝义市")
    tab.county.set_code(XIAOYI)
    towns = [tab.township.itemText(i) for i in range(1, tab.township.count())]
    assert tab.township.isVisibleTo(tab) and towns
    assert towns == [t.label for t in city.reference.townships(XIAOYI)]
    srdi = page.show_pool("srdi")  # the other pool tabs follow the choice
    assert srdi.county.code() == XIAOYI and srdi.township.count() == len(towns) + 1


def test_check_all_results_filter_by_county_and_follow_the_pool_tabs(qtbot, city):
    page = _show(qtbot, PoolsPage(city))
    tab = page.check_tab
    assert "县区" in _titles(tab.model)
    tab.include_not_met.setChecked(True)
    tab._done(city.cultivation.checks.check_all(include_not_met=True))  # what 开始检查 delivers off the GUI thread
    names = lambda: sorted({r.name for r in tab.model.shown_rows()})  # noqa: E731
    assert names() == sorted(FIRMS.values())
    tab.county.set_code(XIAOYI)
    assert names() == [FIRMS[XIAOYI]]
    scale_up = page.show_pool("scale_up")
    assert scale_up.county.code() == XIAOYI  # one choice for the page
    scale_up.county.set_code(LISHI)
    page.tabs.setCurrentWidget(tab)
    tab.ensure_loaded()
    assert tab.county.code() == LISHI and names() == [FIRMS[LISHI]]


def test_visits_page_filters_by_county(qtbot, city):
    page = _show(qtbot, VisitsPage(city))
    tab = page.visits
    assert _titles(tab.model)[2] == "县区"
    _check_county_combo(tab, page.refresh, lambda r: r.enterprise_name, list(FIRMS.values()))
    tab.county.set_code(XIAOYI)
    assert tab.model.data(tab.model.index(0, 2)) == "孝义市"
    assert page._table_title().endswith("入企服务记录（2026年11月）（孝义市）")  # what 导出Excel · 打印 title


def test_demands_page_filters_ledger_and_board_by_county(qtbot, city):
    page = _show(qtbot, DemandsPage(city))
    ledger = page.ledger
    assert _titles(ledger.model)[2] == "县区"
    _check_county_combo(ledger, page.refresh, lambda r: r.enterprise_name, list(FIRMS.values()))
    assert (page.kpis.figures.received, page.kpis.figures.enterprises_served) == (2, 2)
    ledger.county.set_code(LISHI)
    assert sum(r.total for r in city.demands.board(LISHI)) == 1
    assert ledger.count_label.text().startswith("共 1 件")
    assert (page.kpis.figures.received, page.kpis.figures.enterprises_served) == (1, 1)  # the KPIs follow too
    assert page.kpis.values["received"].text() == "1 件"
    ledger.county.set_code("")
    assert ledger.count_label.text().startswith("共 2 件")
    assert page.kpis.figures.received == 2


def test_helpers_page_filters_every_tab_by_the_paired_enterprises_county(qtbot, city):
    page = _show(qtbot, HelpersPage(city))
    helpers, teams = page.helpers_tab, page.teams_tab
    helpers.ensure_loaded()
    assert "县区" in _titles(helpers.model)
    _check_county_combo(helpers, helpers.reload, lambda r: "离石" if r.name.endswith("02") else "孝义",
                        ["孝义", "离石"])
    teams.ensure_loaded()
    assert [r.name for r in teams.model.shown_rows()] == ["孝义服务组"]
    teams.county.set_code(LISHI)
    assert teams.model.shown_rows() == [] and "没有包联企业的工作组" in teams.list.empty_label.text()
    page.tabs.setCurrentWidget(page.assignments_tab)  # one choice for the whole page: the other tabs follow
    assert page.assignments_tab.county.code() == LISHI
    assert [r.enterprise_name for r in page.assignments_tab.model.shown_rows()] == [FIRMS[LISHI]]
    teams.county.set_code("")
    for tab in (page.assignments_tab, page.coverage_tab):
        tab.ensure_loaded()
        assert "县区" in _titles(tab.model)
        _check_county_combo(tab, tab.reload, lambda r: r.enterprise_name, list(FIRMS.values()))


def test_monitoring_page_filters_grid_completeness_and_statisticians_by_county(qtbot, city):
    page = _show(qtbot, MonitoringPage(city, monitoring=on_today(city)))
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    assert page.model.fixed == ("企业名称", "县区", "报送状态")
    assert sorted(r.name for r in page.model.rows) == sorted(FIRMS.values())
    page.county.set_code(XIAOYI)
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    assert [r.name for r in page.model.rows] == [FIRMS[XIAOYI]]
    assert page.model.data(page.model.index(0, 1)) == "孝义市"
    assert page.completeness_table.rowCount() == 1
    assert page.completeness_table.item(0, 1).text() == "孝义市"
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    assert page.county.code() == XIAOYI and [r.name for r in page.model.rows] == [FIRMS[XIAOYI]]
    page.county.set_code("")
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    assert len(page.model.rows) == 2 and page.completeness_table.rowCount() == 2


def test_start_page_reminders_filter_by_county(qtbot, city):
    widget = RemindersWidget(city, today=TODAY)
    qtbot.addWidget(widget)

    def firms() -> list[tuple[str, str]]:
        group = widget.tree.topLevelItem(0)
        return sorted((group.child(i).text(1), group.child(i).text(2)) for i in range(group.childCount()))

    assert widget.tree.headerItem().text(2) == "县区"
    assert firms() == sorted([(FIRMS[LISHI], "离石区"), (FIRMS[XIAOYI], "孝义市")])
    widget.county.set_code(LISHI)
    assert firms() == [(FIRMS[LISHI], "离石区")] and widget.count_label.text() == "共 1 条"
    widget.refresh()
    assert firms() == [(FIRMS[LISHI], "离石区")]
    widget.county.set_code("")
    assert len(firms()) == 2


def test_start_page_missing_reports_name_each_firms_county(qtbot, city):
    widget = MissingReportsWidget(city, monitoring=on_today(city))
    qtbot.addWidget(widget)
    assert "未报 2 家" in widget.label.text()
    assert f"{FIRMS[LISHI]}（离石区）" in widget.label.text() and f"{FIRMS[XIAOYI]}（孝义市）" in widget.label.text()


def test_county_edition_has_no_county_combo_or_column(qtbot, county):
    pools = _show(qtbot, PoolsPage(county))
    tab = pools.show_pool("scale_up")
    assert tab.county is None and "县区" not in _titles(tab.model) and tab.township.count() > 1
    visits = _show(qtbot, VisitsPage(county))
    assert visits.visits.county is None and "县区" not in _titles(visits.visits.model)
    demands = _show(qtbot, DemandsPage(county))
    assert demands.ledger.county is None and "县区" not in _titles(demands.ledger.model)
    helpers = _show(qtbot, HelpersPage(county))
    for t in helpers.all_tabs():
        assert t.county is None and "县区" not in _titles(t.model)
    monitoring = _show(qtbot, MonitoringPage(county, monitoring=on_today(county)))
    qtbot.waitUntil(lambda: not monitoring.loading, timeout=10000)
    assert monitoring.county is None and "县区" not in monitoring.model.fixed
    assert monitoring.completeness_table.columnCount() == 4 and monitoring.people_table.columnCount() == 9
    reminders = RemindersWidget(county, today=TODAY)
    qtbot.addWidget(reminders)
    assert reminders.county is None and reminders.tree.columnCount() == 4
    missing = MissingReportsWidget(county, monitoring=on_today(county))
    qtbot.addWidget(missing)
    assert FIRMS[LISHI] in missing.label.text() and "（离石区）" not in missing.label.text()
