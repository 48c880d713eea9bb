"""Demo 双创基地 made through BaseService (so each passes the ledger's rules): tenants moved in over three years,
some moved out, and each base's yearly figures."""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta

from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.validation.bases import BaseDraft
from lvqi_desktop.validation.bases import YearDraft


def generate_bases(bases: BaseService, enterprise_ids: list[int], place: str, today: date, seed: int) -> int:
    """A base of each of the first four kinds, each with up to 12 tenants and three years' figures; how many made."""
    rng = random.Random(seed * 11 + 3)
    firms = sorted(enterprise_ids)
    rng.shuffle(firms)
    kinds = bases.kind_choices()[:4]
    operator_type = (bases.operator_types() or [""])[0]
    made = 0
    for n, (kind, label) in enumerate(kinds):
        opened = today - timedelta(days=rng.randint(4 * 365, 8 * 365))
        base_id = bases.save_base(BaseDraft(
            name=f"{place}{label}", kind=kind, operator_name=f"吕梁{place}创业服务有限公司",
            operator_type=operator_type, address=f"{place}滨河路{n + 1}号", floor_area=str(rng.randint(3000, 30000)),
            opened_on=opened.isoformat(), contact_person="刘洋", contact_phone=f"139{rng.randint(0, 99999999):08d}",
            notes="演示数据"))
        made += 1
        stays: list[tuple[date, date | None]] = []
        for _ in range(min(12, len(firms))):
            moved_in = today - timedelta(days=rng.randint(20, 3 * 365))
            out = moved_in + timedelta(days=rng.randint(90, 600)) if rng.random() < 0.2 else None
            moved_out = out if out is not None and out < today else None
            bases.add_tenant(base_id, firms.pop(), moved_in, moved_out)
            stays.append((moved_in, moved_out))
        for year in range(today.year - 2, today.year + 1):
            end = min(today, date(year, 12, 31))
            tenants = sum(1 for i, o in stays if i <= end and (o is None or o > end))  # in residence at the year's end
            new = sum(1 for i, _ in stays if i.year == year)
            bases.save_year(base_id, YearDraft(year=str(year), tenants=str(tenants), new_tenants=str(new),
                                               jobs=str(tenants * rng.randint(5, 30))))
    return made
