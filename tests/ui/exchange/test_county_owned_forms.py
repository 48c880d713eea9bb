"""City edition: every edit form opens a county's record read-only — the banner naming the county, no 保存,
关闭 without asking — while the city's own records and a county edition stay editable (issue 18 item 7)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QMessageBox
from PySide6.QtWidgets import QPushButton
from sqlalchemy import text

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.helpers import HelperDraft
from lvqi_desktop.ui.base_dialog import BaseDialog
from lvqi_desktop.ui.demands.detail import DemandDetailDialog
from lvqi_desktop.ui.demands.steps import ArchiveDemandDialog
from lvqi_desktop.ui.demands.steps import DemandDialog
from lvqi_desktop.ui.demands.steps import StepDialog
from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
from lvqi_desktop.ui.helpers.assignment_forms import EndAssignmentDialog
from lvqi_desktop.ui.helpers.assignment_forms import ReassignDialog
from lvqi_desktop.ui.helpers.forms import HelperDialog
from lvqi_desktop.ui.helpers.forms import TeamDialog
from lvqi_desktop.ui.monitoring.form import MonitoringReportDialog
from lvqi_desktop.ui.pools.record_dialog import PoolRecordDialog
from lvqi_desktop.ui.registry_page import make_enterprise_dialog
from lvqi_desktop.ui.visit_form import VisitDialog
from tests.conftest import open_services
from tests.exchange.test_hostile import accepted
from tests.exchange.test_hostile import db_bytes
from tests.services.exchange.conftest import make_city
from tests.services.exchange.county_records import rich_package
from tests.ui.conftest import shown_at
from tests.ui.ui_activity import throwaway_settings

BANNER = "离石区报送的数据，市中心只能查看。如需更正，请联系离石区在本县区修改后重新报送"


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, Services]]:
    """(the county that sent the package, the city that accepted it)."""
    root = tmp_path_factory.mktemp("owned")
    package = rich_package(root)
    city = make_city(root / "city")
    accepted(city.exchange, package)
    county = open_services(DataDir(root / "county"))
    yield county, city
    county.db.dispose()
    city.db.dispose()


def first(s: Services, sql: str):
    with s.db.unit_of_work() as uow:
        return uow.session.execute(text(sql)).first()


def opens(s: Services) -> dict[str, Callable[[], QDialog]]:
    """Each form a clerk can open on a stored record, opened on the first record of its kind."""
    firm = first(s, "SELECT id FROM enterprise ORDER BY id")[0]
    visit = first(s, "SELECT v.id, e.id, e.name FROM visit v JOIN enterprise e ON e.id = v.enterprise_id ORDER BY v.id")
    demand_row = s.demands.detail(first(s, "SELECT id FROM demand ORDER BY id")[0]).row
    record, pool = first(s, "SELECT id, pool FROM cultivation_record ORDER BY id")
    reported, month = first(s, "SELECT enterprise_id, period FROM monitoring_report ORDER BY id")
    base = first(s, "SELECT id FROM incubation_base ORDER BY id")[0]
    helper = first(s, "SELECT id FROM helper ORDER BY id")[0]
    team = s.helpers.list_teams()[0]
    assignment = s.helpers.assignments()[0]
    return {
        "enterprise": lambda: make_enterprise_dialog(s, firm, None, False),  # as 企业库 opens it, with its tabs
        "visit": lambda: VisitDialog(s, enterprise=(visit[1], visit[2]), visit_id=visit[0]),  # as 走访 opens it
        "demand": lambda: DemandDialog(s, demand_row.id),
        "demand step": lambda: StepDialog(s, demand_row, "progress"),
        "demand archive": lambda: ArchiveDemandDialog(s, demand_row),
        "pool record": lambda: PoolRecordDialog(s, pool, record),
        "monitoring": lambda: MonitoringReportDialog(s, reported, month),
        "base": lambda: BaseDialog(s, base),
        "helper": lambda: HelperDialog(s, helper),
        "team": lambda: TeamDialog(s, team),
        "reassign": lambda: ReassignDialog(s, assignment),
        "end assignment": lambda: EndAssignmentDialog(s, assignment),
    }


FORMS = ["enterprise", "visit", "demand", "demand step", "demand archive", "pool record", "monitoring", "base",
         "helper", "team", "reassign", "end assignment"]


def close_noting_questions(qtbot, dialog: QDialog) -> list[str]:
    """Click 取消/关闭 as a user would; any question the form asks is noted (and answered 否)."""
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.reject()

    watch = QTimer(dialog, interval=20)  # runs inside the question's own event loop, if one is asked
    watch.timeout.connect(answer)
    watch.start()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    watch.stop()
    return asked


def shown(qtbot, tmp_path, s: Services, kind: str) -> QDialog:
    throwaway_settings(tmp_path)
    form = opens(s)[kind]()
    qtbot.addWidget(form)
    form.show()
    return form


@pytest.mark.parametrize("kind", FORMS)
def test_the_city_opens_a_county_record_read_only(qtbot, offices, tmp_path, kind):
    city = offices[1]
    form = shown(qtbot, tmp_path, city, kind)
    assert form.sent_by == "离石区"
    assert form.read_only_banner.isVisible() and BANNER in form.read_only_banner.text()
    assert not form.save_button.isVisible() and not form.save_button.isEnabled()
    assert form.cancel_button.text() == "关闭"
    tabs = getattr(form, "tabs", None)
    for tab in range(tabs.count() if tabs is not None else 1):
        if tabs is not None:
            tabs.setCurrentIndex(tab)
        typed = [w for w in form.findChildren(QPushButton) if w.isVisible() and w.isEnabled()
                 and w.text() not in ("关闭", "打开该企业")]
        assert typed == [], [w.text() for w in typed]  # no 变更层级…, 添加诉求, 登记入驻…, 保存认定条件 either
    boxes = getattr(form, "boxes", None) or form.basic.boxes
    assert boxes and not any(box.widget.isEnabled() for box in boxes.values())
    assert not form.is_dirty()  # what it shows is what is stored
    before = db_bytes(city)
    assert form.save() is False  # Ctrl+S lands here
    assert close_noting_questions(qtbot, form) == []
    assert not form.isVisible() and db_bytes(city) == before


OPEN_CASE = "SELECT id FROM demand WHERE status IN ('pending', 'assigned', 'in_progress') ORDER BY id"


def test_the_demand_case_shows_no_step_to_the_city(qtbot, offices, tmp_path):
    throwaway_settings(tmp_path)
    _county, city = offices
    demand = first(city, OPEN_CASE)[0]
    case = DemandDetailDialog(city, demand)
    qtbot.addWidget(case)
    case.show()
    assert case.read_only_banner.isVisible() and BANNER in case.read_only_banner.text()
    assert not any(b.isVisible() for b in case.step_buttons.values()) and not case.edit_button.isVisible()
    assert case.sheet_button.isVisible()  # printing the 交办单 writes nothing
    own = DemandDetailDialog(offices[0], first(offices[0], OPEN_CASE)[0])  # the county handles its cases as before
    qtbot.addWidget(own)
    own.show()
    assert not own.read_only_banner.isVisible() and any(b.isVisible() for b in own.step_buttons.values())


@pytest.mark.parametrize("kind", FORMS)
def test_the_county_edits_the_same_records_as_before(qtbot, offices, tmp_path, kind):
    form = shown(qtbot, tmp_path, offices[0], kind)
    assert not form.sent_by and not form.read_only_banner.isVisible()
    assert form.save_button.isVisible() and form.cancel_button.text() == "取消"
    assert not form.is_dirty()
    assert close_noting_questions(qtbot, form) == []


def test_a_helper_the_city_registered_itself_stays_editable(qtbot, offices, tmp_path):
    throwaway_settings(tmp_path)
    _county, city = offices
    own = city.helpers.save_helper(HelperDraft(name="王市长", post="副市长", unit="吕梁市人民政府", level="city"))
    form = HelperDialog(city, own)
    qtbot.addWidget(form)
    form.show()
    assert form.sent_by is None and not form.read_only_banner.isVisible()
    form.widget("phone").setText("0358-8221234")
    assert form.save() is True
    assert city.helpers.helper_draft(own).phone == "0358-8221234"


def test_a_package_imported_firm_opens_as_stored_and_closes_without_a_question(qtbot, offices, tmp_path):
    """The bug: the read-only form read its disabled fields as empty, so every imported firm looked changed."""
    throwaway_settings(tmp_path)
    _county, city = offices
    with city.db.unit_of_work() as uow:
        firms = [r[0] for r in uow.session.execute(text("SELECT id FROM enterprise ORDER BY id LIMIT 8"))]
    for firm in firms:
        form = EnterpriseDialog(city, firm)
        qtbot.addWidget(form)
        form.show()
        assert form.draft() == city.enterprises.draft(firm)
        assert close_noting_questions(qtbot, form) == [] and not form.isVisible()


def _page(qtbot, s: Services, name: str):
    """A list page with its first row selected, and (its write actions, its 编辑-like action)."""
    from lvqi_desktop.ui.bases_page import BasesPage
    from lvqi_desktop.ui.demands.page import DemandsPage
    from lvqi_desktop.ui.helpers.page import ASSIGNMENTS
    from lvqi_desktop.ui.helpers.page import HelpersPage
    from lvqi_desktop.ui.pools.page import PoolsPage
    from lvqi_desktop.ui.registry_page import RegistryPage
    from lvqi_desktop.ui.visits_page import VisitsPage

    page = {"registry": RegistryPage, "visits": VisitsPage, "demands": DemandsPage, "helpers": HelpersPage,
            "assignments": HelpersPage, "pools": PoolsPage, "bases": BasesPage}[name](s)
    shown_at(qtbot, page, 1200, 700)
    if name == "registry":
        qtbot.waitUntil(lambda: page.model.rowCount() > 0)
        table = page.table
    elif name == "pools":
        table = page.show_pool(first(s, "SELECT pool FROM cultivation_record ORDER BY id")[0]).list.table
    else:
        if name == "assignments":
            page.tabs.setCurrentIndex(ASSIGNMENTS)
        tab = {"visits": "visits", "demands": "ledger", "helpers": "helpers_tab", "assignments": "assignments_tab",
               "bases": "bases"}[name]
        if name == "visits":
            page.visits.period.set_code("")  # 全部: the package's visits are of past months
        getattr(page, tab).ensure_loaded()
        table = getattr(page, tab).list.table
    table.selectRow(0)
    writes = {"visits": ["archive_action"], "demands": ["archive_action"], "helpers": ["archive_action"],
              "assignments": ["reassign_action", "end_action"], "pools": ["status_action", "archive_action"],
              "bases": ["archive_action"], "registry": ["archive_action"]}[name]
    view = {"visits": "view_action", "demands": "open_action", "assignments": None}.get(name, "edit_action")
    return page, [getattr(page, w) for w in writes], getattr(page, view) if view else None


PAGES = ["registry", "visits", "demands", "helpers", "assignments", "pools", "bases"]


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_grey_out_what_the_city_may_not_do_to_a_county_row(qtbot, offices, tmp_path, name):
    throwaway_settings(tmp_path)
    county, city = offices
    page, writes, view = _page(qtbot, city, name)
    for action in writes:
        assert not action.isEnabled(), action.text()
        assert "离石区报送的数据，市中心只能查看" in action.toolTip()
    assert view is None or view.isEnabled() and view.text() == "查看" and "离石区报送的数据" in view.toolTip()
    page, writes, view = _page(qtbot, county, name)  # the county that sent it: as before
    assert any(action.isEnabled() for action in writes)
    assert view is None or view.text() != "查看"
    assert all("报送的数据" not in a.toolTip() for a in (*writes, *([view] if view else [])))


def _monitoring(qtbot, s: Services):
    from lvqi_desktop.ui.monitoring.page import MonitoringPage

    page = MonitoringPage(s)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=5000)
    return page


def test_the_city_monitoring_grid_shows_county_firms_without_letting_them_be_typed_over(qtbot, offices, tmp_path):
    throwaway_settings(tmp_path)
    county, city = offices
    page = _monitoring(qtbot, city)
    cell = page.model.index(0, len(page.model.fixed))
    assert not page.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert "离石区报送的数据" in page.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    page.people_table.selectRow(0)  # 统计人员
    for action in (page._save_action, page._import_action, page.mark_paid_button):
        assert not action.isEnabled() and "离石区报送的数据，市中心只能查看" in action.toolTip()
    page = _monitoring(qtbot, county)  # the county types its months as before
    assert page.model.flags(page.model.index(0, len(page.model.fixed))) & Qt.ItemFlag.ItemIsEditable
    page.people_table.selectRow(0)
    for action in (page._save_action, page.mark_paid_button):
        assert action.isEnabled() and "报送的数据" not in action.toolTip()


def test_the_county_is_still_asked_before_typed_changes_are_thrown_away(qtbot, offices, tmp_path):
    form = shown(qtbot, tmp_path, offices[0], "visit")
    form.widget("visitors").setText("王五")
    assert close_noting_questions(qtbot, form) == ["有尚未保存的内容。确定放弃吗？"]
    assert form.isVisible()  # answered 否: the typed text stays
    form.widget("visitors").setText("")  # typed away again: nothing to lose
    assert close_noting_questions(qtbot, form) == [] and not form.isVisible()
