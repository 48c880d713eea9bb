"""The 汇总表's and the start page's pool counts in SQL equal count_pool over the records as record_at sees them.

Records with tricky timelines (bulk inserted without steps, status repeated, re-entered after a move out and back,
moved out only by the stored archived_at, a move dated after the day judged, same-day steps, back-dated steps,
withdrawn steps, the leap day, a firm claimed by two counties) are counted both ways for several periods and days,
as the city's whole-city total, its by-county copies and its de-duplicated total, and as a county's own edition.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime

import pytest

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.services.returns.pool_ledgers import pool_rows
from lvqi_desktop.services.returns.pool_summary import POOLS
from lvqi_desktop.services.returns.pool_summary import count_pool
from lvqi_desktop.services.returns.pool_summary import pool_counts
from lvqi_desktop.validation.enterprise import EnterpriseDraft
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import quarter_period
from lvqi_desktop.validation.period import year_period
from tests.conftest import open_services
from tests.conftest import set_up_city
from tests.conftest import uscc_for
from tests.services.returns.conftest import POOL_COUNTIES
from tests.services.returns.conftest import pool_count_views

D = date
COUNTIES = POOL_COUNTIES
SHARED_USCC = uscc_for(990, "141102")

# (firm, pool, stored tier, stored status, entered_on, status_on, stored archived_at, dates, timeline)
# a timeline step: (kind, effective_on or None, happened_at, to_tier, to_status, withdrawn)
RECORDS = [
    (0, "srdi", "innovative_sme", "cultivating", D(2025, 5, 1), None, None, {}, []),  # bulk inserted, no steps
    (1, "srdi", "innovative_sme", "revoked", D(2024, 1, 1), D(2026, 2, 10), None, {}, []),
    (2, "srdi", "srdi_provincial", "recognized", D(2025, 1, 1), None, datetime(2026, 3, 15, 10), {}, [  # no move step
        ("enter", D(2025, 1, 1), datetime(2025, 1, 2, 9), "innovative_sme", "cultivating", False),
        ("status", D(2025, 6, 1), datetime(2025, 6, 3, 9), "srdi_provincial", "recognized", False)]),
    (3, "srdi", "srdi_provincial", "valid", D(2024, 6, 1), None, None, {"recognized_on": D(2025, 3, 1)}, [
        ("enter", None, datetime(2024, 6, 1, 9), "innovative_sme", "cultivating", False),
        ("status", D(2025, 3, 1), datetime(2025, 3, 2, 9), "innovative_sme", "recognized", False),
        ("status", D(2025, 9, 1), datetime(2025, 9, 2, 9), "innovative_sme", "recognized", False),  # repeated
        ("tier", D(2026, 1, 15), datetime(2026, 1, 16, 9), "srdi_provincial", "recognized", False),
        ("status", D(2026, 5, 1), datetime(2026, 5, 2, 9), "srdi_provincial", "valid", False)]),
    (4, "srdi", "innovative_sme", "expired", D(2024, 3, 1), None, None, {}, [  # out, back, entered again
        ("enter", D(2024, 3, 1), datetime(2024, 3, 1, 9), "innovative_sme", "cultivating", False),
        ("archive", D(2025, 2, 1), datetime(2025, 2, 1, 9), None, None, False),
        ("restore", D(2025, 8, 1), datetime(2025, 8, 1, 9), None, None, False),
        ("enter", D(2025, 8, 1), datetime(2025, 8, 1, 9), "innovative_sme", "cultivating", False),
        ("status", D(2026, 3, 31), datetime(2026, 4, 1, 9), "innovative_sme", "expired", False)]),
    (5, "srdi", "innovative_sme", "cultivating", D(2025, 1, 1), None, datetime(2026, 12, 1, 9), {}, [
        ("enter", D(2025, 1, 1), datetime(2025, 1, 1, 9), "innovative_sme", "cultivating", False),
        ("archive", D(2026, 12, 1), datetime(2026, 12, 1, 9), None, None, False)]),  # after the day judged
    (5, "srdi", "innovative_sme", "cultivating", D(2025, 1, 1), None, None, {}, [
        ("enter", D(2025, 1, 1), datetime(2025, 1, 1, 9), "innovative_sme", "cultivating", False),
        ("archive", D(2026, 6, 1), datetime(2026, 6, 1, 9), None, None, False),
        ("restore", D(2026, 12, 1), datetime(2026, 12, 1, 9), None, None, False)]),  # back after the day
    (1, "listing_reserve", "basic", "withdrawn", D(2024, 1, 1), None, None, {}, [  # entered again as it left
        ("enter", D(2024, 1, 1), datetime(2024, 1, 1, 9), "basic", "withdrawn", False),
        ("archive", D(2024, 6, 1), datetime(2024, 6, 1, 9), None, None, False),
        ("restore", D(2025, 3, 1), datetime(2025, 3, 1, 9), None, None, False),
        ("enter", D(2025, 3, 1), datetime(2025, 3, 1, 9), "basic", "withdrawn", False)]),
    (17, "scale_up", None, "cultivating", D(2025, 1, 1), None, None, {}, []),  # its USCC's only 小升规 record
    (6, "srdi", "innovative_sme", "recognized", D(2024, 2, 29), None, None, {"recognized_on": D(2024, 3, 1)}, [
        ("enter", D(2024, 2, 29), datetime(2024, 2, 29, 8), "innovative_sme", "cultivating", False),
        ("status", None, datetime(2024, 2, 29, 23, 59), "innovative_sme", "applied", False),  # the leap day
        ("status", D(2024, 3, 1), datetime(2024, 3, 1, 9), "innovative_sme", "recognized", False)]),
    (7, "srdi", "innovative_sme", "cultivating", D(2025, 4, 1), None, None, {}, [  # same-day steps, by id
        ("enter", D(2025, 4, 1), datetime(2025, 4, 1, 9), "innovative_sme", "cultivating", False),
        ("status", D(2025, 4, 1), datetime(2025, 4, 1, 10), "innovative_sme", "applied", False),
        ("status", D(2025, 4, 1), datetime(2025, 4, 1, 11), "innovative_sme", "cultivating", False),
        ("edit", None, datetime(2025, 5, 1, 9), None, "", False),
        ("follow_up", None, datetime(2025, 6, 1, 9), None, None, False),
        ("status", D(2025, 7, 1), datetime(2025, 7, 1, 9), "innovative_sme", "revoked", True)]),  # withdrawn step
    (8, "srdi", "innovative_sme", "recognized", D(2024, 1, 1), None, None, {"recognized_on": D(2026, 2, 1)}, [
        ("status", D(2023, 12, 31), datetime(2024, 1, 2, 9), "innovative_sme", "recognized", False),  # before entry
        ("status", D(2025, 12, 31), datetime(2026, 6, 1, 9), "srdi_provincial", "revoked", False)]),  # back-dated
    (9, "srdi", "innovative_sme", "cultivating", D(2026, 12, 20), None, None, {}, [  # entered after the day
        ("enter", D(2026, 12, 20), datetime(2026, 12, 20, 9), "innovative_sme", "cultivating", False)]),
    (10, "srdi", None, "applied", D(2025, 2, 1), None, None, {}, []),  # no tier: 未定层级
    (11, "srdi", "old_tier", "cultivating", D(2025, 2, 1), None, None, {}, []),  # a tier the ladder lost
    (12, "srdi", None, "cultivating", D(2025, 2, 1), None, None, {}, [
        ("enter", D(2025, 2, 1), datetime(2025, 2, 1, 9), None, "cultivating", False),
        ("status", D(2026, 1, 1), datetime(2026, 1, 1, 9), "little_giant_national", "valid", False)]),
    (13, "scale_up", None, "entered", D(2025, 3, 1), None, None, {}, [
        ("enter", D(2025, 3, 1), datetime(2025, 3, 1, 9), None, "survey", False),
        ("status", D(2026, 2, 15), datetime(2026, 2, 16, 9), None, "entered", False)]),
    (14, "scale_up", None, "withdrawn", D(2024, 3, 1), D(2025, 12, 31), datetime(2025, 12, 31, 23, 30), {}, []),
    (15, "share_reform", None, "subsidy_paid", D(2025, 1, 1), None, None, {"completed_on": D(2026, 3, 31)}, [
        ("enter", D(2025, 1, 1), datetime(2025, 1, 1, 9), None, "planned", False),
        ("status", D(2026, 3, 31), datetime(2026, 3, 31, 9), None, "completed", False),
        ("status", D(2026, 4, 1), datetime(2026, 4, 1, 9), None, "subsidy_paid", False)]),
    (16, "listing_reserve", "basic", "withdrawn", D(2025, 6, 1), None, None, {"listed_on": D(2026, 1, 1)}, [
        ("enter", D(2025, 6, 1), datetime(2025, 6, 1, 9), "basic", "admitted", False),
        ("status", D(2026, 1, 1), datetime(2026, 1, 1, 9), "basic", "withdrawn", False)]),
    (17, "srdi", "innovative_sme", "cultivating", D(2025, 1, 1), None, datetime(2025, 10, 1, 9), {}, []),  # shared
    (18, "srdi", "innovative_sme", "cultivating", D(2025, 1, 1), None, None, {}, []),  # USCC, another county
    (17, "srdi", "srdi_provincial", "recognized", D(2025, 11, 1), None, None, {"recognized_on": D(2025, 11, 1)}, []),
    (19, "scale_up", None, "withdrawn", D(2024, 5, 1), None, None, {}, [
        ("enter", D(2024, 5, 1), datetime(2024, 5, 1, 9), None, "cultivating", False),
        ("status", D(2026, 1, 10), datetime(2026, 1, 10, 9), None, "withdrawn", False),
        ("status", D(2026, 2, 10), datetime(2026, 2, 10, 9), None, "withdrawn", False)]),  # repeated leaving
    (0, "listing_reserve", "ipo_reserve", "admitted", D(2026, 2, 1), None, None, {}, [
        ("enter", None, datetime(2026, 2, 1, 9), "neeq_reserve", "recommended", False),
        ("tier", D(2026, 3, 1), datetime(2026, 3, 1, 9), "ipo_reserve", "admitted", False)]),
]
FIRMS = 20
ABOVE_SCALE = {13: "2026-02", 19: "2026-01"}

# (period, today): the day judged is the period's end, or today in the running period
CASES = [
    (quarter_period(2026, 1), D(2026, 11, 26)),
    (year_period(2026), D(2026, 11, 26)),
    (quarter_period(2025, 4), D(2026, 11, 26)),
    (year_period(2025), D(2026, 11, 26)),
    (quarter_period(2024, 1), D(2024, 2, 29)),
    (year_period(2026), D(2026, 12, 31)),
    (year_period(2026), D(2026, 3, 14)),  # the day before a stored archived_at
]


@pytest.fixture
def city(backend, tmp_path):
    s = set_up_city(open_services(backend.data_dir(tmp_path / "city")))
    ids = [s.enterprises.save(EnterpriseDraft(uscc=uscc_for(700 + n, COUNTIES[n % 3]), name=f"时间线企业{n}",
                                              county_code=COUNTIES[n % 3], registered_on="2015-03-01",
                                              industry_section="C")).id for n in range(FIRMS)]
    with s.db.unit_of_work() as uow:
        for n, since in ABOVE_SCALE.items():
            uow.session.get(Enterprise, ids[n]).above_scale_since = since
        uow.session.get(Enterprise, ids[17]).uscc = SHARED_USCC
        uow.session.get(Enterprise, ids[18]).uscc = SHARED_USCC
        for firm, pool, tier, status, entered, status_on, archived, dates, steps in RECORDS:
            record = CultivationRecord(enterprise_id=ids[firm], pool=pool, tier=tier, status=status,
                                       entered_on=entered, status_on=status_on, archived_at=archived, **dates)
            uow.session.add(record)
            uow.session.flush()
            for kind, effective, happened, to_tier, to_status, withdrawn in steps:
                uow.session.add(CultivationEvent(record_id=record.id, kind=kind, effective_on=effective,
                                                 happened_at=happened, to_tier=to_tier, to_status=to_status,
                                                 archived_at=datetime(2026, 7, 1) if withdrawn else None))
        uow.commit()
    yield s, ids
    s.db.dispose()


@pytest.mark.parametrize(("period", "today"), CASES, ids=[f"{p.code}@{t}" for p, t in CASES])
def test_sql_counts_equal_the_timeline_counting(city, period: Period, today: date) -> None:
    s, ids = city
    ends = {min(period.end, today), period.end}  # the 汇总表 counts to the day judged, the start page to the end
    for name, _ctx in pool_count_views(s, ids, period, today).items():
        for end in sorted(ends):
            for code in POOLS:
                reference_ctx = pool_count_views(s, ids, period, today)[name]
                catalog, rows = pool_rows(reference_ctx, code)
                by_id = sorted(rows, key=lambda r: r.id)  # the order the tiers off the ladder are listed in
                expected = count_pool(catalog.pools[code], by_id, period.start, end)
                _pool, counted = pool_counts(pool_count_views(s, ids, period, today)[name], code, period.start, end)
                assert list(counted) == list(expected), (name, end, code)
                assert {t: dict(+c) for t, c in counted.items()} == {t: dict(+c) for t, c in expected.items()}, (
                    name, end, code)


def test_the_tricky_records_are_counted(city) -> None:
    """The fixture is not vacuous: in 2026Q1 the city counts records in every measure."""
    s, ids = city
    ctx = pool_count_views(s, ids, quarter_period(2026, 1), D(2026, 11, 26))["city"]
    totals = {m: 0 for m in ("in_pool", "held", "entered", "recognized", "left")}
    for code in POOLS:
        for c in pool_counts(ctx, code, ctx.period.start, ctx.as_of)[1].values():
            for m in totals:
                totals[m] += c[m]
    assert all(totals.values()), totals


def test_one_export_counts_the_city_then_its_counties(city) -> None:
    """Copies of one export share the city's count: one counted whole first must not leave a county empty."""
    s, ids = city
    period, today = quarter_period(2026, 1), D(2026, 11, 26)
    ctx = pool_count_views(s, ids, period, today)["city"]
    pool_counts(ctx, "srdi", period.start, ctx.as_of)
    narrowed = ctx.for_county("141102", frozenset())  # shares ctx's county-independent look-ups
    reference = pool_count_views(s, ids, period, today)["离石区 of the city"]
    expected = count_pool(pool_counts(ctx, "srdi", period.start, ctx.as_of)[0],
                          sorted(pool_rows(reference, "srdi")[1], key=lambda r: r.id), period.start, ctx.as_of)
    counted = pool_counts(narrowed, "srdi", period.start, ctx.as_of)[1]
    assert sum(c["in_pool"] for c in counted.values()) > 0
    assert {t: dict(+c) for t, c in counted.items()} == {t: dict(+c) for t, c in expected.items()}
