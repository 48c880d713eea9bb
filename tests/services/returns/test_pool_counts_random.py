"""The SQL pool counts equal count_pool on many random timelines: seeded, so a failure can be replayed.

The hand-written cases in test_pool_counts_sql.py name the known tricky timelines; these random ones look for the
cases nobody thought of: same-day steps, empty and missing statuses, moves without a state, withdrawn steps,
stored dates that the timeline contradicts, firms sharing a USCC across counties.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.services.pool_state import LEAVING_STATUSES
from lvqi_desktop.services.returns.pool_ledgers import pool_rows
from lvqi_desktop.services.returns.pool_summary import POOLS
from lvqi_desktop.services.returns.pool_summary import count_pool
from lvqi_desktop.services.returns.pool_summary import pool_counts
from lvqi_desktop.validation.enterprise import EnterpriseDraft
from lvqi_desktop.validation.period import quarter_period
from lvqi_desktop.validation.period import year_period
from tests.conftest import open_services
from tests.conftest import set_up_city
from tests.conftest import uscc_for
from tests.services.returns.conftest import POOL_COUNTIES
from tests.services.returns.conftest import pool_count_views

COUNTIES = POOL_COUNTIES
FIRMS = 40
RECORDS = 130  # of the 160 firm × pool pairs: a firm has one record per pool
FIRST_DAY = date(2023, 11, 1)
DAYS = 1200  # to early 2027: steps fall before, inside and after the periods judged
KINDS = ("enter", "status", "status", "status", "tier", "archive", "restore", "edit", "follow_up")


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(DAYS) // 7 * 7)  # weekly: many steps share a day


def _maybe(rng: random.Random, value, chance: float = 0.5):
    return value if rng.random() < chance else None


def _record(rng: random.Random, pool, firm: int) -> tuple[CultivationRecord, list[CultivationEvent]]:
    statuses = rng.sample([*pool.statuses, *sorted(LEAVING_STATUSES)], 3)  # few: statuses repeat
    tiers = [*pool.tiers, None, "lost_tier"] if pool.tiers else [None]
    entered = _day(rng)
    record = CultivationRecord(
        enterprise_id=firm, pool=pool.code, tier=rng.choice(tiers), status=rng.choice(statuses),
        entered_on=entered, status_on=_maybe(rng, _day(rng), 0.3),
        archived_at=_maybe(rng, datetime.combine(_day(rng), datetime.min.time()) + timedelta(hours=23), 0.2),
        recognized_on=_maybe(rng, _day(rng), 0.3), completed_on=_maybe(rng, _day(rng), 0.3),
        listed_on=_maybe(rng, _day(rng), 0.3))
    steps = []
    for _ in range(rng.choice((0, 0, 1, 2, 3, 4, 6))):
        happened = _day(rng)
        kind = rng.choice(KINDS)
        moving = kind in ("archive", "restore")
        steps.append(CultivationEvent(
            kind=kind, effective_on=_maybe(rng, _day(rng), 0.6),
            happened_at=datetime.combine(happened, datetime.min.time()) + timedelta(hours=rng.randrange(24)),
            to_tier=None if moving else rng.choice(tiers),
            to_status=None if moving else rng.choice([*statuses, "", None]),
            archived_at=_maybe(rng, datetime(2026, 7, 1), 0.1)))
    return record, steps


@pytest.fixture(params=[1, 2, 3], ids=lambda seed: f"seed{seed}")
def random_city(request, backend, tmp_path):
    rng = random.Random(request.param)
    s = set_up_city(open_services(backend.data_dir(tmp_path / "city")))
    ids = [s.enterprises.save(EnterpriseDraft(uscc=uscc_for(600 + n, COUNTIES[n % 3]), name=f"随机企业{n}",
                                              county_code=COUNTIES[n % 3], registered_on="2015-03-01",
                                              industry_section="C")).id for n in range(FIRMS)]
    with s.db.unit_of_work() as uow:
        catalog = uow.pools.catalog()
        for n in range(FIRMS):
            firm = uow.session.get(Enterprise, ids[n])
            firm.above_scale_since = _maybe(rng, f"{rng.choice((2024, 2025, 2026))}-{rng.randrange(1, 13):02d}")
        uow.session.get(Enterprise, ids[4]).uscc = uow.session.get(Enterprise, ids[0]).uscc  # two counties
        pairs = [(firm, code) for firm in ids for code in POOLS]
        for firm, code in rng.sample(pairs, RECORDS):
            record, steps = _record(rng, catalog.pools[code], firm)
            uow.session.add(record)
            uow.session.flush()
            for step in steps:
                step.record_id = record.id
                uow.session.add(step)
        uow.commit()
    yield s, ids
    s.db.dispose()


PERIODS = [(quarter_period(2024, 1), date(2026, 11, 26)), (quarter_period(2025, 3), date(2026, 11, 26)),
           (year_period(2025), date(2026, 11, 26)), (year_period(2026), date(2026, 8, 12)),
           (quarter_period(2026, 4), date(2026, 11, 26)), (year_period(2024), date(2024, 2, 29))]


def test_random_timelines_count_alike(random_city) -> None:
    s, ids = random_city
    compared = 0
    for period, today in PERIODS:
        for end in sorted({min(period.end, today), period.end}):
            for name in pool_count_views(s, ids, period, today):
                for code in POOLS:
                    catalog, rows = pool_rows(pool_count_views(s, ids, period, today)[name], code)
                    expected = count_pool(catalog.pools[code], sorted(rows, key=lambda r: r.id), period.start, end)
                    counted = pool_counts(pool_count_views(s, ids, period, today)[name], code, period.start, end)[1]
                    where = (period.code, str(today), str(end), name, code)
                    assert {t: dict(+c) for t, c in counted.items()} == {t: dict(+c) for t, c in expected.items()}, where
                    assert list(counted) == list(expected), where
                    compared += sum(c["in_pool"] + c["left"] for c in expected.values())
    assert compared > 500  # the random ledgers are not empty: many records counted in and out
