"""Read-only queries behind `lvqi check`: SQLite's own checks, the schema revision and row counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec
from typing import TypeVar

from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.models import AppMeta
from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import Operator
from lvqi_desktop.models import Township
from lvqi_desktop.models.history import APPEND_ONLY_TRIGGERS
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.schema import MIN_VERSION_KEY

P = ParamSpec("P")
T = TypeVar("T")


def _reported(what: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """A damaged file makes SQLite raise instead of answering: turn that into a Chinese refusal."""
    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        @wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return fn(*args, **kwargs)
            except DatabaseError as exc:
                raise DatabaseRefused(f"{what}时数据库报错（{getattr(exc, 'orig', exc)}），文件可能已损坏。"
                                      "请从 backups 文件夹中的备份恢复。") from exc
        return run
    return wrap


@dataclass(frozen=True)
class ForeignKeyProblem:
    """One row of PRAGMA foreign_key_check: a row pointing at a parent that does not exist."""

    table: str
    rowid: int | None
    parent: str


@_reported("完整性检查")
def integrity_messages(session: Session) -> list[str]:
    """PRAGMA integrity_check findings; empty when SQLite reports 'ok'. A PostgreSQL server checks its own pages
    (checksums, pg_amcheck by the IT department: docs/city-server.md), so there is nothing to ask it here."""
    if _on_server(session):
        return []
    rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    return [] if rows == ["ok"] else rows


def _sql_words(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split()).lower()


@_reported("检查修改记录的保护")
def append_only_problems(session: Session) -> list[str]:
    """The history's append-only triggers missing or altered, and rows missing from it (a gap in its ids)."""
    if _on_server(session):
        return _server_append_only_problems(session)
    present = {name: _sql_words(sql or "") for name, sql in session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'change_record'"))}
    problems = []
    for sql in APPEND_ONLY_TRIGGERS:
        name = sql.split()[5]
        if name not in present:
            problems.append(f"修改记录的保护触发器 {name} 不存在（被删除过）")
        elif present[name] != _sql_words(sql):
            problems.append(f"修改记录的保护触发器 {name} 被改动过")
    return problems + _id_gaps(session)


def _id_gaps(session: Session) -> list[str]:
    count, top = session.execute(select(func.count(ChangeRecord.id), func.max(ChangeRecord.id))).one()
    if top and count < top:
        return [f"修改记录缺少 {top - count} 条（编号不连续，可能被删除过）"]
    return []


SERVER_TRIGGERS = ("change_record_no_update", "change_record_no_delete", "change_record_no_truncate")


def _server_append_only_problems(session: Session) -> list[str]:
    """PostgreSQL: the three PL/pgSQL triggers present and enabled. Its sequences skip ids after a rolled-back
    insert, so a gap there is no sign of deletion and is not reported."""
    present: dict[str, str] = dict(session.execute(text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'change_record'::regclass AND NOT tgisinternal")
    ).all())
    problems = []
    for name in SERVER_TRIGGERS:
        if name not in present:
            problems.append(f"修改记录的保护触发器 {name} 不存在（被删除过）")
        elif present[name] == "D":
            problems.append(f"修改记录的保护触发器 {name} 被停用了")
    return problems


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


@_reported("外键检查")
def foreign_key_problems(session: Session) -> list[ForeignKeyProblem]:
    if _on_server(session):
        return []  # PostgreSQL enforces every foreign key on every write; it cannot be switched off per connection
    rows = session.execute(text("PRAGMA foreign_key_check")).all()
    return [ForeignKeyProblem(r[0], r[1], r[2]) for r in rows]


@_reported("读取结构版本")
def schema_revision(session: Session) -> str | None:
    """The Alembic revision the file is at (None if it was never migrated)."""
    tables = set(inspect(session.connection()).get_table_names())
    if "alembic_version" not in tables:
        return None
    revision: str | None = session.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


def head_revision() -> str:
    return migrate.head_revision()


@_reported("读取最低程序版本")
def min_program_version(session: Session) -> str | None:
    row = session.get(AppMeta, MIN_VERSION_KEY)
    return row.value if row else None


@_reported("统计记录数")
def table_counts(session: Session) -> dict[str, int]:
    """Row counts of the register: current and archived enterprises, yearly figures, active operators."""
    def count(stmt) -> int:  # type: ignore[no-untyped-def]
        return int(session.scalar(stmt) or 0)

    return {
        "enterprises": count(select(func.count()).select_from(Enterprise).where(Enterprise.archived_at.is_(None))),
        "archived_enterprises": count(
            select(func.count()).select_from(Enterprise).where(Enterprise.archived_at.is_not(None))),
        "enterprise_years": count(select(func.count()).select_from(EnterpriseYear)),
        "operators": count(select(func.count()).select_from(Operator).where(Operator.active.is_(True))),
    }


@_reported("核对乡镇归属")
def township_mismatches(session: Session) -> int:
    """Enterprises whose township lies in another county than the enterprise itself."""
    stmt = (select(func.count()).select_from(Enterprise)
            .join(Township, Township.code == Enterprise.township_code)
            .where(Township.county_code != Enterprise.county_code))
    return int(session.scalar(stmt) or 0)


@_reported("核对企业所属县区")
def outside_office(session: Session, county_code: str) -> int:
    """Enterprises filed under another county than this county office's own."""
    stmt = select(func.count()).select_from(Enterprise).where(Enterprise.county_code != county_code)
    return int(session.scalar(stmt) or 0)
