"""Size classes under 工信部联企业〔2011〕300号 and the industry group a firm is judged in."""

from __future__ import annotations

import pytest

from lvqi_desktop.models.size_class import SizeBounds
from lvqi_desktop.models.size_class import classify_size
from lvqi_desktop.models.size_class import derive_size_group

INDUSTRY = SizeBounds(1000, 40000, None, 300, 2000, None, 20, 300, None)
CONSTRUCTION = SizeBounds(None, 80000, 80000, None, 6000, 5000, None, 300, 300)
AGRICULTURE = SizeBounds(None, 20000, None, None, 500, None, None, 50, None)


@pytest.mark.parametrize(("e", "r", "expected"), [
    (1000, 40000, "1"),   # both upper bounds reached: large
    (999, 40000, "2"),    # below one upper bound: an SME; medium floors met
    (300, 2000, "2"),
    (299, 2000, "3"),     # one medium floor missed
    (20, 300, "3"),
    (19, 300, "4"),
    (20, 299, "4"),
])
def test_industry_thresholds(e: int, r: float, expected: str) -> None:
    assert classify_size(INDUSTRY, e, r, None) == expected


def test_construction_uses_revenue_and_assets_not_employees() -> None:
    assert classify_size(CONSTRUCTION, None, 6000, 5000) == "2"
    assert classify_size(CONSTRUCTION, None, 6000, 4999) == "3"
    assert classify_size(CONSTRUCTION, None, 100, 100) == "4"


def test_missing_figure_gives_no_class() -> None:
    assert classify_size(INDUSTRY, None, 5000, None) is None
    assert classify_size(CONSTRUCTION, 10, 6000, None) is None


def test_agriculture_revenue_only() -> None:
    assert classify_size(AGRICULTURE, None, 20000, None) == "1"
    assert classify_size(AGRICULTURE, None, 50, None) == "3"
    assert classify_size(AGRICULTURE, None, 49.99, None) == "4"


@pytest.mark.parametrize(("section", "klass", "group"), [
    ("C", "", "industry"), ("B", "0610", "industry"), ("A", "", "agriculture"), ("E", "", "construction"),
    ("L", "", "leasing"), ("M", "", "other"),
    ("F", "5123", "wholesale"), ("F", "5211", "retail"),
    ("G", "5430", "transport"), ("G", "5990", "warehousing"), ("G", "6010", "postal"),
    ("H", "6110", "lodging"), ("H", "6210", "catering"),
    ("I", "6311", "telecom"), ("I", "6510", "software"),
    ("K", "7010", "real_estate_dev"), ("K", "7020", "property_mgmt"), ("K", "7040", "other"),
])
def test_size_group_from_section_and_class(section: str, klass: str, group: str) -> None:
    assert derive_size_group(section, klass) == group


@pytest.mark.parametrize("section", ["F", "G", "H", "I", "K"])
def test_ambiguous_section_without_class_needs_the_user(section: str) -> None:
    assert derive_size_group(section, "") is None
