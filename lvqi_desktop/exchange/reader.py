"""The strict reader: a package is refused, with a specific Chinese message, unless every check passes."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import IO
from typing import Any
from typing import NoReturn

from lvqi_desktop.exchange.format import FORMAT_NAME
from lvqi_desktop.exchange.format import FORMAT_VERSION
from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import MAX_MANIFEST_BYTES
from lvqi_desktop.exchange.format import MAX_MEMBER_BYTES
from lvqi_desktop.exchange.format import MAX_MEMBERS
from lvqi_desktop.exchange.format import MAX_PREVIOUS
from lvqi_desktop.exchange.format import MAX_TOTAL_BYTES
from lvqi_desktop.exchange.format import RETURNS_DIR
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.format import Manifest
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import data_fingerprint
from lvqi_desktop.exchange.format import format_document
from lvqi_desktop.exchange.format import unreadable_reason
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import parse_public_key
from lvqi_desktop.exchange.keys import unb64

_CHUNK = 1024 * 1024
MAX_LINE = _CHUNK  # one record's line: far above any valid record, and checked while streaming
_TABLE_NAME = re.compile(r"^data/([a-z_]+)\.jsonl$")
_RETURN_NAME = re.compile(r"^returns/[^/\\]+\.(xlsx|pdf)$")
_REQUIRED = ("county_code", "county_name", "period", "created_at", "preparer", "package_uuid", "sequence",
             "app_version", "counts", "members", "data_fingerprint", "signer", "previous")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Package:
    """A package that passed every check: its manifest, records per table and each record's line hash."""

    path: Path
    manifest: Manifest
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    line_hashes: dict[str, list[str]] = field(default_factory=dict)
    uuids: dict[str, list[str]] = field(default_factory=dict)  # table → each record's uuid, in line order
    returns: list[str] = field(default_factory=list)
    size: int = 0
    signer: PublicKey | None = None  # the key whose signature over the manifest was verified


def line_hash(line: bytes) -> str:
    return hashlib.blake2b(line, digest_size=16).hexdigest()


def line_hashes(lines: list[bytes]) -> list[str]:
    """`line_hash` of each line (one comprehension: a million lines take a second, not two)."""
    blake2b = hashlib.blake2b
    return [blake2b(line, digest_size=16).hexdigest() for line in lines]


def _refuse(path: Path, reason: str) -> PackageError:
    return PackageError(f"报送包“{path.name}”不能使用：{reason}数据库未作任何更改。")


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        return True
    return any(part == ".." for part in name.split("/"))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, path: Path, lines: bool = False) -> bytes:
    """Stream one member, refusing it once it expands past its declared size or the cap (zip bomb), or (JSON
    Lines) once one line grows past MAX_LINE: a 200 MB remark is refused after a megabyte, not held."""
    chunks, total, open_line = [], 0, 0
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size or total > cap:
                    raise _refuse(path, f"成员“{info.filename}”解压后超出允许的大小（可能是恶意构造的压缩包）。")
                if lines:
                    first = chunk.find(b"\n")
                    longest = open_line + (len(chunk) if first < 0 else first)
                    open_line = len(chunk) if first < 0 else len(chunk) - chunk.rfind(b"\n") - 1
                    if longest > MAX_LINE:
                        raise _refuse(path, f"成员“{info.filename}”中有一条记录超过 {MAX_LINE // 1024} KB，"
                                            "不是正常的记录（可能是恶意构造的文件）。")
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise _refuse(path, f"成员“{info.filename}”已损坏或文件不完整（{exc}），可能是拷贝中断。"
                            "请让县区重新拷贝或重新生成。") from exc
    return b"".join(chunks)


def _looks_like_receipt(path: Path) -> bool:
    with open(path, "rb") as f:
        return b"lvqi-submission-receipt" in f.read(4096)


def _open(path: Path, source: IO[bytes] | None = None) -> zipfile.ZipFile:
    if source is not None:  # the ZIP unsealed into memory or a private file; `path` names the sealed file
        try:
            return zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _refuse(path, "解密后的内容不是完整的报送包（可能由伪造的程序生成）。") from exc
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise PackageError(f"无法读取文件“{path}”：{unreadable_reason(exc)}") from exc
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise _refuse(path, "文件不完整（被截断），可能是拷贝或下载中断。请让县区重新拷贝。")
        if head.lstrip().startswith(b"{") and _looks_like_receipt(path):
            raise _refuse(path, "这是市中心出具的回执（.lvqi-receipt），不是县区的报送包。"
                                "回执由县区在“数据报送”页点“导入回执…”导入；这里请选择“…数据报送包.lvqi”文件。")
        raise _refuse(path, "这不是吕企台账的报送包（不是 zip 格式的 .lvqi 文件）。")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, f"文件不完整或已损坏（{exc}）。请让县区重新拷贝。") from exc


def _check_listing(zf: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    infos: dict[str, zipfile.ZipInfo] = {}
    total = 0
    if len(zf.infolist()) > MAX_MEMBERS:
        raise _refuse(path, f"包内文件过多（{len(zf.infolist())} 个）。")
    for info in zf.infolist():
        name = info.filename
        if _unsafe_name(name):
            raise _refuse(path, f"包内文件名“{name}”含有“..”或绝对路径，可能企图写到别处。")
        if name in infos:
            raise _refuse(path, f"包内文件“{name}”出现了两次。")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse(path, f"成员“{name}”声明解压后有 {info.file_size} 字节，超出允许的大小（可能是恶意构造的压缩包）。")
        total += info.file_size
        infos[name] = info
    if total > MAX_TOTAL_BYTES:
        raise _refuse(path, "全部成员解压后超出允许的总大小（可能是恶意构造的压缩包）。")
    if MANIFEST not in infos:
        raise _refuse(path, "缺少清单文件 manifest.json。")
    return infos


def _manifest(raw: bytes, path: Path) -> Manifest:
    data = format_document(raw, FORMAT_NAME, partial(_refuse, path), unparsable="清单文件 manifest.json 无法解析。",
                           foreign="清单文件 manifest.json 不是吕企台账报送包的清单。")
    version = data.get("format_version")
    if not isinstance(version, int):
        raise _refuse(path, "清单文件缺少格式版本号。")
    if version > FORMAT_VERSION:
        raise _refuse(path, f"报送包的格式版本（{version}）比本程序能读的（{FORMAT_VERSION}）新，"
                            "由更新版本的吕企台账生成。请先升级本程序再导入。")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise _refuse(path, f"清单文件缺少项目：{'、'.join(missing)}。")
    members, counts = data["members"], data["counts"]
    if not isinstance(members, dict) or not all(isinstance(v, str) for v in members.values()):
        raise _refuse(path, "清单文件中的校验值列表格式不对。")
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise _refuse(path, "清单文件中的记录数格式不对。")
    if type(data["sequence"]) is not int or not 0 < data["sequence"] < 10**9:
        raise _refuse(path, "清单文件中的报送序号不对。")
    if not isinstance(data["package_uuid"], str) or not _UUID.match(data["package_uuid"]):
        raise _refuse(path, "清单文件中的报送包编号不对。")
    if not all(isinstance(data[k], str) and len(data[k]) <= 100 for k in _REQUIRED[:5] + ("app_version",)):
        raise _refuse(path, "清单文件中的县区、期别、时间或填报人格式不对。")
    try:
        parse_public_key(data["signer"])
        previous = _previous(data["previous"])
    except ValueError as exc:
        raise _refuse(path, "清单文件中的签名密钥或前序报送包记录格式不对。") from exc
    return Manifest(data["county_code"], data["county_name"], data["period"], data["created_at"],
                    data["preparer"], data["package_uuid"], data["sequence"], data["app_version"], dict(counts),
                    dict(members), str(data["data_fingerprint"]), version, dict(data["signer"]), previous)


def _previous(items: Any) -> tuple[tuple[int, str], ...]:
    if not isinstance(items, list) or len(items) > MAX_PREVIOUS:
        raise ValueError("previous")
    out = []
    for item in items:
        if not isinstance(item, dict) or type(item.get("sequence")) is not int or not isinstance(
                item.get("fingerprint"), str) or not _HEX64.match(item["fingerprint"]):
            raise ValueError("previous item")
        out.append((item["sequence"], item["fingerprint"]))
    return tuple(out)


def _signer(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], raw: bytes, manifest: Manifest,
            path: Path) -> PublicKey:
    """The manifest's signing key, once its signature over the manifest's bytes is verified."""
    if SIGNATURE not in infos:
        raise _refuse(path, "报送包没有签名，无法确认是哪个县区生成的。请县区用最新版本的吕企台账重新生成。")
    key = parse_public_key(manifest.signer)
    try:
        signature = unb64(_read_member(zf, infos[SIGNATURE], 1024, path).decode("ascii").strip(), 64)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(path, "报送包的签名格式不对（文件已被改动或损坏）。") from exc
    if not key.verify(raw, signature):
        raise _refuse(path, "签名与清单不符：文件在签名后被改动过，或不是由清单所称的县区生成的。")
    return key


def _parse_lines(raw: bytes, name: str, path: Path, seen: set[str], package: Package, table: str,
                 known_hashes: list[str] | None = None) -> None:
    """Records, uuids and line hashes of one JSON Lines member. JSON escapes every newline inside a string,
    so raw newlines only end lines and the whole member parses as one array (one C call, not one per line)."""
    body = raw[:-1] if raw.endswith(b"\n") else raw
    count = body.count(b"\n") + 1 if raw else 0
    try:
        records = json.loads(b"[" + body.replace(b"\n", b",") + b"]") if raw else []
        bad = len(records) != count or not all(type(r) is dict for r in records)
    except (ValueError, RecursionError):
        bad = True
    if bad:
        _blame_line(_lines(raw), name, path)
    uuids = _uuids(records)
    try:  # a uuid that is a list or an object is not hashable; "".join refuses anything but text
        unique = set(uuids)
        "".join(unique)
        good = len(unique) == count and "" not in unique and unique.isdisjoint(seen)
    except TypeError:
        good = False
    if not good:
        _blame_uuid(uuids, name, path, package)
    seen |= unique
    package.tables[table] = records
    package.uuids[table] = uuids
    same = known_hashes is not None and len(known_hashes) == count
    package.line_hashes[table] = known_hashes if same else line_hashes(_lines(raw))  # type: ignore[assignment]


def _lines(raw: bytes) -> list[bytes]:
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _uuids(records: list[dict[str, Any]]) -> list[Any]:
    try:
        return list(map(itemgetter("uuid"), records))
    except KeyError:
        return [r.get("uuid") for r in records]


def _blame_line(lines: list[bytes], name: str, path: Path) -> NoReturn:
    """Raise for the first line that is not one JSON object."""
    for number, line in enumerate(lines, 1):
        try:
            if not isinstance(json.loads(line), dict):
                raise ValueError("不是一个对象")
        except (ValueError, RecursionError) as exc:
            raise _refuse(path, f"{name} 第 {number} 行不是有效的 JSON 记录。") from exc
    raise _refuse(path, f"{name} 不是有效的 JSON Lines 文件。")


def _blame_uuid(uuids: list[Any], name: str, path: Path, package: Package) -> NoReturn:
    """Raise for the first record without a uuid, or whose uuid appeared before."""
    earlier = {u: f"data/{t}.jsonl" for t, us in package.uuids.items() for u in us}
    for number, uuid in enumerate(uuids, 1):
        if not isinstance(uuid, str) or not uuid:
            raise _refuse(path, f"{name} 第 {number} 行缺少记录编号（uuid）。")
        if uuid in earlier:
            raise _refuse(path, f"记录编号 {uuid} 重复出现（{earlier[uuid]} 中已有，{name} 第 {number} 行又出现）。")
        earlier[uuid] = name
    raise _refuse(path, f"{name} 中的记录编号（uuid）不对。")


def read_package(path: str | Path, *, with_records: bool = True, members: bool = True,
                 known_hashes: Mapping[str, tuple[str, list[str]]] | None = None,
                 source: IO[bytes] | None = None) -> Package:
    """Open, check and (unless `with_records` is False) parse a package; raises PackageError.

    `source` is the signed ZIP as unsealed from the file at `path` (`path` then only names it in messages).

    `members=False` stops after the manifest and the listing (no member is inflated): a quick look
    that must be followed by a full read before the package is trusted. `known_hashes` (member →
    its SHA-256 and line hashes, computed elsewhere) are used for a member whose checksum they match.
    """
    path = Path(path)
    with _open(path, source) as zf:
        infos = _check_listing(zf, path)
        raw_manifest = _read_member(zf, infos[MANIFEST], MAX_MANIFEST_BYTES, path)
        manifest = _manifest(raw_manifest, path)
        signer = _signer(zf, infos, raw_manifest, manifest, path)
        listed, present = set(manifest.members), set(infos) - {MANIFEST, SIGNATURE}
        if present - listed:
            raise _refuse(path, f"包内有清单未列出的文件：{'、'.join(sorted(present - listed))}。")
        if listed - present:
            raise _refuse(path, f"清单列出的文件不在包内：{'、'.join(sorted(listed - present))}。")
        for name in listed:
            if not (_TABLE_NAME.match(name) or _RETURN_NAME.match(name)):
                raise _refuse(path, f"包内文件“{name}”不是报送包应有的内容。")
        if data_fingerprint(manifest.members) != manifest.fingerprint:
            raise _refuse(path, "清单中的数据指纹与各数据文件的校验值不符。")
        package = Package(path, manifest, size=path.stat().st_size, signer=signer,
                          returns=sorted(n for n in listed if n.startswith(RETURNS_DIR)))
        if not members:
            return package
        seen: set[str] = set()
        for name in sorted(listed):
            raw = _read_member(zf, infos[name], MAX_MEMBER_BYTES, path, lines=bool(_TABLE_NAME.match(name)))
            if hashlib.sha256(raw).hexdigest() != manifest.members[name]:
                raise _refuse(path, f"成员“{name}”的校验值与清单不符（文件已被改动或损坏）。")
            match = _TABLE_NAME.match(name)
            if match and with_records:
                table = match.group(1)
                known = (known_hashes or {}).get(name)
                _parse_lines(raw, name, path, seen, package, table,
                             known[1] if known and known[0] == manifest.members[name] else None)
                if manifest.counts.get(table) != len(package.tables[table]):
                    raise _refuse(path, f"{name} 的记录数（{len(package.tables[table])}）与清单"
                                        f"（{manifest.counts.get(table)}）不符。")
    if with_records:
        missing = set(manifest.counts) - set(package.tables)
        if missing:
            raise _refuse(path, f"清单列出了数据表 {'、'.join(sorted(missing))}，但包内没有它们的数据文件。")
    return package
