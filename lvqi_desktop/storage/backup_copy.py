"""A consistent single-file copy of a live database through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lvqi_desktop.errors import DatabaseRefused


def copy_database(source: Path, target: Path) -> None:
    """Copy `source` to `target` (a new file) safely while the program has it open; verify it.

    The copy is switched to a rollback journal so it is one self-contained file. A failed or
    unverifiable copy is removed and DatabaseRefused raised; the source is never modified.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst, pages=4096)
                dst.execute("PRAGMA journal_mode=DELETE")
                result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if result != "ok":
            raise DatabaseRefused(f"备份副本校验未通过（{result}），已删除该副本。")
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
