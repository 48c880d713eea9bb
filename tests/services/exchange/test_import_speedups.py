"""The fast paths of the city import change nothing a user sees: same plans, same refusals, same origins."""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import create_engine

from lvqi_desktop import __version__
from lvqi_desktop import clock
from lvqi_desktop.services.exchange import digest as exchange_digest
from lvqi_desktop.services.exchange import service as exchange_module
from lvqi_desktop.services.exchange.digest import DigestPool
from lvqi_desktop.services.exchange.digest import digest
from lvqi_desktop.services.exchange.package_import import check_enterprise
from lvqi_desktop.storage import exchange_records
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database
from tests.conftest import migrate_to
from tests.exchange.test_bad_input import _bad_uscc
from tests.exchange.test_bad_input import resigned
from tests.services.exchange.conftest import db_state
from tests.services.exchange.conftest import opened
from tests.services.exchange.conftest import unsealed_file


class _Synchronous:
    """A DigestPool whose helper has always finished: `answer(path)` is what it found."""

    def __init__(self, answer):
        self.answer = answer

    def __call__(self, paths, today):
        return self

    def get(self, path):
        return self.answer(path)

    def close(self):
        pass


def _view(plan):
    return [(c.status, c.summary, c.refusals, c.warnings) for c in plan.counties]


def test_helper_digest_matches_the_readers_own_work(county_package, tmp_path):
    bad = resigned(county_package[1], tmp_path / "bad.lvqi", _bad_uscc)
    found = digest(str(unsealed_file(bad, tmp_path / "bad.zip")), clock.today())
    package = opened(bad)
    for table, hashes in package.line_hashes.items():
        assert found.hashes[f"data/{table}.jsonl"] == (package.manifest.members[f"data/{table}.jsonl"], hashes)
    expected = {r["uuid"]: p for r in package.tables["enterprise"]
                if (p := check_enterprise(r, package.manifest.county_code, clock.today()))}
    assert found.checked_enterprises(package.manifest) == expected and len(expected) == 2
    assert digest(str(tmp_path / "missing.lvqi"), clock.today()) is None


def test_dry_run_with_the_helper_refuses_the_same(county_package, city, city_x, tmp_path, monkeypatch):
    bad = resigned(county_package[1], tmp_path / "bad.lvqi", _bad_uscc)
    alone = _view(city_x.dry_run([bad]))
    monkeypatch.setattr(exchange_module, "DigestPool", _Synchronous(lambda p: digest(str(p), clock.today())))
    assert _view(city_x.dry_run([bad])) == alone
    assert any("未通过企业库校验" in r for r in alone[0][2])


def test_a_digest_of_another_file_is_ignored(county_package, city, city_x, tmp_path, monkeypatch):
    """The helper read the good file, the dry run reads the bad one: checksums differ, so every check runs."""
    bad = resigned(county_package[1], tmp_path / "bad.lvqi", _bad_uscc)
    good = digest(str(county_package[1]), clock.today())
    monkeypatch.setattr(exchange_module, "DigestPool", _Synchronous(lambda p: good))
    (plan,) = city_x.dry_run([bad]).counties
    assert plan.status == "refused" and any("未通过企业库校验" in r for r in plan.refusals)
    assert _view(city_x.dry_run([county_package[1]]))[0][0] == "apply"


def test_helper_process_answers_for_each_file(county_package, tmp_path, monkeypatch):
    bad = unsealed_file(resigned(county_package[1], tmp_path / "bad.lvqi", _bad_uscc), tmp_path / "bad.zip")
    good = unsealed_file(county_package[1], tmp_path / "good.zip")
    monkeypatch.setattr(exchange_digest, "MIN_BYTES", 0)
    monkeypatch.chdir(tmp_path)  # the helper runs isolated: a module planted in the current folder is not imported
    (tmp_path / "lvqi_desktop").mkdir()
    (tmp_path / "lvqi_desktop" / "__init__.py").write_text("raise SystemExit('planted')\n", encoding="utf-8")
    pool = DigestPool([good, bad], clock.today())
    try:
        found, deadline = {}, time.monotonic() + 60
        while len(found) < 2 and time.monotonic() < deadline:
            for p in (good, bad):
                found.setdefault(p, pool.get(p))
                if found[p] is None:
                    del found[p]
            time.sleep(0.05)
    finally:
        pool.close()
    assert found[bad].enterprise_problems == digest(str(bad), clock.today()).enterprise_problems
    assert found[good].enterprise_problems == {}


def test_import_then_reimport_with_the_helper(county_package, city, city_x, monkeypatch):
    monkeypatch.setattr(exchange_module, "DigestPool", _Synchronous(lambda p: digest(str(p), clock.today())))
    result = city_x.apply(city_x.dry_run([county_package[1]]))
    assert len(result.applied) == 1
    after = db_state(city)
    again = city_x.dry_run([county_package[1]])
    assert again.counties[0].status == "same" and city_x.apply(again).applied == []
    assert db_state(city) == after
    assert len(after["origins"]) == sum(result.applied[0].total.to_json().values())


def test_indexes_dropped_for_a_bulk_merge_are_back(county_package, city, city_x, monkeypatch):
    def indexes():
        with sqlite3.connect(city.data_dir.database) as conn:
            return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall())
    before = indexes()
    with city.db.unit_of_work() as uow:
        assert exchange_records.suspend_indexes(uow.session, {"visit": 10**6}) != []
    assert indexes() == before  # not committed: rolled back with the unit of work
    monkeypatch.setattr(exchange_records, "BULK_ROWS", 1)
    suspended = []
    real = exchange_records.suspend_indexes
    monkeypatch.setattr(exchange_records, "suspend_indexes", lambda s, n: suspended.extend(real(s, n)) or suspended)
    assert len(city_x.apply(city_x.dry_run([county_package[1]])).applied) == 1
    assert len(suspended) > 5 and indexes() == before


def test_migration_moves_record_origin_rows_into_the_origin_map(data_dir):
    data_dir.root.mkdir(parents=True)
    migrate_to(create_engine(f"sqlite:///{data_dir.database}"), "0007")
    with sqlite3.connect(data_dir.database) as conn:
        conn.executemany("INSERT INTO record_origin VALUES (?, ?, 'enterprise', ?, ?)",
                         [("141102", "u1", "h1", 0), ("141102", "u2", "h2", 1), ("141121", "u3", "h3", 0)])
    db = Database(open_database(data_dir, __version__), operator="测试员")
    try:
        with db.unit_of_work() as uow:
            assert exchange_records.origins_of(uow.session, "141102") == {"u1": ("h1", False), "u2": ("h2", True)}
            assert exchange_records.origins_of(uow.session, "141121") == {"u3": ("h3", False)}
            assert exchange_records.origins_of(uow.session, "141122") == {}
    finally:
        db.dispose()
