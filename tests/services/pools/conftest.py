"""Fixtures for the pool tests: the cultivation services on a fixed today, an enterprise builder, a strong firm."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lvqi_desktop.services.cultivation import CultivationServices
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.tier_check import TierInputDraft
from tests.conftest import uscc_for

TODAY = date(2026, 11, 26)
_serial = itertools.count(1)
# a strong firm: three years of figures and its rule inputs (used here and by tests/ui/pools)
STRONG = {2023: dict(revenue="8000", main_revenue="7600", total_assets="10000", total_liabilities="4000",
                     employees="200", rd_expense="500", rd_staff="50", net_profit="800", ip_class1="4", ip_class2="3"),
          2024: dict(revenue="9000", main_revenue="8550", total_assets="10000", total_liabilities="4000",
                     employees="200", rd_expense="600", rd_staff="50", net_profit="900", ip_class1="5", ip_class2="3"),
          2025: dict(revenue="10000", main_revenue="9500", total_assets="10000", total_liabilities="4000",
                     employees="200", rd_expense="700", rd_staff="50", net_profit="1200", ip_class1="5",
                     ip_class2="3")}
STRONG_INPUT = TierInputDraft(year=2025, niche_years="12", new_equity="0", ip_class1_high_value="1",
                              ip_class1_own="5", rd_institution_level="省级", market_share="15", market_rank="2",
                              market_leading="是", digital_level="3", quality_award="是", quality_cert="是",
                              own_brand="是", drafted_standard="是", strategic_emerging="是", product_field="six_bases",
                              key_chain_link="是", info_system="是", innovation_title="是", no_veto="是",
                              national_award_rank="0", provincial_award_rank="0", maker_china_rank="0")


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
