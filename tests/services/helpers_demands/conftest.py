"""Fixtures for helpers, visits, demands and KPIs: services with a fixed 'today' and a few enterprises."""

from __future__ import annotations

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


@pytest.fixture
def act(services: Services) -> Activity:
    today = [TODAY]

    def clock() -> date:
        return today[0]

    return Activity(services, HelperService(services.db, clock), VisitService(services.db, services.office_code, clock),
                    DemandService(services.db, services.office_code, clock,
                                  office_name=lambda: "吕梁市离石区中小企业服务中心"),
                    KpiService(services.db, services.office_code, clock), today)
