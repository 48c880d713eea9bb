"""A package merge changes a record a city clerk holds open: the clerk's save is told, nothing lost (issue 22)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from lvqi_desktop.errors import EditConflict
from tests.services.exchange.conftest import inner_members
from tests.services.exchange.conftest import make_county


@pytest.fixture
def city(city_on):
    """On a SQLite file and on the PostgreSQL server."""
    return city_on


def _city_id(city, uuid: str) -> int:
    with city.db.engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM enterprise WHERE uuid = :u"), {"u": uuid}).scalar_one())


def test_a_merge_that_changes_a_record_held_open_makes_the_clerks_save_refused(tmp_path, city, city_x):
    county = make_county(tmp_path / "county", enterprises=5)
    usb = tmp_path / "usb"
    usb.mkdir()
    try:
        first = county.exchange.export_package("2026Q3", usb, with_returns=False).path.rename(usb / "first.lvqi")
        members = inner_members(first).values()
        assert any(b"\"uuid\"" in data for data in members)  # records carry their keys ...
        assert not any(b"\"version\"" in data for data in members)  # ... but the edit counter stays home
        city_x.apply(city_x.dry_run([first]))
        firm = county.enterprises.list_rows()[0]
        held = city.enterprises.draft(_city_id(city, firm.uuid))  # a city clerk opens it ...
        county.enterprises.save(replace(county.enterprises.draft(firm.id), address="离石区新址2号"), firm.id)
        second = county.exchange.export_package("2026Q3", usb, with_returns=False).path
        city_x.apply(city_x.dry_run([second]))  # ... while the county's correction is merged
        city_id = _city_id(city, firm.uuid)
        assert (city.enterprises.draft(city_id).version or 0) > (held.version or 0)
        with pytest.raises(EditConflict, match="请关闭后重新打开"):
            city.enterprises.save(replace(held, remarks="市中心备注"), city_id)
        stored = city.enterprises.draft(city_id)
        assert (stored.address, stored.remarks) == ("离石区新址2号", held.remarks)
    finally:
        county.close()
