"""The city edition on a real PostgreSQL server: migrations, refusals in Chinese, append-only history, the CLI."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lvqi_desktop import __version__
from lvqi_desktop.cli import main as cli_main
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.startup import open_services as face_open_services
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.server import shown_url
from tests.conftest import make_uscc
from tests.conftest import open_services
from tests.pg_cluster import PgCluster

pytestmark = pytest.mark.postgresql


def _sql(url: str, *statements: str) -> None:
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _tables(url: str) -> set[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_same_migrations_run_on_the_server_and_record_the_minimum_version(pg_url: str) -> None:
    engine = open_server_database(pg_url, __version__)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrate.head_revision()
            assert conn.execute(text("SELECT value FROM app_meta WHERE key = 'min_program_version'")).scalar()
            # the partial unique indexes stayed partial (one current pool record per firm, archived ones aside)
            where = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_cultivation_record_current'"
                                      )).scalar()
            assert "WHERE (archived_at IS NULL)" in where
            # the register's search can use a trigram index there (a million firms, a keystroke)
            conn.execute(text("SET enable_seqscan = off"))  # an empty table would be scanned anyway
            plan = "\n".join(conn.execute(text("EXPLAIN SELECT id FROM enterprise WHERE search_key LIKE '%lljt%'"))
                              .scalars())
            assert "ix_enterprise_search_key_trgm" in plan
    finally:
        engine.dispose()
    open_server_database(pg_url, __version__).dispose()  # the second start finds the head schema: nothing to do


def test_the_history_is_append_only_on_the_server(pg_url: str, tmp_path) -> None:
    s = open_services(DataDir(tmp_path / "local", pg_url))
    try:
        s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
        with s.db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM change_record")).scalar() >= 2
            for sql in ("UPDATE change_record SET summary = 'x'", "DELETE FROM change_record",
                        "TRUNCATE change_record"):
                with pytest.raises(DBAPIError, match="修改记录只能追加"):
                    conn.execute(text(sql))
                conn.rollback()
        assert s.integrity.check().ok
        _sql(pg_url, "ALTER TABLE change_record DISABLE TRIGGER change_record_no_delete")
        report = s.integrity.check()
        assert not report.ok and any("change_record_no_delete 被停用" in p for p in report.problems)
    finally:
        s.db.dispose()


def test_a_county_edition_is_refused_on_the_server(pg_url: str, tmp_path) -> None:
    local = DataDir(tmp_path / "local", pg_url)
    s = face_open_services(local)
    try:
        with pytest.raises(ValidationFailed, match="数据库服务器只供市中心使用"):
            s.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
        s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    finally:
        s.close()
    _sql(pg_url, "UPDATE office SET kind = 'county', county_code = '141102'")
    with pytest.raises(DatabaseRefused, match="县级版"):
        face_open_services(local)


def test_wrong_password_server_down_and_missing_database_each_say_what_to_do(pg_server: PgCluster,
                                                                              tmp_path) -> None:
    with pytest.raises(DatabaseRefused, match="用户名或密码不对") as wrong:
        open_server_database(pg_server.url(user=pg_server.user, password="not-it"), __version__)
    assert "not-it" not in str(wrong.value)  # the address is shown without its password
    down = f"postgresql://clerk:pw@/lvqi?host={tmp_path}&port=5432"
    with pytest.raises(DatabaseRefused, match="连接不上数据库服务器"):
        open_server_database(down, __version__)
    with pytest.raises(DatabaseRefused, match="没有地址.*中的数据库"):
        open_server_database(pg_server.url("no_such_db"), __version__)
    with pytest.raises(DatabaseRefused, match="不是 PostgreSQL 地址"):
        open_server_database("mysql://x@y/z", __version__)
    assert "secret" not in shown_url("postgresql://a:secret@host/db")


def test_a_role_without_rights_is_told_and_nothing_is_created(pg_server: PgCluster, pg_url: str) -> None:
    _sql(pg_server.url(), "DROP ROLE IF EXISTS clerk_ro",
         "CREATE ROLE clerk_ro LOGIN PASSWORD 'ro-pw'")
    name = urlsplit(pg_url).path.lstrip("/")
    _sql(pg_server.url(), f'GRANT CONNECT ON DATABASE "{name}" TO clerk_ro')
    with pytest.raises(DatabaseRefused, match="没有所需的权限"):
        open_server_database(pg_server.url(name, user="clerk_ro", password="ro-pw"), __version__)
    assert _tables(pg_url) == set()


def test_another_programs_database_and_a_newer_one_are_left_alone(pg_url: str) -> None:
    _sql(pg_url, "CREATE TABLE invoices (id int)")
    with pytest.raises(DatabaseRefused, match="不是吕企台账的数据库"):
        open_server_database(pg_url, __version__)
    assert _tables(pg_url) == {"invoices"}
    _sql(pg_url, "DROP TABLE invoices")
    open_server_database(pg_url, __version__).dispose()
    _sql(pg_url, "UPDATE app_meta SET value = '99.0' WHERE key = 'min_program_version'")
    with pytest.raises(DatabaseRefused, match="需要 99.0 或更高版本"):
        open_server_database(pg_url, __version__)
    _sql(pg_url, "UPDATE app_meta SET value = '0.1.0'", "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseRefused, match="结构版本（9999）比本程序新"):
        open_server_database(pg_url, __version__)


def test_cli_runs_the_city_edition_on_the_server(pg_url: str, tmp_path, monkeypatch, capsys) -> None:
    root = str(tmp_path / "local")
    assert cli_main(["--data-dir", root, "--database", pg_url, "init", "--county", "141102"]) == 1
    assert "数据库服务器只供市中心使用" in capsys.readouterr().err
    assert cli_main(["--data-dir", root, "--database", pg_url, "init", "--city"]) == 0
    monkeypatch.setenv("LVQI_DATABASE", pg_url)  # the variable works as --database does
    assert cli_main(["--data-dir", root, "demo", "--enterprises", "30", "--seed", "3"]) == 0
    capsys.readouterr()
    assert cli_main(["--data-dir", root, "enterprise", "list"]) == 0
    assert "共 30 家企业" in capsys.readouterr().out
    assert cli_main(["--data-dir", root, "check"]) == 0
    assert "结论" in capsys.readouterr().out
    assert cli_main(["--data-dir", root, "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert cli_main(["--data-dir", root, "restore", str(tmp_path / "any.sqlite3.gz"), "--yes"]) == 1
    assert "pg_restore" in capsys.readouterr().err
    assert not (tmp_path / "local" / "lvqi.sqlite3").exists()  # nothing went into a local file


def test_copy_to_server_moves_every_table_with_the_history_and_verifies_it(pg_url: str, tmp_path, capsys) -> None:
    root = str(tmp_path / "city")
    assert cli_main(["--data-dir", root, "init", "--city"]) == 0
    assert cli_main(["--data-dir", root, "demo", "--enterprises", "40", "--activity", "--seed", "5"]) == 0
    capsys.readouterr()
    assert cli_main(["--data-dir", root, "copy-to-server", pg_url]) == 0
    out = capsys.readouterr().out
    assert "逐表核对一致" in out and "change_record" in out
    s = face_open_services(DataDir(tmp_path / "clerk", pg_url))  # a clerk now works on the server
    try:
        assert s.office_info().is_city and len(s.enterprises.list_rows()) == 40
        assert any("生成演示数据" in row.summary for row in s.history.list())  # the history came along
        s.office.use_operator("管理员")
        s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")  # and new rows get fresh ids
    finally:
        s.close()
    assert cli_main(["--data-dir", root, "copy-to-server", pg_url]) == 1  # the server's database is not empty now
    assert "已经有数据" in capsys.readouterr().err


def test_a_county_database_is_not_copied_to_a_server(pg_url: str, tmp_path, capsys) -> None:
    root = str(tmp_path / "county")
    assert cli_main(["--data-dir", root, "init", "--county", "141102"]) == 0
    capsys.readouterr()
    assert cli_main(["--data-dir", root, "copy-to-server", pg_url]) == 1
    assert "属于县（市、区）" in capsys.readouterr().err
    assert _tables(pg_url) >= {"enterprise"}  # migrated, but left empty
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM office").fetchone()[0] == 0


def test_a_role_that_may_only_read_is_told_on_writing_and_nothing_is_written(pg_server: PgCluster, pg_url: str,
                                                                             tmp_path) -> None:
    open_server_database(pg_url, __version__).dispose()  # the schema, made by the owner
    name = urlsplit(pg_url).path.lstrip("/")
    _sql(pg_server.url(), "DROP ROLE IF EXISTS viewer", "CREATE ROLE viewer LOGIN PASSWORD 'v-pw'")
    _sql(pg_url, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer")
    s = face_open_services(DataDir(tmp_path / "viewer", pg_server.url(name, user="viewer", password="v-pw")))
    try:
        with pytest.raises(ServerTrouble, match="没有所需的权限"):
            s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
        s.forget_office()
        assert s.office_info() is None  # read again from the server: nothing was written
    finally:
        s.close()


def test_read_only_on_the_server_reads_and_refuses_writes(pg_url: str, tmp_path) -> None:
    s = face_open_services(DataDir(tmp_path / "one", pg_url))
    s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    s.close()
    s = face_open_services(DataDir(tmp_path / "two", pg_url), read_only=True)
    try:
        assert s.read_only and s.office_info().is_city
        with pytest.raises(ServerTrouble, match="只读"):
            s.office.set_up("city", None, "吕梁市中小企业服务中心（改）", "李四")
        s.forget_office()
        assert s.office_info().name == "吕梁市中小企业服务中心"
    finally:
        s.close()


def test_the_start_page_and_county_comparison_count_the_same_on_both_engines(pg_url: str, tmp_path,
                                                                            fixed_clock) -> None:
    """The same demo data (same seed, same day) on a SQLite file and on the server: the same figures."""
    today = fixed_clock.today()
    found = []
    operators = []
    for data_dir in (DataDir(tmp_path / "file"), DataDir(tmp_path / "server", pg_url)):
        s = face_open_services(data_dir)
        try:
            s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
            s.forget_office()
            s.demo.generate(120, seed=9, activity=True)
            operators.append(({r.operator for r in s.history.list(limit=None)}, s.office.current_operator))
            found.append((s.dashboard.figures(today.year, today), s.dashboard.county_comparison(today.year, today),
                          [r.summary for r in s.history.list(limit=None)],
                          [len(s.enterprises.matching_ids(EnterpriseFilter(search=typed))) for typed in
                           ("yxgs", "YXGS", "山西", "9114", "qxqxqx")]))  # the register's search, case and all
        finally:
            s.close()
    assert found[0] == found[1]
    server_rows, server_role = operators[1]
    assert server_rows == {server_role} and server_role  # on the server: the login role (the chosen name on a file)
    assert found[0][1].total.enterprises == 120
    assert found[0][3][0] == found[0][3][1] > 0 and found[0][3][4] == 0


def test_two_clerks_changing_the_same_record_at_once_the_second_is_told(pg_url: str, tmp_path) -> None:
    first = face_open_services(DataDir(tmp_path / "one", pg_url))
    second = face_open_services(DataDir(tmp_path / "two", pg_url))
    try:
        first.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
        outcome: list[BaseException | None] = []
        with first.db.unit_of_work() as uow:
            office = uow.office.office()
            office.name = "吕梁市中小企业服务中心（甲）"
            uow.flush()  # the first clerk holds the row, not yet saved

            def second_clerk() -> None:
                try:
                    with second.db.unit_of_work() as other:
                        other.office.office().name = "吕梁市中小企业服务中心（乙）"
                        other.commit()
                    outcome.append(None)
                except BaseException as exc:  # noqa: BLE001 (the assertion below reads it)
                    outcome.append(exc)

            worker = threading.Thread(target=second_clerk)
            worker.start()
            _until_one_waits_for_a_lock(pg_url)  # the second clerk has read the row and waits to change it
            uow.commit()
        worker.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], ServerTrouble), outcome
        assert "另一位办事员刚刚同时修改了同一批数据" in str(outcome[0])
        first.forget_office()
        assert first.office_info().name == "吕梁市中小企业服务中心（甲）"  # the first change stands, nothing mixed
    finally:
        first.close()
        second.close()


def _until_one_waits_for_a_lock(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(300):
            if conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock'").fetchone()[0]:
                return
            time.sleep(0.1)
    raise AssertionError("the second clerk never waited for the row")


def test_the_connection_test_says_what_it_found_and_changes_nothing(pg_url: str, pg_server: PgCluster, tmp_path,
                                                                    capsys) -> None:
    root = str(tmp_path / "local")
    assert cli_main(["--data-dir", root, "test-server", pg_url]) == 0
    assert "连接成功" in (out := capsys.readouterr().out) and "数据库是空的" in out
    assert _tables(pg_url) == set()  # nothing created
    open_server_database(pg_url, __version__).dispose()
    assert cli_main(["--data-dir", root, "--database", pg_url, "test-server"]) == 0
    assert "与本程序一致" in capsys.readouterr().out
    assert cli_main(["--data-dir", root, "test-server", pg_server.url("lvqi_nowhere")]) == 1
    assert "没有地址" in capsys.readouterr().err


def test_each_clerk_is_named_in_the_history_by_their_own_server_role(pg_server: PgCluster, pg_url: str,
                                                                      tmp_path) -> None:
    """docs/city-server.md §2: one login role per clerk; the history records the role, whatever name is picked."""
    open_server_database(pg_url, __version__).dispose()  # the schema, made by the owner
    name = urlsplit(pg_url).path.lstrip("/")
    _sql(pg_server.url(), "DROP ROLE IF EXISTS zhangsan", "DROP ROLE IF EXISTS lisi", "DROP ROLE IF EXISTS lvqi_clerk",
         "CREATE ROLE lvqi_clerk NOLOGIN", "CREATE ROLE zhangsan LOGIN PASSWORD 'z-pw' IN ROLE lvqi_clerk",
         "CREATE ROLE lisi LOGIN PASSWORD 'l-pw' IN ROLE lvqi_clerk")
    _sql(pg_url, f'GRANT CONNECT ON DATABASE "{name}" TO lvqi_clerk', "GRANT USAGE ON SCHEMA public TO lvqi_clerk",
         "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lvqi_clerk",
         "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO lvqi_clerk",
         "REVOKE UPDATE, DELETE, TRUNCATE ON change_record FROM lvqi_clerk")
    owner = face_open_services(DataDir(tmp_path / "owner", pg_url))
    owner.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    owner.close()
    zhang = face_open_services(DataDir(tmp_path / "zhang", pg_server.url(name, user="zhangsan", password="z-pw")))
    li = face_open_services(DataDir(tmp_path / "li", pg_server.url(name, user="lisi", password="l-pw")))
    try:
        li.office.use_operator("王五")  # a name picked (CLI --operator, an old habit) does not hide who it was
        assert (zhang.office.current_operator, li.office.current_operator) == ("zhangsan", "lisi")
        firm = zhang.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=71), name="吕梁兴县铝业有限公司",
                                                      county_code="141123")).id
        held = zhang.enterprises.draft(firm)
        li.enterprises.save(replace(li.enterprises.draft(firm), contact_person="刘七"), firm)
        with pytest.raises(EditConflict, match="该记录已被 lisi 于"):
            zhang.enterprises.save(replace(held, remarks="张三的备注"), firm)
        with psycopg.connect(pg_url, autocommit=True) as conn:
            rows = conn.execute("SELECT operator, action FROM change_record WHERE table_name = 'enterprise' "
                                "AND record_id = %s ORDER BY id", (firm,)).fetchall()
        assert rows == [("zhangsan", "insert"), ("lisi", "update")]
    finally:
        zhang.close()
        li.close()
