"""Writing a file through a temp name and replacing or deleting files, with a short retry while Windows holds them.

On Windows a file that is open anywhere cannot be renamed or deleted, and antivirus (360, 火绒, Defender), the
search indexer and OneDrive open every new file for a moment right after it is written. An os.replace or
unlink that meets such a hold fails with a sharing violation; it succeeds a few hundred milliseconds later.
Every temp-file-then-rename and every delete of a file the program has just written goes through here.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# ERROR_ACCESS_DENIED (also what a file with a pending delete gives), ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
SHARING_WINERRORS = frozenset({5, 32, 33})
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)  # at most 1.55 s in all: a scan ends, a real lock does not

StrPath = str | os.PathLike[str]


def is_sharing_violation(exc: BaseException) -> bool:
    """True for the Windows errors of a file that another program (or this one) holds open."""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in SHARING_WINERRORS


def _retrying(action: Callable[..., object], *args: StrPath) -> None:
    for delay in (*RETRY_DELAYS, None):
        try:
            action(*args)
            return
        except OSError as exc:
            if delay is None or not is_sharing_violation(exc):
                raise
            log.info("%s held by another program, retrying in %.2f s: %s", args[0], delay, exc)
            time.sleep(delay)


def replace(src: StrPath, dst: StrPath) -> None:
    """os.replace, retried for a moment while antivirus or the indexer holds either file."""
    _retrying(os.replace, src, dst)


def remove(path: StrPath, missing_ok: bool = True) -> None:
    """Delete a file, retried for a moment while it is held; a missing file is fine unless told otherwise."""
    try:
        _retrying(os.unlink, path)
    except FileNotFoundError:
        if not missing_ok:
            raise


def discard(path: StrPath) -> bool:
    """Best effort for a temp file or an old copy: delete it if possible; False when it is still there."""
    try:
        remove(path)
    except OSError as exc:
        log.warning("could not delete %s: %s", path, exc)
        return False
    return True


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable (a no-op on Windows, which cannot open folders)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_beside(final: Path, prefix: str | None = None, suffix: str = ".part") -> Path:
    """A new empty file beside `final` (same disk, so the rename is atomic), hidden by its leading dot."""
    handle, name = tempfile.mkstemp(prefix=prefix or f".{final.name}.", suffix=suffix, dir=final.parent)
    os.close(handle)
    return Path(name)


@contextmanager
def replacing(final: StrPath, *, temp: StrPath | None = None, prefix: str | None = None,
              suffix: str = ".part") -> Iterator[Path]:
    """Write to the yielded temp path; when the block ends normally it replaces `final`, else it is deleted.

    `temp` names the temp file when the caller needs a particular name; otherwise one is made beside `final`.
    A kill at any moment leaves either the old `final` or the new one, each whole (plus perhaps the temp file).
    """
    final = Path(final)
    path = Path(temp) if temp is not None else temp_beside(final, prefix, suffix)
    try:
        yield path
        replace(path, final)
    except BaseException:
        discard(path)
        raise
