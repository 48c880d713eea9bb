"""Checks on a SQLite file outside the ORM: is it ours, can this program open it, is it intact."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import DiskFull
from lvqi_desktop.errors import is_disk_full
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.database import looks_like_sqlite
from lvqi_desktop.storage.schema import MIN_VERSION_KEY
from lvqi_desktop.storage.schema import version_tuple

QUICK = "quick_check"
FULL = "integrity_check"
MMAP_BYTES = 1 << 30


@dataclass(frozen=True)
class RefusalTexts:
    """The Chinese messages one caller gives for each refusal; `str.format` fields in the comments."""

    not_sqlite: str  # {path}
    damaged: str  # {path} {detail}
    newer_program: str  # {path} {needed} {version}
    newer_schema: str  # {path} {revision}


@dataclass(frozen=True)
class FileFacts:
    """What an accepted file says about itself."""

    revision: str | None
    min_program_version: str | None
    tables: frozenset[str]


def readonly_uri(path: Path) -> str:
    """A `file:` URI opening `path` read-only (percent-encoded, so any folder name works); in a folder that
    cannot be written (a read-only drive) also immutable, as SQLite could not create a WAL database's -shm there."""
    path = Path(path).resolve()
    return path.as_uri() + ("?mode=ro" if os.access(path.parent, os.W_OK) else "?mode=ro&immutable=1")


def connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(readonly_uri(path), uri=True)


def run_check(path: Path, pragma: str = QUICK, progress: Progress = NO_PROGRESS, *, private: bool = False
              ) -> str | None:
    """Run quick_check or integrity_check read-only; None when ok, else SQLite's findings.

    Cancellable through `progress`; a file SQLite cannot even read counts as a finding. `private`:
    the file is our own temp copy, so it may be memory-mapped (a third faster; never done on the
    live database, which another connection could shrink under the mapping).
    """
    assert pragma in (QUICK, FULL)
    cancelled = False

    def handler() -> int:
        nonlocal cancelled
        try:
            progress.raise_if_cancelled()
        except Cancelled:
            cancelled = True
            return 1
        return 0

    progress.update(0, 0, "正在检查数据库完整性…")
    try:
        conn = connect_readonly(path)
        try:
            if private:
                conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            conn.set_progress_handler(handler, 20_000)
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchmany(20)]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if cancelled:
            raise Cancelled("检查已取消，数据未作任何更改。") from exc
        return str(exc)
    if rows == ["ok"]:
        return None
    return "；".join(str(r) for r in rows) or "检查没有返回结果"


def read_facts(path: Path) -> FileFacts:
    """Revision, minimum program version and tables of a SQLite file, read-only; sqlite3 errors propagate."""
    conn = connect_readonly(path)
    try:
        tables = frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))
        needed = None
        if "app_meta" in tables:
            row = conn.execute("SELECT value FROM app_meta WHERE key=?", (MIN_VERSION_KEY,)).fetchone()
            needed = row[0] if row else None
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    return FileFacts(revision, needed, tables)


def too_new(facts: FileFacts, program_version: str) -> str | None:
    """'program' or 'schema' when this program cannot use the file, else None."""
    if facts.min_program_version and version_tuple(facts.min_program_version) > version_tuple(program_version):
        return "program"
    if facts.revision and facts.revision not in migrate.known_revisions():
        return "schema"
    return None


def inspect_file(path: Path, program_version: str, texts: RefusalTexts, *, check: str | None = None,
                 allow_empty: bool = False, shown_as: Path | None = None, private: bool = False,
                 progress: Progress = NO_PROGRESS) -> FileFacts:
    """Refuse a file that is not SQLite, is damaged, or needs a newer program; never writes to it.

    `check` optionally runs quick_check or integrity_check as well; messages name `shown_as` if given.
    """
    shown = shown_as or path
    if not looks_like_sqlite(path) or (not allow_empty and path.stat().st_size == 0):
        raise DatabaseRefused(texts.not_sqlite.format(path=shown))
    try:
        facts = read_facts(path)
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc, path.parent):  # SQLite cannot even make its -shm file: not a damaged database
            raise DiskFull.at(path.parent, path) from exc
        raise DatabaseRefused(texts.damaged.format(path=shown, detail=exc)) from exc
    if check is not None:
        finding = run_check(path, check, progress, private=private)
        if finding is not None:
            if is_disk_full(None, path.parent):
                raise DiskFull.at(path.parent, path)
            raise DatabaseRefused(texts.damaged.format(path=shown, detail=_short(finding)))
    verdict = too_new(facts, program_version)
    if verdict == "program":
        raise DatabaseRefused(texts.newer_program.format(path=shown, needed=facts.min_program_version,
                                                         version=program_version))
    if verdict == "schema":
        raise DatabaseRefused(texts.newer_schema.format(path=shown, revision=facts.revision))
    return facts


def _short(finding: str, limit: int = 200) -> str:
    return finding if len(finding) <= limit else finding[:limit] + "…"
