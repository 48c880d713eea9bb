"""Demo pool records and the county's own targets, made through PoolService and TargetService (so every
record passes the rules the program enforces): all four pools, every tier and status, entries over three years."""

from __future__ import annotations

import random
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import timedelta

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.models.pools import StatusDef
from lvqi_desktop.services.cultivation import CultivationServices
from lvqi_desktop.services.targets import TIER_METRICS
from lvqi_desktop.validation.pools import RecordDraft

_REASONS = ("企业经营状况变化，主动申请退出", "连续两年未报送年度信息", "已迁出本县")
_OVERRIDE = "演示数据：省级专精特新称号在外市认定，材料已核"
_TARGET_SHARE = {"tier:innovative_sme": 0.012, "tier:srdi_provincial": 0.006, "tier:little_giant_provincial": 0.002,
                 "tier:little_giant_national": 0.001}  # of the county's firms: within reach of the demo's records


@dataclass(frozen=True)
class CultivationCounts:
    records: int
    targets: int


def _draft(pool: PoolDef, tier: str | None, status: StatusDef, entered: date, today: date, n: int,
           rng: random.Random) -> RecordDraft:
    """A record with what its status needs: 认定 a date and 文号 (some three years back, so expiring soon)."""
    recognized = min(today, entered + timedelta(days=rng.randint(60, 400)))
    if status.needs_recognition and rng.random() < 0.3:
        recognized = today - timedelta(days=3 * 365 - rng.randint(10, 170))  # its title expires within six months
    year = recognized.year
    return RecordDraft(
        pool=pool.code, tier=tier or "", status=status.code, entered_on=min(entered, recognized).isoformat(),
        recognized_on=recognized.isoformat() if status.needs_recognition or status.holds_title else "",
        document_no=f"晋工信中小字〔{year}〕{n % 90 + 10}号" if status.needs_recognition or status.holds_title else "",
        status_reason=rng.choice(_REASONS) if status.needs_reason else "",
        month=f"{recognized.year}-{recognized.month:02d}" if status.needs_month else "",
        completed_on=recognized.isoformat() if status.needs_completion else "",
        responsible_person="张敏", note="演示数据")


def generate_cultivation(cult: CultivationServices, enterprise_ids: list[int], county: str | None, today: date,
                         seed: int) -> CultivationCounts:
    """Put demo firms in every pool at every tier and status (what a status needs is filled in); a county
    edition also gets its own targets for the last three years and this one. Same seed → same records."""
    rng = random.Random(seed * 7 + 17)
    firms = list(enterprise_ids)
    rng.shuffle(firms)
    catalog = cult.pools.catalog()
    made = 0
    for pool in catalog.pools.values():
        tiers: list[str | None] = [t.code for t in pool.ladder()] or [None]
        statuses = sorted(pool.statuses.values(), key=lambda s: s.seq)
        for n, (tier, status) in enumerate((t, s) for t in tiers for s in statuses):
            if not firms:
                break
            firm = firms.pop()
            entered = today - timedelta(days=rng.randint(30, 3 * 365))
            full = _draft(pool, tier, status, entered, today, n, rng)
            for draft in (full, replace(full, override_reason=_OVERRIDE),  # a 小巨人 held without the 省级 title here
                          RecordDraft(pool=pool.code, tier=tier or "", entered_on=entered.isoformat(), note="演示数据")):
                try:
                    cult.pools.add_to_pool(firm, draft)
                    made += 1
                    break
                except ValidationFailed:
                    continue  # refused as drafted: with an override reason, then as the pool's plain first status
    targets = 0
    if county:
        size = max(len(enterprise_ids), 1)
        for year in range(today.year - 2, today.year + 1):
            for metric in TIER_METRICS:
                value = max(1, round(size * _TARGET_SHARE.get(metric, 0.01) * (1 + 0.15 * (year - today.year + 2))))
                cult.targets.save_target(county, metric, year, str(value), "演示数据：本县年度培育目标")
                targets += 1
            cult.targets.save_target(county, "scale_up_entered", year, str(max(1, size // 50)), "演示数据")
            targets += 1
    return CultivationCounts(made, targets)
