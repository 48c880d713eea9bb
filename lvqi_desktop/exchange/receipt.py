"""Receipts (回执): a small JSON file the city writes and signs for one package, and the county verifies."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from functools import partial
from pathlib import Path
from typing import Any

from lvqi_desktop import atomic_files
from lvqi_desktop.exchange.format import CITY_NAME
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import format_document
from lvqi_desktop.exchange.format import unreadable_reason
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.keys import canonical
from lvqi_desktop.exchange.keys import unb64
from lvqi_desktop.exchange.sealing import MAGIC
from lvqi_desktop.models.targets import METRICS
from lvqi_desktop.models.targets import YEARS
from lvqi_desktop.models.targets import metric_label
from lvqi_desktop.models.targets import value_problem

RECEIPT_FORMAT = "lvqi-submission-receipt"
RECEIPT_SUFFIX = ".lvqi-receipt"
DECISIONS = ("accepted", "accepted_with_remarks", "rejected")
MAX_RECEIPT_BYTES = 1024 * 1024
RECEIPT_VERSION = 3  # 2: signed by the city's key (`signer`, `signature`) instead of a bare checksum;
# 3: also the targets the city allocated to the county (`targets`)
SIGNED_SINCE = 2  # older receipts carry no signature and are refused
MAX_RECEIPT_TARGETS = 1000  # nine metrics over a century is less
_TARGET_KEYS = frozenset({"uuid", "scope", "metric", "year", "value"})


@dataclass(frozen=True)
class ReceiptTarget:
    """A target the city set for the county (scope is its code): the county takes it as the city's figure."""

    uuid: str
    scope: str
    metric: str
    year: int
    value: int


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
    county_key: str = ""  # the 20 digits of the county key that signed the package, as read aloud at enrolment
    format_version: int = RECEIPT_VERSION
    targets: tuple[ReceiptTarget, ...] = ()  # every target the city set for the county (version 3)

    def body(self) -> dict[str, Any]:
        return {"format": RECEIPT_FORMAT, **asdict(self)}


def receipt_file_name(county_name: str, period: str, sequence: int) -> str:
    return f"{CITY_NAME}-{county_name}-{period}-回执-{sequence}{RECEIPT_SUFFIX}"


def write_receipt(target_dir: Path, receipt: Receipt, signer: KeyPair) -> Path:
    """Sign and atomically write the receipt (temp file, fsync, rename); returns its path."""
    if receipt.decision not in DECISIONS:
        raise ValueError(receipt.decision)
    body = {**receipt.body(), "signer": signer.public.fingerprint}
    text = json.dumps({**body, "signature": b64(signer.sign(canonical(body)))}, ensure_ascii=False, indent=2)
    final = Path(target_dir) / receipt_file_name(receipt.county_name, receipt.period, receipt.sequence)
    with atomic_files.replacing(final, prefix=".lvqi-receipt.") as temp, open(temp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    return final


def _refuse(path: Path, reason: str) -> PackageError:
    return PackageError(f"回执“{path.name}”不能使用：{reason}本机数据未作任何更改。")


def read_receipt(path: str | Path, city: PublicKey) -> Receipt:
    """The receipt, once its signature by the city's enrolled key `city` is verified; PackageError otherwise."""
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_RECEIPT_BYTES else None
    except OSError as exc:
        raise _refuse(path, unreadable_reason(exc)) from exc
    if raw is None:
        raise _refuse(path, "文件过大，不是吕企台账的回执。")
    if raw.startswith((b"PK", MAGIC)):
        raise _refuse(path, "这是数据报送包（.lvqi），不是市中心的回执。报送包由市中心导入；"
                            "这里请选择市中心发回的“…回执-序号.lvqi-receipt”文件。")
    data = format_document(raw, RECEIPT_FORMAT, partial(_refuse, path), foreign="不是吕企台账的回执文件。",
                           unparsable="不是吕企台账的回执文件（内容无法识别）。请选择市中心发回的“…回执-序号.lvqi-receipt”文件。")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > RECEIPT_VERSION:
        raise _refuse(path, "回执由更新版本的吕企台账生成，请先升级本程序。")
    signature = data.pop("signature", None)
    if signature is None or data["format_version"] < SIGNED_SINCE:
        raise _refuse(path, "回执没有市中心的签名，无法确认是市中心出具的。请市中心用最新版本重新出具回执。")
    try:
        valid = data.get("signer") == city.fingerprint and city.verify(canonical(data), unb64(signature, 64))
    except ValueError:
        valid = False
    if not valid:
        raise _refuse(path, "回执的签名不是本机登记的市中心密钥所签（文件被改动过，或不是市中心出具的）。"
                            "如市中心更换过密钥，请先导入市中心的新公钥并电话核对指纹。")
    data.pop("format")
    data.pop("signer")
    try:
        data["targets"] = _targets(data, path)
        receipt = Receipt(**data)
    except TypeError as exc:
        raise _refuse(path, "内容不完整。") from exc
    if receipt.decision not in DECISIONS or not all(isinstance(v, str) for v in (
            receipt.package_uuid, receipt.county_code, receipt.period, receipt.data_fingerprint, receipt.issued_at)) \
            or type(receipt.sequence) is not int or not isinstance(receipt.remarks, list) \
            or not all(isinstance(r, str) for r in receipt.remarks) or not isinstance(receipt.county_key, str):
        raise _refuse(path, "内容格式不对。")
    return receipt


def _targets(data: dict[str, Any], path: Path) -> tuple[ReceiptTarget, ...]:
    """The receipt's allocated targets, each checked: for the receipt's county, a known metric, a possible value."""
    raw = data.get("targets", [])
    if (data["format_version"] < 3 and "targets" in data) or not isinstance(raw, list):
        raise _refuse(path, "内容格式不对。")
    if len(raw) > MAX_RECEIPT_TARGETS:
        raise _refuse(path, f"其中的下达目标多达 {len(raw)} 项（最多 {MAX_RECEIPT_TARGETS} 项），不是正常的回执。")
    out: list[ReceiptTarget] = []
    seen: set[object] = set()
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != _TARGET_KEYS or not all(
                isinstance(item[k], str) for k in ("uuid", "scope", "metric")) \
                or not all(type(item[k]) is int for k in ("year", "value")) or not 1 <= len(item["uuid"]) <= 36:
            raise _refuse(path, f"第 {n} 项下达目标的内容格式不对（目标值和年份应为整数）。")
        target = ReceiptTarget(**item)
        if target.scope != data.get("county_code"):
            raise _refuse(path, f"第 {n} 项下达目标是给{target.scope[:12]}的，不是这份回执的县区{data.get('county_code')}。")
        if target.metric not in METRICS:
            raise _refuse(path, f"第 {n} 项下达目标的指标“{target.metric[:40]}”本程序不认识。请先升级本程序。")
        if target.year not in YEARS:
            raise _refuse(path, f"第 {n} 项下达目标的年份 {target.year} 不对。")
        if (problem := value_problem(target.metric, target.value)) is not None:
            raise _refuse(path, f"第 {n} 项下达目标（{target.year}年{metric_label(target.metric)}）：{problem}。")
        if (target.metric, target.year) in seen or target.uuid in seen:
            raise _refuse(path, f"第 {n} 项下达目标（{target.year}年{metric_label(target.metric)}）重复。")
        seen.update(((target.metric, target.year), target.uuid))
        out.append(target)
    return tuple(out)
