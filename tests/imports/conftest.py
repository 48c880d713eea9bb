"""Fixtures for the Excel import tests: an import service over the county services of tests/conftest.py."""

from __future__ import annotations

import pytest

from lvqi_desktop.services.xlsx_import import ImportService, import_service_for


@pytest.fixture
def importer(services) -> ImportService:
    return import_service_for(services)
