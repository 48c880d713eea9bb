"""City side: whether a package's signature comes from the county's enrolled key and extends what was accepted."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lvqi_desktop import atomic_files
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.reader import Package
from lvqi_desktop.exchange.sealing import Cover
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.models.keys import KEY_PENDING
from lvqi_desktop.models.keys import KEY_REVOKED
from lvqi_desktop.storage.enrolled_keys import EnrolledKeys


def unseal_to(path: Path, pair: KeyPair, folder: Path) -> tuple[Cover, Path]:
    """Decrypt the sealed file into an owner-only file in `folder` (a private temporary folder)."""
    fd, name = tempfile.mkstemp(prefix="open-", suffix=".zip", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            cover = unseal(path, pair, out)
    except BaseException:
        atomic_files.discard(name)  # retried while antivirus holds the new file
        raise
    return cover, Path(name)


def cover_mismatch(cover: Cover, pkg: Package) -> str | None:
    m = pkg.manifest
    if (cover.county_code, cover.county_name, cover.period, cover.sequence) != (
            m.county_code, m.county_name, m.period, m.sequence):
        return "封面上的县区、期别或序号与签名的清单不符（文件被改动过）"
    return None


def signer_refusal(keys: EnrolledKeys, pkg: Package) -> str | None:
    """Why the package's signing key may not speak for its county (None when it may)."""
    m, key = pkg.manifest, pkg.signer
    assert key is not None
    row = keys.by_fingerprint(key.fingerprint)
    how = "请与县区电话核对指纹，在“数据报送”页“密钥登记…”中导入其公钥文件（或本报送包）并确认后再导入"
    if row is None:
        return f"签名密钥未在本机登记（{key.office_name}，指纹 {key.digits}）。{how}"
    if row.office_code != m.county_code or key.office_code != m.county_code:
        return f"签名密钥登记给{row.office_name}，不能为{m.county_name}签名（可能是伪造的报送包）"
    if row.status == KEY_REVOKED:
        when = row.revoked_at.date().isoformat() if row.revoked_at else ""
        return f"签名密钥已于 {when} 作废（{row.revoked_reason}），用它签名的报送包不再接收"
    if row.status == KEY_PENDING:
        return f"签名密钥（指纹 {key.digits}）尚未核对确认。{how}"
    return None


def chain_problem(keys: EnrolledKeys, pkg: Package) -> tuple[str | None, str | None]:
    """(refusal, warning) from the manifest's earlier packages against the newest accepted under the same key."""
    m = pkg.manifest
    assert pkg.signer is not None
    last = keys.last_signed(m.county_code, pkg.signer.fingerprint)
    if last is None or m.sequence <= last.sequence:  # first under this key, or refused as older elsewhere
        return None, None
    earlier = dict(m.previous)
    if earlier.get(last.sequence) == last.fingerprint:
        return None, None
    if last.sequence in earlier or (earlier and min(earlier) < last.sequence):
        return (f"该包不是接在本机已接收的序号 {last.sequence} 报送包之后生成的（县区的报送记录与本机不一致，"
                "可能从较旧的备份恢复过数据）。请县区核实；确需如此，县区应在“数据报送”页重新生成本机密钥，"
                "经电话核对后由市中心重新登记"), None
    if not earlier or max(earlier) < last.sequence:
        return (f"该包没有列出本机已接收的序号 {last.sequence} 报送包（县区的报送记录与本机不一致，"
                "可能从较旧的备份恢复过数据）。请县区核实"), None
    return None, (f"县区在序号 {last.sequence} 之后还生成过 {m.sequence - last.sequence - 1} 个报送包未送达本机；"
                  "本包是完整数据，照常导入")
