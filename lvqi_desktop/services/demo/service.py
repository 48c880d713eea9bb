"""Demo data (`lvqi demo`): realistic synthetic enterprises for the office's county, or the whole city, in one transaction."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.demo.activity import ActivityCounts
from lvqi_desktop.services.demo.activity import add_activity
from lvqi_desktop.services.demo.activity import scaled_to
from lvqi_desktop.services.demo.catalogue import COUNTY_WEIGHTS
from lvqi_desktop.services.demo.pools import add_pools
from lvqi_desktop.services.demo.pools import pools_scaled_to
from lvqi_desktop.services.demo.rows import RowMaker
from lvqi_desktop.services.demo.rows import Weighted
from lvqi_desktop.services.demo.rows import county_plan
from lvqi_desktop.services.enterprise_derived import size_bounds
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.storage.unit_of_work import Database

MAX_ENTERPRISES = 200_000
CHUNK = 2_000  # rows built, inserted and reported per step


@dataclass(frozen=True)
class DemoResult:
    """What was generated: counts per county code and per size class ('1'–'4', 'none')."""

    enterprises: int
    enterprise_years: int
    seed: int
    by_county: dict[str, int]
    by_size_class: dict[str, int]
    above_scale: int
    activity: ActivityCounts | None = None
    pool_records: int = 0


class DemoService:
    def __init__(self, db: Database, office_info: Callable[[], OfficeInfo | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_info = office_info
        self._today = today

    def generate(self, count: int, seed: int | None = None, progress: Progress = NO_PROGRESS, *,
                 activity: bool = False) -> DemoResult:
        """Add `count` synthetic enterprises with up to three years of figures (and with `activity` helpers,
        assignments, visits, demands and pool records with dated timelines over them); all or nothing, in one transaction."""
        if not 1 <= count <= MAX_ENTERPRISES:
            raise ValidationFailed([Issue("enterprises", f"演示企业数量应在 1 到 {MAX_ENTERPRISES} 之间，"
                                                         f"现在是 {count}")])
        office = self._office_info()
        if office is None:
            raise LvqiError("本数据文件夹还没有设置所属单位，不能生成演示数据。请先运行：lvqi init --county 县区代码（或 --city）")
        seed = random.SystemRandom().randrange(1, 10**9) if seed is None else seed
        rng = random.Random(seed)
        with self._db.unit_of_work() as uow:
            counties = {c.code: c.name for c in uow.reference.counties()}
            codes = sorted(counties) if office.is_city else [str(office.county_code)]
            townships: dict[str, list[tuple[str, str]]] = {code: [] for code in counties}
            for t in uow.reference.townships():
                townships[t.county_code].append((t.code, t.name))
            bounds = {r.group_code: size_bounds(r) for r in uow.reference.size_rules()}
            plans = [county_plan(code, counties[code], townships[code]) for code in codes]
            pick_county = Weighted(plans, [COUNTY_WEIGHTS.get(p.code, 1) for p in plans])
            maker = RowMaker(rng, self._today(), bounds, uow.demo_rows.taken_keys(codes),  # type: ignore[arg-type]
                             uow.demo_rows.next_enterprise_ids(), sorted(counties))
            by_county: Counter[str] = Counter()
            by_size: Counter[str] = Counter()
            years_total = above = done = 0
            progress.update(0, count, "正在生成演示数据……")
            while done < count:
                progress.raise_if_cancelled()
                rows, year_rows = [], []
                for _ in range(min(CHUNK, count - done)):
                    plan = pick_county.pick(rng)
                    row, years, _derived = maker.make(plan)
                    rows.append(row)
                    year_rows.extend(years)
                    by_county[plan.code] += 1
                    by_size[str(row["size_class"] or "none")] += 1
                    above += bool(row["above_scale"])
                uow.demo_rows.insert_enterprises(rows, year_rows)
                done += len(rows)
                years_total += len(year_rows)
                progress.update(done, count, "正在生成演示数据……")
            progress.raise_if_cancelled()
            uow.demo_rows.record_batch(f"生成演示数据：{done} 家企业（随机种子 {seed}）", "enterprise",
                                       {"enterprises": done, "enterprise_years": years_total, "seed": seed})
            added, pool_records = None, 0
            if activity:
                progress.update(count, count, "正在生成包联、走访、诉求与培育库记录……")
                added = add_activity(uow, office.office_code, **scaled_to(count), seed=seed, today=self._today())
                pool_records = add_pools(uow, pools_scaled_to(count), seed=seed, today=self._today())
            progress.raise_if_cancelled()
            progress.update(count, count, "正在提交……")
            uow.commit()
        return DemoResult(done, years_total, seed, dict(sorted(by_county.items())), dict(sorted(by_size.items())),
                          above, added, pool_records)
