"""Fixtures for package tests: a county office with records, a city office, and state snapshots."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lvqi_desktop.exchange.format import MANIFEST
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.activity_demo import generate_activity
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.exchange import ExchangeService, exchange_service
from lvqi_desktop.storage.exchange_records import travelling_tables
from tests.conftest import open_services

COUNTY = "141102"


def make_county(root: Path, code: str = COUNTY, name: str = "离石区", enterprises: int = 40,
                seed: int = 1) -> Services:
    s = open_services(DataDir(root))
    s.office.set_up("county", code, f"吕梁市{name}中小企业服务中心", "张三")
    s.forget_office()
    s.demo.generate(enterprises, seed=seed)
    generate_activity(s.db, s.office_code, helpers=5, assignments=20, visits=30, demands=15, seed=seed)
    return s


def make_city(root: Path) -> Services:
    s = open_services(DataDir(root))
    s.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    s.forget_office()
    return s


def db_state(s: Services) -> dict[str, Any]:
    """Row counts of every table plus the merged records' content: what 'unchanged' means."""
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


def rezip(src: Path, dst: Path, mutate: Callable[[dict[str, bytes]], None]) -> Path:
    """Copy a package member by member, letting `mutate` change the {name: bytes} mapping first."""
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    mutate(members)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


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
    made = exchange_service(s).export_package("2026Q3", out, with_returns=False)
    s.db.dispose()
    return root / "data", made.path


@pytest.fixture
def city(tmp_path: Path):
    s = make_city(tmp_path / "city")
    yield s
    s.db.dispose()


@pytest.fixture
def city_x(city: Services) -> ExchangeService:
    return exchange_service(city)


__all__ = ["travelling_tables"]
