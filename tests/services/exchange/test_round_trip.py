"""County → package → city gives identical records; re-import changes nothing; newer supersedes older."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.exchange_records import snapshot
from tests.conftest import open_services
from tests.services.exchange.conftest import COUNTY
from tests.services.exchange.conftest import db_state
from tests.services.exchange.conftest import inner_members
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import opened


@pytest.fixture
def city(city_on):
    """Every test here runs on a SQLite file and on the PostgreSQL server (issue 22)."""
    return city_on


def _by_uuid(tables: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    return {t: {r["uuid"]: r for r in rows} for t, rows in tables.items()}


def test_round_trip_gives_identical_records(county_package, city, city_x):
    county_root, package = county_package
    plan = city_x.dry_run([package])
    (p,) = plan.counties
    assert p.status == "apply", p.refusals
    assert p.total.new > 40 and p.total.changed == 0
    result = city_x.apply(plan)
    assert result.applied
    if city.data_dir.server:  # the server is backed up by the IT department (pg_dump), not before each import
        assert result.backup is None
    else:
        assert result.backup is not None and result.backup.exists()
    county = open_services(DataDir(county_root))
    try:
        with county.db.unit_of_work() as uow:
            sent = _by_uuid(snapshot(uow.session, COUNTY))
    finally:
        county.db.dispose()
    with city.db.unit_of_work() as uow:
        merged = _by_uuid(snapshot(uow.session, COUNTY))
    assert sum(len(v) for v in sent.values()) == p.total.new
    for table, rows in sent.items():
        assert set(rows) == set(merged[table]), table
        for uuid, record in rows.items():
            for key, value in record.items():
                assert merged[table][uuid][key] == value, (table, uuid, key)
    kept = list((city.data_dir.root / "packages" / COUNTY / "2026Q3").glob("*.lvqi"))
    assert len(kept) == 1 and kept[0].read_bytes() == package.read_bytes()


def test_reimport_changes_nothing_and_says_so(county_package, city, city_x):
    _root, package = county_package
    city_x.apply(city_x.dry_run([package]))
    before = db_state(city)
    plan = city_x.dry_run([package])
    assert plan.counties[0].status == "same"
    assert "已导入过" in plan.counties[0].summary
    result = city_x.apply(plan)
    assert result.applied == [] and "未作任何更改" in result.summary
    assert db_state(city) == before


def test_newer_supersedes_older_is_refused(tmp_path, city, city_x):
    county = make_county(tmp_path / "county", enterprises=20)
    x = county.exchange
    usb = tmp_path / "usb"
    usb.mkdir()
    first = x.export_package("2026Q3", usb, with_returns=False).path
    first = first.rename(usb / "first.lvqi")
    never_imported = x.export_package("2026Q3", usb, with_returns=False).path.rename(usb / "mid.lvqi")
    with county.db.unit_of_work() as uow:
        uow.session.execute(text("UPDATE enterprise SET address = '新地址1号', updated_at = CURRENT_TIMESTAMP "
                                 "WHERE id = 1"))
        uow.session.execute(text("UPDATE enterprise SET archived_at = CURRENT_TIMESTAMP, archive_reason = '注销' "
                                 "WHERE id = 2"))
        uow.commit()
    second = x.export_package("2026Q3", usb, with_returns=False)
    assert second.manifest.sequence == 3
    city_x.apply(city_x.dry_run([first]))
    plan = city_x.dry_run([second.path])
    (p,) = plan.counties
    assert p.status == "apply"
    assert p.counts["enterprise"].changed == 1 and p.counts["enterprise"].removed == 1
    city_x.apply(plan)
    rows = {r.sequence: r.status for r in city_x.received("2026Q3")}
    assert rows == {1: "superseded", 3: "current"}
    with county.db.unit_of_work() as uow:
        changed_uuid = uow.session.execute(text("SELECT uuid FROM enterprise WHERE id = 1")).scalar()
    with city.db.unit_of_work() as uow:
        assert uow.session.execute(text("SELECT address FROM enterprise WHERE uuid = :u"),
                                   {"u": changed_uuid}).scalar() == "新地址1号"
    before = db_state(city)
    old = city_x.dry_run([never_imported])
    assert old.counties[0].status == "refused"
    assert "较旧的报送包（序号 2）" in old.counties[0].refusals[0]
    assert "序号 3" in old.counties[0].refusals[0]
    assert city_x.apply(old).applied == []
    assert db_state(city) == before
    county.db.dispose()


def test_export_with_returns_and_fingerprint(tmp_path):
    county = make_county(tmp_path / "county", enterprises=10)
    usb = tmp_path / "usb"
    usb.mkdir()
    before = db_state(county)
    made = county.exchange.export_package("2026Q3", usb)
    assert made.path.name == "吕梁市-离石区-2026Q3-数据报送包.lvqi"
    assert "可以安全拔出U盘" in made.summary and short_fingerprint(made.fingerprint) in made.summary
    names = list(inner_members(made.path))
    assert any(n.endswith(".xlsx") for n in names) and "data/enterprise.jsonl" in names
    assert opened(made.path).manifest.fingerprint == made.fingerprint
    after = db_state(county)
    assert after.pop("package_sent") == before.pop("package_sent") + 1
    assert after == before  # local records are never changed by sending
    assert [p.sequence for p in county.exchange.sent_packages()] == [1]
    assert not [p for p in usb.iterdir() if p.name.startswith(".")]  # no temp file left
    county.db.dispose()


def test_cross_county_claims_are_listed(tmp_path, county_package, city, city_x):
    _root, package = county_package
    other = make_county(tmp_path / "other", code="141121", name="文水县", enterprises=5, seed=7)
    with other.db.unit_of_work() as uow:  # 文水县 claims an enterprise 离石区 also has
        first = opened(package).tables["enterprise"][0]
        uow.session.execute(text("UPDATE enterprise SET name = :n, name_key = :k WHERE id = 1"),
                            {"n": first["name"], "k": first["name_key"]})
        uow.commit()
    usb = tmp_path / "usb"
    usb.mkdir()
    second = other.exchange.export_package("2026Q3", usb, with_returns=False).path
    plan = city_x.dry_run([package, second])
    assert [c.status for c in plan.counties] == ["apply", "apply"]
    assert any(first["name"] in w and "文水县（" in w and "离石区（" in w for w in plan.cross_county)
    city_x.apply(plan)
    assert any(first["name"] in w for w in city_x.cross_county_conflicts())
    other.db.dispose()
    shutil.rmtree(tmp_path / "other", ignore_errors=True)


def test_a_record_the_database_refuses_rolls_back_everything(tmp_path, county_package, city, city_x):
    _root, package = county_package
    plan = city_x.dry_run([package])
    plan.counties[0].new["enterprise"][1]["uscc"] = plan.counties[0].new["enterprise"][0]["uscc"]
    before = db_state(city)
    with pytest.raises(LvqiError, match="本次导入已全部撤销"):
        city_x.apply(plan)
    after = db_state(city)
    assert after == before
    assert not list((city.data_dir.root / "packages").rglob("*.lvqi"))
