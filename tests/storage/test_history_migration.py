"""Migration 0001 → 0002 (and on to head) on a database that already holds enterprises."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.orm import Session

from lvqi_desktop import __version__
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.repositories.dashboard_counts import DashboardCounts
from lvqi_desktop.storage.server import make_server_engine
from lvqi_desktop.storage.server import open_server_database
from tests.conftest import make_uscc
from tests.conftest import migrate_to
from tests.conftest import open_services


def _database_at_0001(path) -> None:
    migrate_to(create_engine(f"sqlite:///{path}"), "0001")
    conn = sqlite3.connect(path)
    with conn:
        for i in range(50):
            conn.execute(
                "INSERT INTO enterprise (id, uscc, county_code, name, name_key, name_initials, name_pinyin, "
                "search_key, former_names, address, legal_representative, contact_person, contact_phone, "
                "industry_class, size_class_override_reason, main_products, above_scale, high_tech_cert_no, "
                "business_status, remarks, uuid) VALUES (?, ?, '141102', ?, ?, '', '', '', '', '', '', '', '', '', "
                "'', '', 0, '', 'active', '', ?)",
                (i + 1, make_uscc(seed=i), f"企业{i}", f"企业{i}", f"uuid-{i}"))
            conn.execute("INSERT INTO enterprise_year (enterprise_id, year, revenue_fen, uuid) VALUES (?, 2024, ?, ?)",
                         (i + 1, i * 100, f"year-{i}"))
    conn.close()


def _database_at(data_dir, revision: str) -> None:
    """The 50 firms of revision 0001 in the data folder, migrated up to `revision`."""
    data_dir.root.mkdir(parents=True)
    _database_at_0001(data_dir.database)
    migrate_to(create_engine(f"sqlite:///{data_dir.database}"), revision)


def test_upgrade_keeps_every_row_and_adds_an_append_only_history(data_dir) -> None:
    data_dir.root.mkdir(parents=True)
    _database_at_0001(data_dir.database)
    engine = open_database(data_dir, __version__)
    engine.dispose()
    conn = sqlite3.connect(data_dir.database)
    try:
        assert conn.execute("SELECT count(*), sum(id) FROM enterprise").fetchone() == (50, sum(range(1, 51)))
        assert conn.execute("SELECT count(*), sum(revenue_fen) FROM enterprise_year").fetchone() == (
            50, sum(i * 100 for i in range(50)))
        assert conn.execute("SELECT name FROM enterprise WHERE id = 7").fetchone() == ("企业6",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM change_record").fetchone() == (0,)
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(change_record)")}
        assert {"ix_change_record_table_record", "ix_change_record_at", "ix_change_record_operator",
                "ix_change_record_batch_id", "ix_change_record_session_id"} <= indexes
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"change_record_no_update", "change_record_no_delete"} <= triggers
        conn.execute("INSERT INTO change_record (at, operator, session_id, action, table_name, summary, changes, "
                     "batch_id) VALUES ('2026-01-01', 'x', 's', 'insert', 'enterprise', 's', '{}', 'b')")
        with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
            conn.execute("DELETE FROM change_record")
    finally:
        conn.close()


def test_0002_downgrade_and_upgrade_again(tmp_path) -> None:
    path = tmp_path / "db.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        command.downgrade(cfg, "0001")
        command.upgrade(cfg, "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"change_record_no_update", "change_record_no_delete"} <= triggers
    finally:
        conn.close()


def test_upgrade_from_0011_respells_every_name_for_sorting(data_dir) -> None:
    """0012: name_pinyin, stored run together before, becomes the spaced sort spelling for every firm."""
    _database_at(data_dir, "0011")
    conn = sqlite3.connect(data_dir.database)
    with conn:
        conn.execute("UPDATE enterprise SET name = '吕梁安宸商贸有限公司', name_pinyin = 'lvliangan' WHERE id = 3")
    conn.close()
    open_database(data_dir, __version__).dispose()
    conn = sqlite3.connect(data_dir.database)
    try:
        spelled = dict(conn.execute("SELECT id, name_pinyin FROM enterprise").fetchall())
    finally:
        conn.close()
    assert spelled[3] == "lv liang an chen shang mao you xian gong si"
    assert spelled[7] == "qi ye 6"
    assert len(spelled) == 50


def test_upgrade_from_0012_gives_every_edited_record_version_1_and_a_save_raises_it(data_dir) -> None:
    """0013: the records clerks edit in forms get a version counter; rows already there start at 1."""
    _database_at(data_dir, "0012")
    open_database(data_dir, __version__).dispose()
    conn = sqlite3.connect(data_dir.database)
    try:
        versions = [v for (v,) in conn.execute("SELECT version FROM enterprise ORDER BY id")]
        years = conn.execute("SELECT count(*) FROM enterprise_year").fetchone()[0]
    finally:
        conn.close()
    assert versions == [1] * 50 and years == 50  # every firm kept, with its yearly figures
    s = open_services(data_dir)
    try:
        s.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "测试员")
        s.forget_office()
        draft = s.enterprises.draft(3)
        assert draft.version == 1
        s.enterprises.save(replace(draft, remarks="迁移后第一次修改"), 3)
        assert s.enterprises.draft(3).version > 1  # raised once per UPDATE the save makes
    finally:
        s.close()


@pytest.mark.postgresql
def test_upgrade_to_0013_on_the_server_keeps_the_rows_and_starts_them_at_version_1(pg_url: str) -> None:
    engine = make_server_engine(pg_url)
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012")
        for i in range(5):
            conn.execute(text(
                "INSERT INTO enterprise (uscc, county_code, name, name_key, name_initials, name_pinyin, search_key, "
                "former_names, address, legal_representative, contact_person, contact_phone, industry_class, "
                "size_class_override_reason, main_products, above_scale, high_tech_cert_no, business_status, remarks, "
                "uuid) VALUES (:uscc, '141102', :name, :name, '', '', '', '', '', '', '', '', '', '', '', false, '', "
                "'active', '', :uuid)"), {"uscc": make_uscc(seed=i), "name": f"企业{i}", "uuid": f"uuid-{i}"})
    engine.dispose()
    open_server_database(pg_url, __version__).dispose()
    engine = make_server_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrate.head_revision()
            assert list(conn.execute(text("SELECT version FROM enterprise")).scalars()) == [1] * 5
    finally:
        engine.dispose()


def test_upgrade_from_0013_indexes_the_firms_by_uscc_and_counts_a_firm_two_counties_hold(data_dir) -> None:
    """0014: an index of the firms in USCC order, for 各县对比's count of doubled firms."""
    _database_at(data_dir, "0013")
    conn = sqlite3.connect(data_dir.database)
    with conn:  # 文水县 holds firm 0 too (counted) and firm 1 only in its archive (not counted)
        conn.execute("INSERT INTO enterprise (uscc, county_code, name, name_key, name_initials, name_pinyin, "
                     "search_key, former_names, address, legal_representative, contact_person, contact_phone, "
                     "industry_class, size_class_override_reason, main_products, above_scale, high_tech_cert_no, "
                     "business_status, remarks, uuid, archived_at) SELECT uscc, '141121', name, name_key, '', '', "
                     "'', '', '', '', '', '', '', '', '', 0, '', 'active', '', 'wenshui-' || id, "
                     "CASE id WHEN 2 THEN '2026-05-01 08:00:00' END FROM enterprise WHERE id IN (1, 2)")
    conn.close()
    engine = open_database(data_dir, __version__)
    try:
        with engine.connect() as c:
            index = c.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_enterprise_uscc_county'")).scalar()
            with Session(c) as session:
                doubled = DashboardCounts(session).cross_county_firms()
    finally:
        engine.dispose()
    assert index is not None and index.endswith("(uscc, county_code, archived_at)")
    assert doubled == 1


@pytest.mark.postgresql
@pytest.mark.parametrize(("before", "name", "columns"), [
    ("0013", "ix_enterprise_uscc_county", "(uscc, county_code, archived_at)"),  # 0014: firms by USCC
    ("0014", "ix_enterprise_id_county", "(id, county_code)"),  # 0015: each firm's county by id
])
def test_upgrade_on_the_server_adds_the_comparisons_firm_index(pg_url: str, before: str, name: str,
                                                                columns: str) -> None:
    migrate_to(make_server_engine(pg_url), before)
    open_server_database(pg_url, __version__).dispose()
    engine = make_server_engine(pg_url)
    try:
        with engine.connect() as conn:
            index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                                 {"name": name}).scalar()
    finally:
        engine.dispose()
    assert index is not None and index.endswith(columns)


def test_upgrade_from_0014_indexes_each_firms_county_by_id(data_dir) -> None:
    """0015: an index of the firms' counties in id order, for 各县对比's visits and demands per county."""
    _database_at(data_dir, "0014")
    engine = open_database(data_dir, __version__)
    try:
        with engine.connect() as c:
            index = c.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_enterprise_id_county'")).scalar()
            firms = c.execute(text("SELECT count(*) FROM enterprise INDEXED BY ix_enterprise_id_county")).scalar()
    finally:
        engine.dispose()
    assert index is not None and index.endswith("(id, county_code)")
    assert firms == 50  # every firm is in it
