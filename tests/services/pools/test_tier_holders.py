"""holders_by_tier (各县对比's and the targets' tiers, one pass over the titles for all tiers) names the firms the
rule names, tier by tier: a title in force (recognised by the day, not past its validity, not revoked, in a status
holding the title or expired) of that tier or higher, or a carried 省级专精特新 still valid."""

from __future__ import annotations

import itertools
from datetime import date

from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.validation.target_progress import TitleFact
from lvqi_desktop.validation.target_progress import holders
from lvqi_desktop.validation.target_progress import holders_by_tier

AT = date(2026, 6, 30)
DAYS = (None, date(2024, 2, 29), AT, date(2026, 7, 1))  # none, before, on and after the day measured
TIERS = (None, "innovative_sme", "srdi_provincial", "little_giant_provincial", "little_giant_national", "lost_tier")
STATUSES = ("cultivating", "recognized", "valid", "reviewing", "expired", "revoked", "no_such_status")


def _holds(pool: PoolDef, t: TitleFact, tier: str) -> bool:
    spec, status = pool.tiers.get(t.tier or ""), pool.statuses.get(t.status)
    if spec is None or status is None:
        return False
    if spec.prerequisite == tier and t.prerequisite_valid_until is not None and AT <= t.prerequisite_valid_until:
        return True
    if t.status == "revoked" or not (status.holds_title or t.status == "expired"):
        return False
    in_force = t.recognized_on is not None and t.recognized_on <= AT and (t.valid_until is None or AT <= t.valid_until)
    return in_force and spec.seq >= pool.tiers[tier].seq


def test_one_pass_names_the_holders_of_every_tier(services) -> None:
    with services.db.unit_of_work() as uow:
        catalog = uow.pools.catalog()
    combos = itertools.product(TIERS, STATUSES, DAYS, DAYS, DAYS)
    titles = [TitleFact(n % 700, tier, status, recognized, valid, carried)  # some firms hold two records
              for n, (tier, status, recognized, valid, carried) in enumerate(combos)]
    tiers = [code for code in catalog.pools["srdi"].tiers]
    found = holders_by_tier(catalog, titles, tiers, AT)
    assert list(found) == tiers
    for tier in tiers:
        expected = {t.enterprise_id for t in titles if _holds(catalog.pools["srdi"], t, tier)}
        assert found[tier] == expected == holders(catalog, titles, tier, AT), tier
    assert all(found[tier] for tier in tiers)  # every tier has holders: the comparison is not vacuous
