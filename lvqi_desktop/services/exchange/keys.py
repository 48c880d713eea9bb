"""Installation keys and enrolment: this office's key pair, and the other side's public keys confirmed by phone.

A county enrols the city's key; the city enrols each county's key. A key is offered (a `.lvqi-key` file, or
for the city the county's first package) and becomes active only when the operator types the 20 digits the
other office reads aloud. Confirming a new key for an office revokes its old one (a reason is required).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.keys import fingerprint_digits
from lvqi_desktop.exchange.keys import key_file_name
from lvqi_desktop.exchange.keys import new_key_pair
from lvqi_desktop.exchange.keys import public_key_file
from lvqi_desktop.exchange.keys import read_public_key_file
from lvqi_desktop.exchange.keys import same_digits
from lvqi_desktop.exchange.keys import unb64
from lvqi_desktop.exchange.reader import read_package
from lvqi_desktop.exchange.sealing import MAGIC
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.models.history import ACTION_BATCH
from lvqi_desktop.models.keys import KEY_ACTIVE
from lvqi_desktop.models.keys import KEY_PENDING
from lvqi_desktop.models.keys import KEY_REVOKED
from lvqi_desktop.models.keys import KEY_STATUS_LABELS
from lvqi_desktop.models.keys import EnrolledKey
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import resource
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.storage import key_store
from lvqi_desktop.storage.unit_of_work import Database

INSTALLER_CITY_KEY = "keys/city.lvqi-key"  # the city's public key, put in resources/ by whoever builds the installer


@dataclass(frozen=True)
class KeyView:
    """One enrolled key as the 数据报送 page and `lvqi key list` show it."""

    office_code: str
    office_name: str
    digits: str
    status: str
    status_label: str
    source: str
    offered_at: str
    confirmed_at: str
    confirmed_by: str
    revoked_at: str
    revoked_reason: str


def _view(row: EnrolledKey) -> KeyView:
    def at(value: datetime | None) -> str:
        return value.isoformat(sep=" ", timespec="minutes") if value else ""

    return KeyView(row.office_code, row.office_name, fingerprint_digits(row.fingerprint), row.status,
                   KEY_STATUS_LABELS.get(row.status, row.status), row.source, at(row.offered_at),
                   at(row.confirmed_at), row.confirmed_by, at(row.revoked_at), row.revoked_reason)


def public_of(row: EnrolledKey) -> PublicKey:
    return PublicKey(row.office_code, row.office_name, unb64(row.sign_key, 32), unb64(row.box_key, 32))


class KeyService:
    def __init__(self, data_dir: DataDir, db: Database, office_info: Callable[[], OfficeInfo | None],
                 now: Callable[[], datetime] = clock.now) -> None:
        self._data_dir = data_dir
        self._db = db
        self._office_info = office_info
        self._now = now

    def _office(self) -> OfficeInfo:
        office = self._office_info()
        if office is None:
            raise LvqiError("本机还没有设置所属单位。请先在“设置”中设置本单位（或运行 lvqi init）。")
        return office

    # ---- this installation's key pair
    def own(self) -> KeyPair:
        """This office's key pair, made (and stored owner-only) on first use or when the office changed."""
        office = self._office()
        raw = key_store.load(self._data_dir)
        try:
            pair = None if raw is None else KeyPair.from_bytes(raw)
        except ValueError as exc:
            raise LvqiError(f"本机密钥文件“{key_store.key_path(self._data_dir)}”已损坏。请在“数据报送”页"
                            "重新生成本机密钥，并请对方重新核对登记。") from exc
        if pair is None or pair.public.office_code != office.office_code:
            pair = new_key_pair(office.office_code, office.county_name if not office.is_city else "市中心",
                                self._now().isoformat(timespec="seconds"))
            key_store.save(self._data_dir, pair.to_bytes())
        return pair

    def renew_own(self) -> str:
        """A new key pair (new laptop policy, or a key that may have leaked); the other side must re-enrol it."""
        office = self._office()
        pair = new_key_pair(office.office_code, office.county_name if not office.is_city else "市中心",
                            self._now().isoformat(timespec="seconds"))
        key_store.save(self._data_dir, pair.to_bytes())
        return pair.public.digits

    def own_digits(self) -> str:
        return self.own().public.digits

    def export_public(self, folder: str | Path) -> Path:
        """Write this office's public key file (`吕梁市-离石区-公钥.lvqi-key`) into `folder`."""
        folder = Path(folder)
        if not folder.is_dir():
            raise LvqiError(f"文件夹“{folder}”不存在，请先插好U盘或选择一个已有的文件夹。")
        pair = self.own()
        path = folder / key_file_name(pair.public.office_name)
        try:
            path.write_bytes(public_key_file(pair))
        except OSError as exc:
            raise LvqiError(f"无法写入“{path}”（错误代码 {exc.errno}），请换一个文件夹或U盘。") from exc
        return path

    # ---- the other side's keys
    def offered_key(self, path: str | Path) -> PublicKey:
        """The key a `.lvqi-key` file, or (at the city) a county's sealed package, offers."""
        path = Path(path)
        try:
            with open(path, "rb") as f:
                sealed = f.read(len(MAGIC)) == MAGIC
        except OSError:
            sealed = False
        if not sealed:
            return read_public_key_file(path)
        plain = io.BytesIO()
        unseal(path, self.own(), plain)
        package = read_package(path, with_records=False, source=plain)
        assert package.signer is not None
        return package.signer

    def offer(self, path: str | Path) -> KeyView:
        """Record the key a file offers as pending (nothing else changes); returns it with its 20 digits."""
        office = self._office()
        key = self.offered_key(path)
        with self._db.unit_of_work() as uow:
            _check_role(office, key, uow.exchange_log.counties())
            row = uow.enrolled_keys.by_fingerprint(key.fingerprint)
            if row is None:
                row = EnrolledKey(office_code=key.office_code, office_name=key.office_name,
                                  fingerprint=key.fingerprint, sign_key=b64(key.sign), box_key=b64(key.box),
                                  status=KEY_PENDING, source=Path(path).name[:200], offered_at=self._now())
                uow.enrolled_keys.add(row)
                uow.commit()
            return _view(row)

    def confirm(self, office_code: str, typed_digits: str, reason: str = "") -> KeyView:
        """Activate the pending key of `office_code` whose digits the operator typed; the office's active key,
        if any, is revoked with `reason` (required then)."""
        reason = reason.strip()
        now, operator = self._now(), self._db.operator
        with self._db.unit_of_work() as uow:
            rows = [r for r in uow.enrolled_keys.all_keys() if r.office_code == office_code]
            pending = [r for r in rows if r.status == KEY_PENDING]
            if not pending:
                raise LvqiError("没有待核对的密钥。请先导入对方的公钥文件（或报送包）。")
            match = next((r for r in pending if same_digits(typed_digits, fingerprint_digits(r.fingerprint))), None)
            if match is None:
                raise LvqiError("输入的指纹与待登记的密钥不符。请再与对方电话逐位核对；如仍不符，"
                                "这个文件可能不是对方给的，不要登记。")
            old = [r for r in rows if r.status == KEY_ACTIVE]
            if old and not reason:
                raise LvqiError(f"{match.office_name}已有登记的密钥；更换密钥必须填写原因（如：换了新电脑、密钥丢失），"
                                "旧密钥将作废，用它签名的报送包不再接收。")
            for r in old:
                r.status, r.revoked_at, r.revoked_by, r.revoked_reason = KEY_REVOKED, now, operator, reason[:500]
            uow.flush()
            match.status, match.confirmed_at, match.confirmed_by = KEY_ACTIVE, now, operator
            summary = f"登记{match.office_name}的公钥（指纹 {fingerprint_digits(match.fingerprint)}，电话核对）"
            if old:
                summary += f"，作废原密钥（{reason[:80]}）"
            uow.history.append_event(ACTION_BATCH, summary, "enrolled_key")
            uow.commit()
            return _view(match)

    def revoke(self, office_code: str, reason: str) -> None:
        """Revoke the office's active key (lost laptop); its packages or receipts are refused from now on."""
        reason = reason.strip()
        if not reason:
            raise LvqiError("作废密钥必须填写原因。")
        with self._db.unit_of_work() as uow:
            row = uow.enrolled_keys.active(office_code)
            if row is None:
                raise LvqiError(f"{office_code} 没有已登记的密钥。")
            row.status, row.revoked_at, row.revoked_by, row.revoked_reason = (
                KEY_REVOKED, self._now(), self._db.operator, reason[:500])
            uow.history.append_event(ACTION_BATCH, f"作废{row.office_name}的公钥（{reason[:120]}）", "enrolled_key")
            uow.commit()

    def keys(self) -> list[KeyView]:
        with self._db.unit_of_work() as uow:
            return [_view(r) for r in uow.enrolled_keys.all_keys()]

    def active_key(self, office_code: str) -> PublicKey | None:
        with self._db.unit_of_work() as uow:
            row = uow.enrolled_keys.active(office_code)
            return None if row is None else public_of(row)

    def installer_city_key(self) -> KeyView | None:
        """County side: the city's key shipped with the installer, offered (pending) so the operator only has to
        compare its digits with the city by phone; None when the installer carries none."""
        office = self._office()
        try:
            path = resource(INSTALLER_CITY_KEY)
        except FileNotFoundError:
            return None
        return None if office.is_city else self.offer(path)

    def city_key(self) -> PublicKey:
        """County side: the city's confirmed key (packages are encrypted to it, receipts verified with it)."""
        key = self.active_key(CITY_CODE)
        if key is None and (shipped := self.installer_city_key()) is not None and shipped.status == KEY_PENDING:
            raise LvqiError(f"安装程序附带了市中心的公钥（指纹 {shipped.digits}），但还没有核对。请与市中心电话核对"
                            "这串数字后，在“数据报送”页的“密钥登记…”中确认（或 lvqi key confirm --office 141100）。")
        if key is None:
            raise LvqiError("本机还没有登记市中心的公钥。请把市中心提供的公钥文件（吕梁市-市中心-公钥.lvqi-key）"
                            "在“数据报送”页的“密钥登记…”中导入，并与市中心电话核对指纹后确认。")
        return key


def _check_role(office: OfficeInfo, key: PublicKey, counties: dict[str, str]) -> None:
    """The city enrols counties' keys; a county enrols only the city's key."""
    if office.is_city:
        if key.office_code == CITY_CODE:
            raise LvqiError("这是市中心自己的公钥，市中心只登记各县区的公钥。")
        if counties.get(key.office_code) != key.office_name:
            raise LvqiError(f"公钥所称的县区（{key.office_name}，代码 {key.office_code}）不是吕梁市的县（市、区）。")
    elif key.office_code != CITY_CODE:
        raise LvqiError(f"这是{key.office_name}的公钥；县区只登记市中心的公钥。")
