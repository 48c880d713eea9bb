"""The city edition on a PostgreSQL server: the engine, and opening it with a Chinese message for each failure."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import NoSuchModuleError

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.file_checks import FileFacts
from lvqi_desktop.storage.file_checks import too_new
from lvqi_desktop.storage.schema import MIN_PROGRAM_VERSION
from lvqi_desktop.storage.schema import MIN_VERSION_KEY

log = logging.getLogger(__name__)

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# pg_advisory_lock key of "the schema is being upgraded": two clerks starting a new version at once wait in turn
MIGRATION_LOCK = 0x4C56_5149_0001
CONNECT_TIMEOUT_S = 10

FORMAT_HINT = "格式：postgresql://角色名:密码@服务器地址:5432/数据库名"


def is_server_url(value: str | None) -> bool:
    """True for a postgresql://… address (the city edition's server), False for nothing or a folder."""
    return bool(value) and urlsplit(str(value)).scheme.lower() in SERVER_SCHEMES


def shown_url(url: str) -> str:
    """The address as it may be shown or logged: the password hidden."""
    try:
        return make_url(_driver_url(url)).render_as_string(hide_password=True).replace("+psycopg", "")
    except ArgumentError:
        return re.sub(r":[^:@/]*@", ":***@", url)


def with_password(address: str, password: str) -> str:
    """The address with the password typed in its own field put in (a password in the address itself is kept)."""
    address = address.strip()
    if not password or not is_server_url(address):
        return address
    try:
        return make_url(address).set(password=password).render_as_string(hide_password=False)
    except ArgumentError:
        return address  # refused with its own message when tested, saved or opened


def _driver_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:  # not a URL at all: refused with its own message where it is used
        return url
    return f"postgresql+psycopg://{rest}" if scheme.lower() in SERVER_SCHEMES else url


def make_server_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the server; refuses an address that is not a usable postgresql:// URL.
    `read_only`: every transaction is read-only on the server's side (a write fails at once)."""
    if not is_server_url(url):
        raise DatabaseRefused(f"数据库地址“{shown_url(url)}”不是 PostgreSQL 地址。{FORMAT_HINT}")
    try:
        parsed = make_url(_driver_url(url))
        if not parsed.database:
            raise DatabaseRefused(f"数据库地址“{shown_url(url)}”没有写数据库名。{FORMAT_HINT}")
        # hide_parameters: an error's text never shows the row's names and phones
        connect_args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "lvqi"}
        if read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
        # REPEATABLE READ: a use case reads one snapshot (a return exported while another clerk imports sees the
        # data before or after that import, never half), and of two clerks changing the same row at once the
        # second is refused (SQLSTATE 40001, explained below) instead of overwriting silently
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args,
                             isolation_level="REPEATABLE READ")
    except (ArgumentError, ValueError) as exc:
        raise DatabaseRefused(f"数据库地址“{shown_url(url)}”写法不对（{exc}）。{FORMAT_HINT}") from exc
    except NoSuchModuleError as exc:
        raise DatabaseRefused("本程序没有安装 PostgreSQL 驱动（psycopg），不能连接数据库服务器。"
                              "请安装带服务器支持的吕企台账（pip install \"lvqi-desktop[postgres]\"）。") from exc


def driver_facts() -> str:
    """The PostgreSQL dialect and driver this program carries, e.g. "psycopg 3.3.9（binary）", loaded without
    contacting any server (the frozen build's smoke test reports it); DatabaseRefused when the driver is missing."""
    engine = make_server_engine("postgresql://lvqi@/lvqi?host=/nonexistent")  # loads the dialect and the driver
    try:
        driver = engine.dialect.dbapi
        impl = getattr(getattr(driver, "pq", None), "__impl__", "?")
        return f"{engine.dialect.driver} {getattr(driver, '__version__', '?')}（{impl}）"
    finally:
        engine.dispose()


def explain(exc: BaseException, url: str) -> str:
    """The Chinese message for a failure talking to the server: down, wrong password, no rights, no database."""
    where = shown_url(url)
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    # a failed connection carries no SQLSTATE in psycopg: the server's FATAL text tells which failure it was
    detail = " ".join(str(orig).split())[:200]
    if state == "28P01" or "password authentication failed" in detail or re.search(r'role "[^"]*" does not exist',
                                                                                  detail):
        return f"连接数据库服务器“{where}”失败：用户名或密码不对。请核对地址中的角色名和密码，或请信息科重设密码。"
    if state == "3D000" or re.search(r'database "[^"]*" does not exist', detail):
        return (f"数据库服务器上没有地址“{where}”中的数据库。请核对数据库名，或请信息科按 docs/city-server.md "
                "先建好数据库。")
    if state in ("28000", "42501") or "permission denied" in detail:
        return (f"数据库角色没有所需的权限（{detail}）：“{where}”。请信息科按 docs/city-server.md 给这个角色授权"
                "（办事员需要读写权限；升级程序时需要建表权限），数据没有改动。")
    if state in ("40001", "40P01"):
        return ("另一位办事员刚刚同时修改了同一批数据，为免覆盖他的修改，您这次的操作没有保存。"
                "请刷新（或重新打开）后再做一次。")
    if state == "25006" or "read-only" in detail:
        return f"数据库服务器“{where}”是只读的（例如备用服务器），不能写入。请连接主服务器，数据没有改动。"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03") or (not state and _connection_lost(exc)):
        return (f"连接不上数据库服务器“{where}”（{detail}）。请确认服务器已开机、PostgreSQL 服务在运行、"
                "网络和防火墙允许连接，再重试。")
    detail = detail or type(orig).__name__
    return f"数据库服务器“{where}”报错（{detail}）。数据没有改动；请把这段话发给信息科。"


def _connection_lost(exc: BaseException) -> bool:
    """No SQLSTATE: the connection itself failed (refused, timed out, closed), not a statement."""
    return bool(getattr(exc, "connection_invalidated", False)) or type(getattr(exc, "orig", exc)).__name__ in (
        "OperationalError", "InterfaceError")


OTHER_PROGRAM = ("数据库“{where}”里已经有别的程序的表（例如 {tables}），不是吕企台账的数据库，程序没有改动它。"
                 "请信息科为吕企台账单独建一个空数据库（docs/city-server.md）。")
NEWER_PROGRAM = ("此数据库由更新版本的吕企台账写入，需要 {needed} 或更高版本才能打开（当前程序版本 {version}）。"
                 "程序没有改动它，请先升级本机的吕企台账。")
NEWER_SCHEMA = "数据库服务器上的结构版本（{revision}）比本程序新，请先升级本机的吕企台账。程序没有改动它。"


def read_facts(conn: Connection) -> FileFacts:
    """Revision, minimum program version and tables of the server's database (its default schema)."""
    tables = frozenset(inspect(conn).get_table_names())
    needed = revision = None
    if "app_meta" in tables:
        needed = conn.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": MIN_VERSION_KEY}).scalar()
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return FileFacts(revision, needed, tables)


def check_facts(facts: FileFacts, program_version: str, where: str) -> None:
    """Refuse another program's database, or one written by a newer program."""
    if facts.tables and "alembic_version" not in facts.tables:
        raise DatabaseRefused(OTHER_PROGRAM.format(where=where, tables="、".join(sorted(facts.tables)[:3])))
    verdict = too_new(facts, program_version)
    if verdict == "program":
        raise DatabaseRefused(NEWER_PROGRAM.format(needed=facts.min_program_version, version=program_version))
    if verdict == "schema":
        raise DatabaseRefused(NEWER_SCHEMA.format(revision=facts.revision))


def _upgrade(engine: Engine, program_version: str, where: str) -> None:
    """Migrate to head under an advisory lock (two clerks starting a new version at once: one upgrades)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        try:
            facts = read_facts(conn)  # again: another clerk may have upgraded while we waited
            conn.commit()
            check_facts(facts, program_version, where)
            if facts.revision != migrate.head_revision():
                migrate.upgrade_to_head(engine)
                with engine.begin() as tx:
                    tx.execute(text("INSERT INTO app_meta(key, value) VALUES (:k, :v) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                               {"k": MIN_VERSION_KEY, "v": MIN_PROGRAM_VERSION})
                _search_index(engine)
                log.info("server database %s upgraded to %s", where, migrate.head_revision())
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            conn.commit()


def login_role(engine: Engine) -> str:
    """The PostgreSQL role this program logged in as (`session_user`, which SET ROLE does not change): on the
    server the change history records it as the operator (docs/city-server.md §2, one role per clerk)."""
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar_one())[:40]  # change_record.operator
    except DBAPIError as exc:
        raise ServerTrouble(explain(exc, engine.url.render_as_string())) from exc


def probe(url: str, program_version: str) -> str:
    """A connection test that changes nothing: what the program would find there, in Chinese; refuses like
    opening would (server down, wrong password, another program's or a newer program's database)."""
    engine = make_server_engine(url, read_only=True)
    where = shown_url(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
            collation = conn.execute(text("SELECT datcollate FROM pg_database WHERE datname = current_database()"
                                          )).scalar()
            facts = read_facts(conn)
    except DBAPIError as exc:
        raise DatabaseRefused(explain(exc, url)) from exc
    finally:
        engine.dispose()
    check_facts(facts, program_version, where)
    if not facts.tables:
        state = "数据库是空的：第一次连接时程序会建表（需要建表权限）"
    elif facts.revision != migrate.head_revision():
        state = f"是吕企台账的数据库（结构版本 {facts.revision}），连接时程序会升级到 {migrate.head_revision()}"
    else:
        state = f"是吕企台账的数据库（结构版本 {facts.revision}，与本程序一致）"
    note = "" if collation in ("C", "POSIX") else f"；提示：数据库排序规则是 {collation}，建议按 docs/city-server.md 用 C"
    return f"连接成功：{where}，PostgreSQL {version}；{state}{note}。"


SEARCH_INDEX = "ix_enterprise_search_key_trgm"


def _search_index(engine: Engine) -> None:
    """A trigram index for the register's search (LIKE '%…%' on search_key): a keystroke stays quick over a
    province's million firms. pg_trgm ships with PostgreSQL; a server that refuses it only searches slower."""
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON enterprise "
                              "USING gin (search_key gin_trgm_ops)"))
    except DBAPIError as exc:
        log.warning("no trigram search index on the server (%s): the register searches without it", exc.orig)


def open_server_database(url: str, program_version: str, *, read_only: bool = False) -> Engine:
    """An engine on the server's database at the head schema; refuses with a Chinese message, changing nothing.
    `read_only` (--read-only) never migrates: an older schema is refused instead."""
    engine = make_server_engine(url, read_only=read_only)
    where = shown_url(url)
    try:
        with engine.connect() as conn:
            facts = read_facts(conn)
        check_facts(facts, program_version, where)
        if facts.revision != migrate.head_revision() and read_only:
            raise DatabaseRefused(f"服务器上的数据库“{where}”需要先升级结构，而本次以只读方式连接，不能升级。"
                                  "请去掉 --read-only 再连接一次（需要建表权限），数据没有改动。")
        if facts.revision != migrate.head_revision():
            _upgrade(engine, program_version, where)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseRefused(explain(exc, url)) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine
