"""The integrity check of an open database (`lvqi check`): SQLite checks, schema, office, counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import TypeVar

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.models.office import OFFICE_KIND_COUNTY
from lvqi_desktop.storage.repositories.integrity import IntegrityChecks
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class IntegrityReport:
    """What the check found; `problems` holds one Chinese sentence per problem (empty: all well)."""

    database: Path
    database_bytes: int
    schema_revision: str | None
    head_revision: str
    min_program_version: str | None
    office_kind: str | None
    office_county_code: str | None
    office_name: str | None
    counts: dict[str, int]
    integrity_messages: list[str] = field(default_factory=list)
    foreign_key_problems: int | None = 0  # None: the check could not run
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_bytes(path: Path) -> int:
    """Size of the database including its write-ahead log, which holds recent changes."""
    total = 0
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


class IntegrityService:
    def __init__(self, db: Database, database: Path) -> None:
        self._db = db
        self._database = database

    def _step(self, problems: list[str], query: Callable[[UnitOfWork], T], fallback: T) -> T:
        """Run one read in its own unit of work; a damaged file is reported, not raised."""
        try:
            with self._db.unit_of_work() as uow:
                return query(uow)
        except DatabaseRefused as exc:
            problems.append(str(exc))
            return fallback

    def check(self) -> IntegrityReport:
        """Run every check read-only and say in Chinese what is wrong."""
        problems: list[str] = []
        messages = self._step(problems, lambda u: u.integrity.messages(), None)
        if messages is None:  # SQLite could not even finish the check: its error is the finding
            messages = [problems[-1]]
        elif messages:
            shown = "；".join(messages[:5]) + ("……" if len(messages) > 5 else "")
            problems.append(f"SQLite 完整性检查发现 {len(messages)} 处损坏：{shown}。请从 backups 文件夹中的备份恢复。")
        fk = self._step(problems, lambda u: u.integrity.foreign_key_problems(), None)
        if fk:
            tables = "、".join(sorted({p.table for p in fk}))
            problems.append(f"外键检查发现 {len(fk)} 行记录引用了不存在的数据（表：{tables}）。")
        revision = self._step(problems, lambda u: u.integrity.schema_revision(), None)
        min_version = self._step(problems, lambda u: u.integrity.min_program_version(), None)
        office = self._step(problems, _office_facts, None)
        counts: dict[str, int] = self._step(problems, lambda u: u.integrity.table_counts(), {})
        mismatched = self._step(problems, lambda u: u.integrity.township_mismatches(), 0)
        foreign = 0
        if office is not None and office[0] == OFFICE_KIND_COUNTY and office[1]:
            foreign = self._step(problems, lambda u: u.integrity.outside_office(str(office[1])), 0)
        guarded: list[str] = self._step(problems, lambda u: u.integrity.append_only_problems(), [])
        if guarded:
            problems.append("修改记录（操作历史）的防篡改保护被破坏：" + "；".join(guarded) +
                            "。请从 backups 文件夹中较早的备份恢复，并查明是谁改动了数据库文件。")
        head = IntegrityChecks.head_revision()
        if revision != head:
            problems.append(f"数据库结构版本为 {revision or '（无）'}，本程序需要 {head}。")
        if not min_version:
            problems.append("数据库缺少“最低程序版本”记录。")
        if office is None:
            problems.append("尚未设置本单位。请先运行：lvqi init --county 县区代码（或 --city）。")
        if mismatched:
            problems.append(f"有 {mismatched} 家企业所填乡镇（街道）不属于其所属县（市、区）。")
        if foreign:
            problems.append(f"本机为县级单位，但有 {foreign} 家企业登记在其他县（市、区）名下。")
        return IntegrityReport(
            database=self._database, database_bytes=_file_bytes(self._database), schema_revision=revision,
            head_revision=head, min_program_version=min_version,
            office_kind=office[0] if office else None, office_county_code=office[1] if office else None,
            office_name=office[2] if office else None, counts=counts, integrity_messages=messages,
            foreign_key_problems=None if fk is None else len(fk), problems=problems)


def _office_facts(uow: UnitOfWork) -> tuple[str, str | None, str] | None:
    row = uow.office.office()
    return None if row is None else (row.kind, row.county_code, row.name)
