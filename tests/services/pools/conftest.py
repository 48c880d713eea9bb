"""Fixtures for the pool tests: the cultivation services on a fixed today, and an enterprise builder."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lvqi_desktop.services.cultivation import CultivationServices, build_cultivation
from lvqi_desktop.services.enterprises import EnterpriseDraft, YearDraft
from tests.conftest import uscc_for

TODAY = date(2026, 11, 26)
_serial = itertools.count(1)


@pytest.fixture
def cult(services) -> CultivationServices:
    return build_cultivation(services.db, services.office_county, lambda: TODAY)


@pytest.fixture
def add_firm(services):
    """add_firm(name, section='C', years={2025: dict(revenue='2500', ...)}, **fields) → enterprise id."""
    def make(name: str = "", section: str = "C", years: dict[int, dict[str, str]] | None = None,
             **fields: str) -> int:
        n = next(_serial)
        figures = years if years is not None else {2025: dict(revenue="1000", main_revenue="950", employees="100",
                                                              total_assets="800")}
        draft = EnterpriseDraft(uscc=uscc_for(n), name=name or f"吕梁测试{n}号有限公司", county_code="141102",
                                industry_section=section, registered_on="2015-03-01",
                                years=[YearDraft(year=y, **v) for y, v in figures.items()], **fields)
        return services.enterprises.save(draft).id
    return make
