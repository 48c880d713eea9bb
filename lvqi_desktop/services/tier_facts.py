"""Turns bulk-loaded rows into the plain facts the tier rules judge (one pass per table)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date

from lvqi_desktop.models.enterprise import Enterprise
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.models.tier_rules import INPUT_FIELDS
from lvqi_desktop.models.tier_rules import AboveScaleLine
from lvqi_desktop.models.tier_rules import TierCondition
from lvqi_desktop.models.tier_rules import TierRuleSet
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.validation.above_scale import AboveScaleLineDef
from lvqi_desktop.validation.above_scale import AboveScaleLines
from lvqi_desktop.validation.tier_metrics import FirmFacts
from lvqi_desktop.validation.tier_metrics import YearFigures
from lvqi_desktop.validation.tier_rules import ConditionDef
from lvqi_desktop.validation.tier_rules import RuleSetDef
from lvqi_desktop.validation.tier_rules import parse_rule_set


def rule_sets_from(rows: Sequence[TierRuleSet], conditions: Iterable[TierCondition]) -> dict[str, RuleSetDef]:
    by_set: dict[str, dict[str, list[ConditionDef]]] = {}
    for c in conditions:
        by_set.setdefault(c.rule_set, {}).setdefault(c.tier, []).append(
            ConditionDef(c.code, c.text, json.loads(c.test), c.source, c.entered_locally))
    return {r.code: parse_rule_set(r.code, r.name, r.document, r.applies_from, r.scores, by_set.get(r.code, {}))
            for r in rows}


def lines_from(rows: Iterable[AboveScaleLine]) -> AboveScaleLines:
    return AboveScaleLines([AboveScaleLineDef(x.section, x.prefix, x.category, x.measure, x.threshold_wan,
                                              x.name, x.source) for x in rows])


def years_by_firm(rows: Iterable[AnyRow]) -> dict[int, dict[int, YearFigures]]:
    """enterprise_id → year → figures, from (enterprise_id, year, *YEAR_FIELDS) rows.

    The rows themselves serve as the figures (named like YearFigures' fields): no copy per row."""
    out: dict[int, dict[int, YearFigures]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = row  # type: ignore[assignment]  # the row stands in for YearFigures (above)
    return out


def revenues_by_firm(rows: Iterable[AnyRow]) -> dict[int, dict[int, tuple[int | None, int | None]]]:
    """enterprise_id → year → (revenue_fen, main_revenue_fen), for 规上 readiness."""
    out: dict[int, dict[int, tuple[int | None, int | None]]] = {}
    for eid, year, revenue, main in rows:
        out.setdefault(eid, {})[year] = (revenue, main)
    return out


def inputs_by_firm(rows: Iterable[AnyRow]) -> dict[int, dict[int, dict[str, object]]]:
    out: dict[int, dict[int, dict[str, object]]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = dict(zip(INPUT_FIELDS, row[2:], strict=True))
    return out


def title_held(pool: PoolDef, status: str, valid_until: date | None, at: date) -> bool:
    s = pool.statuses.get(status)
    return bool(s and s.holds_title and (valid_until is None or valid_until >= at))


def held_tiers(pool: PoolDef, tier: str | None, status: str, valid_until: date | None,
               prerequisite_valid_until: date | None, at: date) -> frozenset[str]:
    """The SRDI titles a record shows the firm holding at `at` (its own tier, and a carried prerequisite)."""
    held = set()
    if tier and title_held(pool, status, valid_until, at):
        held.add(tier)
    spec = pool.tiers.get(tier or "")
    if spec and spec.prerequisite and prerequisite_valid_until and prerequisite_valid_until >= at:
        held.add(spec.prerequisite)
    return frozenset(held)


def facts_for(enterprise: Enterprise | AnyRow, years: dict[int, YearFigures] | None, inputs: dict[int, dict[str, object]] | None,
              as_of: date, base_year: int, held: frozenset[str] = frozenset()) -> FirmFacts:
    return FirmFacts(as_of, base_year, enterprise.size_class, enterprise.registered_on,
                     enterprise.high_tech_valid_until, years or {}, inputs or {}, held)
