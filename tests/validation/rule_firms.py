"""Hand-made firms for the tier-rule tests: one strong firm, changed one figure at a time."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from lvqi_desktop.paths import resource
from lvqi_desktop.validation.tier_metrics import FirmFacts
from lvqi_desktop.validation.tier_metrics import YearFigures
from lvqi_desktop.validation.tier_rules import ConditionDef
from lvqi_desktop.validation.tier_rules import RuleSetDef
from lvqi_desktop.validation.tier_rules import parse_rule_set

AS_OF = date(2026, 11, 26)
WAN = 1_000_000

# A firm that meets every tier under both rule sets; money in 万元, base year 2025.
STRONG_YEARS: dict[int, dict[str, float]] = {
    2023: dict(revenue=8000, main=7600, assets=10000, debts=4000, employees=200, rd=500, rd_staff=50,
               profit=800, ip1=4, ip2=3),
    2024: dict(revenue=9000, main=8550, assets=10000, debts=4000, employees=200, rd=600, rd_staff=50,
               profit=900, ip1=5, ip2=3),
    2025: dict(revenue=10000, main=9500, assets=10000, debts=4000, employees=200, rd=700, rd_staff=50,
               profit=1200, ip1=5, ip2=3),
}
STRONG_INPUTS: dict[int, dict[str, Any]] = {
    2023: dict(new_equity_fen=0, national_award_rank=0, provincial_award_rank=0, maker_china_rank=0),
    2024: dict(new_equity_fen=0, national_award_rank=0, provincial_award_rank=0, maker_china_rank=0),
    2025: dict(niche_years=12, new_equity_fen=0, ip_class1_high_value=1, ip_class1_own=5,
               rd_institution_level="provincial", national_award_rank=0, provincial_award_rank=0,
               maker_china_rank=0, market_share_bp=1500, market_rank=2, market_leading=True, digital_level=3,
               quality_award=True, quality_cert=True, own_brand=True, drafted_standard=True,
               strategic_emerging=True, product_field="six_bases", key_chain_link=True, info_system=True,
               innovation_title=True, no_veto=True),
    2026: dict(platform_score=70),
}
HELD = {"innovative_sme": frozenset(), "srdi_provincial": frozenset({"innovative_sme"}),
        "little_giant_provincial": frozenset({"srdi_provincial"}),
        "little_giant_national": frozenset({"srdi_provincial"})}


def _merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _fen(v: float | None) -> int | None:
    return None if v is None else round(v * WAN)


def facts(years: dict | None = None, inputs: dict | None = None, held: frozenset[str] = frozenset(),
          size_class: str | None = "3", registered_on: date | None = date(2010, 1, 1),
          high_tech_valid_until: date | None = None) -> FirmFacts:
    """The strong firm with `years` / `inputs` changes merged in (None removes a figure)."""
    ys = _merge(STRONG_YEARS, years or {})
    ins = _merge(STRONG_INPUTS, inputs or {})
    figures = {y: YearFigures(_fen(v.get("revenue")), _fen(v.get("main")), _fen(v.get("profit")), _fen(v.get("assets")),
                              _fen(v.get("debts")), v.get("employees"), _fen(v.get("rd")), v.get("rd_staff"),
                              v.get("ip1"), v.get("ip2")) for y, v in ys.items()}
    return FirmFacts(AS_OF, 2025, size_class, registered_on, high_tech_valid_until, figures, ins, held)


def rule_set(code: str) -> RuleSetDef:
    with open(resource(f"reference/tier_rules_{code}.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    conditions = {tier: [ConditionDef(c["id"], c["text"], c["test"], c["source"]) for c in items]
                  for tier, items in data["tiers"].items()}
    return parse_rule_set(data["code"], data["name"], data["document"], data["applies_from"],
                          json.dumps(data["scores"]), conditions)
