"""Installation keys: an Ed25519 signing key and an X25519 encryption key per office; key files; fingerprints."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import NoEncryption
from cryptography.hazmat.primitives.serialization import PrivateFormat
from cryptography.hazmat.primitives.serialization import PublicFormat

from lvqi_desktop.exchange.format import CITY_NAME
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import unreadable_reason

KEY_FILE_FORMAT = "lvqi-public-key"
KEY_PAIR_FORMAT = "lvqi-installation-key"
KEY_SUFFIX = ".lvqi-key"
MAX_KEY_FILE_BYTES = 64 * 1024
_RAW = (Encoding.Raw, PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, size: int | None = None) -> bytes:
    """Strict base64 of exactly `size` bytes; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("not text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(str(exc)) from exc
    if size is not None and len(raw) != size:
        raise ValueError("wrong length")
    return raw


def canonical(body: dict[str, Any]) -> bytes:
    """What is signed: the object with sorted keys, no spaces, UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class PublicKey:
    """An office's public keys (signing and encryption) and whose they claim to be."""

    office_code: str
    office_name: str
    sign: bytes  # Ed25519, 32 bytes
    box: bytes  # X25519, 32 bytes
    created_at: str = ""

    @property
    def fingerprint(self) -> str:
        """SHA-256 over both keys (hex): what the database and the package cover name the key by."""
        return hashlib.sha256(b"lvqi-key-v1\n" + self.sign + self.box).hexdigest()

    @property
    def digits(self) -> str:
        """20 decimal digits in groups of four, read aloud by phone to confirm an enrolment."""
        return fingerprint_digits(self.fingerprint)

    def verify(self, data: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.sign).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def body(self) -> dict[str, Any]:
        return {"format": KEY_FILE_FORMAT, "format_version": 1, "office_code": self.office_code,
                "office_name": self.office_name, "created_at": self.created_at,
                "sign_key": b64(self.sign), "box_key": b64(self.box)}


def fingerprint_digits(fingerprint: str) -> str:
    """The first 80 bits of a key fingerprint as 20 decimal digits, `1234 5678 9012 3456 7890`."""
    number = int(fingerprint[:20], 16) % 10**20
    text = f"{number:020d}"
    return " ".join(text[i:i + 4] for i in range(0, 20, 4))


def same_digits(typed: str, digits: str) -> bool:
    """Whether what the operator typed (spaces, dashes and full-width digits allowed) are these digits."""
    clean = "".join(str(int(ch)) for ch in typed if ch.isdecimal())
    return clean == digits.replace(" ", "")


@dataclass(frozen=True)
class KeyPair:
    """This installation's private keys (kept owner-only in the data folder) and its public key."""

    public: PublicKey
    sign_private: Ed25519PrivateKey
    box_private: X25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.sign_private.sign(data)

    def to_bytes(self) -> bytes:
        raw = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        body = {**self.public.body(), "format": KEY_PAIR_FORMAT,
                "sign_private": b64(self.sign_private.private_bytes(*raw)),
                "box_private": b64(self.box_private.private_bytes(*raw))}
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> KeyPair:
        """ValueError when the file is not this installation's key file."""
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != KEY_PAIR_FORMAT:
                raise ValueError("not a key pair")
            sign_private = Ed25519PrivateKey.from_private_bytes(unb64(data["sign_private"], 32))
            box_private = X25519PrivateKey.from_private_bytes(unb64(data["box_private"], 32))
            public = PublicKey(str(data["office_code"]), str(data["office_name"]),
                               sign_private.public_key().public_bytes(*_RAW),
                               box_private.public_key().public_bytes(*_RAW), str(data.get("created_at", "")))
        except (UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from exc
        return cls(public, sign_private, box_private)


def new_key_pair(office_code: str, office_name: str, created_at: str) -> KeyPair:
    sign_private, box_private = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    public = PublicKey(office_code, office_name, sign_private.public_key().public_bytes(*_RAW),
                       box_private.public_key().public_bytes(*_RAW), created_at)
    return KeyPair(public, sign_private, box_private)


def key_file_name(office_name: str) -> str:
    return f"{CITY_NAME}-{office_name}-公钥{KEY_SUFFIX}"


def public_key_file(pair: KeyPair) -> bytes:
    """The public key file a county or the city hands over (USB, installer): signed by its own key."""
    body = pair.public.body()
    return json.dumps({**body, "self_signature": b64(pair.sign(canonical(body)))}, ensure_ascii=False,
                      indent=2).encode("utf-8")


def _refuse(name: str, reason: str) -> PackageError:
    return PackageError(f"公钥文件“{name}”不能使用：{reason}本机数据未作任何更改。")


def parse_public_key(data: Any) -> PublicKey:
    """A public key from its JSON body (key file or manifest); ValueError when malformed."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    code, name = data.get("office_code"), data.get("office_name")
    if not (isinstance(code, str) and code.isascii() and code.isdigit() and len(code) == 6):
        raise ValueError("office code")
    if not isinstance(name, str) or not 0 < len(name) <= 40 or not name.isprintable():
        raise ValueError("office name")
    created = data.get("created_at", "")
    if not isinstance(created, str) or len(created) > 40:
        raise ValueError("created_at")
    return PublicKey(code, name, unb64(data.get("sign_key"), 32), unb64(data.get("box_key"), 32), created)


def read_public_key_file(path: str | Path) -> PublicKey:
    """A `.lvqi-key` file, checked: size, format and its own signature; PackageError otherwise."""
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_KEY_FILE_BYTES else None
    except OSError as exc:

        raise _refuse(path.name, unreadable_reason(exc)) from exc
    if raw is None:
        raise _refuse(path.name, "文件过大，不是吕企台账的公钥文件。")
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
            raise ValueError("format")
        key = parse_public_key(data)
        signature = unb64(data.get("self_signature"), 64)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _refuse(path.name, "不是吕企台账的公钥文件（.lvqi-key）或内容不完整。") from exc
    if not key.verify(canonical(key.body()), signature):
        raise _refuse(path.name, "文件内容与其签名不符（已被改动或损坏）。")
    return key
