"""Fixtures for the import dialog tests: the import service of tests/services/imports."""

from tests.services.imports.conftest import importer  # noqa: F401 - fixtures
