"""Where things live: the user's data dir (and its sub-folders) and read-only resources."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_DIR_NAME = "lvqi_desktop"
DB_FILE_NAME = "lvqi.sqlite3"
ENV_DATABASE = "LVQI_DATABASE"
ENV_DATA_DIR = "LVQI_DATA_DIR"


@dataclass(frozen=True)
class DataDir:
    """The per-user data folder: the database, backups/ and logs/ beneath it."""

    root: Path
    server: str | None = None  # the city edition's PostgreSQL address (--database / LVQI_DATABASE); None: SQLite file

    @property
    def database(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def lock_file(self) -> Path:
        return self.root / "lvqi.lock"

    @property
    def quarantine(self) -> Path:
        return self.root / "damaged"


def default_data_root() -> Path:
    """%LOCALAPPDATA%\\lvqi_desktop on Windows (never the roaming profile), XDG data dir elsewhere."""
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None, server: str | None = None) -> DataDir:
    """`--data-dir` wins, then the LVQI_DATA_DIR variable, then the platform default.
    `server` (`--database`, else the LVQI_DATABASE variable) puts the database on a PostgreSQL server."""
    chosen = cli_value or os.environ.get(ENV_DATA_DIR) or default_data_root()
    return DataDir(Path(chosen).expanduser().resolve(), server or os.environ.get(ENV_DATABASE) or None)


def _resource_roots() -> list[Path]:
    roots: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root) / "resources")
    roots.append(Path(__file__).resolve().parent.parent / "resources")  # source tree
    roots.append(Path(sys.prefix) / "share" / APP_DIR_NAME / "resources")  # installed wheel
    return roots


def resource(relative: str) -> Path:
    """Absolute path of a file under resources/, whether run from source, a wheel or a frozen build."""
    for root in _resource_roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"找不到程序资源文件：{relative}")
