"""This installation's private keys on disk: keys/installation.key in the data folder, owner-only."""

from __future__ import annotations

import os
from pathlib import Path

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir

KEY_DIR = "keys"
KEY_FILE = "installation.key"


def owner_only_dir(folder: Path) -> Path:
    """Make `folder` (and parents) and restrict it to the owner (POSIX; on Windows the profile's ACL applies)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(folder, 0o700)
    return folder


def write_owner_only(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable and writable by the owner only."""
    temp = path.with_name(f".{path.name}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        atomic_files.replace(temp, path)
    except BaseException:
        atomic_files.discard(temp)
        raise


def key_path(data_dir: DataDir) -> Path:
    return data_dir.root / KEY_DIR / KEY_FILE


def load(data_dir: DataDir) -> bytes | None:
    """The stored key pair file, or None when none was made yet."""
    path = key_path(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LvqiError(f"无法读取本机密钥文件“{path}”（错误代码 {exc.errno}）。") from exc
    return raw


def save(data_dir: DataDir, raw: bytes) -> None:
    """Store the key pair owner-only; an earlier one is kept beside it as installation.key.old."""
    path = key_path(data_dir)
    owner_only_dir(path.parent)
    if path.exists():
        write_owner_only(path.with_suffix(".key.old"), path.read_bytes())
    write_owner_only(path, raw)
