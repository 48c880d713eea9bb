"""Fixtures for the 运行监测 page tests: the monitoring fixtures of tests/services/monitoring, and the page opened
on the fixed day."""

from __future__ import annotations

from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.ui.monitoring.page import MonitoringPage
from tests.services.monitoring.conftest import TODAY
from tests.services.monitoring.conftest import add_firm  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import mon  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import monitored  # noqa: F401 - fixtures


def on_today(services) -> MonitoringService:
    """The bundle's monitoring service, on the test's fixed day."""
    return MonitoringService(services.db, services.office_county, lambda: TODAY)


def open_page(qtbot, services) -> MonitoringPage:
    """The 运行监测 page shown, once its month has loaded in the background."""
    page = MonitoringPage(services, monitoring=on_today(services))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    return page


def column_of(page: MonitoringPage, key: str) -> int:
    return next(c for c in range(page.model.columnCount()) if page.model.key(c) == key)
