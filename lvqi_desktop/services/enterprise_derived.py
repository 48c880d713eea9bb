"""Columns derived from an enterprise's own fields (search keys, size class, latest figures), computed once here."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import fields
from typing import Protocol

from lvqi_desktop.models.search_keys import search_key
from lvqi_desktop.models.size_class import SizeBounds
from lvqi_desktop.models.size_class import classify_size
from lvqi_desktop.models.size_class import derive_size_group
from lvqi_desktop.validation.numbers import FEN_PER_WAN


class YearFigures(Protocol):
    """What the derivation reads from one year: an EnterpriseYear row or any object with these names."""

    @property
    def year(self) -> int: ...
    @property
    def revenue_fen(self) -> int | None: ...
    @property
    def total_assets_fen(self) -> int | None: ...
    @property
    def employees(self) -> int | None: ...


BoundsLookup = Callable[[str], SizeBounds | None]


def size_bounds(rule: object | None) -> SizeBounds | None:
    """The bounds of one size_class_rule row (None stays None)."""
    if rule is None:
        return None
    return SizeBounds(*(getattr(rule, f.name) for f in fields(SizeBounds)))


def computed_size_class(section: str | None, industry_class: str, size_group: str | None,
                        years: Iterable[YearFigures], bounds_for: BoundsLookup) -> str | None:
    """The size class the 300号 rules give from the newest year with figures, or None."""
    group = derive_size_group(section, industry_class) or size_group
    bounds = bounds_for(group) if group else None
    if bounds is None:
        return None
    for year in sorted(years, key=lambda y: y.year, reverse=True):
        revenue = None if year.revenue_fen is None else year.revenue_fen / FEN_PER_WAN
        assets = None if year.total_assets_fen is None else year.total_assets_fen / FEN_PER_WAN
        result = classify_size(bounds, year.employees, revenue, assets)
        if result is not None:
            return result
    return None


@dataclass(frozen=True, slots=True)
class Derived:
    """The derived column values of one enterprise, and the size class the rules alone give."""

    columns: dict[str, object]
    size_class_computed: str | None


def derive(*, name: str, uscc: str, former_names: str, industry_section: str | None, industry_class: str,
           size_group: str | None, size_class_override: str | None, years: Sequence[YearFigures],
           bounds_for: BoundsLookup, name_parts: Sequence[str] | None = None) -> Derived:
    """Every derived column; `name_parts` (pieces that join to `name`) lets bulk callers reuse cached pinyin."""
    initials, pinyin, key = search_key(name, uscc, former_names, name_parts)
    computed = computed_size_class(industry_section, industry_class, size_group, years, bounds_for)
    newest = max(years, key=lambda y: y.year, default=None)
    return Derived({
        "name_initials": initials,
        "name_pinyin": pinyin,
        "search_key": key,
        "size_class": size_class_override or computed,
        "latest_year": newest.year if newest else None,
        "latest_revenue_fen": newest.revenue_fen if newest else None,
        "latest_employees": newest.employees if newest else None,
    }, computed)
