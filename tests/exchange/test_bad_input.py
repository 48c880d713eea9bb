"""Every bad package is refused with a specific Chinese message and the city database is unchanged."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange import reader
from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.format import data_fingerprint
from lvqi_desktop.exchange.format import sha256_hex
from tests.services.exchange.conftest import db_state
from tests.services.exchange.conftest import edit_manifest
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import rezip
from tests.services.exchange.conftest import unsealed_file


def resigned(src: Path, dst: Path, mutate) -> Path:
    """Change members, then recompute every checksum and the fingerprint so only `mutate`'s fault remains."""
    def go(members: dict[str, bytes]) -> None:
        mutate(members)
        m = json.loads(members[MANIFEST])
        m["members"] = {n: sha256_hex(d) for n, d in members.items() if n not in (MANIFEST, SIGNATURE)}
        m["data_fingerprint"] = data_fingerprint(m["members"])
        members[MANIFEST] = json.dumps(m, ensure_ascii=False).encode()
    return rezip(src, dst, go)


def lines(members: dict[str, bytes], table: str) -> list[dict]:
    return [json.loads(x) for x in members[f"data/{table}.jsonl"].decode().splitlines()]


def put(members: dict[str, bytes], table: str, rows: list[dict]) -> None:
    members[f"data/{table}.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def _dup(members):
    rows = lines(members, "enterprise")
    put(members, "enterprise", rows + [dict(rows[0], name="另一家")])
    edit_manifest(members, counts={**json.loads(members[MANIFEST])["counts"], "enterprise": len(rows) + 1})


def _bad_uscc(members):
    rows = lines(members, "enterprise")
    rows[0]["uscc"] = "123"
    rows[1]["name"] = ""
    put(members, "enterprise", rows)


def _other_county(members):
    rows = lines(members, "enterprise")
    rows[0]["county_code"] = "141121"
    put(members, "enterprise", rows)


def _tamper(members):
    rows = lines(members, "enterprise")
    rows[0]["name"] = "篡改后的名称有限公司"
    put(members, "enterprise", rows)  # checksum in the manifest left as it was


CASES = {
    "checksum": (lambda s, d: rezip(s, d, _tamper), "校验值与清单不符"),
    "no_manifest": (lambda s, d: rezip(s, d, lambda m: m.pop(MANIFEST)), "缺少清单文件 manifest.json"),
    "unlisted": (lambda s, d: rezip(s, d, lambda m: m.__setitem__("returns/extra.pdf", b"%PDF")),
                 "清单未列出的文件：returns/extra.pdf"),
    "missing_member": (lambda s, d: rezip(s, d, lambda m: m.pop("data/visit.jsonl")),
                       "清单列出的文件不在包内：data/visit.jsonl"),
    "newer_format": (lambda s, d: rezip(s, d, lambda m: edit_manifest(m, format_version=99)),
                     "格式版本（99）比本程序能读的（2）新"),
    "dotdot": (lambda s, d: rezip(s, d, lambda m: m.__setitem__("../evil.txt", b"x")), "含有“..”或绝对路径"),
    "absolute": (lambda s, d: rezip(s, d, lambda m: m.__setitem__("/etc/evil", b"x")), "含有“..”或绝对路径"),
    "duplicate_uuid": (lambda s, d: resigned(s, d, _dup), "重复出现"),
}

PLAN_CASES = {
    "own_office": (lambda s, d: resigned(s, d, lambda m: edit_manifest(m, county_code="141100", county_name="吕梁市")),
                   "签名密钥登记给离石区，不能为吕梁市签名"),
    "county_name": (lambda s, d: resigned(s, d, lambda m: edit_manifest(m, county_name="文水县")),
                    "县区名称“文水县”与县区代码 141102（离石区）不符"),
    "records_other_county": (lambda s, d: resigned(s, d, _other_county), "属于县区代码 141121，与报送包的县区 141102 不符"),
    "validation": (lambda s, d: resigned(s, d, _bad_uscc), "未通过企业库校验"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_by_reader(case, county_package, city, city_x, tmp_path):
    make, message = CASES[case]
    bad = make(county_package[1], tmp_path / f"{case}.lvqi")
    before = db_state(city)
    with pytest.raises(PackageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        city_x.verify(bad)
    plan = city_x.dry_run([bad])
    assert plan.counties[0].status == "refused" and message in plan.counties[0].refusals[0]
    assert "数据库未作任何更改" in plan.counties[0].refusals[0]
    assert city_x.apply(plan).applied == []
    assert db_state(city) == before


@pytest.mark.parametrize("case", sorted(PLAN_CASES))
def test_refused_by_dry_run(case, county_package, city, city_x, tmp_path):
    make, message = PLAN_CASES[case]
    bad = make(county_package[1], tmp_path / f"{case}.lvqi")
    city_x.verify(bad)  # the file itself is sound
    before = db_state(city)
    plan = city_x.dry_run([bad])
    (p,) = plan.counties
    assert p.status == "refused"
    assert any(message in r for r in p.refusals), p.refusals
    assert city_x.apply(plan).applied == []
    assert db_state(city) == before


def test_each_failing_record_is_reported(county_package, city_x, tmp_path):
    bad = resigned(county_package[1], tmp_path / "v.lvqi", _bad_uscc)
    refusals = city_x.dry_run([bad]).counties[0].refusals
    assert len([r for r in refusals if "未通过企业库校验" in r]) == 2


def test_not_a_zip_and_truncated(county_package, city, city_x, tmp_path):
    before = db_state(city)
    text = tmp_path / "text.lvqi"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(PackageError, match="这不是吕企台账的报送包"):
        city_x.verify(text)
    raw = county_package[1].read_bytes()
    cut = tmp_path / "cut.lvqi"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(PackageError, match="被截断"):
        city_x.verify(cut)
    plan = city_x.dry_run([text, cut])
    assert [c.status for c in plan.counties] == ["refused", "refused"]
    assert db_state(city) == before


def test_zip_bomb_declared_and_streamed(county_package, city, city_x, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.lvqi"
    rezip(county_package[1], bomb, lambda m: m.__setitem__("data/enterprise.jsonl", b"\n" * (3 * 1024 * 1024)))
    assert bomb.stat().st_size < 200_000
    monkeypatch.setattr(reader, "MAX_MEMBER_BYTES", 1024 * 1024)
    before = db_state(city)
    with pytest.raises(PackageError, match="超出允许的大小"):
        city_x.verify(bomb)
    with zipfile.ZipFile(unsealed_file(bomb, tmp_path / "bomb.zip")) as zf:  # a header that lies about the size is caught while streaming
        info = zf.getinfo("data/enterprise.jsonl")
        with pytest.raises(PackageError, match="超出允许的大小"):
            reader._read_member(zf, info, 64 * 1024, bomb)
    assert db_state(city) == before


def test_county_installation_cannot_import(tmp_path, county_package):
    county = make_county(tmp_path / "c2", enterprises=3)
    with pytest.raises(LvqiError, match="只有市中心可以导入报送包"):
        county.exchange.dry_run([county_package[1]])
    county.db.dispose()
