"""Fixtures for package tests: a county office with records, a city office, and state snapshots."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy import text

from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.exchange.format import SIGNATURE
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.sealing import Cover
from lvqi_desktop.exchange.sealing import read_cover
from lvqi_desktop.exchange.sealing import seal
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demo.activity import generate_activity
from lvqi_desktop.services.exchange.service import ExchangeService
from lvqi_desktop.storage.exchange_records import travelling_tables
from tests.conftest import Backend
from tests.conftest import open_services
from tests.exchange.keyring import all_pairs
from tests.exchange.keyring import city_keys
from tests.exchange.keyring import county_keys
from tests.exchange.keyring import pair_for

COUNTY = "141102"


def make_county(root: Path, code: str = COUNTY, name: str = "离石区", enterprises: int = 40,
                seed: int = 1) -> Services:
    s = open_services(DataDir(root))
    s.office.set_up("county", code, f"吕梁市{name}中小企业服务中心", "张三")
    s.forget_office()
    county_keys(s)
    s.demo.generate(enterprises, seed=seed)
    generate_activity(s.db, s.office_code, helpers=5, assignments=20, visits=30, demands=15, seed=seed)
    return s


def make_city(root: Path, backend: Backend | None = None) -> Services:
    s = open_services(backend.data_dir(root) if backend else DataDir(root))
    s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    s.forget_office()
    city_keys(s)
    return s


def db_state(s: Services) -> dict[str, Any]:
    """Row counts of every table plus the merged records' content: what 'unchanged' means (either engine)."""
    if s.data_dir.server:
        with s.db.engine.connect() as conn:
            names = inspect(conn).get_table_names()
            rows = {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names}
            entries = [r[0] for r in conn.execute(text("SELECT entries FROM origin_map"))]
        return {**rows, "origins": sorted(line for e in entries for line in e.split("\n"))}
    conn = sqlite3.connect(s.data_dir.database)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        state: dict[str, Any] = {n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}
        state["origins"] = sorted(line for (text,) in conn.execute("SELECT entries FROM origin_map")
                                  for line in text.split("\n"))
        return state
    finally:
        conn.close()


def city_pair() -> KeyPair:
    return pair_for(CITY_CODE, "市中心")


def inner_members(path: Path, pair: KeyPair | None = None) -> dict[str, bytes]:
    """The members of the signed ZIP inside a sealed package, opened with the city's key (or `pair`)."""
    plain = io.BytesIO()
    unseal(path, pair or city_pair(), plain)
    with zipfile.ZipFile(plain) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def seal_members(members: dict[str, bytes], dst: Path, cover: Cover, recipients: list[KeyPair]) -> Path:
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with open(dst, "wb") as f:
        seal(plain.getvalue(), f, cover, [r.public for r in recipients])
    return dst


def opened(path: Path, **kwargs: Any):
    """`read_package` of a sealed package, opened with the city's key."""
    from lvqi_desktop.exchange.reader import read_package

    plain = io.BytesIO()
    unseal(path, city_pair(), plain)
    return read_package(path, source=plain, **kwargs)


def unsealed_file(path: Path, dst: Path) -> Path:
    """The signed ZIP inside a sealed package, as a plain file (what the dry run's helper process reads)."""
    with open(dst, "wb") as out:
        unseal(path, city_pair(), out)
    return dst


def rezip(src: Path, dst: Path, mutate: Callable[[dict[str, bytes]], None], signer: KeyPair | None = None,
          sign: bool = True) -> Path:
    """Copy a package member by member, letting `mutate` change the {name: bytes} mapping first; the manifest
    is signed again by `signer` (default: the session key of the county it names, i.e. a county that sends
    bad data, or an attacker holding its key) and the whole sealed again to the city and the signer."""
    members = inner_members(src)
    mutate(members)
    cover = read_cover(src)
    try:
        m = json.loads(members[MANIFEST])
        cover = Cover(str(m["county_code"]), str(m["county_name"]), str(m["period"]), int(m["sequence"]))
    except (KeyError, ValueError, TypeError):
        m = None
    if signer is None:  # the session key the manifest names
        signer = next((p for p in all_pairs() if m and p.public.body() == m.get("signer")), pair_for(COUNTY, "离石区"))
    elif m is not None:
        m["signer"] = signer.public.body()
        members[MANIFEST] = json.dumps(m, ensure_ascii=False).encode()
    if sign and MANIFEST in members:
        members[SIGNATURE] = b64(signer.sign(members[MANIFEST])).encode()
    return seal_members(members, dst, cover, [city_pair(), signer])


def edit_manifest(members: dict[str, bytes], **changes: Any) -> None:
    m = json.loads(members[MANIFEST])
    m.update(changes)
    members[MANIFEST] = json.dumps(m, ensure_ascii=False).encode()


@pytest.fixture(scope="session")
def county_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One county (离石区, 40 enterprises with activity) and its 2026Q3 package (no returns), made once."""
    root = tmp_path_factory.mktemp("county")
    s = make_county(root / "data")
    out = root / "usb"
    out.mkdir()
    made = s.exchange.export_package("2026Q3", out, with_returns=False)
    s.db.dispose()
    return root / "data", made.path


@pytest.fixture
def city(tmp_path: Path):
    s = make_city(tmp_path / "city")
    yield s
    s.db.dispose()


@pytest.fixture
def city_on(tmp_path: Path, backend: Backend):
    """The city office on each engine: a SQLite file, then the PostgreSQL server (a module that wants both
    overrides `city` with this)."""
    s = make_city(tmp_path / "city", backend)
    yield s
    s.db.dispose()


@pytest.fixture
def city_x(city: Services) -> ExchangeService:
    return city.exchange


__all__ = ["travelling_tables"]
