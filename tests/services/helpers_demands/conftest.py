"""Fixtures for helpers, visits, demands and KPIs: services with a fixed 'today' and a few enterprises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.demands import DemandDraft
from tests.conftest import make_uscc

TODAY = date(2026, 11, 26)
D = date


@dataclass
class Activity:
    """The four services under test, sharing one database and a movable 'today'."""

    services: Services
    helpers: HelperService
    visits: VisitService
    demands: DemandService
    kpi: KpiService
    today: list[date]

    def enterprise(self, name: str, registered_on: str = "2015-03-01", seed: int | None = None) -> int:
        draft = EnterpriseDraft(uscc=make_uscc(seed=seed if seed is not None else hash(name) % 10_000),
                                name=name, registered_on=registered_on, contact_person="王经理",
                                contact_phone="13800000000")
        return self.services.enterprises.save(draft).id

    def helper(self, name: str, level: str = "county", post: str = "副县长") -> int:
        return self.helpers.save_helper(HelperDraft(name=name, post=post, unit="县政府", level=level))

    def demand(self, enterprise_id: int, received_on: date, category: str = "finance",
               description: str = "流动资金紧张，需要贷款支持") -> int:
        return self.demands.register(DemandDraft(enterprise_id=enterprise_id, source="visit", category=category,
                                                 description=description, received_on=received_on)).id



def play_demand_cases(demands: DemandService, register: Callable[[int, date, str], int],
                      firms: tuple[int, int, int, int], by_unit: bool = False) -> None:
    """The hand-counted demand cases A–I of test_kpi.py's `ledger` on firms E1–E4, each registered by
    `register(firm, received, category)`; `by_unit`: C and D are labour cases of 区人社局 and E a land case of
    区自然资源局 (the returns count by category and unit), else every case is a finance case of 区工信局."""
    e1, e2, e3, e4 = firms
    ds = demands

    def case(enterprise: int, received: date, due: date | None = None, category: str = "finance",
             unit: str = "区工信局") -> int:
        if not by_unit:
            category, unit = "finance", "区工信局"
        demand_id = register(enterprise, received, category)
        if due:
            ds.assign(demand_id, unit, due, on=received)
            ds.start(demand_id, on=received)
        return demand_id

    a = case(e1, D(2026, 10, 5), D(2026, 10, 20))
    ds.resolve(a, "已解决", on=D(2026, 10, 15))
    ds.follow_up(a, "satisfied", on=D(2026, 10, 18))
    ds.sign_off(a, on=D(2026, 10, 19))
    b = case(e1, D(2026, 10, 10), D(2026, 10, 20))
    ds.resolve(b, "已解决", on=D(2026, 10, 25))
    ds.follow_up(b, "basically", on=D(2026, 10, 28))
    c = case(e2, D(2026, 10, 12), D(2026, 11, 10), "labour", "区人社局")
    ds.resolve(c, "已解决", on=D(2026, 11, 1))
    ds.follow_up(c, "unsatisfied", on=D(2026, 11, 3))
    ds.resolve(c, "再次办理后解决", on=D(2026, 11, 15))
    ds.follow_up(c, "satisfied", on=D(2026, 11, 18))
    d = case(e2, D(2026, 11, 1), D(2026, 11, 20), "labour", "区人社局")
    ds.explain(d, "政策不支持，已解释", on=D(2026, 11, 10))
    case(e3, D(2026, 11, 5), D(2026, 11, 15), "land", "区自然资源局")
    f = case(e3, D(2026, 9, 20), D(2026, 10, 30))
    ds.resolve(f, "已解决", on=D(2026, 10, 2))
    g = case(e1, D(2026, 10, 20), D(2026, 11, 30))
    ds.resolve(g, "已解决", on=D(2026, 10, 25))
    ds.reopen(g, "企业反映未解决", on=D(2026, 10, 30))
    ds.archive(case(e4, D(2026, 10, 3)), "录入错误")
    i = case(e1, D(2026, 10, 1), D(2026, 10, 31))
    ds.resolve(i, "已解决", on=D(2026, 10, 10))
    ds.follow_up(i, "unsatisfied", on=D(2026, 10, 12))


@pytest.fixture
def act(services: Services) -> Activity:
    today = [TODAY]

    def clock() -> date:
        return today[0]

    return Activity(services, HelperService(services.db, clock), VisitService(services.db, services.office_code, clock),
                    DemandService(services.db, services.office_code, clock,
                                  office_name=lambda: "吕梁市离石区中小企业服务中心"),
                    KpiService(services.db, services.office_code, clock), today)
