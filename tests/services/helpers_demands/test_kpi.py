"""KPIs against a hand-counted fixture of on-time, late, reopened, explained and unsatisfied cases."""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.validation.visits import VisitDraft
from tests.services.helpers_demands.conftest import play_demand_cases

D = date


@pytest.fixture
def ledger(act):
    """Cases (received, due, what happened), all in 2026:

    A E1 10-05 due 10-20 resolved 10-15 (on time), 满意 10-18, signed off
    B E1 10-10 due 10-20 resolved 10-25 (late), 基本满意 10-28
    C E2 10-12 due 11-10 resolved 11-01 (on time), 不满意 11-03 → reopened, resolved 11-15, 满意 11-18
    D E2 11-01 due 11-20 explained 11-10 (on time)
    E E3 11-05 due 11-15 in progress (overdue)
    F E3 09-20 due 10-30 resolved 10-02 (on time; received in Q3, closed in Q4)
    G E1 10-20 due 11-30 resolved 10-25, reopened 10-30 with a reason, still open
    H E4 10-03 archived (a mistake)
    I E1 10-01 due 10-31 resolved 10-10, 不满意 10-12 → back in progress
    Visits: E4 on 08-15 (Q3), E5 on 11-02.
    """
    e1, e2, e3, e4, e5 = (act.enterprise(f"吕梁指标测试{i}有限公司", seed=100 + i) for i in range(1, 6))
    h = act.helper("张三")
    play_demand_cases(act.demands, act.demand, (e1, e2, e3, e4))
    act.visits.log_visit(VisitDraft(e4, D(2026, 8, 15), helper_ids=[h]))
    act.visits.log_visit(VisitDraft(e5, D(2026, 11, 2), helper_ids=[h]))
    return act


def test_quarter(ledger) -> None:
    k = ledger.kpi.kpis("2026Q4", served_target=100)
    assert (k.period_code, k.period_label, k.start, k.end) == ("2026Q4", "2026年第四季度", D(2026, 10, 1),
                                                               D(2026, 12, 31))
    assert (k.enterprises_served, k.enterprises_served_ytd, k.served_target) == (4, 5, 100)
    assert k.served_progress == 0.05
    assert (k.received, k.closed, k.resolved, k.explained) == (7, 5, 4, 1)  # A B C D E G I; A B C D F
    assert (k.closed_on_time, k.closed_after_reopen) == (4, 1)  # A C D F; C
    assert (k.followed_up, k.satisfied, k.unsatisfied) == (4, 3, 1)  # A B C(latest 满意) I
    assert (k.on_time_rate, k.resolution_rate, k.satisfaction_rate) == (0.8, 0.8, 0.75)


def test_month(ledger) -> None:
    k = ledger.kpi.kpis("2026-10")
    assert k.received == 5  # A B C G I
    assert (k.closed, k.closed_on_time) == (3, 2)  # A B F (C's closing moved to 11-15); A F
    assert (k.followed_up, k.satisfied, k.unsatisfied) == (3, 2, 1)  # A B I
    assert k.enterprises_served == 2  # E1 E2 (E3's demand F was received in September)
    assert k.served_target is None and k.served_progress is None


def test_year_and_empty_period(ledger) -> None:
    k = ledger.kpi.kpis("2026")
    assert (k.received, k.enterprises_served, k.enterprises_served_ytd) == (8, 5, 5)
    empty = ledger.kpi.kpis("2026-01")
    assert (empty.received, empty.closed) == (0, 0)
    assert (empty.on_time_rate, empty.resolution_rate, empty.satisfaction_rate) == (None, None, None)


def test_bad_periods(act) -> None:
    for text, message in [("2026Q5", "无法识别"), ("2026-13", "月份应在 1–12 之间"), ("2027", "尚未开始"),
                          ("2026-12", "尚未开始"), ("上个月", "无法识别")]:
        with pytest.raises(ValidationFailed, match=message):
            act.kpi.kpis(text)


def test_served_target_comes_from_the_targets_table(act) -> None:
    from lvqi_desktop.models.targets import Target

    with act.services.db.unit_of_work() as uow:
        uow.session.add(Target(scope="141102", metric="enterprises_served", year=2026, value=120))
        uow.commit()
    assert act.kpi.kpis("2026Q4").served_target == 120
    assert act.kpi.kpis("2026Q4", served_target=80).served_target == 80
    assert act.kpi.kpis("2025").served_target is None
