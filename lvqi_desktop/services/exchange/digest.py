"""A helper process that hashes packages' lines and checks their enterprises while the dry run parses them.

Only a head start: the dry run uses a digest only where its checksums match the members it read and
checked itself, and does the work itself for any package the helper could not digest.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path

from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import Manifest
from lvqi_desktop.exchange.reader import line_hashes
from lvqi_desktop.services.exchange.package_import import check_enterprise

MIN_BYTES = 8 * 1024 * 1024  # below this much package data a helper process costs more than it saves
_ROOT = Path(__file__).resolve().parents[3]  # the folder holding this program's lvqi_desktop package
# The helper imports this very program from _ROOT (never from the current folder or PYTHONPATH), then runs main.
_BOOT = ("import sys; root = sys.argv[1]; sys.path.insert(0, root); "
         "from lvqi_desktop.services.exchange import digest; digest.main(sys.argv[2:])")
_DATA = re.compile(r"^data/([a-z_]+)\.jsonl$")
ENTERPRISE_MEMBER = "data/enterprise.jsonl"


@dataclass
class Digest:
    """What the helper found in one file: per data member its SHA-256 and line hashes, and the
    enterprise check's problems per record uuid (for the county named in the file's manifest)."""

    county_code: str = ""
    hashes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    enterprise_sha256: str = ""
    enterprise_problems: dict[str, list[str]] = field(default_factory=dict)  # only records with problems

    def checked_enterprises(self, manifest: Manifest) -> dict[str, list[str]] | None:
        """The enterprise problems, if they were found in the very member and for the county now read."""
        if self.county_code == manifest.county_code and self.enterprise_sha256 == manifest.members.get(
                ENTERPRISE_MEMBER):
            return self.enterprise_problems
        return None


def digest(path: str, today: date) -> Digest | None:
    """Runs in the helper process; None for anything unusual (the dry run then checks it all itself)."""
    try:
        with zipfile.ZipFile(path) as zf:
            county = str(json.loads(zf.read(MANIFEST)).get("county_code", ""))
            out = Digest(county)
            for info in zf.infolist():
                if not _DATA.match(info.filename) or info.file_size > 512 * 1024 * 1024:
                    continue
                raw = zf.read(info)
                sha = hashlib.sha256(raw).hexdigest()
                lines = raw.split(b"\n")
                if lines and lines[-1] == b"":
                    lines.pop()
                out.hashes[info.filename] = (sha, line_hashes(lines))
                if info.filename == ENTERPRISE_MEMBER:
                    out.enterprise_sha256 = sha
                    for line in lines:
                        record = json.loads(line)
                        if problems := check_enterprise(record, county, today):
                            out.enterprise_problems[record["uuid"]] = problems
            return out
    except Exception:  # noqa: BLE001 - the dry run reads the file itself and reports what is wrong
        return None


class DigestPool:
    """One helper process (`python -I`, this module's `main`) digesting the files last first while the dry run reads them
    first first (so the two meet in the middle and nothing is done twice);
    does nothing for small batches. Results come back pickled on the helper's stdout, one frame per file."""

    def __init__(self, paths: Sequence[str | Path], today: date) -> None:
        self._done: dict[str, Digest | None] = {}
        self._child: subprocess.Popen[bytes] | None = None
        if not _worth_it(paths):
            return
        try:  # isolated (-I: no current folder, PYTHON* variables or user site on the path), from a fixed folder
            self._child = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, str(_ROOT), today.isoformat(), *map(str, reversed(paths))],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=_ROOT)
        except OSError:
            return
        threading.Thread(target=self._collect, args=(self._child,), daemon=True).start()

    def _collect(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        try:
            while head := child.stdout.read(8):
                path, found = pickle.loads(child.stdout.read(int.from_bytes(head, "big")))
                self._done[path] = found
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            pass

    def get(self, path: str | Path) -> Digest | None:
        """The file's digest if the helper has finished it; never waits for the helper."""
        return self._done.pop(str(path), None)

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None


def _worth_it(paths: Sequence[str | Path]) -> bool:
    if len(paths) < 2 or getattr(sys, "frozen", False):  # a frozen program has no `python -m`
        return False
    try:
        return sum(Path(p).stat().st_size for p in paths) >= MIN_BYTES
    except OSError:
        return False


def main(argv: list[str]) -> None:
    today, out = date.fromisoformat(argv[0]), sys.stdout.buffer
    for path in argv[1:]:
        frame = pickle.dumps((path, digest(path, today)), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(frame).to_bytes(8, "big") + frame)
        out.flush()


