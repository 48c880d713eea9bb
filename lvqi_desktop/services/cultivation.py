"""The cultivation-pool services (pools, condition checks, targets, reminders) built as one group."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.services.pools import PoolService
from lvqi_desktop.services.reminders import ReminderService
from lvqi_desktop.services.targets import TargetService
from lvqi_desktop.services.tier_check import TierCheckService
from lvqi_desktop.storage.unit_of_work import Database


@dataclass
class CultivationServices:
    pools: PoolService
    checks: TierCheckService
    targets: TargetService
    reminders: ReminderService


def build_cultivation(db: Database, office_county: Callable[[], str | None],
                      today: Callable[[], date] = clock.today) -> CultivationServices:
    return CultivationServices(PoolService(db, office_county, today), TierCheckService(db, office_county, today),
                               TargetService(db, office_county, today), ReminderService(db, office_county, today))
