"""Bases travel in the county → city package: the city sees the county's bases, levels, tenants and years."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bases import YearDraft
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.storage.exchange_records import travelling_tables
from tests.conftest import open_services
from tests.conftest import uscc_for
from tests.exchange.keyring import city_keys
from tests.exchange.keyring import county_keys


def test_base_tables_are_travelling() -> None:
    names = {t.name for t in travelling_tables()}
    assert {"incubation_base", "base_level_event", "base_tenant", "base_year"} <= names


def test_bases_reach_the_city(tmp_path) -> None:
    county = open_services(DataDir(tmp_path / "county"))
    county.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
    county.forget_office()
    county_keys(county)
    firm = county.enterprises.save(EnterpriseDraft(uscc=uscc_for(7001), name="吕梁入驻科技有限公司",
                                                   county_code="141102", registered_on="2015-03-01")).id
    base_id = county.bases.save_base(BaseDraft(name="离石区智创城", kind="zhichuang", level="city",
                                               city_recognized_on="2024-05-01", city_document_no="吕中小企发〔2024〕2号"))
    county.bases.add_tenant(base_id, firm, date(2025, 3, 1))
    county.bases.change_level(base_id, "provincial_applied", date(2025, 9, 1))
    county.bases.save_year(base_id, YearDraft(year="2025", tenants="12", jobs="90"))
    out = tmp_path / "usb"
    out.mkdir()
    package = county.exchange.export_package("2025", out, with_returns=False).path
    county.db.dispose()

    city = open_services(DataDir(tmp_path / "city"))
    city.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    city.forget_office()
    city_keys(city)
    x = city.exchange
    plan = x.dry_run([package])
    assert plan.counties[0].status == "apply", plan.counties[0].refusals
    x.apply(plan)
    rows = city.bases.list_bases()
    assert [(r.county_code, r.name, r.level_label, r.current_tenants) for r in rows] == [
        ("141102", "离石区智创城", "申报省级", 1)]
    city_base = rows[0].id
    assert [e.to_label for e in city.bases.timeline(city_base)] == ["市级", "申报省级"]
    assert city.bases.figures(2025)[city_base].tenants == 12
    assert [t.name for t in city.bases.tenants(city_base)] == ["吕梁入驻科技有限公司"]
    city.db.dispose()
