"""The bulk generator used for demo data and the benchmark: consistent, numbered, visible to the views."""

from __future__ import annotations

from lvqi_desktop.services.demo.activity import generate_activity
from tests.services.helpers_demands.conftest import TODAY


def test_generated_ledger_is_consistent(act) -> None:
    for i in range(30):
        act.enterprise(f"吕梁演示{i}有限公司", seed=500 + i)
    counts = generate_activity(act.services.db, act.services.office_code, helpers=8, assignments=40, visits=300,
                               demands=200, seed=3, today=TODAY)
    assert (counts.helpers, counts.assignments, counts.visits, counts.demands) == (8, 40, 300, 200)
    rows = act.demands.list_demands()
    assert len(rows) == 200 and len({r.number for r in rows}) == 200
    for r in rows:
        assert r.number.startswith(f"141102-{r.received_on.year}-")
        assert r.received_on <= TODAY and (r.due_on is None or r.due_on >= r.received_on)
        assert (r.status in ("resolved", "explained", "signed_off")) == (r.closed_on is not None)
        assert r.status == "pending" or r.responsible_unit
    assert sum(b.total for b in act.demands.board()) == 200
    assert len(act.helpers.coverage()) == 40
    assert act.kpi.kpis("2026").received == sum(r.received_on.year == 2026 for r in rows)
    # hand-entered demands continue the sequence
    e = act.enterprise("吕梁新登记有限公司", seed=999)
    last = max(int(r.number[-4:]) for r in rows if r.received_on.year == TODAY.year)
    number = act.demands.detail(act.demand(e, TODAY)).row.number
    assert number == f"141102-{TODAY.year}-{last + 1:04d}"
