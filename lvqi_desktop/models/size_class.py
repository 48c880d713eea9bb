"""Size class (大/中/小/微) under 工信部联企业〔2011〕300号, and the industry group it is judged in."""

from __future__ import annotations

from dataclasses import dataclass

# Sections whose 300号 group follows from the letter alone.
_SECTION_GROUP = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry",
                  "E": "construction", "L": "leasing"}
AMBIGUOUS_SECTIONS = frozenset("FGHIK")


def derive_size_group(section: str | None, industry_class: str = "") -> str | None:
    """The 300号 group from the GB/T 4754 section and 4-digit class; None when the user must choose."""
    if not section:
        return None
    if section in _SECTION_GROUP:
        return _SECTION_GROUP[section]
    if section not in AMBIGUOUS_SECTIONS:
        return "other"
    division = industry_class[:2] if len(industry_class) >= 2 and industry_class[:2].isdigit() else ""
    if not division:
        return None
    d = int(division)
    if section == "F":
        return "wholesale" if d == 51 else "retail"
    if section == "G":
        return {59: "warehousing", 60: "postal"}.get(d, "transport")
    if section == "H":
        return "lodging" if d == 61 else "catering"
    if section == "I":
        return "software" if d == 65 else "telecom"
    # K: 7010 房地产开发经营, 7020 物业管理, the rest of 70 其他未列明
    return {"7010": "real_estate_dev", "7020": "property_mgmt"}.get(industry_class[:4], "other")


@dataclass(frozen=True)
class SizeBounds:
    """One group's bounds (persons, 万元); None where the measure is not used by that group."""

    e_upper: int | None
    r_upper: int | None
    a_upper: int | None
    e_medium: int | None
    r_medium: int | None
    a_medium: int | None
    e_small: int | None
    r_small: int | None
    a_small: int | None


def _meets(floors: tuple[int | None, int | None, int | None], values: tuple[float, float, float]) -> bool:
    return all(f is None or v >= f for f, v in zip(floors, values, strict=True))


def classify_size(bounds: SizeBounds, employees: int | None, revenue_wan: float | None,
                  assets_wan: float | None) -> str | None:
    """'1' 大型 … '4' 微型, or None when a figure the group needs is missing."""
    needed = ((bounds.e_upper, employees), (bounds.r_upper, revenue_wan), (bounds.a_upper, assets_wan))
    if any(bound is not None and value is None for bound, value in needed):
        return None
    values = (float(employees or 0), float(revenue_wan or 0), float(assets_wan or 0))
    if _meets((bounds.e_upper, bounds.r_upper, bounds.a_upper), values):
        return "1"
    if _meets((bounds.e_medium, bounds.r_medium, bounds.a_medium), values):
        return "2"
    if _meets((bounds.e_small, bounds.r_small, bounds.a_small), values):
        return "3"
    return "4"
