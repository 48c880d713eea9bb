"""Receipts: the city writes one per package, the county imports it and the period is locked."""

from __future__ import annotations

import json

import pytest

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import PackageError
from tests.services.exchange.conftest import make_county


@pytest.fixture
def sent(tmp_path, city_x):
    county = make_county(tmp_path / "county", enterprises=8)
    x = county.exchange
    usb = tmp_path / "usb"
    usb.mkdir()
    made = x.export_package("2026Q3", usb, with_returns=False)
    city_x.apply(city_x.dry_run([made.path]))
    yield x, made, usb
    county.db.dispose()


def test_receipt_round_trip_locks_the_period(sent, city_x):
    x, made, usb = sent
    assert not x.is_period_locked("2026Q3")
    path = city_x.write_receipt(made.manifest.package_uuid, "accepted_with_remarks", ["请补充3家企业的联系电话"], usb)
    assert path.name == "吕梁市-离石区-2026Q3-回执-1.lvqi-receipt"
    text = x.import_receipt(path)
    assert "已接收（有意见）" in text and "请补充3家企业的联系电话" in text and "已锁定" in text
    assert x.is_period_locked("2026Q3") and not x.is_period_locked("2026Q4")
    assert x.sent_packages()[0].receipt == "已接收（有意见）"
    with pytest.raises(LvqiError, match="必须填写理由"):
        x.reopen_period("2026Q3", "  ")
    x.reopen_period("2026Q3", "市中心要求补充联系电话")
    assert not x.is_period_locked("2026Q3")
    status = {s.county_code: s for s in city_x.submission_status("2026Q3")}
    assert status["141102"].status == "accepted_with_remarks"
    assert status["141121"].status in ("missing", "not_due") and len(status) == 13


def test_rejected_receipt_does_not_lock(sent, city_x):
    x, made, usb = sent
    with pytest.raises(LvqiError, match="必须写明意见或理由"):
        city_x.write_receipt(made.manifest.package_uuid, "rejected", [], usb)
    path = city_x.write_receipt(made.manifest.package_uuid, "rejected", ["企业数与上期相差过大"], usb)
    assert "退回" in x.import_receipt(path)
    assert not x.is_period_locked("2026Q3")


def test_tampered_or_foreign_receipt_is_refused(sent, city_x, tmp_path):
    x, made, usb = sent
    path = city_x.write_receipt(made.manifest.package_uuid, "accepted", [], usb)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["decision"] = "rejected"
    bad = tmp_path / "bad.lvqi-receipt"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackageError, match="回执的签名不是本机登记的市中心密钥所签"):
        x.import_receipt(bad)
    other = make_county(tmp_path / "other", code="141121", name="文水县", enterprises=2)
    with pytest.raises(PackageError, match="不是本县区"):
        other.exchange.import_receipt(path)
    other.db.dispose()
    assert not x.is_period_locked("2026Q3")
    with pytest.raises(LvqiError, match="本机是离石区"):
        x.write_receipt(made.manifest.package_uuid, "accepted", [], usb)
