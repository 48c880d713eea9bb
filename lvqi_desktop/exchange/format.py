"""Package format version 1: names, limits, the manifest, fingerprints. See docs/package-format.md."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from lvqi_desktop.errors import LvqiError

FORMAT_NAME = "lvqi-submission-package"
FORMAT_VERSION = 2  # 2: the manifest is signed (manifest.sig) and the ZIP travels sealed (exchange/sealing.py)
SUFFIX = ".lvqi"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # Ed25519 signature (base64) over the exact bytes of manifest.json
MAX_PREVIOUS = 20  # earlier packages of the same installation the manifest names (sequence, fingerprint)
DATA_DIR = "data/"
RETURNS_DIR = "returns/"
CITY_NAME = "吕梁市"
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one expanded member
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # the whole package expanded
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_MEMBERS = 500


class PackageError(LvqiError):
    """A package (or receipt) file was refused; the message says why, in Chinese. Nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    county_code: str
    county_name: str
    period: str
    created_at: str  # ISO 8601, the county laptop's clock (informative only; `sequence` decides order)
    preparer: str
    package_uuid: str
    sequence: int
    app_version: str
    counts: dict[str, int] = field(default_factory=dict)  # table → rows
    members: dict[str, str] = field(default_factory=dict)  # member name → SHA-256 hex
    fingerprint: str = ""
    format_version: int = FORMAT_VERSION
    signer: dict[str, Any] = field(default_factory=dict)  # the signing office's public key (keys.PublicKey.body)
    previous: tuple[tuple[int, str], ...] = ()  # earlier packages of this installation, newest first

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT_NAME, "format_version": self.format_version, "app_version": self.app_version,
                "county_code": self.county_code, "county_name": self.county_name, "period": self.period,
                "created_at": self.created_at, "preparer": self.preparer, "package_uuid": self.package_uuid,
                "sequence": self.sequence, "counts": self.counts, "members": self.members,
                "data_fingerprint": self.fingerprint, "signer": self.signer,
                "previous": [{"sequence": s, "fingerprint": f} for s, f in self.previous]}


def package_file_name(county_name: str, period: str) -> str:
    """吕梁市-离石区-2026Q4-数据报送包.lvqi"""
    return f"{CITY_NAME}-{county_name}-{period}-数据报送包{SUFFIX}"


def data_member(table: str) -> str:
    return f"{DATA_DIR}{table}.jsonl"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_fingerprint(members: Mapping[str, str]) -> str:
    """SHA-256 over the data members' names and checksums, in name order (not over the returns)."""
    h = hashlib.sha256()
    for name in sorted(n for n in members if n.startswith(DATA_DIR)):
        h.update(f"{name}\n{members[name]}\n".encode())
    return h.hexdigest()


def short_fingerprint(fingerprint: str) -> str:
    """What paper shows: the first 16 hex digits in groups of four."""
    return " ".join(fingerprint[i:i + 4] for i in range(0, 16, 4)).upper()


def encode_lines(records: Iterable[Mapping[str, Any]]) -> bytes:
    """JSON Lines, UTF-8, keys sorted, one record per line, each line ending in \\n."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    return "".join(dumps(r) + "\n" for r in records).encode("utf-8")


def unreadable_reason(exc: OSError) -> str:
    """Why a file could not be opened, in Chinese (never the operating system's English text)."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在。请检查文件名和位置（U盘是否已拔出？）。"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，请选择其中的文件。"
    if isinstance(exc, PermissionError):
        return "没有读取权限。请把文件复制到本机（如桌面）后再试。"
    return f"读取出错（错误代码 {exc.errno}），请检查U盘或把文件复制到本机后再试。"


def format_document(raw: bytes, format_name: str, refuse: Callable[[str], PackageError], *, unparsable: str,
                    foreign: str) -> dict[str, Any]:
    """The JSON object in `raw` whose "format" is `format_name`; otherwise `refuse` with why (`unparsable`:
    not UTF-8 JSON at all, `foreign`: JSON but not that document)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refuse(unparsable) from exc
    if not isinstance(data, dict) or data.get("format") != format_name:
        raise refuse(foreign)
    return data
