"""Synthetic helpers, assignments, visits and demands in bulk, for demo data and the benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import VISIT_SOURCES
from lvqi_desktop.models.demands import demand_number
from lvqi_desktop.models.visits import DEFAULT_CAMPAIGNS
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "建国志强海军立新红梅文华晓东俊杰丽娟永刚振华国庆桂英秀兰明亮春生玉兰建华德胜"
_POSTS = ("副县长", "县委常委", "工信局局长", "发改局副局长", "科技局局长", "商务局局长", "中小企业服务中心主任", "乡镇党委书记")
_UNITS = ("县政府", "县工信局", "县发改局", "县科技局", "县商务局", "县中小企业服务中心", "县税务局", "县人社局")
_REPORTS = ("订单充足，原材料涨价", "流动资金紧张", "招工难，缺技术工人", "用电负荷不足", "厂房手续未办完", "应收账款回款慢")
_RESULTS = ("已协调银行发放贷款", "已组织专场招聘会", "已协调供电公司扩容", "已办结审批手续", "已督促欠款单位付款")
_CATEGORY_WEIGHTS = (22, 14, 8, 10, 10, 8, 6, 8, 5, 4, 3, 2)


@dataclass(frozen=True)
class ActivityCounts:
    helpers: int
    assignments: int
    visits: int
    demands: int
    events: int


class Maker:
    """Row builder: one random generator, 'today', and the next free ids."""

    def __init__(self, rng: random.Random, today: date, ids: dict[str, int]) -> None:
        self.rng, self.today, self.ids, self.now = rng, today, dict(ids), clock.now()

    def row(self, table: str, **values: object) -> dict[str, object]:
        row_id = self.ids[table]
        self.ids[table] += 1
        return {"id": row_id, "uuid": new_uuid(), "created_at": self.now, "updated_at": self.now,
                "archived_at": None, "archive_reason": None, **values}

    def day_within(self, days: int) -> date:
        return self.today - timedelta(days=int(self.rng.triangular(0, days, 0)))

    def after(self, start: date, most: int) -> date:
        return min(self.today, start + timedelta(days=self.rng.randint(0, most)))


def _helpers(m: Maker, count: int) -> list[dict[str, object]]:
    return [m.row("helper", name=m.rng.choice(_SURNAMES) + "".join(m.rng.sample(_GIVEN, 2)),
                  post=m.rng.choice(_POSTS), unit=m.rng.choice(_UNITS),
                  level="city" if m.rng.random() < 0.1 else "county", phone=f"139{m.rng.randint(0, 99999999):08d}",
                  active=True, remarks="") for _ in range(count)]


def _assignments(m: Maker, count: int, helper_ids: list[int], enterprise_ids: list[int]
                 ) -> list[dict[str, object]]:
    leads = m.rng.sample(enterprise_ids, min(len(enterprise_ids), max(1, count * 3 // 5)))
    rows = []
    for i in range(count):
        enterprise = leads[i] if i < len(leads) else m.rng.choice(leads)
        months = m.rng.choices((1, 2, 3), (80, 12, 8))[0]
        rows.append(m.row("helper_assignment", enterprise_id=enterprise, helper_id=m.rng.choice(helper_ids),
                          team_id=None, role="lead" if i < len(leads) else "helper",
                          from_date=m.today - timedelta(days=m.rng.randint(30, 720)), to_date=None,
                          cadence_visits=1, cadence_months=months, replaces_id=None, remarks=""))
    return rows


def _visits(m: Maker, count: int, assignments: list[dict[str, object]], helper_ids: list[int],
            enterprise_ids: list[int]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    visits, participants = [], []
    channels, campaigns = list(VISIT_CHANNELS), ["", "", "", *DEFAULT_CAMPAIGNS]
    for _ in range(count):
        if assignments and m.rng.random() < 0.8:
            a = m.rng.choice(assignments)
            enterprise, helper = a["enterprise_id"], a["helper_id"]
        else:
            enterprise, helper = m.rng.choice(enterprise_ids), m.rng.choice(helper_ids)
        v = m.row("visit", enterprise_id=enterprise, visited_on=m.day_within(400),
                  channel=m.rng.choices(channels, (55, 25, 5, 8, 7))[0], campaign=m.rng.choice(campaigns),
                  team_id=None, visitors="", policies_explained="惠企政策宣讲",
                  firm_reported=m.rng.choice(_REPORTS), remarks="")
        visits.append(v)
        participants.append(m.row("visit_participant", visit_id=v["id"], helper_id=helper))
    return visits, participants


def _demand(m: Maker, office: str, seqs: dict[int, int], enterprise: int, helper: int | None
            ) -> tuple[dict[str, object], list[dict[str, object]]]:
    rng = m.rng
    received = m.day_within(600)
    seqs[received.year] = seqs.get(received.year, 0) + 1
    seq = seqs[received.year]
    age = (m.today - received).days
    d: dict[str, object] = {
        "number": demand_number(office, received.year, seq), "office_code": office, "year": received.year,
        "seq": seq, "enterprise_id": enterprise, "visit_id": None, "helper_id": helper,
        "source": rng.choice(list(DEMAND_SOURCES)),
        "category": rng.choices(list(DEMAND_CATEGORIES), _CATEGORY_WEIGHTS)[0],
        "description": rng.choice(_REPORTS), "suggestion": "", "urgency": rng.choices(
            ("immediate", "urgent", "normal", "complex"), (10, 15, 65, 10))[0],
        "received_on": received, "status": "pending", "assigned_on": None, "responsible_unit": "",
        "co_units": "", "unit_contact": "", "due_on": None, "result": "", "closing_kind": None, "closed_on": None,
        "first_closed_on": None, "reopen_count": 0, "satisfaction": None, "followed_up_on": None,
        "followed_up_by": "", "signed_off_on": None}
    events: list[tuple[str, date, str, str, object, str | None]] = [("create", received, "", "pending", "登记诉求", None)]
    if age >= 1 and rng.random() < (0.5 if age < 7 else 0.97):
        assigned = m.after(received, 3)
        d.update(status="assigned", assigned_on=assigned, responsible_unit=rng.choice(_UNITS),
                 due_on=assigned + timedelta(days=rng.choice((7, 15, 30, 60))))
        events.append(("assign", assigned, "pending", "assigned", f"交办{d['responsible_unit']}", None))
        if rng.random() < 0.9:
            d["status"] = "in_progress"
            events.append(("start", assigned, "assigned", "in_progress", "", None))
        closing = m.after(assigned, 75)
        if closing < m.today and rng.random() < min(0.95, age / 60):
            kind = "resolved" if rng.random() < 0.85 else "explained"
            before = str(d["status"])
            d.update(status=kind, closing_kind=kind, closed_on=closing, first_closed_on=closing,
                     result=rng.choice(_RESULTS))
            events.append(("resolve" if kind == "resolved" else "explain", closing, before, kind, d["result"], None))
            if rng.random() < 0.7 and closing + timedelta(days=3) < m.today:
                visited = closing + timedelta(days=3)
                satisfaction = rng.choices(("satisfied", "basically"), (80, 20))[0]
                d.update(satisfaction=satisfaction, followed_up_on=visited)
                events.append(("follow_up", visited, kind, kind, "回访", satisfaction))
                if rng.random() < 0.6:
                    d.update(status="signed_off", signed_off_on=visited)
                    events.append(("sign_off", visited, kind, "signed_off", "", None))
    row = m.row("demand", **d)
    return row, [m.row("demand_event", demand_id=row["id"], kind=k, happened_on=on, recorded_at=m.now,
                       from_status=f, to_status=t, note=note, satisfaction=s, operator="演示数据")
                 for k, on, f, t, note, s in events]


def _visit_raising(m: Maker, demand: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """The visit (by the demand's helper, on the day it was received) at which a demand was raised; links them."""
    v = m.row("visit", enterprise_id=demand["enterprise_id"], visited_on=demand["received_on"], channel="visit",
              campaign="", team_id=None, visitors="", policies_explained="惠企政策宣讲",
              firm_reported=demand["description"], remarks="")
    demand["visit_id"] = v["id"]
    return v, m.row("visit_participant", visit_id=v["id"], helper_id=demand["helper_id"])


def scaled_to(enterprises: int) -> dict[str, int]:
    """How much activity `demo --activity` adds for a register of this many enterprises."""
    n = enterprises
    return {"helpers": max(5, n // 160), "assignments": max(5, n // 13), "visits": max(10, n * 12 // 13),
            "demands": max(5, n * 4 // 13)}


def generate_activity(db: Database, office_code: Callable[[], str | None], *, helpers: int = 400,
                      assignments: int = 5000, visits: int = 60000, demands: int = 20000, seed: int = 1,
                      today: date | None = None) -> ActivityCounts:
    """Add synthetic helpers, assignments, visits and demands over the enterprises already in the register.

    One transaction; rows go in as bulk INSERTs recorded as one change-history batch row.
    """
    office = office_code()
    if not office:
        raise LvqiError("本机尚未设置所属单位，不能生成演示数据")
    with db.unit_of_work() as uow:
        counts = add_activity(uow, office, helpers=helpers, assignments=assignments, visits=visits, demands=demands,
                              seed=seed, today=today or clock.today())
        uow.commit()
        return counts


def add_activity(uow: UnitOfWork, office: str, *, helpers: int, assignments: int, visits: int, demands: int,
                 seed: int, today: date) -> ActivityCounts:
    """The rows of `generate_activity` inside the caller's transaction (which commits them, or not)."""
    enterprise_ids = uow.enterprises.current_ids()
    if not enterprise_ids:
        raise LvqiError("企业库为空，请先生成或登记企业")
    m = Maker(random.Random(seed), today, uow.demo_rows.next_ids())
    helper_rows = _helpers(m, helpers)
    helper_ids = [int(h["id"]) for h in helper_rows]  # type: ignore[call-overload]
    assignment_rows = _assignments(m, assignments, helper_ids, enterprise_ids)
    seqs = uow.demo_rows.last_seqs(office)
    demand_rows, event_rows, visit_rows, participant_rows = [], [], [], []
    for _ in range(demands):
        a = m.rng.choice(assignment_rows)
        row, events = _demand(m, office, seqs, int(a["enterprise_id"]), int(a["helper_id"]))  # type: ignore[call-overload]
        if row["source"] in VISIT_SOURCES:  # raised at a visit: the visit is recorded and the demand linked to it
            visit, participant = _visit_raising(m, row)
            visit_rows.append(visit)
            participant_rows.append(participant)
        demand_rows.append(row)
        event_rows += events
    more, their_helpers = _visits(m, max(0, visits - len(visit_rows)), assignment_rows, helper_ids, enterprise_ids)
    visit_rows += more  # `visits` in all, those that raised a demand included
    participant_rows += their_helpers
    for table, rows in (("helper", helper_rows), ("helper_assignment", assignment_rows), ("visit", visit_rows),
                        ("visit_participant", participant_rows), ("demand", demand_rows),
                        ("demand_event", event_rows)):
        uow.demo_rows.insert_rows(table, rows)
    counts = ActivityCounts(len(helper_rows), len(assignment_rows), len(visit_rows), len(demand_rows),
                            len(event_rows))
    uow.demo_rows.record_batch(f"生成演示包联、走访与诉求（随机种子 {seed}）", "demand",
                               {"helpers": counts.helpers, "assignments": counts.assignments,
                                "visits": counts.visits, "demands": counts.demands})
    return counts
