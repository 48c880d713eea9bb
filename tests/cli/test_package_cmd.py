"""`lvqi package …` end to end: county export, city dry run / import / status, receipt both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import run_lvqi as run
from tests.services.exchange.conftest import make_city
from tests.services.exchange.conftest import make_county


def test_package_commands(tmp_path, capsys):
    county_root, city_root, usb = tmp_path / "county", tmp_path / "city", tmp_path / "usb"
    make_county(county_root, enterprises=6).db.dispose()
    make_city(city_root).db.dispose()
    usb.mkdir()

    code, out, err = run(county_root, capsys, "package", "export", "--period", "2026Q3", "--out", str(usb),
                         "--no-returns")
    assert code == 0, err
    package = Path(out.strip())
    assert package.name == "吕梁市-离石区-2026Q3-数据报送包.lvqi" and package.exists()
    assert "可以安全拔出U盘" in err

    code, out, _ = run(city_root, capsys, "package", "verify", str(package), "--format", "json")
    assert code == 0 and json.loads(out)["county_code"] == "141102"

    code, out, _ = run(city_root, capsys, "package", "import", str(package), "--dry-run", "--format", "json")
    plan = json.loads(out)
    assert code == 0 and plan["dry_run"] and plan["packages"][0]["status"] == "apply"
    assert plan["packages"][0]["counts"]["enterprise"]["new"] == 6

    code, out, _ = run(city_root, capsys, "package", "import", str(package))
    assert code == 0 and "已导入 1 个报送包" in out
    code, out, _ = run(city_root, capsys, "package", "import", str(package))
    assert code == 0 and "已导入过" in out and "未作任何更改" in out

    bad = tmp_path / "bad.lvqi"
    bad.write_text("not a zip", encoding="utf-8")
    code, out, _ = run(city_root, capsys, "package", "import", str(bad), "--format", "json")
    assert code == 1 and "这不是吕企台账的报送包" in json.loads(out)["packages"][0]["refusals"][0]
    code, _out, err = run(city_root, capsys, "package", "verify", str(bad))
    assert code == 1 and "错误" in err and "这不是吕企台账的报送包" in err

    code, out, _ = run(city_root, capsys, "package", "status", "--period", "2026Q3", "--format", "json")
    status = {i["county_code"]: i for i in json.loads(out)["items"]}
    assert status["141102"]["status"] == "received"

    code, out, err = run(city_root, capsys, "package", "receipt", "write", str(package), "--decision", "accepted",
                         "--out", str(usb))
    assert code == 0, err
    receipt = Path(out.strip())
    code, out, err = run(county_root, capsys, "package", "receipt", "import", str(receipt))
    assert code == 0 and "已锁定" in out, err
    code, out, _ = run(county_root, capsys, "package", "sent", "--format", "json")
    assert json.loads(out)["items"][0]["receipt"] == "已接收"
    code, _out, err = run(county_root, capsys, "package", "import", str(package))
    assert code == 1 and "只有市中心可以导入报送包" in err


@pytest.mark.parametrize("args", [["package"], ["package", "export", "--out", "x"]])
def test_usage_errors(tmp_path, capsys, args):
    assert run(tmp_path, capsys, *args)[0] == 2
