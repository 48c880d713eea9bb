"""Fixtures for the demonstration data tests: the activity services of tests/services/helpers_demands."""

from tests.services.helpers_demands.conftest import act  # noqa: F401 - fixtures
