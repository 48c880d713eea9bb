"""A county package with every kind of record a city clerk can open (firms, visits, demands, pool records,
bases, monitoring, helpers, teams, 包联), for the read-only form tests."""

from __future__ import annotations

from pathlib import Path

from lvqi_desktop import clock
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demo.bases import generate_bases
from lvqi_desktop.services.demo.monitoring import generate_monitoring
from lvqi_desktop.services.demo.pools import generate_pools
from lvqi_desktop.services.helpers import TeamDraft
from lvqi_desktop.services.monitoring import MonitoringService
from tests.services.exchange.conftest import COUNTY
from tests.services.exchange.conftest import make_county


def rich_county(root: Path) -> Services:
    s = make_county(root, enterprises=24, seed=3)
    ids = s.enterprises.current_ids()
    generate_bases(s.bases, ids, "离石区", clock.today(), 3)
    generate_monitoring(MonitoringService(s.db, s.office_county), s.enterprises.list_rows(), clock.today(), 3, size=10)
    s.helpers.save_team(TeamDraft(name="离石区第一入企服务工作组"))
    generate_pools(s.db, {"scale_up": 3, "srdi": 3}, seed=3, today=clock.today())
    return s


def rich_package(root: Path) -> Path:
    s = rich_county(root / "county")
    (root / "usb").mkdir()
    made = s.exchange.export_package("2026Q3", root / "usb", with_returns=False)
    s.db.dispose()
    return made.path


__all__ = ["COUNTY", "rich_package"]
