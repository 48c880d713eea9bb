"""Several clerks on the city's PostgreSQL server importing at the same moment, and the server going away (issue 22)."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import text

from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.exchange.rows import ImportResult
from tests.conftest import open_services
from tests.exchange.keyring import give_keys
from tests.services.exchange.conftest import make_city
from tests.services.exchange.conftest import make_county

pytestmark = pytest.mark.postgresql


def _clerk(root: Path, url: str) -> Services:
    """A second clerk's program: its own local data dir with the city's key pair, the same server database
    (where the counties' keys are already enrolled)."""
    s = open_services(DataDir(root, url))
    s.office.use_operator("王五")
    give_keys(s)
    return s


def _at_once(clerks: list[tuple[Services, Path]]) -> list[ImportResult | BaseException]:
    """Each clerk's dry run first, then every apply started together."""
    plans = [s.exchange.dry_run([package]) for s, package in clerks]
    assert all(p.counties[0].status == "apply" for p in plans), [p.counties[0].refusals for p in plans]
    results: list[ImportResult | BaseException] = [RuntimeError("not run")] * len(clerks)
    start = threading.Barrier(len(clerks))

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = clerks[i][0].exchange.apply(plans[i])
        except BaseException as exc:  # noqa: BLE001 (reported by the assertions below)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clerks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _received(s: Services) -> int:
    with s.db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM package_received")).scalar() or 0)


def test_the_same_package_imported_twice_at_once_goes_in_once(tmp_path, county_package, pg_url) -> None:
    _county_root, package = county_package
    first = make_city(tmp_path / "clerk1", _backend(pg_url))
    second = _clerk(tmp_path / "clerk2", pg_url)
    try:
        results = _at_once([(first, package), (second, package)])
        assert all(isinstance(r, ImportResult) for r in results), results
        applied = [r for r in results if isinstance(r, ImportResult) and r.applied]
        told = [r for r in results if isinstance(r, ImportResult) and not r.applied]
        assert len(applied) == 1 and len(told) == 1
        assert any("复核时状态已变" in w for w in told[0].plan.counties[0].warnings)
        assert _received(first) == 1
    finally:
        first.close()
        second.close()


def _backend(url: str):
    from tests.conftest import Backend

    return Backend("postgresql", url)


def test_two_clerks_importing_different_counties_at_once_both_succeed(tmp_path, county_package, pg_url) -> None:
    _county_root, lishi = county_package
    wenshui = make_county(tmp_path / "wenshui", "141121", "文水县", enterprises=20, seed=2)
    usb = tmp_path / "usb"
    usb.mkdir()
    other = wenshui.exchange.export_package("2026Q3", usb, with_returns=False).path
    wenshui.close()
    first = make_city(tmp_path / "clerk1", _backend(pg_url))
    second = _clerk(tmp_path / "clerk2", pg_url)
    try:
        results = _at_once([(first, lishi), (second, other)])
        assert all(isinstance(r, ImportResult) and r.applied for r in results), results
        assert _received(first) == 2
        with first.db.engine.connect() as conn:
            counties = dict(conn.execute(text("SELECT county_code, count(*) FROM enterprise GROUP BY county_code")).all())
        assert counties["141102"] == 40 and counties["141121"] == 20
    finally:
        first.close()
        second.close()


class _ServerGoesAway(SilentProgress):
    """Cuts every connection to the database the moment the merge reports its first county."""

    def __init__(self, admin_url: str, database: str) -> None:
        super().__init__()
        self.admin_url, self.database, self.cut = admin_url, database, False

    def update(self, done: int, total: int, message: str = "") -> None:
        if message.startswith("正在导入") and not self.cut:
            self.cut = True
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                             "AND pid <> pg_backend_pid()", (self.database,))


def test_a_server_that_goes_away_during_an_import_leaves_nothing_half_written(tmp_path, county_package, pg_url,
                                                                              pg_server) -> None:
    _county_root, package = county_package
    city = make_city(tmp_path / "clerk1", _backend(pg_url))
    try:
        plan = city.exchange.dry_run([package])
        cut = _ServerGoesAway(pg_server.url(), urlsplit(pg_url).path.lstrip("/"))
        with pytest.raises(ServerTrouble, match="连接不上数据库服务器"):
            city.exchange.apply(plan, cut)
        assert cut.cut
        assert _received(city) == 0  # rolled back by the server
        with city.db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM enterprise")).scalar() == 0
        next_start = open_services(city.data_dir)  # the program started again on this computer says what happened
        try:
            told = next_start.exchange.unfinished_import()
        finally:
            next_start.close()
        assert told and "离石区 2026Q3" in told and "未完成" in told and "数据库没有改动" in told and "重新导入" in told
        assert city.exchange.unfinished_import() is None  # told once
        again = city.exchange.apply(city.exchange.dry_run([package]))  # the next try goes in whole
        assert again.applied and _received(city) == 1
    finally:
        city.close()
