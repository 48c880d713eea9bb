"""Fixtures for the 数据报送 page tests: the city office of tests/services/exchange."""

from tests.services.exchange.conftest import city  # noqa: F401 - fixtures
