"""Fixtures for the bases tests: the base service on a fixed today, firms in the register, a base builder."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import uscc_for

TODAY = date(2026, 11, 26)
_serial = itertools.count(1)


@pytest.fixture
def bases(services) -> BaseService:
    services.bases = BaseService(services.db, services.office_county, lambda: TODAY)
    return services.bases


@pytest.fixture
def cult(services):
    return build_cultivation(services.db, services.office_county, lambda: TODAY)


@pytest.fixture
def add_firm(services):
    """add_firm(name, **fields) → enterprise id (fields of EnterpriseDraft, e.g. above_scale=True)."""
    def make(name: str = "", **fields: object) -> int:
        n = next(_serial)
        draft = EnterpriseDraft(uscc=uscc_for(n), name=name or f"吕梁基地测试{n}号有限公司", county_code="141102",
                                industry_section="C", registered_on="2015-03-01", **fields)
        return services.enterprises.save(draft).id
    return make


@pytest.fixture
def add_base(bases):
    def make(name: str = "离石区电商产业园", **fields: str) -> int:
        draft = BaseDraft(name=name, kind=fields.pop("kind", "ecommerce"), operator_name="吕梁某运营有限公司",
                          operator_type="民营企业", address="离石区滨河北路1号", floor_area="12000.5", **fields)
        return bases.save_base(draft)
    return make
