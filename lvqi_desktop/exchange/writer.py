"""Write a package atomically: temp file in the target folder, fsync, rename, then read back and verify."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lvqi_desktop.exchange.format import (
    MANIFEST,
    RETURNS_DIR,
    Manifest,
    PackageError,
    data_fingerprint,
    data_member,
    encode_lines,
    package_file_name,
    sha256_hex,
)
from lvqi_desktop.exchange.reader import read_package
from lvqi_desktop.progress import NO_PROGRESS, Progress


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_package(target_dir: Path, manifest: Manifest, tables: Mapping[str, Sequence[Mapping[str, Any]]],
                  attachments: Sequence[Path] = (), progress: Progress = NO_PROGRESS) -> tuple[Path, Manifest]:
    """Write `tables` (table → records) and the return files; returns the final path and the full manifest.

    The manifest's counts, member checksums and fingerprint are filled in here. A failure leaves no file
    (and never touches an older package of the same name until the new one is complete).
    """
    target_dir = Path(target_dir)
    final = target_dir / package_file_name(manifest.county_name, manifest.period)
    members: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for n, (table, records) in enumerate(tables.items()):
        progress.raise_if_cancelled()
        progress.update(n, len(tables) + 2, f"正在整理：{table}")
        members[data_member(table)] = encode_lines(records)
        counts[table] = len(records)
    for path in attachments:
        members[RETURNS_DIR + path.name] = path.read_bytes()
    checksums = {name: sha256_hex(data) for name, data in members.items()}
    manifest = replace(manifest, counts=counts, members=checksums, fingerprint=data_fingerprint(checksums))
    handle, temp_name = tempfile.mkstemp(prefix=".lvqi-package.", suffix=".part", dir=target_dir)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.writestr(MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=2))
                for name, data in members.items():
                    progress.raise_if_cancelled()
                    kind = zipfile.ZIP_STORED if name.endswith((".xlsx", ".pdf")) else zipfile.ZIP_DEFLATED
                    zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, compress_type=kind)
            raw.flush()
            os.fsync(raw.fileno())
        progress.update(len(tables), len(tables) + 2, "正在写入")
        os.replace(temp, final)
        _fsync_dir(target_dir)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    progress.update(len(tables) + 1, len(tables) + 2, "正在读回校验")
    try:
        back = read_package(final, with_records=False)  # every checksum, without parsing the records again
    except PackageError as exc:
        raise PackageError(f"报送包已写入“{final}”，但读回校验失败：{exc} 请换一个U盘或文件夹重新生成。") from exc
    if back.manifest.fingerprint != manifest.fingerprint:
        raise PackageError(f"报送包“{final}”读回的数据指纹与写入时不同，请换一个U盘或文件夹重新生成。")
    return final, manifest
