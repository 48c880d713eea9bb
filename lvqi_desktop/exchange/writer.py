"""Write a package atomically: temp file in the target folder, fsync, rename, then read back and verify."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import Any

from lvqi_desktop import atomic_files
from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import RETURNS_DIR
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.format import Manifest
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import data_fingerprint
from lvqi_desktop.exchange.format import data_member
from lvqi_desktop.exchange.format import encode_lines
from lvqi_desktop.exchange.format import package_file_name
from lvqi_desktop.exchange.format import sha256_hex
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.reader import read_package
from lvqi_desktop.exchange.sealing import Cover
from lvqi_desktop.exchange.sealing import read_cover
from lvqi_desktop.exchange.sealing import seal
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress


@dataclass(frozen=True)
class EncodedTables:
    """The data members as they go into the package, encoded once: bytes, row counts, checksums."""

    members: dict[str, bytes]
    counts: dict[str, int]
    checksums: dict[str, str]

    @property
    def fingerprint(self) -> str:
        """The data fingerprint the manifest carries and the returns print."""
        return data_fingerprint(self.checksums)


@dataclass(frozen=True)
class WrittenPackage:
    """Where the package went, its full manifest, and what happened to a file of the same name."""

    path: Path
    manifest: Manifest
    replaced_sequence: int | None = None  # an earlier package of this name was replaced
    kept_file: Path | None = None  # a same-named file that is not a readable package was left alone

    @property
    def note(self) -> str:
        if self.replaced_sequence is not None:
            return f"已替换该文件夹中较早的报送包（报送序号 {self.replaced_sequence}）"
        if self.kept_file is not None:
            return (f"该文件夹中已有同名文件“{self.kept_file.name}”，但它不是可读的本县区报送包，未作替换；"
                    f"新的报送包另存为“{self.path.name}”")
        return ""


def encode_tables(tables: Mapping[str, Sequence[Mapping[str, Any]]],
                  progress: Progress = NO_PROGRESS) -> EncodedTables:
    """Encode every table as JSON Lines (once) and checksum it, so the fingerprint is known before the returns."""
    members: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for n, (table, records) in enumerate(tables.items()):
        progress.raise_if_cancelled()
        progress.update(n, len(tables) + 2, f"正在整理：{table}")
        members[data_member(table)] = encode_lines(records)
        counts[table] = len(records)
    return EncodedTables(members, counts, {name: sha256_hex(data) for name, data in members.items()})


def _target(folder: Path, manifest: Manifest) -> tuple[Path, int | None, Path | None]:
    """The file name to write, and the earlier package it replaces (its sequence) or the file it must not."""
    final = folder / package_file_name(manifest.county_name, manifest.period)
    if not final.exists():
        return final, None, None
    try:
        old: Cover | None = read_cover(final)
    except (PackageError, OSError):
        old = None
    if old is not None and final.is_file() and (old.county_code, old.period) == (manifest.county_code,
                                                                                 manifest.period):
        return final, old.sequence, None
    n = 2
    while (other := final.with_name(f"{final.stem}({n}){final.suffix}")).exists():
        n += 1
    return other, None, final


def signed_zip(manifest: Manifest, members: Mapping[str, bytes], pair: KeyPair) -> bytes:
    """The ZIP that travels sealed: manifest.json, its signature by `pair`, then the members."""
    raw = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(MANIFEST, raw)
        zf.writestr(SIGNATURE, b64(pair.sign(raw)))
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name.endswith((".xlsx", ".pdf")) else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, compress_type=kind)
    return buffer.getvalue()


def write_package(target_dir: Path, manifest: Manifest,
                  tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                  attachments: Sequence[Path] = (), progress: Progress = NO_PROGRESS, *,
                  encoded: EncodedTables | None = None, signer: KeyPair,
                  recipients: Sequence[PublicKey] = ()) -> WrittenPackage:
    """Write the data members (`encoded`, or `tables` encoded here) and the return files, signed by `signer`
    and sealed to `recipients` and to `signer` itself (so the county can open what it sent).

    The manifest's counts, member checksums and fingerprint are filled in here. A failure leaves no file
    (and never touches an older package of the same name until the new one is complete). An earlier
    package of the same county and period is replaced (the result says which); any other file of that
    name is left alone and the new package gets a "(2)" name.
    """
    target_dir = Path(target_dir)
    if encoded is None:
        encoded = encode_tables(tables or {}, progress)
    final, replaced, kept = _target(target_dir, manifest)
    members, checksums = dict(encoded.members), dict(encoded.checksums)
    for path in attachments:
        data = path.read_bytes()
        members[RETURNS_DIR + path.name], checksums[RETURNS_DIR + path.name] = data, sha256_hex(data)
    manifest = replace(manifest, counts=dict(encoded.counts), members=checksums, fingerprint=encoded.fingerprint,
                       signer=signer.public.body())
    tables_count = len(encoded.counts)
    progress.raise_if_cancelled()
    plain = signed_zip(manifest, members, signer)
    del members
    cover = Cover(manifest.county_code, manifest.county_name, manifest.period, manifest.sequence)
    with atomic_files.replacing(final, prefix=".lvqi-package.") as temp:
        with open(temp, "wb") as raw:
            progress.raise_if_cancelled()
            seal(plain, raw, cover, [*recipients, signer.public])
            raw.flush()
            os.fsync(raw.fileno())
        progress.update(tables_count, tables_count + 2, "正在写入")
    atomic_files.fsync_dir(target_dir)
    progress.update(tables_count + 1, tables_count + 2, "正在读回校验")
    del plain
    try:
        opened = io.BytesIO()
        unseal(final, signer, opened)  # every checksum and the signature, without parsing the records again
        back = read_package(final, with_records=False, source=opened)
    except PackageError as exc:
        raise PackageError(f"报送包已写入“{final}”，但读回校验失败：{exc} 请换一个U盘或文件夹重新生成。") from exc
    if back.manifest.fingerprint != manifest.fingerprint:
        raise PackageError(f"报送包“{final}”读回的数据指纹与写入时不同，请换一个U盘或文件夹重新生成。")
    return WrittenPackage(final, manifest, replaced, kept)
