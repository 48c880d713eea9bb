"""Alembic at start-up: which revision a file is at, and upgrading it safely (foreign keys off).

Reading the revision graph is done by scanning the migration files (no Alembic import), so a
normal start-up at the head schema never pays for importing Alembic.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lvqi_desktop.errors import DatabaseRefused

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection
    from sqlalchemy import Engine

# alembic.ini and migrations/ sit beside this module in all three ways the program runs: the source tree,
# an installed wheel (package data) and a PyInstaller build, where __file__ is
# sys._MEIPASS/lvqi_desktop/storage/migrate.pyc and installer/lvqi_desktop.spec copies them there.
HERE = Path(__file__).resolve().parent
VERSIONS = HERE / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config(str(HERE / "alembic.ini"))
    # absolute: works frozen too. ConfigParser reads % as interpolation: a user folder named "50%" must be %%.
    cfg.set_main_option("script_location", str(HERE / "migrations").replace("%", "%%"))
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@lru_cache(maxsize=1)
def _graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files' text."""
    graph: dict[str, str | None] = {}
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev:
            graph[rev.group(1)] = down.group(1) if down else None
    return graph


def head_revision() -> str:
    graph = _graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise DatabaseRefused(f"程序的数据库升级脚本不完整（{sorted(heads)}），请重新安装吕企台账。")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_graph())


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade with PRAGMA foreign_keys=OFF (batch mode would otherwise cascade-delete child rows).
    On PostgreSQL the whole upgrade is one transaction (its DDL is transactional) and foreign keys stay on."""
    from alembic import command

    cfg = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseRefused(f"数据库升级后外键检查未通过（{broken[:3]}），升级已撤销，数据未改变。")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
