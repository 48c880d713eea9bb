"""Fixtures for the package format tests: the county package and the city of tests/services/exchange."""

from tests.services.exchange.conftest import city  # noqa: F401 - fixtures
from tests.services.exchange.conftest import city_x  # noqa: F401 - fixtures
from tests.services.exchange.conftest import county_package  # noqa: F401 - fixtures
