"""Fixtures for the 双创基地 page tests: the bases fixtures of tests/services/bases."""

from tests.services.bases.conftest import add_base  # noqa: F401 - fixtures
from tests.services.bases.conftest import add_firm  # noqa: F401 - fixtures
from tests.services.bases.conftest import bases  # noqa: F401 - fixtures
