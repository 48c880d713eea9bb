"""Backups of the city's PostgreSQL database: pg_dump in custom format, and reading a dump file's header back."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.storage.server import shown_url

CUSTOM_FORMAT_MAGIC = b"PGDMP"  # the first bytes of every pg_dump --format=custom archive
DUMP_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class DumpFile:
    """A pg_dump archive on disk, as its header shows it."""

    path: Path
    size: int


def find_tool(name: str) -> Path | None:
    """pg_dump / pg_restore: on PATH, else where PostgreSQL's installers put it (newest version first)."""
    found = shutil.which(name)
    if found:
        return Path(found)
    patterns = (["C:/Program Files/PostgreSQL/*/bin"] if sys.platform == "win32"
                else ["/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"])
    suffix = ".exe" if sys.platform == "win32" else ""
    candidates = [Path(d) / (name + suffix) for p in patterns for d in glob.glob(p)]
    candidates = [c for c in candidates if c.exists()]
    candidates.sort(key=lambda c: _major(c.parent.parent.name), reverse=True)
    return candidates[0] if candidates else None


def _major(folder: str) -> int:
    digits = "".join(ch for ch in folder if ch.isdigit())
    return int(digits) if digits else 0


def read_dump(path: Path) -> DumpFile:
    """The dump file if it is a pg_dump custom-format archive; a Chinese refusal otherwise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(CUSTOM_FORMAT_MAGIC))
        size = path.stat().st_size
    except OSError as exc:
        raise BackupFailed(f"读不到备份文件“{path}”（{exc.strerror or exc}）。请核对路径后再登记。") from exc
    if head != CUSTOM_FORMAT_MAGIC:
        raise BackupFailed(f"“{path}”不是 pg_dump 的自定义格式备份（应当用 pg_dump --format=custom 生成），"
                           "没有登记。")
    return DumpFile(path, size)


def dump_database(url: str, target: Path, pg_dump: Path) -> DumpFile:
    """pg_dump --format=custom of the database at `url` into `target` (written beside it first, then renamed);
    the password goes to pg_dump through its environment, never on its command line."""
    if target.exists():
        raise BackupFailed(f"“{target}”已经存在，程序不会覆盖它。请换一个文件名。")
    if not target.parent.is_dir():
        raise BackupFailed(f"文件夹“{target.parent}”不存在，请先建好它或换一个位置。")
    address = make_url(url)
    env = {**os.environ}
    if address.password:
        env["PGPASSWORD"] = str(address.password)
    plain = address.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    partial = target.with_name(target.name + ".part")
    try:
        done = subprocess.run([str(pg_dump), "--format=custom", f"--file={partial}", f"--dbname={plain}"],
                              capture_output=True, text=True, env=env, timeout=DUMP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        atomic_files.discard(partial)
        raise BackupFailed(f"无法运行 pg_dump（{pg_dump}）：{exc}。数据库没有改动。") from exc
    if done.returncode != 0:
        atomic_files.discard(partial)
        detail = " ".join(done.stderr.split())[:300]
        raise BackupFailed(f"pg_dump 备份“{shown_url(url)}”失败（{detail}）。数据库没有改动；"
                           "请把这段话发给信息科。")
    atomic_files.replace(partial, target)  # retried while antivirus holds the new dump (Windows)
    return read_dump(target)
