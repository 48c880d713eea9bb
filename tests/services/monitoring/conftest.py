"""Fixtures for the monitoring tests: the service on a fixed today, and monitored firms to report for."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.monitoring import MonitoringService
from tests.conftest import uscc_for

TODAY = date(2026, 11, 26)
_serial = itertools.count(1)
# revenue 万元 and employees that make the size class: small (3), micro (4), medium (2)
SIZES = {"3": ("1000", "100"), "4": ("100", "10"), "2": ("5000", "500")}


@pytest.fixture
def mon(services) -> MonitoringService:
    return MonitoringService(services.db, services.office_county, lambda: TODAY)


@pytest.fixture
def add_firm(services):
    """add_firm(size='3', name='') → enterprise id (not yet in the sample)."""
    def make(size: str = "3", name: str = "") -> int:
        n = next(_serial)
        revenue, employees = SIZES[size]
        draft = EnterpriseDraft(uscc=uscc_for(n), name=name or f"吕梁监测{n}号有限公司", county_code="141102",
                                industry_section="C", registered_on="2015-03-01",
                                years=[YearDraft(year=2025, revenue=revenue, employees=employees)])
        return services.enterprises.save(draft).id
    return make


@pytest.fixture
def monitored(mon, add_firm):
    """monitored(size='3', since=date(2025, 1, 1)) → enterprise id of a firm in the sample."""
    def make(size: str = "3", since: date = date(2025, 1, 1), name: str = "") -> int:
        eid = add_firm(size, name)
        mon.add_to_sample(eid, since)
        return eid
    return make
