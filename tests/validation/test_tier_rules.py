"""Every threshold of both rule sets, with hand-made firms just on and just past the line."""

from __future__ import annotations

import pytest

from lvqi_desktop.validation.tier_rules import MET
from lvqi_desktop.validation.tier_rules import NOT_MET
from lvqi_desktop.validation.tier_rules import UNKNOWN
from lvqi_desktop.validation.tier_rules import assess
from tests.validation.rule_firms import HELD
from tests.validation.rule_firms import facts
from tests.validation.rule_firms import rule_set

# (rule set, tier, condition, changes that just meet it, changes that just miss it)
CASES = [
    # ---- 2022 创新型: direct routes and the score with its block minimums
    ("2022", "innovative_sme", "I1", {"in": {2023: {"new_equity_fen": 500 * 10**6}}},
     {"in": {2023: {"new_equity_fen": 499_990_000}}}),
    ("2022", "innovative_sme", "G1", {"size_class": "4"}, {"size_class": "1"}),
    # ---- 2022 专精特新
    ("2022", "srdi_provincial", "S1", {"in": {2025: {"niche_years": 2}}}, {"in": {2025: {"niche_years": 1}}}),
    ("2022", "srdi_provincial", "S2", {"y": {2025: {"revenue": 3000, "rd": 100}}},
     {"y": {2025: {"revenue": 3000, "rd": 99.99}}}),
    ("2022", "srdi_provincial", "S2", {"y": {2025: {"revenue": 3333.33, "rd": 100}}},
     {"y": {2025: {"revenue": 3334, "rd": 100}}}),
    ("2022", "srdi_provincial", "S3", {"y": {2025: {"revenue": 1000, "main": 950, "rd": 40}}},
     {"y": {2025: {"revenue": 999.99, "main": 950, "rd": 40}}}),
    ("2022", "srdi_provincial", "S3",
     {"y": {2025: {"revenue": 900, "rd": 40}}, "in": {2024: {"new_equity_fen": 2000 * 10**6}}},
     {"y": {2025: {"revenue": 900, "rd": 40}}, "in": {2024: {"new_equity_fen": 1999 * 10**6}}}),
    ("2022", "srdi_provincial", "S4", {"weak_srdi": True, "in": {2024: {"provincial_award_rank": 3}}},
     {"weak_srdi": True, "in": {2024: {"provincial_award_rank": 4}}}),
    ("2022", "srdi_provincial", "S4", {"weak_srdi": True, "in": {2025: {"national_award_rank": 5}}},
     {"weak_srdi": True, "in": {2025: {"national_award_rank": 6}}}),
    ("2022", "srdi_provincial", "S4", {"weak_srdi": True, "y": {2024: {"rd": 1000}, 2025: {"rd": 1000}}},
     {"weak_srdi": True, "y": {2024: {"rd": 1000}, 2025: {"rd": 999.98}}}),
    ("2022", "srdi_provincial", "S4", {"weak_srdi": True, "in": {2025: {"new_equity_fen": 6000 * 10**6}}},
     {"weak_srdi": True, "in": {2025: {"new_equity_fen": 5999 * 10**6}}}),
    ("2022", "srdi_provincial", "S4", {"weak_srdi": True, "in": {2023: {"maker_china_rank": 500}}},
     {"weak_srdi": True, "in": {2023: {"maker_china_rank": 501}}}),
    # ---- 2022 小巨人
    ("2022", "little_giant_national", "L1", {"registered_on": "2023-11-26"}, {"registered_on": "2023-11-27"}),
    ("2022", "little_giant_national", "L2", {"in": {2025: {"niche_years": 3}}}, {"in": {2025: {"niche_years": 2}}}),
    ("2022", "little_giant_national", "L2", {"y": {2023: {"main": 6000}, 2024: {"main": 6500}, 2025: {"main": 7000}}},
     {"y": {2023: {"main": 6000}, 2024: {"main": 6500}, 2025: {"main": 6999}}}),
    ("2022", "little_giant_national", "L2",  # average 主营 growth: (5% + 5%) / 2 against 4.99…%
     {"y": {2023: {"main": 8000}, 2024: {"main": 8400}, 2025: {"main": 8820}}},
     {"y": {2023: {"main": 8000}, 2024: {"main": 8400}, 2025: {"main": 8819}}}),
    ("2022", "little_giant_national", "L3", {"y": {2025: {"debts": 7000}}}, {"y": {2025: {"debts": 7001}}}),
    ("2022", "little_giant_national", "L3", {}, {"in": {2025: {"quality_cert": False}}}),
    ("2022", "little_giant_national", "L4", {"in": {2025: {"market_share_bp": 1000}}},
     {"in": {2025: {"market_share_bp": 999}}}),
    ("2022", "little_giant_national", "L5", {"y": {2024: {"rd": 270}}}, {"y": {2024: {"rd": 269}}}),  # 3% of 9000
    ("2022", "little_giant_national", "L5",  # 5000–10000万: 6% each year
     {"y": {2024: {"revenue": 9999, "rd": 600}, 2025: {"revenue": 9999, "main": 9499, "rd": 599.94}}},
     {"y": {2024: {"revenue": 9999, "rd": 600}, 2025: {"revenue": 9999, "main": 9499, "rd": 599.93}}}),
    ("2022", "little_giant_national", "L5", {"y": {2025: {"ip1": 2}}}, {"y": {2025: {"ip1": 1}}}),
    ("2022", "little_giant_national", "L7", {"in": {2025: {"product_field": "network_key"}}},
     {"in": {2025: {"product_field": "laozihao"}}}),
    # ---- 2026 专精特新
    ("2026", "srdi_provincial", "N1", {"in": {2025: {"niche_years": 3}}}, {"in": {2025: {"niche_years": 2}}}),
    ("2026", "srdi_provincial", "N1", {}, {"held": frozenset()}),
    ("2026", "srdi_provincial", "N2", {"y": {2025: {"revenue": 1500, "main": 1400, "rd": 100}}},
     {"y": {2025: {"revenue": 1499.99, "main": 1400, "rd": 100}}}),
    ("2026", "srdi_provincial", "N2", {"y": {2025: {"main": 8000}}}, {"y": {2025: {"main": 7999}}}),
    ("2026", "srdi_provincial", "N2", {"y": {2025: {"debts": 8000}}}, {"y": {2025: {"debts": 8001}}}),
    ("2026", "srdi_provincial", "N3", {"y": {2024: {"revenue": 3000, "rd": 100}}},
     {"y": {2024: {"revenue": 3000, "rd": 99.99}}}),
    ("2026", "srdi_provincial", "N3", {"y": {2024: {"rd": 270}}}, {"y": {2024: {"rd": 269.99}}}),
    ("2026", "srdi_provincial", "N4", {"y": {2025: {"ip1": 1}}, "in": {2025: {"rd_institution_level": "city"}}},
     {"y": {2025: {"ip1": 0}}, "in": {2025: {"rd_institution_level": "city"}}}),
    ("2026", "srdi_provincial", "N6", {"in": {2026: {"platform_score": 50}}}, {"in": {2026: {"platform_score": 49}}}),
    # ---- 2026 小巨人
    ("2026", "little_giant_national", "M1", {}, {"held": frozenset()}),
    ("2026", "little_giant_national", "M2", {"y": {2023: {"revenue": 4000}, 2025: {"revenue": 5000, "main": 4500}}},
     {"y": {2023: {"revenue": 4000}, 2025: {"revenue": 4999, "main": 4500}}}),
    ("2026", "little_giant_national", "M2", {"y": {2025: {"main": 9000}}}, {"y": {2025: {"main": 8999}}}),
    ("2026", "little_giant_national", "M2",  # CAGR over 2 years: 8000 → 8820 is exactly 5%
     {"y": {2025: {"revenue": 8820, "main": 8379, "rd": 700}}},
     {"y": {2025: {"revenue": 8819, "main": 8378, "rd": 700}}}),
    ("2026", "little_giant_national", "M2", {"y": {2025: {"debts": 7500}}}, {"y": {2025: {"debts": 7501}}}),
    ("2026", "little_giant_national", "M3", {"y": {2024: {"rd": 500}}}, {"y": {2024: {"rd": 499.99}}}),
    ("2026", "little_giant_national", "M4", {"in": {2025: {"ip_class1_own": 4}}}, {"in": {2025: {"ip_class1_own": 3}}}),
    ("2026", "little_giant_national", "M5", {"in": {2025: {"market_share_bp": 1000, "market_rank": 5}}},
     {"in": {2025: {"market_share_bp": 999, "market_rank": 4}}}),
    ("2026", "little_giant_national", "M5", {"in": {2025: {"market_share_bp": 500, "market_rank": 3}}},
     {"in": {2025: {"market_share_bp": 500, "market_rank": 4}}}),
    ("2026", "little_giant_national", "M7", {"in": {2026: {"platform_score": 60}}}, {"in": {2026: {"platform_score": 59}}}),
]

# Strips the 专精特新 score's direct routes and enough points that only the case's route decides S4.
WEAK_SRDI = {"y": {2024: {"rd": 300}, 2025: {"rd": 350, "profit": 0, "debts": 8000}},
             "in": {2025: {"digital_level": 1, "quality_award": False, "quality_cert": False, "own_brand": False,
                           "drafted_standard": False, "key_chain_link": False, "product_field": "other",
                           "rd_institution_level": "none", "niche_years": 2, "ip_class1_high_value": 0,
                           "ip_class1_own": 0}}}


def _facts(tier: str, changes: dict):
    from datetime import date

    from tests.validation.rule_firms import _merge
    changes = dict(changes)
    if changes.pop("weak_srdi", False):
        changes = _merge(WEAK_SRDI, changes)
    kwargs = {"held": changes.pop("held", HELD[tier])}
    if "size_class" in changes:
        kwargs["size_class"] = changes.pop("size_class")
    if "registered_on" in changes:
        kwargs["registered_on"] = date.fromisoformat(changes.pop("registered_on"))
    if tier == "innovative_sme":  # close the other direct routes so the case's route decides
        changes = _merge({"in": {2025: {"innovation_title": False, "rd_institution_level": "city",
                                        "ip_class1_high_value": 0, "ip_class1_own": 0},
                                 }, "y": {2025: {"ip1": 0, "ip2": 0, "rd": 50}}}, changes)
    return facts(changes.get("y"), changes.get("in"), **kwargs)


def _state(code: str, tier: str, rs: str, changes: dict) -> str:
    a = assess(_facts(tier, changes), rule_set(rs), tier)
    return next(c.state for c in a.conditions if c.code == code)


@pytest.mark.parametrize(("rs", "tier", "code", "at", "below"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_threshold_just_met_and_just_missed(rs, tier, code, at, below):
    assert _state(code, tier, rs, at) == MET
    assert _state(code, tier, rs, below) == NOT_MET


@pytest.mark.parametrize("rs", ["2022", "2026"])
@pytest.mark.parametrize("tier", ["innovative_sme", "srdi_provincial", "little_giant_national"])
def test_the_strong_firm_meets_every_tier(rs, tier):
    a = assess(facts(held=HELD[tier], high_tech_valid_until=None), rule_set(rs), tier)
    assert [c.code for c in a.conditions if c.state != MET] == []
    assert a.state == MET


def test_provincial_little_giant_has_no_conditions_until_entered():
    a = assess(facts(), rule_set("2022"), "little_giant_provincial")
    assert a.no_conditions and a.state == UNKNOWN


def test_missing_figure_is_unknown_and_named_with_the_year_used():
    a = assess(facts(years={2024: {"rd": None}}, held=HELD["little_giant_national"]), rule_set("2026"),
               "little_giant_national")
    m3 = next(c for c in a.conditions if c.code == "M3")
    assert m3.state == UNKNOWN
    assert "近2年研发费用合计" in m3.missing
    m2 = next(c for c in a.conditions if c.code == "M2")
    revenue = next(f for f in m2.figures if f.metric == "revenue_wan")
    assert (revenue.value_text, revenue.year) == ("10,000.00万元", "2025")


def _innovative_score(changes: dict):
    # ip 10 (Ⅰ类 only) + rd ratio 10 (2–3%) + growth + debt 5 + field 5 + main share 15 (60–70%)
    base = {"y": {2024: {"revenue": 1000, "main": 1000}, 2025: {"revenue": 1000, "main": 650, "ip1": 1, "rd": 25,
                                                              "debts": 6000}},
            "in": {2025: {"ip_class1_high_value": 0, "ip_class1_own": 0, "strategic_emerging": False,
                          "innovation_title": False, "rd_institution_level": "city"}}}
    from tests.validation.rule_firms import _merge
    merged = _merge(base, changes)
    ev = assess(facts(merged["y"], merged["in"]), rule_set("2022"), "innovative_sme")
    return next(s for s in ev.scores if s.id == "innovative")


def test_innovative_score_boundary_takes_the_higher_band():
    # main revenue 2024 → 2025 growth exactly 10% scores 15; 9.98% scores 10.
    at = _innovative_score({"y": {2024: {"main": 600}, 2025: {"main": 660}}})
    growth = next(i for i in at.indicators if i.name == "上年度主营业务收入增长率")
    assert growth.low == 15
    assert at.known == 60 and at.state == MET and at.label == "本地估算"
    below = _innovative_score({"y": {2024: {"main": 600.1}, 2025: {"main": 660}}})
    assert below.known == 55 and below.state == NOT_MET


def test_innovative_score_block_minimum():
    # Growth, debt, field and share give plenty, but 创新能力 15 < 20 fails the score.
    base = {"y": {2024: {"main": 500}, 2025: {"main": 1000, "revenue": 1000, "debts": 1000}},
            "in": {2025: {"strategic_emerging": True}}}
    from tests.validation.rule_firms import _merge
    low = _innovative_score(_merge(base, {"y": {2025: {"rd": 19.9}}}))
    assert low.known >= 60 and low.state == NOT_MET
    ok = _innovative_score(_merge(base, {"y": {2025: {"rd": 20}}}))
    assert ok.state == MET


def test_srdi_score_leaves_the_distinctive_block_uncounted_until_entered():
    a = assess(facts(held=HELD["srdi_provincial"]), rule_set("2022"), "srdi_provincial")
    srdi = next(s for s in a.scores if s.id == "srdi")
    distinctive = next(i for i in srdi.indicators if i.block == "特色化")
    assert distinctive.low is None and "未计入" in distinctive.points_text
    assert srdi.known == 83 and srdi.upside == 15  # 25 专业化 + 25 精细化 + 33 创新能力
    entered = assess(facts(inputs={2026: {"distinctive_points": 9}}, held=HELD["srdi_provincial"]),
                     rule_set("2022"), "srdi_provincial")
    assert next(s for s in entered.scores if s.id == "srdi").known == 92
