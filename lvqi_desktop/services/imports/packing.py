"""A checked enterprise row kept compactly in an import plan: its values as tuples against shared key tuples."""

from __future__ import annotations

from lvqi_desktop.validation.enterprise import CleanEnterprise
from lvqi_desktop.validation.enterprise import CleanYear

KeyCache = dict[tuple[str, ...], tuple[str, ...]]


class PackedClean:
    """A CleanEnterprise of 100,000 in a plan: one tuple per firm and per year instead of a dict each
    (a dict of 27 values takes about 1.2 KB, the tuple 0.25 KB); `values`/`years` rebuild them on demand."""

    __slots__ = ("_keys", "_values", "_years")

    def __init__(self, clean: CleanEnterprise, keys: KeyCache) -> None:
        values = clean.values
        if values.get("name_key") == values.get("name"):
            values["name_key"] = values["name"]  # one string object for both (most names)
        self._keys = _shared_keys(tuple(values), keys)
        self._values = tuple(values.values())
        self._years = tuple((y.year, _shared_keys(tuple(y.values), keys), tuple(y.values.values()))
                            for y in clean.years)

    @property
    def values(self) -> dict[str, object]:
        return dict(zip(self._keys, self._values, strict=True))

    @property
    def years(self) -> list[CleanYear]:
        return [CleanYear(year, dict(zip(keys, values, strict=True))) for year, keys, values in self._years]

    def value(self, key: str) -> object:
        return self._values[self._keys.index(key)]


def _shared_keys(keys: tuple[str, ...], cache: KeyCache) -> tuple[str, ...]:
    return cache.setdefault(keys, keys)
