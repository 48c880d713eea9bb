"""Fixtures for the returns: services on a fixed 'today', a hand-counted demand/visit fixture, monitored firms."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from datetime import datetime

import pytest

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.service import ReturnService
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.visits import VisitDraft
from tests.conftest import uscc_for
from tests.services.helpers_demands.conftest import play_demand_cases
from tests.services.monitoring.conftest import add_firm  # noqa: F401 - fixtures of the monitoring returns
from tests.services.monitoring.conftest import mon  # noqa: F401 - fixtures of the monitoring returns
from tests.services.monitoring.conftest import monitored  # noqa: F401 - fixtures of the monitoring returns

TODAY = date(2026, 11, 26)
D = date
_serial = itertools.count(1)


@dataclass
class Office:
    """The services under test on one database, all on TODAY."""

    services: Services
    helpers: HelperService
    visits: VisitService
    demands: DemandService
    kpi: KpiService
    returns: ReturnService

    def enterprise(self, name: str, **fields: object) -> int:
        n = next(_serial) + 500
        draft = EnterpriseDraft(uscc=uscc_for(n), name=name, registered_on="2015-03-01", industry_section="C",
                                contact_person="王经理", contact_phone="13800000000",
                                years=[YearDraft(year=2025, revenue="2500.5", main_revenue="2400",
                                                 employees="120", total_assets="3000")], **fields)
        return self.services.enterprises.save(draft).id

    def demand(self, enterprise_id: int, received_on: date, category: str = "finance") -> int:
        return self.demands.register(DemandDraft(enterprise_id=enterprise_id, source="visit", category=category,
                                                 description="流动资金紧张，需要贷款支持", received_on=received_on)).id


@pytest.fixture
def office(services: Services) -> Office:
    def clock() -> date:
        return TODAY

    kpi = KpiService(services.db, services.office_code, clock)
    demands = DemandService(services.db, services.office_code, clock, office_name=lambda: "吕梁市离石区中小企业服务中心")
    visits = VisitService(services.db, services.office_code, clock)
    cult = build_cultivation(services.db, services.office_county, clock)
    returns = ReturnService(ReturnSources(services.db, kpi, cult.targets, demands, visits), services.office_info,
                            today=clock, now=lambda: datetime(2026, 11, 26, 9, 30))
    return Office(services, HelperService(services.db, clock), visits, demands, kpi, returns)


@pytest.fixture
def activity(office: Office) -> Office:
    """The KPI tests' hand-counted cases (tests/services/helpers_demands/test_kpi.py), with categories and units:

    A E1 finance 区工信局 10-05 due 10-20 resolved 10-15 (on time), 满意, signed off
    B E1 finance 区工信局 10-10 due 10-20 resolved 10-25 (late), 基本满意
    C E2 labour 区人社局 10-12 due 11-10 resolved 11-01, 不满意 → resolved 11-15, 满意
    D E2 labour 区人社局 11-01 due 11-20 explained 11-10 (on time)
    E E3 land 区自然资源局 11-05 due 11-15 in progress (overdue)
    F E3 finance 区工信局 09-20 due 10-30 resolved 10-02 (received Q3, closed Q4 on time)
    G E1 finance 区工信局 10-20 due 11-30 resolved 10-25, reopened 10-30, open
    H E4 archived;  I E1 finance 区工信局 10-01 due 10-31 resolved 10-10, 不满意 → in progress
    Visits: E4 08-15 (Q3, 走访), E5 11-02 (电话, 服务月), E1 10-08 (走访, 服务月) by 张三, who helps E1 monthly.
    """
    o = office
    e1, e2, e3, e4, e5 = (o.enterprise(f"吕梁统计测试{i}有限公司") for i in range(1, 6))
    h = o.helpers.save_helper(HelperDraft(name="张三", post="副区长", unit="区政府", level="county"))
    o.helpers.assign(AssignmentDraft(enterprise_id=e1, helper_id=h, role="lead", from_date=D(2026, 1, 1)))
    play_demand_cases(o.demands, o.demand, (e1, e2, e3, e4), by_unit=True)
    o.visits.log_visit(VisitDraft(e4, D(2026, 8, 15), helper_ids=[h]))
    o.visits.log_visit(VisitDraft(e5, D(2026, 11, 2), channel="phone", campaign="服务月", helper_ids=[h]))
    o.visits.log_visit(VisitDraft(e1, D(2026, 10, 8), campaign="服务月", helper_ids=[h]))
    return o


POOL_COUNTIES = ("141102", "141121", "141181")  # firm n of the pool-count tests lies in POOL_COUNTIES[n % 3]


def pool_count_views(s: Services, ids: list[int], period: Period, today: date) -> dict[str, ReturnContext]:
    """The four views the pool counts are compared in: the city, the city one per USCC, 离石区 inside the city, and
    文水县's own edition."""
    sources = ReturnSources(s.db, s.kpi, s.cultivation.targets, s.demands, s.visits)
    city = ReturnContext(sources, period, s.office_info(), today)
    county = OfficeInfo("county", "141121", "文水县", "文水县中小企业服务中心", "")
    firms = frozenset(firm for n, firm in enumerate(ids) if POOL_COUNTIES[n % 3] == "141102")
    return {"city": city, "whole city, one per USCC": city.whole_city(),
            "离石区 of the city": city.for_county("141102", firms),
            "文水县's own edition": ReturnContext(sources, period, county, today)}
