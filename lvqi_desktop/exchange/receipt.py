"""Receipts (回执): a small JSON file the city writes for one package, and the county reads back."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lvqi_desktop import atomic_files
from lvqi_desktop.exchange.format import CITY_NAME, FORMAT_VERSION, PackageError, sha256_hex
from lvqi_desktop.exchange.reader import unreadable_reason

RECEIPT_FORMAT = "lvqi-submission-receipt"
RECEIPT_SUFFIX = ".lvqi-receipt"
DECISIONS = ("accepted", "accepted_with_remarks", "rejected")
MAX_RECEIPT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Receipt:
    package_uuid: str
    county_code: str
    county_name: str
    period: str
    sequence: int
    data_fingerprint: str
    decision: str  # accepted | accepted_with_remarks | rejected
    issued_at: str  # ISO 8601
    issued_by: str  # the city operator
    city_office: str
    remarks: list[str] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    def body(self) -> dict[str, Any]:
        return {"format": RECEIPT_FORMAT, **asdict(self)}


def receipt_file_name(county_name: str, period: str, sequence: int) -> str:
    return f"{CITY_NAME}-{county_name}-{period}-回执-{sequence}{RECEIPT_SUFFIX}"


def _checksum(body: dict[str, Any]) -> str:
    return sha256_hex(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())


def write_receipt(target_dir: Path, receipt: Receipt) -> Path:
    """Atomically write the receipt (temp file, fsync, rename); returns its path."""
    if receipt.decision not in DECISIONS:
        raise ValueError(receipt.decision)
    body = receipt.body()
    text = json.dumps({**body, "checksum": _checksum(body)}, ensure_ascii=False, indent=2)
    final = Path(target_dir) / receipt_file_name(receipt.county_name, receipt.period, receipt.sequence)
    with atomic_files.replacing(final, prefix=".lvqi-receipt.") as temp, open(temp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    return final


def _refuse(path: Path, reason: str) -> PackageError:
    return PackageError(f"回执“{path.name}”不能使用：{reason}本机数据未作任何更改。")


def read_receipt(path: str | Path) -> Receipt:
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_RECEIPT_BYTES else None
    except OSError as exc:
        raise _refuse(path, unreadable_reason(exc)) from exc
    if raw is None:
        raise _refuse(path, "文件过大，不是吕企台账的回执。")
    if raw.startswith(b"PK"):
        raise _refuse(path, "这是数据报送包（.lvqi），不是市中心的回执。报送包由市中心导入；"
                            "这里请选择市中心发回的“…回执-序号.lvqi-receipt”文件。")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(path, "不是吕企台账的回执文件（内容无法识别）。请选择市中心发回的“…回执-序号.lvqi-receipt”文件。") from exc
    if not isinstance(data, dict) or data.get("format") != RECEIPT_FORMAT:
        raise _refuse(path, "不是吕企台账的回执文件。")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > FORMAT_VERSION:
        raise _refuse(path, "回执由更新版本的吕企台账生成，请先升级本程序。")
    checksum = data.pop("checksum", None)
    if checksum != _checksum(data):
        raise _refuse(path, "校验值不符（文件已被改动或损坏）。")
    data.pop("format")
    try:
        receipt = Receipt(**data)
    except TypeError as exc:
        raise _refuse(path, f"内容不完整（{exc}）。") from exc
    if receipt.decision not in DECISIONS:
        raise _refuse(path, f"结论“{receipt.decision}”无法识别。")
    return receipt
