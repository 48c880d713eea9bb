"""How a target's achieved value is counted from pool records (who holds a tier at a date, who is listed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lvqi_desktop.models.pools import PoolCatalog


@dataclass(frozen=True, slots=True)
class TitleFact:
    """An SRDI record reduced to what counting needs."""

    enterprise_id: int
    tier: str | None
    status: str
    recognized_on: date | None
    valid_until: date | None
    prerequisite_valid_until: date | None


@dataclass(frozen=True, slots=True)
class ListingFact:
    enterprise_id: int
    venue: str | None
    listed_on: date | None


def measured_on(year: int, today: date) -> date:
    """Targets are measured at the year's end, or today while the year runs."""
    return min(date(year, 12, 31), today)


def holders(catalog: PoolCatalog, titles: list[TitleFact], tier: str, at: date) -> set[int]:
    """Firms holding `tier` or a higher SRDI tier at `at` (a carried 省级专精特新 counts too)."""
    return holders_by_tier(catalog, titles, [tier], at)[tier]


def holders_by_tier(catalog: PoolCatalog, titles: list[TitleFact], tiers: Sequence[str],
                    at: date) -> dict[str, set[int]]:
    """Per tier of `tiers`: the firms holding it or a higher SRDI tier at `at` (a carried 省级专精特新 counts
    too), in one pass over the titles."""
    pool = catalog.pools["srdi"]
    floors: list[tuple[str, int, set[int]]] = [(tier, pool.tiers[tier].seq, set()) for tier in tiers]
    for t in titles:
        spec = pool.tiers.get(t.tier or "")
        status = pool.statuses.get(t.status)
        if spec is None or status is None:
            continue
        granted = (t.recognized_on is not None and t.recognized_on <= at
                   and (t.valid_until is None or t.valid_until >= at) and t.status != "revoked"
                   and (status.holds_title or t.status == "expired"))
        carried = spec.prerequisite if t.prerequisite_valid_until and t.prerequisite_valid_until >= at else None
        for tier, floor, found in floors:
            if (granted and spec.seq >= floor) or carried == tier:
                found.add(t.enterprise_id)
    return {tier: found for tier, _floor, found in floors}


def shown_or_listed(catalog: PoolCatalog, listings: list[ListingFact], at: date, listed_only: bool) -> set[int]:
    """Firms shown on the equity center or listed (listed_only: 新三板 or an exchange) by `at`."""
    found = set()
    for x in listings:
        venue = catalog.venues.get(x.venue or "")
        if venue is None or venue.code == "none" or (x.listed_on is not None and x.listed_on > at):
            continue
        if venue.listed or not listed_only:
            found.add(x.enterprise_id)
    return found


def share_percent(part: set[int], whole: set[int]) -> float | None:
    if not whole:
        return None
    return round(len(part & whole) * 100.0 / len(whole), 1)
