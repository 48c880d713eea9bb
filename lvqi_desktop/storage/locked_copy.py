"""A password-protected copy (备份到… with a password): scrypt derives the key, AES-256-GCM encrypts the file in
1 MiB chunks (counter nonce with a last-chunk flag, the header as associated data), so a changed byte or a
wrong password is detected and memory stays bounded."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from lvqi_desktop import atomic_files
from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import DatabaseRefused

MAGIC = b"LVQILOCK"
SUFFIX = ".lvqi-locked"
CHUNK = 1024 * 1024
TAG = 16
_N_LOG2, _R, _P = 15, 8, 1  # scrypt: 32 MiB, about 0.1 s per try
MIN_PASSWORD = 8


def is_locked(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def _key(password: str, salt: bytes, n_log2: int, r: int, p: int) -> AESGCM:
    return AESGCM(Scrypt(salt=salt, length=32, n=2**n_log2, r=r, p=p).derive(password.encode("utf-8")))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def lock(source: Path, target: Path, password: str) -> None:
    """Encrypt `source` into the new file `target` (owner-only); nothing is left behind on failure."""
    if len(password) < MIN_PASSWORD:
        raise BackupFailed(f"密码至少 {MIN_PASSWORD} 位。没有生成副本。")
    salt, size = os.urandom(16), source.stat().st_size
    header = MAGIC + salt + bytes((_N_LOG2, _R, _P)) + size.to_bytes(8, "big")
    aes, count = _key(password, salt, _N_LOG2, _R, _P), max(1, -(-size // CHUNK))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            out.write(header)
            for n in range(count):
                out.write(aes.encrypt(_nonce(n, n == count - 1), src.read(CHUNK), header))
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        atomic_files.discard(target)
        raise


def unlock(source: Path, target: Path, password: str) -> None:
    """Decrypt a locked copy into the new file `target`; DatabaseRefused for a wrong password or a changed file."""
    try:
        with open(source, "rb") as src, open(target, "wb") as out:
            header = src.read(len(MAGIC) + 16 + 3 + 8)
            if len(header) < len(MAGIC) + 27 or not header.startswith(MAGIC):
                raise DatabaseRefused(f"文件“{source.name}”不是吕企台账加密的备份。")
            salt, (n_log2, r, p) = header[8:24], header[24:27]
            size = int.from_bytes(header[27:35], "big")
            if not (10 <= n_log2 <= 20 and 1 <= r <= 16 and 1 <= p <= 4):
                raise DatabaseRefused(f"备份“{source.name}”的加密参数不对（文件已被改动）。")
            aes, count = _key(password, salt, n_log2, r, p), max(1, -(-size // CHUNK))
            for n in range(count):
                block = src.read(min(CHUNK, size - n * CHUNK) + TAG)
                out.write(aes.decrypt(_nonce(n, n == count - 1), block, header))
            if src.read(1):
                raise InvalidTag()
    except (InvalidTag, ValueError) as exc:
        atomic_files.discard(target)
        raise DatabaseRefused(f"备份“{source.name}”的密码不对，或文件已被改动、不完整。当前数据没有任何改动。") from exc
    except BaseException:
        atomic_files.discard(target)
        raise
