"""Fixtures for the package format tests: the county package and the city of tests/services/exchange."""

from tests.services.exchange.conftest import city, city_x, county_package  # noqa: F401 - fixtures
