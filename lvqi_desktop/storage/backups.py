"""Making backups: SQLite's online backup API into a temp file, checked, compressed, renamed into place.

Never a file copy of the live database: with WAL, committed data may still sit in the -wal file.
The integrity_check of the snapshot runs in a second thread while it is being compressed; the
result is renamed into place only when both have succeeded.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import tempfile
import threading
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from lvqi_desktop import atomic_files
from lvqi_desktop.atomic_files import fsync_dir
from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage.backup_names import BackupFile
from lvqi_desktop.storage.backup_names import parse_backup_name
from lvqi_desktop.storage.backup_names import unique_target
from lvqi_desktop.storage.backup_reading import digest_of
from lvqi_desktop.storage.file_checks import FULL
from lvqi_desktop.storage.file_checks import connect_readonly
from lvqi_desktop.storage.file_checks import run_check
from lvqi_desktop.storage.live_file import fsync_handle

COMPRESS_LEVEL = 1  # a 89 MB database: level 1 gives 36 MB in 1.05 s, level 6 gives 33 MB in 2.1 s
STEP_PAGES = -1  # one step = one read transaction: under WAL it never blocks writers and never restarts
MEMBER_BYTES = 8 << 20
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FULL_SQLITE = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"}
_SOURCE_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ"}

Opener = Callable[[Path], BinaryIO]  # opens a new file for writing; injectable to simulate a full disk


def open_new(path: Path) -> BinaryIO:
    return open(path, "wb")


def is_full_disk(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in _FULL_ERRNOS
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorname", "") in _FULL_SQLITE or "full" in str(exc)
    return False


def _failure(exc: BaseException, folder: Path) -> LvqiError:
    """The Chinese error for a failed backup: BackupFailed, or DatabaseRefused when the source is unreadable."""
    untouched = "未写完的备份文件已删除，当前数据库没有任何改动。"
    if is_full_disk(exc):
        return BackupFailed(f"备份失败：“{folder}”所在磁盘空间不足（或文件超出大小限制），{untouched}"
                            "请清理磁盘空间或换一个文件夹后重试。")
    if isinstance(exc, OSError):
        return BackupFailed(f"备份失败：无法写入“{folder}”（{exc.strerror or exc}），{untouched}"
                            "请确认该文件夹存在且可以写入。")
    if getattr(exc, "sqlite_errorname", "") in _SOURCE_DAMAGED:
        return DatabaseRefused(f"备份失败：当前数据库无法完整读取（{exc}），可能已损坏。{untouched}"
                               "请在“设置”中运行“检查数据库”，或从较早的备份恢复。")
    return BackupFailed(f"备份失败：读取或写入数据库时出错（{exc}），{untouched}"
                        "请稍后重试；如果反复出现，请在“设置”中运行“检查数据库”。")


def snapshot(source: Path, raw: Path, progress: Progress = NO_PROGRESS) -> None:
    """Online-backup `source` (only read) into the new file `raw` and switch it to a rollback journal."""
    atomic_files.remove(raw)
    src = connect_readonly(source)
    try:
        dst = sqlite3.connect(raw)
        try:
            dst.execute("PRAGMA synchronous=OFF")  # a temp file: the published copy is fsynced instead

            def step(_status: int, remaining: int, total: int) -> None:
                progress.raise_if_cancelled()
                progress.update(total - remaining, total, "正在复制数据库…")

            src.backup(dst, pages=STEP_PAGES, progress=step)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


class _CancelOnly:
    """The caller's cancellation without its progress reports (for the checking thread)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def raise_if_cancelled(self) -> None:
        self._progress.raise_if_cancelled()


def _checked_while(raw: Path, work: Callable[[], str], progress: Progress) -> str:
    """Run `work` while integrity_check runs on `raw` in another thread; raise if the check fails."""
    outcome: dict[str, object] = {}

    def check() -> None:
        try:
            outcome["finding"] = run_check(raw, FULL, _CancelOnly(progress), private=True)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            outcome["error"] = exc

    thread = threading.Thread(target=check, name="lvqi-backup-check", daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    finding = outcome.get("finding")
    if finding is not None:
        raise DatabaseRefused(f"备份副本没有通过完整性检查（{str(finding)[:200]}），已删除该副本。"
                              "当前数据库可能已损坏，请在“设置”中运行“检查数据库”。")
    return result


def _gzip_member(chunk: bytes) -> bytes:
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 31)  # 31: a complete gzip member
    return packer.compress(chunk) + packer.flush()


def _compress_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 2) - 1))  # one core stays with the integrity check


def _write_out(raw: Path, fh: BinaryIO, compress: bool, progress: Progress, with_digest: bool) -> str:
    """Copy `raw` into `fh`, gzip-compressed or as is; returns the SHA-256 of the uncompressed bytes.

    Compressed output is a series of gzip members (one per 8 MB, compressed in parallel threads);
    gzip readers, Python's included, read such a file as one stream.
    """
    total = raw.stat().st_size
    digest = hashlib.sha256() if with_digest else None
    message = "正在压缩并写入备份…" if compress else "正在写入副本…"
    workers = _compress_workers()
    done = 0
    with open(raw, "rb") as src, ThreadPoolExecutor(workers, "lvqi-gzip") as pool:
        pending: deque[tuple[int, Future[bytes] | bytes]] = deque()
        while True:
            progress.raise_if_cancelled()
            chunk = src.read(MEMBER_BYTES)
            if chunk:
                if digest is not None:
                    digest.update(chunk)
                pending.append((len(chunk), pool.submit(_gzip_member, chunk) if compress else chunk))
            while pending and (not chunk or len(pending) > 2 * workers):
                size, item = pending.popleft()
                fh.write(item.result() if isinstance(item, Future) else item)
                done += size
                progress.update(done, total, message)
            if not chunk:
                break
    return digest.hexdigest() if digest is not None else ""


def _part_of(final: Path) -> Path:
    return final.with_name("." + final.name + ".part")


def _write_part(raw: Path, final: Path, compress: bool, opener: Opener, progress: Progress,
                with_digest: bool) -> str:
    with opener(_part_of(final)) as fh:
        digest = _write_out(raw, fh, compress, progress, with_digest)
        fh.flush()
        fsync_handle(fh)
    return digest


def publish(raw: Path, final: Path, compress: bool, opener: Opener = open_new,
            progress: Progress = NO_PROGRESS, with_digest: bool = False) -> str:
    """integrity_check `raw` while writing it to a temp name beside `final`, fsync, rename atomically.

    Returns the SHA-256 of the database bytes if asked for ("" otherwise). On any failure no file is left.
    """
    with atomic_files.replacing(final, temp=_part_of(final)):
        digest = _checked_while(raw, lambda: _write_part(raw, final, compress, opener, progress, with_digest),
                                progress)
    fsync_dir(final.parent)
    return digest


def create_backup(source: Path, folder: Path, reason: str, now: datetime, *, opener: Opener = open_new,
                  on_snapshot: Callable[[Path], None] | None = None,
                  progress: Progress = NO_PROGRESS) -> BackupFile:
    """A new compressed, verified backup of `source` in `folder`; on any failure no file is left behind.

    `on_snapshot` is called with the uncompressed copy before it is compressed (to read counts).
    """
    folder.mkdir(parents=True, exist_ok=True)
    final = unique_target(folder, now, reason)
    parsed = parse_backup_name(final.name)
    raw = folder / ("." + final.name.removesuffix(".gz") + ".raw.part")
    try:
        snapshot(source, raw, progress)
        if on_snapshot is not None:
            on_snapshot(raw)
        publish(raw, final, True, opener, progress)
    except (OSError, sqlite3.Error) as exc:
        atomic_files.discard(final)
        raise _failure(exc, folder) from exc
    finally:
        atomic_files.discard(raw)
    return BackupFile(final, now, reason, final.stat().st_size, parsed[2] if parsed else 1)


def export_copy(source: Path, destination: Path, work_dir: Path, now: datetime, *, opener: Opener = open_new,
                progress: Progress = NO_PROGRESS) -> Path:
    """Copy `source` to a folder or file anywhere (a USB stick), then read it back to verify it.

    A destination ending in .sqlite3 or .db is written uncompressed; anything else is gzip.
    The temp snapshot lives in `work_dir` (on the local disk), never on the stick.
    """
    target = _export_target(destination, now)
    compress = not target.name.lower().endswith((".sqlite3", ".db"))
    work_dir.mkdir(parents=True, exist_ok=True)
    raw = work_dir / f".lvqi-{now:%Y%m%d-%H%M%S}-export.raw.part"
    try:
        snapshot(source, raw, progress)
        written = publish(raw, target, compress, opener, progress, with_digest=True)
    except (OSError, sqlite3.Error) as exc:
        raise _failure(exc, target.parent) from exc
    finally:
        atomic_files.discard(raw)
    try:
        read_back = digest_of(target, progress)
    except (OSError, EOFError, zlib.error) as exc:
        read_back = f"读取失败：{exc}"
    if read_back != written:
        atomic_files.discard(target)
        raise BackupFailed(f"拷到“{target.parent}”的副本读回校验不一致（{read_back[:60]}），已删除该副本。"
                           "这个 U 盘或文件夹可能有问题，请换一个再试；当前数据库没有任何改动。")
    return target


def _export_target(destination: Path, now: datetime) -> Path:
    if destination.name.lower().endswith((".gz", ".sqlite3", ".db")) and not destination.is_dir():  # D:\LVQI.DB
        if not destination.parent.is_dir():
            raise BackupFailed(f"文件夹“{destination.parent}”不存在，请先插好 U 盘或选择一个存在的文件夹。")
        return destination
    if not destination.is_dir():
        raise BackupFailed(f"文件夹“{destination}”不存在，请先插好 U 盘或选择一个存在的文件夹。")
    return unique_target(destination, now, "offsite")


_PART_ENDINGS = (".part", ".part-journal", ".part-wal", ".part-shm")


def remove_stale_parts(folder: Path, now: datetime, older_than_s: float = 3600) -> None:
    """Delete temp files a killed backup or restore left behind (never one another process may be writing),
    with the -journal, -wal and -shm files SQLite made beside them.

    Age is measured on the folder's own clock (a probe file's modification time), not on `now`: a network
    drive's clock, or a program clock held or moved (tests, a wrong CMOS date corrected), must never make a
    file being written right now look an hour old. `now` is kept for the callers' sake."""
    del now
    if not folder.is_dir():
        return
    try:
        with tempfile.NamedTemporaryFile(prefix=".lvqi-probe-", dir=folder) as probe:
            folder_now = os.fstat(probe.fileno()).st_mtime
    except OSError:
        return  # a folder that cannot be written holds nothing this program could clean up
    for entry in os.scandir(folder):
        if entry.name.startswith(".lvqi-") and entry.name.endswith(_PART_ENDINGS):
            try:
                if folder_now - entry.stat().st_mtime > older_than_s:
                    atomic_files.remove(entry.path)
            except OSError:
                pass
