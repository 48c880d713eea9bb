"""A county record saved before a check got stricter does not hold up the county's whole package."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.services.exchange.package_import import check_enterprise
from tests.conftest import make_uscc


def _record(**changes) -> dict:
    return {"uscc": make_uscc(seed=41), "name": "吕梁旧数据有限公司", "county_code": "141102",
            "industry_section": "F", "industry_class": "3311", **changes}


def test_an_old_class_outside_its_section_is_taken_but_other_refusals_stay() -> None:
    assert check_enterprise(_record(), "141102", date(2026, 11, 26)) == []
    [problem] = check_enterprise(_record(name=""), "141102", date(2026, 11, 26))
    assert "请填写企业名称" in problem and "行业小类" not in problem
