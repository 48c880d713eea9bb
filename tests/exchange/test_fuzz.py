"""Random mutations of a real package, bounded (2,000 cases or 150 s): the city never ends in a traceback.

Half the cases change bytes of the sealed file (the envelope must refuse them); the other half change what is
inside and are signed again with the county's genuine key (the worst case: a buggy county program or a stolen
key), so the reader, the signature, the shape checks and the dry run all meet hostile values.
"""

from __future__ import annotations

import json
import random
import time

import pytest

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.format import data_fingerprint
from lvqi_desktop.exchange.format import sha256_hex
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.sealing import read_cover
from tests.exchange.keyring import pair_for
from tests.exchange.test_hostile import db_bytes
from tests.services.exchange.conftest import city_pair
from tests.services.exchange.conftest import inner_members
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import seal_members

CASES, SECONDS = 2000, 150.0
HOSTILE = [None, "", 0, -1, 10**30, -(10**30), 1.5, float("nan"), True, [], {}, "\x00", "\t", "a\nb", "\u202e",
           "\ufeff", "9" * 3000, "二〇二五", "三千万", "2026-13-01", "2026-02-30", "../../x", "/etc/passwd",
           "00000000-0000-0000-0000-000000000000", "x" * 37, {"a": [1, {"b": None}]}, "🙂" * 50]
RAW = ['"\\ud800"', '"\\udfff x"', "1e999", "-0", "[" * 5000 + "]" * 5000, '"\\u0000"', "123456789012345678901234567890"]


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    county = make_county(root / "county", enterprises=6, seed=18)
    usb = root / "usb"
    usb.mkdir()
    path = county.exchange.export_package("2026Q3", usb, with_returns=False).path
    county.db.dispose()
    return path


def _mutate_record(rng: random.Random, members: dict[str, bytes]) -> None:
    names = sorted(n for n in members if n.startswith("data/") and members[n])
    name = rng.choice(names)
    lines = members[name].decode().splitlines()
    n = rng.randrange(len(lines))
    action = rng.random()
    try:
        record = json.loads(lines[n])  # an earlier mutation may have broken this line already
    except ValueError:
        record = None
    if action < 0.6 and isinstance(record, dict):
        key = rng.choice(sorted(record) + ["evil_key"])
        if rng.random() < 0.75:
            record[key] = rng.choice(HOSTILE)
            lines[n] = json.dumps(record, ensure_ascii=False)
        else:
            record[key] = "@@RAW@@"
            lines[n] = json.dumps(record, ensure_ascii=False).replace('"@@RAW@@"', rng.choice(RAW))
    elif action < 0.7:
        del lines[n]
    elif action < 0.8:
        lines.append(lines[n])
    elif action < 0.9:
        lines[n] = rng.choice(['{"uuid": 5}', "[]", "null", "{", '{"uuid": "' + "a" * 36 + '"}', "\x00"])
    else:
        lines[n] = lines[n][: rng.randrange(len(lines[n]))]
    members[name] = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8", "surrogatepass")


def _mutate_manifest(rng: random.Random, members: dict[str, bytes]) -> None:
    try:
        m = json.loads(members[MANIFEST])
    except ValueError:
        return
    if not isinstance(m, dict):
        return
    key = rng.choice(sorted(m))
    m[key] = rng.choice(HOSTILE + [m.get(key)])
    members[MANIFEST] = json.dumps(m, ensure_ascii=False).encode()


def _inner_case(rng: random.Random, base: dict[str, bytes], dst, county) -> None:
    members = dict(base)
    for _ in range(rng.randint(1, 3)):
        (_mutate_record if rng.random() < 0.8 else _mutate_manifest)(rng, members)
    if rng.random() < 0.8:  # usually the checksums are made to agree, so the records themselves are read
        try:
            m = json.loads(members[MANIFEST])
            m["members"] = {n: sha256_hex(d) for n, d in members.items() if n not in (MANIFEST, SIGNATURE)}
            m["data_fingerprint"] = data_fingerprint(m["members"])
            members[MANIFEST] = json.dumps(m, ensure_ascii=False).encode()
        except (ValueError, TypeError, AttributeError):
            pass
    members[SIGNATURE] = b64(county.sign(members[MANIFEST])).encode()
    seal_members(members, dst, read_cover(dst.parent / "genuine.lvqi"), [city_pair(), county])


def _outer_case(rng: random.Random, raw: bytes, dst) -> None:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        kind, at = rng.random(), rng.randrange(len(data))
        if kind < 0.5:
            data[at] ^= 1 << rng.randrange(8)
        elif kind < 0.7:
            del data[at:at + rng.randint(1, 64)]
        elif kind < 0.85:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data = data[:at]
    dst.write_bytes(bytes(data or b"x"))


def test_random_mutations_never_end_in_a_traceback(genuine, city, city_x, tmp_path):
    county = pair_for("141102", "离石区")
    (tmp_path / "genuine.lvqi").write_bytes(genuine.read_bytes())
    base, raw = inner_members(genuine), genuine.read_bytes()
    rng, started, before = random.Random(18), time.monotonic(), db_bytes(city)
    done, outcomes, applied = 0, {"refused": 0, "apply": 0, "same": 0}, []
    while done < CASES and time.monotonic() - started < SECONDS:
        dst = tmp_path / f"case{done % 8}.lvqi"
        if done % 2:
            _outer_case(rng, raw, dst)
        else:
            _inner_case(rng, base, dst, county)
        try:
            plan = city_x.dry_run([dst])
        except LvqiError:  # a Chinese message for the whole action is fine; anything else is a traceback
            outcomes["refused"] += 1
        else:
            (p,) = plan.counties
            outcomes[p.status] += 1
            assert all(isinstance(r, str) and r for r in p.refusals)
            if p.status == "apply" and not applied:
                applied.append(plan)
        done += 1
    assert db_bytes(city) == before  # a dry run never writes
    for plan in applied:  # what passed every check goes in without a traceback
        assert len(city_x.apply(plan).applied) == 1
    assert done >= 500, f"only {done} cases in {SECONDS} s"
    assert outcomes["refused"] > done // 2, outcomes
    print(f"fuzz: {done} cases in {time.monotonic() - started:.0f} s: {outcomes}")
