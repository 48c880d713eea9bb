"""Shared fixtures: a temporary data dir with an opened database and a county office set up."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lvqi_desktop import __version__
from lvqi_desktop import clock
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.uscc import CHARSET
from lvqi_desktop.validation.uscc import check_character
from tests.pg_cluster import PgCluster
from tests.pg_cluster import find_bin_dir
from tests.pg_cluster import start_cluster


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clock-at", metavar="YYYY-MM-DD",
                     help="run the whole suite with the computer's clock moved to this date (time-machine), "
                          "as CI does to prove no test depends on today's date")
    parser.addoption("--windows-sharing", action="store_true", default=False,
                     help="Windows' file-sharing rules for the program's renames and deletes: an open file cannot "
                          "be renamed or deleted, a new file is briefly held as antivirus does "
                          "(tests/windows_sharing.py)")


def pytest_configure(config: pytest.Config) -> None:
    """With --clock-at, every read of the wall clock (the program's clock included) starts on that day — from
    before the test modules are imported, so a module-level date is moved too."""
    at = config.getoption("--clock-at", default=None)
    if at:
        import time_machine

        moved = datetime.combine(date.fromisoformat(at), datetime.now().time())
        os.environ["LVQI_TEST_CLOCK_OFFSET"] = str(moved.timestamp() - time.time())  # for child processes
        config._lvqi_travel = time_machine.travel(moved, tick=True)  # type: ignore[attr-defined]
        config._lvqi_travel.start()  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = getattr(config, "_lvqi_travel", None)
    if travel is not None:
        travel.stop()


@pytest.fixture(scope="session", autouse=True)
def _windows_sharing(request: pytest.FixtureRequest) -> Iterator[None]:
    """With --windows-sharing, the program's os.replace/unlink follow Windows' rules (tests/windows_sharing.py)."""
    if not request.config.getoption("--windows-sharing"):
        yield
        return
    from tests.windows_sharing import windows_sharing

    with windows_sharing() as rules:
        yield
    print(f"\n--windows-sharing: {rules.refused} rename/delete attempts refused as Windows would")


def pytest_report_header(config: pytest.Config) -> list[str]:
    at = config.getoption("--clock-at")
    lines = [f"clock moved to {at} (--clock-at)"] if at else []
    if config.getoption("--windows-sharing"):
        lines.append("Windows file-sharing rules simulated (--windows-sharing)")
    bin_dir = find_bin_dir()
    lines.append(f"PostgreSQL: {bin_dir} (tests marked postgresql run on a throw-away cluster)" if bin_dir else
                 "PostgreSQL: not installed — the tests marked postgresql are SKIPPED (Debian: apt-get install "
                 "postgresql)" + ("; CI=true makes that a failure" if os.environ.get("CI") == "true" else ""))
    return lines


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    """The program's clock held still; a test sets the day it needs with `fixed_clock.set(...)`."""
    with clock.using(clock.FixedClock(datetime(2026, 6, 15, 9, 0))) as fixed:
        yield fixed


def make_uscc(county: str = "141102", seed: int | None = None) -> str:
    """A valid USCC registered in `county` (positions 3–8), random body."""
    rng = random.Random(seed)
    body = "".join(rng.choice(CHARSET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)) + rng.choice("0123456789X")
    first17 = "91" + county + body
    return first17 + check_character(first17)


def uscc_for(n: int, county: str = "141102") -> str:
    """The n-th valid USCC of a county, the same on every run (tests that name firms by number)."""
    first17 = f"91{county}{n:08d}7"
    return first17 + check_character(first17)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def open_services(data_dir: DataDir) -> Services:
    if data_dir.server:  # the city edition on the test cluster (backend fixture)
        engine = open_server_database(data_dir.server, __version__)
        return build_services(data_dir, Database(engine, operator="测试员"))
    return build_services(data_dir, Database(open_database(data_dir, __version__), operator="测试员"))


def migrate_to(engine: Engine, revision: str) -> None:
    """The database behind `engine` brought to schema `revision` by the program's own migrations (an older
    program's database, for the upgrade tests); the engine is disposed of."""
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


# ---- PostgreSQL: a throw-away cluster for the city edition's server (issue 22); SQLite needs nothing

@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgCluster]:
    """A PostgreSQL cluster on a unix socket for the whole run, stopped at the end. Without PostgreSQL installed
    the tests that need it skip (README's test command works anywhere); under CI=true they fail instead."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = ("PostgreSQL 未安装（没有 initdb）：跳过在数据库服务器上的测试。"
                  "安装 Debian 的 postgresql 软件包即可运行它们（.ci/apt-packages.txt）")
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "；CI 必须运行它们")
        pytest.skip(reason)
    cluster = start_cluster(bin_dir)
    try:
        yield cluster
    finally:
        cluster.stop()


_pg_databases = iter(range(1, 1_000_000))


@contextmanager
def pg_database(cluster: PgCluster) -> Iterator[str]:
    """The address of a new, empty database on the test cluster, dropped afterwards."""
    import psycopg

    name = f"lvqi_test_{os.getpid()}_{next(_pg_databases)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: PgCluster) -> Iterator[str]:
    with pg_database(pg_server) as url:
        yield url


@dataclass(frozen=True)
class Backend:
    """Which engine a test's city database is on: 'sqlite' (a file in the data dir) or 'postgresql'."""

    name: str
    url: str | None = None

    def data_dir(self, root: Path) -> DataDir:
        return DataDir(root, self.url)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """One backend fixture, both engines: a test using it runs on a SQLite file and on the PostgreSQL server."""
    if request.param == "sqlite":
        return Backend("sqlite")
    return Backend("postgresql", request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """`backend` for a module-scoped database (built once per engine)."""
    if request.param == "sqlite":
        yield Backend("sqlite")
        return
    with pg_database(request.getfixturevalue("pg_server")) as url:
        yield Backend("postgresql", url)


@pytest.fixture
def blank_services(data_dir: DataDir):
    """Services on a fresh database with no office set up yet."""
    services = open_services(data_dir)
    yield services
    services.db.dispose()


def set_up_city(services: Services) -> Services:
    """`services` set up as the city center's office (吕梁市中小企业服务中心), operator 测试员."""
    services.office.set_up("city", None, "吕梁市中小企业服务中心", "测试员")
    services.forget_office()
    return services


@pytest.fixture
def services(blank_services: Services) -> Services:
    """Services for 离石区 (141102), operator 测试员."""
    blank_services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "测试员")
    blank_services.forget_office()
    blank_services.office.use_operator("测试员")
    return blank_services
