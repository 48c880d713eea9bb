"""Fixtures for the Excel import tests: an import service over the county services of tests/conftest.py."""

from __future__ import annotations

import pytest

from lvqi_desktop.services.imports.service import ImportService


@pytest.fixture
def importer(services) -> ImportService:
    return services.imports
