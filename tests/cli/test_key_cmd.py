"""`lvqi key …` end to end: a county and the city that know nothing of each other enrol each other's keys."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import run_lvqi as run


def test_two_offices_enrol_each_other_by_the_command_line(tmp_path, capsys):
    county, city, usb = tmp_path / "county", tmp_path / "city", tmp_path / "usb"
    usb.mkdir()
    assert run(county, capsys, "init", "--county", "141102")[0] == 0
    code, out, _ = run(city, capsys, "init", "--city", "--format", "json")
    city_digits = json.loads(out)["key_digits"]
    code, _out, err = run(county, capsys, "package", "export", "--period", "2026Q3", "--out", str(usb), "--no-returns")
    assert code == 1 and "还没有登记市中心的公钥" in err and not list(usb.iterdir())

    code, out, _ = run(city, capsys, "key", "export", "--out", str(usb))
    key_file = out.splitlines()[0]
    assert code == 0 and key_file.endswith("吕梁市-市中心-公钥.lvqi-key") and city_digits in out
    code, out, _ = run(county, capsys, "key", "offer", key_file, "--format", "json")
    assert code == 0 and json.loads(out)["status"] == "pending" and json.loads(out)["digits"] == city_digits
    code, _out, err = run(county, capsys, "key", "confirm", "--office", "141100", "--digits", "1234")
    assert code == 1 and "指纹与待登记的密钥不符" in err
    assert run(county, capsys, "key", "confirm", "--office", "141100", "--digits", city_digits)[0] == 0

    code, out, err = run(county, capsys, "package", "export", "--period", "2026Q3", "--out", str(usb), "--no-returns")
    assert code == 0, err
    package = out.strip()
    code, out, _ = run(city, capsys, "package", "import", package, "--dry-run")
    assert code == 1 and "签名密钥未在本机登记" in out
    county_digits = re.search(r"\d{4}( \d{4}){4}", run(county, capsys, "key", "show")[1]).group()
    code, out, _ = run(city, capsys, "key", "offer", package)
    assert code == 0 and county_digits in out and "离石区" in out
    assert run(city, capsys, "key", "confirm", "--office", "141102", "--digits", county_digits)[0] == 0
    code, out, _ = run(city, capsys, "package", "import", package)
    assert code == 0 and "已导入 1 个报送包" in out
    code, out, _ = run(city, capsys, "key", "list", "--format", "json")
    assert [(k["office_code"], k["status"]) for k in json.loads(out)["items"]] == [("141102", "active")]


def test_the_citys_key_shipped_with_the_installer_still_needs_the_phone_check(tmp_path, capsys, monkeypatch):
    from lvqi_desktop.services.exchange import keys as keys_module
    from tests.exchange.keyring import key_file
    from tests.exchange.keyring import pair_for

    city = pair_for("141100", "市中心")
    monkeypatch.setattr(keys_module, "resource", lambda relative: key_file(city))
    county = tmp_path / "county"
    assert run(county, capsys, "init", "--county", "141102")[0] == 0
    code, _out, err = run(county, capsys, "package", "export", "--period", "2026Q3", "--out", str(tmp_path),
                          "--no-returns")
    assert code == 1 and "安装程序附带了市中心的公钥" in err and city.public.digits in err
    assert run(county, capsys, "key", "confirm", "--office", "141100", "--digits", city.public.digits)[0] == 0
    code, _out, err = run(county, capsys, "package", "export", "--period", "2026Q3", "--out", str(tmp_path),
                          "--no-returns")
    assert code == 0, err
