"""Fixtures for the 运行监测 page tests: the monitoring fixtures of tests/services/monitoring."""

from tests.services.monitoring.conftest import add_firm, mon, monitored  # noqa: F401 - fixtures
