"""Packages and receipts made as an attacker would: each refused in Chinese, the city database byte-identical,
and the county's genuine next package still accepted afterwards."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.keys import canonical
from lvqi_desktop.exchange.keys import new_key_pair
from lvqi_desktop.exchange.sealing import read_cover
from lvqi_desktop.storage import key_store
from tests.exchange.keyring import key_file
from tests.exchange.keyring import pair_for
from tests.services.exchange.conftest import edit_manifest
from tests.services.exchange.conftest import inner_members
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import rezip


def db_bytes(s) -> str:
    """The city database as bytes on disk (file and write-ahead log)."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(str(s.data_dir.database) + suffix)
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def county(tmp_path):
    s = make_county(tmp_path / "county", enterprises=8)
    yield s
    s.db.dispose()


class Usb:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.n = 0

    def folder(self) -> Path:
        self.n += 1
        path = self.root / f"usb{self.n}"
        path.mkdir(parents=True)
        return path


@pytest.fixture
def usb(tmp_path) -> Usb:
    return Usb(tmp_path / "usb")


def send(county, usb: Usb, period: str = "2026Q3") -> Path:
    return county.exchange.export_package(period, usb.folder(), with_returns=False).path


def refused(city, city_x, bad: Path, message: str) -> None:
    """Refused with `message`, nothing written, and nothing in the database changed at all."""
    before = db_bytes(city)
    plan = city_x.dry_run([bad])
    (p,) = plan.counties
    assert p.status == "refused" and any(message in r for r in p.refusals), p.refusals
    assert city_x.apply(plan).applied == []
    assert db_bytes(city) == before


def accepted(city_x, path: Path) -> None:
    plan = city_x.dry_run([path])
    assert plan.counties[0].status == "apply", plan.counties[0].refusals
    assert len(city_x.apply(plan).applied) == 1


def test_a_full_forgery_with_its_own_key_is_refused(tmp_path, county, usb, city, city_x):
    forger = make_county(tmp_path / "forger", enterprises=3, seed=9)  # claims 离石区, fresh UUIDs, its own key
    key_store.save(forger.data_dir, new_key_pair("141102", "离石区", "2026-01-01T00:00:00").to_bytes())
    forged = send(forger, usb)
    forger.db.dispose()
    refused(city, city_x, forged, "签名密钥未在本机登记")
    accepted(city_x, send(county, usb))


def test_an_old_package_relabelled_is_refused_and_does_not_lock_out(county, usb, city, city_x, tmp_path):
    first = send(county, usb)
    accepted(city_x, first)
    second = send(county, usb)
    accepted(city_x, second)
    relabel = {"package_uuid": "00000000-0000-4000-8000-000000000050", "sequence": 50}
    kept_signature = rezip(first, tmp_path / "relabel.lvqi", lambda m: edit_manifest(m, **relabel), sign=False)
    refused(city, city_x, kept_signature, "签名与清单不符")
    stranger = new_key_pair("141102", "离石区", "")
    resigned = rezip(first, tmp_path / "relabel2.lvqi", lambda m: edit_manifest(m, **relabel), signer=stranger)
    refused(city, city_x, resigned, "签名密钥未在本机登记")
    before = db_bytes(city)  # a genuine old package replayed as it is: already imported, nothing written
    assert city_x.dry_run([first]).counties[0].status == "same" and db_bytes(city) == before
    accepted(city_x, send(county, usb))  # the genuine next one is not blocked


def test_a_sequence_jump_or_bytes_changed_after_signing(county, usb, city, city_x, tmp_path):
    genuine = send(county, usb)
    jump = rezip(genuine, tmp_path / "jump.lvqi", lambda m: edit_manifest(m, sequence=99), sign=False)
    refused(city, city_x, jump, "签名与清单不符")
    raw = bytearray(genuine.read_bytes())
    raw[-40] ^= 0x01  # one bit of the encrypted body
    flipped = tmp_path / "flipped.lvqi"
    flipped.write_bytes(bytes(raw))
    refused(city, city_x, flipped, "解密校验失败")
    cover = genuine.read_bytes().replace(b'"period": "2026Q3"', b'"period": "2026Q4"', 1)
    moved = tmp_path / "cover.lvqi"
    moved.write_bytes(cover)  # the cover is authenticated with the body
    refused(city, city_x, moved, "解密校验失败")
    accepted(city_x, genuine)


def test_stripped_or_swapped_signature(county, usb, city, city_x, tmp_path):
    one, two = send(county, usb), send(county, usb)
    stripped = rezip(two, tmp_path / "stripped.lvqi", lambda m: m.pop(SIGNATURE), sign=False)
    refused(city, city_x, stripped, "报送包没有签名")
    other_signature = inner_members(one)[SIGNATURE]
    swapped = rezip(two, tmp_path / "swapped.lvqi", lambda m: m.__setitem__(SIGNATURE, other_signature), sign=False)
    refused(city, city_x, swapped, "签名与清单不符")
    garbage = rezip(two, tmp_path / "garbage.lvqi", lambda m: m.__setitem__(SIGNATURE, "不是签名".encode()),
                    sign=False)
    refused(city, city_x, garbage, "签名格式不对")
    accepted(city_x, two)


def test_a_key_of_another_county(county, usb, city, city_x, tmp_path):
    genuine = send(county, usb)
    wenshui = pair_for("141121", "文水县")  # enrolled, but for 文水县
    borrowed = rezip(genuine, tmp_path / "borrowed.lvqi", lambda m: None, signer=wenshui)
    refused(city, city_x, borrowed, "签名密钥登记给文水县，不能为离石区签名")
    accepted(city_x, genuine)


def test_a_revoked_key_then_re_enrolment(county, usb, city, city_x, tmp_path):
    accepted(city_x, send(county, usb))
    city_keys = city.keys
    city_keys.revoke("141102", "离石区电脑丢失")
    refused(city, city_x, send(county, usb), "作废（离石区电脑丢失）")
    # the county's new laptop: a new key, read aloud by phone, confirmed by the city with a reason
    county_keys = county.keys
    digits = county_keys.renew_own()
    offered = city_keys.offer(county_keys.export_public(usb.folder()))
    assert offered.digits == digits and offered.status == "pending"
    with pytest.raises(LvqiError, match="指纹与待登记的密钥不符"):
        city_keys.confirm("141102", "0000 0000 0000 0000 0000")
    city_keys.confirm("141102", digits.replace(" ", "-"))
    accepted(city_x, send(county, usb))
    states = [(k.office_code, k.status) for k in city_keys.keys() if k.office_code == "141102"]
    assert states == [("141102", "revoked"), ("141102", "active")]
    with city.db.unit_of_work() as uow:  # both recorded in the change history too
        logged = [r for (r,) in uow.session.execute(text(
            "SELECT summary FROM change_record WHERE table_name = 'enrolled_key' ORDER BY id"))]
    assert any("作废离石区的公钥（离石区电脑丢失）" in r for r in logged)
    assert len([r for r in logged if r.startswith("登记离石区的公钥")]) == 2  # first enrolment and the new laptop


def test_a_county_restored_from_an_old_backup_is_told_why(county, usb, city, city_x, tmp_path):
    county.db.dispose()
    saved = tmp_path / "saved.sqlite3"
    shutil.copyfile(county.data_dir.database, saved)
    accepted(city_x, send(county, usb))
    county.db.dispose()
    shutil.copyfile(saved, county.data_dir.database)
    for suffix in ("-wal", "-shm"):
        Path(str(county.data_dir.database) + suffix).unlink(missing_ok=True)
    with county.db.unit_of_work() as uow:  # work done on the restored database
        uow.session.execute(text("UPDATE enterprise SET contact_phone = '0358-1234567' WHERE id = 1"))
        uow.commit()
    again = send(county, usb)  # sequence 1 again, other content
    refused(city, city_x, again, "较旧的报送包")
    refused(city, city_x, send(county, usb), "不是接在本机已接收的序号 1 报送包之后生成的")


def test_receipts_not_from_the_city_are_refused(county, usb, city, city_x, tmp_path):
    x = county.exchange
    made = x.export_package("2026Q3", usb.folder(), with_returns=False)
    accepted(city_x, made.path)
    genuine = city_x.write_receipt(made.manifest.package_uuid, "accepted", [], usb.folder())
    data = json.loads(genuine.read_text(encoding="utf-8"))
    # a receipt rebuilt from the package's manifest and signed by someone else (here: the county's own key)
    forger = pair_for("141102", "离石区")
    body = {k: v for k, v in data.items() if k != "signature"} | {"signer": forger.public.fingerprint}
    forged = tmp_path / "forged.lvqi-receipt"
    forged.write_text(json.dumps(body | {"signature": b64(forger.sign(canonical(body)))}, ensure_ascii=False),
                      encoding="utf-8")
    unsigned = tmp_path / "unsigned.lvqi-receipt"
    unsigned.write_text(json.dumps({k: v for k, v in data.items() if k != "signature"}, ensure_ascii=False),
                        encoding="utf-8")
    for bad, message in ((forged, "不是本机登记的市中心密钥所签"), (unsigned, "没有市中心的签名")):
        with pytest.raises(PackageError, match=message):
            x.import_receipt(bad)
        assert not x.is_period_locked("2026Q3")
    assert "已锁定" in x.import_receipt(genuine) and x.is_period_locked("2026Q3")
    assert data["county_key"] == county.keys.own_digits()  # the digits read aloud, on the receipt


def test_a_stranger_sees_only_the_cover(county, usb, tmp_path):
    path = send(county, usb)
    with county.db.unit_of_work() as uow:
        names = [n for (n,) in uow.session.execute(text("SELECT name FROM enterprise"))]
    raw = path.read_bytes()
    assert not [n for n in names if n.encode() in raw]
    cover = read_cover(path)
    assert (cover.county_code, cover.county_name, cover.period, cover.sequence) == ("141102", "离石区", "2026Q3", 1)
    header = json.loads(raw[12:12 + int.from_bytes(raw[8:12], "big")])
    assert set(header) == {"format", "format_version", "county_code", "county_name", "period", "sequence",
                           "ephemeral", "recipients", "chunk_size", "body_size"}
    stranger = make_county(tmp_path / "stranger", code="141121", name="文水县", enterprises=1)
    with pytest.raises(PackageError, match="不是加密给本机的"):
        stranger.exchange.verify(path)
    stranger.db.dispose()
    assert county.exchange.verify(path).manifest.sequence == 1  # the county re-opens what it sent


def test_enrolment_from_the_first_package_and_the_round_trip(tmp_path, county, usb):
    """A city that knows no county yet: the first package offers the key; digits compared by phone."""
    from tests.conftest import open_services
    from tests.exchange.keyring import give_keys

    city = open_services(county.data_dir.__class__(tmp_path / "fresh-city"))
    city.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    city.forget_office()
    give_keys(city)
    city_x = city.exchange
    package = send(county, usb)
    spoken = county.keys.own_digits()  # what the county reads aloud
    plan = city_x.dry_run([package])
    assert plan.counties[0].status == "refused" and spoken in plan.counties[0].refusals[0]
    offered = city.keys.offer(package)
    assert (offered.office_name, offered.digits, offered.status) == ("离石区", spoken, "pending")
    refused(city, city_x, package, "尚未核对确认")
    city.keys.confirm("141102", spoken.replace(" ", ""))
    accepted(city_x, package)
    stored = next((city.data_dir.root / "packages").rglob("*.lvqi"))
    assert stored.stat().st_mode & 0o077 == 0  # owner-only
    receipt = city_x.write_receipt(city_x.received()[0].package_uuid, "accepted", [], usb.folder())
    assert "已锁定" in county.exchange.import_receipt(receipt)
    city.db.dispose()


def test_a_package_uuid_cannot_choose_where_the_city_writes(county, usb, city, city_x, tmp_path):
    genuine = send(county, usb)
    evil = rezip(genuine, tmp_path / "evil.lvqi",
                 lambda m: edit_manifest(m, package_uuid="/../../../../tmp/evil"))
    refused(city, city_x, evil, "报送包编号不对")
    assert not list(tmp_path.rglob("evil*.lvqi"))[1:]
    accepted(city_x, genuine)


def test_a_county_refuses_a_key_file_that_is_not_the_citys(county, usb):
    wenshui = key_file(pair_for("141121", "文水县"))
    with pytest.raises(LvqiError, match="县区只登记市中心的公钥"):
        county.keys.offer(wenshui)
    tampered = usb.folder() / "t.lvqi-key"
    data = json.loads(key_file(pair_for("141100", "市中心")).read_text(encoding="utf-8"))
    data["office_name"] = "市中心X"
    tampered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackageError, match="与其签名不符"):
        county.keys.offer(tampered)


def test_a_signed_receipt_with_odd_values_is_refused_in_chinese(county, usb, city, city_x, tmp_path):
    x = county.exchange
    made = x.export_package("2026Q3", usb.folder(), with_returns=False)
    accepted(city_x, made.path)
    data = json.loads(city_x.write_receipt(made.manifest.package_uuid, "accepted", [], usb.folder())
                      .read_text(encoding="utf-8"))
    city_key = pair_for("141100", "市中心")
    for change in ({"remarks": [1, None]}, {"sequence": "1"}, {"extra": 1}, {"remarks": "不是列表"}):
        body = {k: v for k, v in data.items() if k != "signature"} | change
        bad = tmp_path / "odd.lvqi-receipt"
        bad.write_text(json.dumps(body | {"signature": b64(city_key.sign(canonical(body)))}, ensure_ascii=False),
                       encoding="utf-8")
        with pytest.raises(PackageError, match="回执"):
            x.import_receipt(bad)
    assert not x.is_period_locked("2026Q3")
