"""holders_by_tier (各县对比's tiers, one pass over the titles) names the same firms as holders, tier by tier."""

from __future__ import annotations

import itertools
from datetime import date

from lvqi_desktop.validation.target_progress import TitleFact, holders, holders_by_tier

AT = date(2026, 6, 30)
DAYS = (None, date(2024, 2, 29), AT, date(2026, 7, 1))  # none, before, on and after the day measured
TIERS = (None, "innovative_sme", "srdi_provincial", "little_giant_provincial", "little_giant_national", "lost_tier")
STATUSES = ("cultivating", "recognized", "valid", "reviewing", "expired", "revoked", "no_such_status")


def test_one_pass_names_the_firms_holders_names(services) -> None:
    with services.db.unit_of_work() as uow:
        catalog = uow.pools.catalog()
    combos = itertools.product(TIERS, STATUSES, DAYS, DAYS, DAYS)
    titles = [TitleFact(n % 700, tier, status, recognized, valid, carried)  # some firms hold two records
              for n, (tier, status, recognized, valid, carried) in enumerate(combos)]
    tiers = [code for code in catalog.pools["srdi"].tiers]
    found = holders_by_tier(catalog, titles, tiers, AT)
    assert list(found) == tiers
    for tier in tiers:
        assert found[tier] == holders(catalog, titles, tier, AT), tier
    assert all(found[tier] for tier in tiers)  # every tier has holders: the comparison is not vacuous
