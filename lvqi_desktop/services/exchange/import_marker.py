"""The mark of a package import under way, kept in the local data folder: left behind only when the program ended
(or the computer lost power) in the middle of an import, so that the next start can tell the clerk."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lvqi_desktop import atomic_files

MARKER_NAME = "import-in-progress.json"
MAX_MARKER_BYTES = 256 * 1024


@dataclass(frozen=True)
class UnfinishedImport:
    """What the marker says: when the import started and which packages it was merging (uuid, label)."""

    started: str
    packages: tuple[tuple[str, str], ...]


def begin(root: Path, started: str, packages: Sequence[tuple[str, str]]) -> None:
    """Written (atomically) just before the merge's transaction starts."""
    with atomic_files.replacing(root / MARKER_NAME) as temp:
        temp.write_text(json.dumps({"started": started, "packages": [list(p) for p in packages]},
                                   ensure_ascii=False), encoding="utf-8")


def end(root: Path) -> None:
    """Removed once the merge committed or rolled back while the program was still there to say so."""
    atomic_files.remove(root / MARKER_NAME)


def read(root: Path) -> UnfinishedImport | None:
    """The marker a previous run left (None: none). Unreadable content still means an import was under way."""
    path = root / MARKER_NAME
    try:
        if path.stat().st_size > MAX_MARKER_BYTES:
            return UnfinishedImport("", ())
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return UnfinishedImport("", ())
    if not isinstance(data, dict):
        return UnfinishedImport("", ())
    started = data.get("started") if isinstance(data.get("started"), str) else ""
    raw = data.get("packages")
    packages = tuple((str(p[0]), str(p[1])) for p in (raw if isinstance(raw, list) else [])
                     if isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p))
    return UnfinishedImport(str(started)[:40], packages[:200])
