"""Keys for tests: one key pair per office for the whole session, enrolled through the real offer/confirm flow."""

from __future__ import annotations

import tempfile
from pathlib import Path

from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import new_key_pair
from lvqi_desktop.exchange.keys import public_key_file
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.exchange.keys import KeyView
from lvqi_desktop.storage import key_store

_PAIRS: dict[str, KeyPair] = {}
_FILES = Path(tempfile.mkdtemp(prefix="lvqi-test-keys-"))


def pair_for(code: str, name: str) -> KeyPair:
    """The session's key pair of one office (made once)."""
    if code not in _PAIRS:
        _PAIRS[code] = new_key_pair(code, name, "2026-01-01T00:00:00")
    return _PAIRS[code]


def all_pairs() -> list[KeyPair]:
    return list(_PAIRS.values())


def key_file(pair: KeyPair) -> Path:
    path = _FILES / f"{pair.public.fingerprint[:16]}.lvqi-key"
    path.write_bytes(public_key_file(pair))
    return path


def trust(s: Services, pair: KeyPair, reason: str = "") -> KeyView:
    """Enrol `pair`'s public key in `s` as an operator would: offer the file, type the digits read aloud."""
    keys = s.keys
    offered = keys.offer(key_file(pair))
    return keys.confirm(offered.office_code, offered.digits, reason)


def give_keys(s: Services) -> None:
    """Install the session's key pair for the office `s` was set up as."""
    info = s.office_info()
    assert info is not None
    key_store.save(s.data_dir, pair_for(info.office_code, "市中心" if info.is_city else info.county_name).to_bytes())


def county_keys(s: Services) -> None:
    """A county with its own keys that has enrolled the city's key."""
    give_keys(s)
    trust(s, pair_for(CITY_CODE, "市中心"))


def city_keys(s: Services) -> None:
    """The city with its own keys that has enrolled every county's key."""
    give_keys(s)
    with s.db.unit_of_work() as uow:
        known = uow.exchange_log.counties()
    for code, name in known.items():
        if code != CITY_CODE:
            trust(s, pair_for(code, name))
