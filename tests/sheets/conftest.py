"""Fixtures for the sheet reader tests: the import service of tests/services/imports (a streamed sheet is checked through it)."""

from tests.services.imports.conftest import importer  # noqa: F401 - fixtures
