"""Fixtures for the 双创基地 page tests: the bases fixtures of tests/services/bases."""

from tests.services.bases.conftest import add_base, add_firm, bases  # noqa: F401 - fixtures
