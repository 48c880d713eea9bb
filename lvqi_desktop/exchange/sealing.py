"""The sealed package: a plain cover (county, period, sequence) and the signed ZIP encrypted to its recipients.

X25519 + HKDF-SHA256 wraps a random AES-256-GCM content key for each recipient (the city and the county
itself); the body is encrypted in 1 MiB chunks (STREAM: counter nonce, last-chunk flag, the cover as
associated data), so nothing is decrypted before it is authenticated and memory stays bounded.
See docs/package-format.md §1.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import PublicFormat

from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import unreadable_reason
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.keys import unb64

MAGIC = b"LVQISEAL"
SEALED_FORMAT = "lvqi-sealed-package"
SEALED_VERSION = 2
CHUNK = 1024 * 1024
TAG = 16
MAX_HEADER = 64 * 1024
MAX_BODY = 1024 * 1024 * 1024  # the signed ZIP inside, compressed
MAX_RECIPIENTS = 8
_PERIOD = re.compile(r"^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Cover:
    """What anyone holding the file can read: enough to route it, nothing about firms or people."""

    county_code: str
    county_name: str
    period: str
    sequence: int
    recipients: tuple[str, ...] = ()  # key fingerprints the body is encrypted to


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    key = HKDF(hashes.SHA256(), 32, salt=ephemeral + recipient, info=b"lvqi-package-v2 key wrap").derive(shared)
    return AESGCM(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunks(size: int) -> int:
    return max(1, -(-size // CHUNK))


def seal(plain: bytes, out: IO[bytes], cover: Cover, recipients: Sequence[PublicKey]) -> None:
    """Write the sealed form of `plain` (the signed ZIP) to `out`."""
    content_key = AESGCM.generate_key(bit_length=256)
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    wrapped = []
    for r in recipients:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(r.box))
        wrapped.append({"key": r.fingerprint,
                        "wrapped": b64(_kek(shared, eph_pub, r.box).encrypt(bytes(12), content_key, b"lvqi-wrap"))})
    header = json.dumps({"format": SEALED_FORMAT, "format_version": SEALED_VERSION,
                         "county_code": cover.county_code, "county_name": cover.county_name, "period": cover.period,
                         "sequence": cover.sequence, "ephemeral": b64(eph_pub), "recipients": wrapped,
                         "chunk_size": CHUNK, "body_size": len(plain)}, ensure_ascii=False).encode("utf-8")
    out.write(MAGIC + len(header).to_bytes(4, "big") + header)
    aad, aes, count = hashlib.sha256(MAGIC + header).digest(), AESGCM(content_key), _chunks(len(plain))
    view = memoryview(plain)
    for n in range(count):
        out.write(aes.encrypt(_nonce(n, n == count - 1), view[n * CHUNK:(n + 1) * CHUNK], aad))


def _refuse(path: Path, reason: str) -> PackageError:
    return PackageError(f"报送包“{path.name}”不能使用：{reason}数据库未作任何更改。")


def _not_sealed(path: Path, head: bytes) -> PackageError:
    if head.startswith(b"PK"):
        return _refuse(path, "这是旧格式的报送包（未签名、未加密），本程序不再接收。请县区把吕企台账升级到最新版本后重新生成报送包。")
    if b"lvqi-submission-receipt" in head:
        return _refuse(path, "这是市中心出具的回执（.lvqi-receipt），不是县区的报送包。"
                             "回执由县区在“数据报送”页点“导入回执…”导入；这里请选择“…数据报送包.lvqi”文件。")
    if b"lvqi-public-key" in head:
        return _refuse(path, "这是公钥文件（.lvqi-key），不是报送包。公钥请在“数据报送”页的“密钥登记…”中导入。")
    return _refuse(path, "这不是吕企台账的报送包。")


@dataclass(frozen=True)
class _Header:
    cover: Cover
    raw: bytes
    ephemeral: bytes
    wrapped: dict[str, bytes]
    body_size: int
    body_start: int


def _parse_header(path: Path, f: IO[bytes], size: int) -> _Header:
    head = f.read(12)
    if len(head) < 12 or not head.startswith(MAGIC):
        f.seek(0)
        raise _not_sealed(path, f.read(4096))
    length = int.from_bytes(head[8:12], "big")
    if length > MAX_HEADER or 12 + length > size:
        raise _refuse(path, "封面信息不完整或过长（文件被截断或被改动）。")
    raw = f.read(length)
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != SEALED_FORMAT:
            raise ValueError("format")
        version = data.get("format_version")
        if type(version) is int and version > SEALED_VERSION:
            raise _refuse(path, f"报送包的格式版本（{version}）比本程序能读的（{SEALED_VERSION}）新，"
                                "由更新版本的吕企台账生成。请先升级本程序再导入。")
        cover, ephemeral, wrapped, body_size = _cover(data)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise _refuse(path, "封面信息无法识别（文件已被改动或损坏）。") from exc
    expected = 12 + length + body_size + TAG * _chunks(body_size)
    if size != expected:
        raise _refuse(path, "文件长度与封面不符（被截断或被改动），可能是拷贝中断。请让县区重新拷贝。")
    return _Header(cover, raw, ephemeral, wrapped, body_size, 12 + length)


def _cover(data: dict[str, Any]) -> tuple[Cover, bytes, dict[str, bytes], int]:
    code, name, period, seq = data["county_code"], data["county_name"], data["period"], data["sequence"]
    if not (isinstance(code, str) and code.isascii() and code.isdigit() and len(code) == 6):
        raise ValueError("county_code")
    if not isinstance(name, str) or not 0 < len(name) <= 40 or not name.isprintable():
        raise ValueError("county_name")
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise ValueError("period")
    if type(seq) is not int or not 0 < seq < 10**9:
        raise ValueError("sequence")
    if data.get("chunk_size") != CHUNK or type(data.get("body_size")) is not int or not (
            0 <= data["body_size"] <= MAX_BODY):
        raise ValueError("body")
    recipients = data["recipients"]
    if not isinstance(recipients, list) or not 0 < len(recipients) <= MAX_RECIPIENTS:
        raise ValueError("recipients")
    wrapped = {}
    for r in recipients:
        if not isinstance(r, dict) or not isinstance(r.get("key"), str) or not _HEX64.match(r["key"]):
            raise ValueError("recipient")
        wrapped[r["key"]] = unb64(r.get("wrapped"), 32 + TAG)
    cover = Cover(code, name, period, seq, tuple(wrapped))
    return cover, unb64(data["ephemeral"], 32), wrapped, data["body_size"]


def _open_file(path: Path) -> tuple[IO[bytes], int]:
    try:
        f = open(path, "rb")
        return f, Path(path).stat().st_size
    except OSError as exc:
        raise PackageError(f"无法读取文件“{path}”：{unreadable_reason(exc)}") from exc


def read_cover(path: str | Path) -> Cover:
    """The cover alone (no key needed); PackageError when the file is not a sealed package."""
    path = Path(path)
    f, size = _open_file(path)
    with f:
        return _parse_header(path, f, size).cover


def unseal(path: str | Path, pair: KeyPair, out: IO[bytes]) -> Cover:
    """Decrypt the body into `out` chunk by chunk, each authenticated before it is written; PackageError for
    a file not addressed to `pair`, or changed anywhere after it was sealed (the cover included)."""
    path = Path(path)
    f, size = _open_file(path)
    with f:
        h = _parse_header(path, f, size)
        mine = h.wrapped.get(pair.public.fingerprint)
        if mine is None:
            raise _refuse(path, "报送包不是加密给本机的（用的是别的或旧的市中心公钥），本机无法打开。"
                                "请县区在“数据报送”页核对市中心公钥后重新生成。")
        try:
            shared = pair.box_private.exchange(X25519PublicKey.from_public_bytes(h.ephemeral))
            content_key = _kek(shared, h.ephemeral, pair.public.box).decrypt(bytes(12), mine, b"lvqi-wrap")
        except (InvalidTag, ValueError) as exc:
            raise _refuse(path, "无法解开报送包的密钥（文件已被改动或损坏）。") from exc
        aad, aes, count = hashlib.sha256(MAGIC + h.raw).digest(), AESGCM(content_key), _chunks(h.body_size)
        for n in range(count):
            want = min(CHUNK, h.body_size - n * CHUNK) + TAG
            block = f.read(want)
            try:
                out.write(aes.decrypt(_nonce(n, n == count - 1), block, aad))
            except (InvalidTag, ValueError) as exc:
                raise _refuse(path, "内容在生成后被改动或已损坏（解密校验失败）。请让县区重新拷贝或重新生成。") from exc
    return h.cover
