"""Fixtures for the Excel import tests: an import service over the county services of tests/conftest.py, and
the bases and monitoring fixtures for the importers of those ledgers."""

from __future__ import annotations

import pytest

from lvqi_desktop.services.imports.service import ImportService
from tests.services.bases.conftest import bases  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import add_firm, mon, monitored  # noqa: F401 - fixtures


@pytest.fixture
def importer(services) -> ImportService:
    return services.imports
