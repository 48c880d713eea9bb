"""Where things live: the user's data dir (and its sub-folders) and read-only resources."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from platformdirs import user_data_dir

from lvqi_desktop import atomic_files

APP_DIR_NAME = "lvqi_desktop"
DB_FILE_NAME = "lvqi.sqlite3"
ENV_DATABASE = "LVQI_DATABASE"
ENV_DATA_DIR = "LVQI_DATA_DIR"
SERVER_FILE_NAME = "server.json"  # the city edition's saved server address (设置 → 数据库服务器)
MAX_SERVER_FILE_BYTES = 8192


@dataclass(frozen=True)
class DataDir:
    """The per-user data folder: the database, backups/ and logs/ beneath it."""

    root: Path
    # the city edition's PostgreSQL address (--database / LVQI_DATABASE / server.json); repr=False: it holds a password
    server: str | None = field(default=None, repr=False)
    # a saved server.json that could not be used: the Chinese message shown at start (the local file is opened)
    server_note: str | None = field(default=None, compare=False)
    server_saved: bool = field(default=False, compare=False)  # `server` came from server.json (设置 can undo it)

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

    @property
    def server_file(self) -> Path:
        return self.root / SERVER_FILE_NAME


def default_data_root() -> Path:
    """%LOCALAPPDATA%\\lvqi_desktop on Windows (never the roaming profile), XDG data dir elsewhere."""
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None, server: str | None = None) -> DataDir:
    """`--data-dir` wins, then the LVQI_DATA_DIR variable, then the platform default.
    `server` (`--database`, else the LVQI_DATABASE variable) puts the database on a PostgreSQL server.
    Neither given: the address saved in the data dir's server.json (设置 → 数据库服务器), else the local SQLite file."""
    chosen = cli_value or os.environ.get(ENV_DATA_DIR) or default_data_root()
    root = Path(chosen).expanduser().resolve()
    given = server or os.environ.get(ENV_DATABASE)
    if given:
        return DataDir(root, given)
    saved, note = read_saved_server(root / SERVER_FILE_NAME)
    return DataDir(root, saved, note, saved is not None)


BAD_SERVER_FILE = ("数据文件夹中保存数据库服务器地址的文件“{path}”{why}，已忽略它，本次打开本机的数据文件。"
                   "请在“设置 → 数据库服务器”中重新填写并保存服务器地址（或点“清除”改用本机数据）。")


def read_saved_server(path: Path) -> tuple[str | None, str | None]:
    """(address, None) from a saved server.json; (None, Chinese message) when it is unusable; (None, None) if absent.
    The file is treated as hostile: bounded in size, any content that is not {"database": "…"} is ignored."""
    try:
        size = path.stat().st_size
        if size > MAX_SERVER_FILE_BYTES:
            return None, BAD_SERVER_FILE.format(path=path, why=f"过大（{size} 字节）")
        with path.open("rb") as handle:
            raw = handle.read(MAX_SERVER_FILE_BYTES + 1)
        data = json.loads(raw.decode("utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # no saved address (or no data folder yet: its own error follows)
        return None, None
    except OSError as exc:
        return None, BAD_SERVER_FILE.format(path=path, why=f"无法读取（{exc.strerror or exc}）")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, BAD_SERVER_FILE.format(path=path, why="内容已损坏（不是程序写入的格式）")
    address = data.get("database") if isinstance(data, dict) else None
    if not isinstance(address, str) or not address.strip() or len(address) > 2000:
        return None, BAD_SERVER_FILE.format(path=path, why="内容不对（没有有效的服务器地址）")
    return address.strip(), None


def save_server(root: Path, address: str) -> None:
    """Keep the server address in the data dir's server.json (written atomically); used from the next start."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / SERVER_FILE_NAME
    with atomic_files.replacing(final) as temp:
        temp.write_text(json.dumps({"database": address}, ensure_ascii=False), encoding="utf-8")
        os.chmod(temp, 0o600)  # it holds the password: readable by this user only (POSIX; Windows keeps the ACL)


def clear_saved_server(root: Path) -> None:
    """Forget the saved server address: the next start opens the local SQLite file again."""
    atomic_files.remove(root / SERVER_FILE_NAME)


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
