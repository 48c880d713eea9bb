"""Migration 0001 → 0002 (and on to head) on a database that already holds enterprises."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine

from lvqi_desktop import __version__
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.opening import open_database
from tests.conftest import make_uscc


def _database_at_0001(path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
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
    data_dir.root.mkdir(parents=True)
    _database_at_0001(data_dir.database)
    engine = create_engine(f"sqlite:///{data_dir.database}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0011")
    engine.dispose()
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
