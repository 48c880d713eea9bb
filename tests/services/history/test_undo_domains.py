"""Undo/redo of the domains' own changes: pool status changes (single and bulk) and demand steps.

Timelines and progress logs are append-only: undo adds a "撤销" entry, redo a "重做" entry.
"""

from __future__ import annotations

from datetime import date

import pytest

from lvqi_desktop.services.cultivation import CultivationServices
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.validation.demands import DemandDraft
from tests.conftest import make_uscc

TODAY = date(2026, 11, 26)


@pytest.fixture
def cult(services) -> CultivationServices:
    return build_cultivation(services.db, services.office_county, lambda: TODAY)


@pytest.fixture
def demands(services) -> DemandService:
    return DemandService(services.db, services.office_code, lambda: TODAY,
                         office_name=lambda: "吕梁市离石区中小企业服务中心")


def firm(services, seed: int) -> int:
    draft = EnterpriseDraft(uscc=make_uscc(seed=seed), name=f"吕梁撤销测试{seed}号有限公司", county_code="141102",
                            township_code="141102001", industry_section="C", registered_on="2015-03-01",
                            years=[YearDraft(year=2025, revenue="1000", main_revenue="950", employees="100",
                                             total_assets="800")])
    return services.enterprises.save(draft).id


def timeline(cult, rid: int) -> list[tuple[str, str, str, str]]:
    return [(t.kind, t.from_status_label, t.to_status_label, t.note) for t in cult.pools.timeline(rid)]


def test_undo_and_redo_a_pool_status_change(services, cult) -> None:
    ent = firm(services, 11)
    rid = cult.pools.add_to_pool(ent, RecordDraft(pool="scale_up"))
    cult.pools.change_status(rid, "cultivating")
    cult.pools.change_status(rid, "qualified")
    before = cult.pools.record(rid).row
    cult.pools.change_status(rid, "entered", "已纳入联网直报", month="2026-10")
    assert services.enterprises.draft(ent).above_scale
    label = services.undo.undo_label()
    assert label is not None and label.startswith("撤销：")

    result = services.undo.undo()
    assert result.label == label and rid in result.changed["cultivation_record"]
    row = cult.pools.record(rid).row
    assert (row.status, row.status_label, row.status_on) == ("qualified", before.status_label, before.status_on)
    back = services.enterprises.draft(ent)
    assert not back.above_scale and not back.above_scale_since  # the pool set it, so undo clears it
    events = timeline(cult, rid)
    assert len(events) == 5  # enter, 2 changes, 已入统, and the 撤销 entry: nothing removed
    assert events[3][1:] == (before.status_label, "已入统", "已纳入联网直报")
    assert events[-1] == ("status", events[3][2], events[3][1], "撤销")
    assert services.undo.redo_label() == "重做：" + label[len("撤销："):]

    services.undo.redo()
    row = cult.pools.record(rid).row
    assert row.status == "entered" and row.above_scale_since == "2026-10"
    assert services.enterprises.draft(ent).above_scale
    assert timeline(cult, rid)[-1] == ("status", events[3][1], events[3][2], "重做")
    assert services.undo.undo_label() == label and services.undo.redo_label() is None


def test_undo_keeps_above_scale_the_pool_did_not_set(services, cult) -> None:
    ent = firm(services, 12)
    rid = cult.pools.add_to_pool(ent, RecordDraft(pool="scale_up"))
    cult.pools.change_status(rid, "cultivating")
    cult.pools.change_status(rid, "qualified")
    d = services.enterprises.draft(ent)
    d.above_scale, d.above_scale_since = True, "2026-10"
    services.enterprises.save(d, ent)
    cult.pools.change_status(rid, "entered", month="2026-10")
    services.undo.undo()
    assert cult.pools.record(rid).row.status == "qualified"
    again = services.enterprises.draft(ent)
    assert again.above_scale and again.above_scale_since == "2026-10"


def test_a_bulk_pool_change_undoes_as_one_step(services, cult) -> None:
    ids = [cult.pools.add_to_pool(firm(services, 20 + i), RecordDraft(pool="scale_up")) for i in range(4)]
    assert cult.pools.bulk_change_status(ids, "cultivating", "集中走访后转入培育") == 4
    label = services.undo.undo_label()
    result = services.undo.undo()
    assert result.label == label and sorted(result.changed["cultivation_record"]) == sorted(ids)
    assert [cult.pools.record(i).row.status for i in ids] == ["survey"] * 4
    for i in ids:
        last = timeline(cult, i)
        assert len(last) == 3 and last[1][3] == "集中走访后转入培育"
        assert last[-1] == ("status", "培育中", last[0][2], "撤销")
    assert services.undo.undo_label() != label  # the next undo is the last add_to_pool
    services.undo.redo()
    assert [cult.pools.record(i).row.status for i in ids] == ["cultivating"] * 4
    assert all(timeline(cult, i)[-1][2:] == ("培育中", "重做") for i in ids)


def test_undoing_a_pool_entry_archives_the_record_and_notes_it(services, cult) -> None:
    rid = cult.pools.add_to_pool(firm(services, 30), RecordDraft(pool="scale_up"))
    services.undo.undo()
    assert cult.pools.record(rid).row.archived
    assert timeline(cult, rid)[-1][0] == "archive" and timeline(cult, rid)[-1][3] == "撤销"
    services.undo.redo()
    assert not cult.pools.record(rid).row.archived
    assert timeline(cult, rid)[-1][0] == "restore"


def register(services, demands: DemandService, seed: int) -> int:
    return demands.register(DemandDraft(enterprise_id=firm(services, seed), source="visit", category="finance",
                                        description="流动资金紧张，需要贷款支持",
                                        received_on=date(2026, 11, 1))).id


def log(demands: DemandService, demand_id: int) -> list[tuple[str, str, str, str]]:
    return [(e.kind, e.from_status, e.to_status, e.note) for e in demands.detail(demand_id).events]


def test_undo_of_a_demand_close_reopens_it_with_the_reason(services, demands) -> None:
    did = register(services, demands, 40)
    demands.assign(did, "县财政局", date(2026, 11, 20))
    demands.start(did)
    demands.resolve(did, "银行已放贷200万元", on=date(2026, 11, 10))
    label = services.undo.undo_label()
    assert label is not None and label.startswith("撤销：")
    services.undo.undo()
    row = demands.detail(did).row
    assert row.status == "in_progress"
    assert row.reopen_count == 0  # not a 不满意 reopen
    assert row.first_closed_on is None and row.closed_on is None  # the close is taken back entirely
    entries = log(demands, did)
    assert entries[-2][0] == "resolve"  # the close stays in the log
    assert entries[-1] == ("reopen", "resolved", "in_progress", "重新办理，理由：撤销")
    assert services.undo.redo_label() == "重做：" + label[len("撤销："):]

    services.undo.redo()
    row = demands.detail(did).row
    assert row.status == "resolved" and row.first_closed_on == date(2026, 11, 10) and row.reopen_count == 0
    assert log(demands, did)[-1] == ("resolve", "in_progress", "resolved", "重做：重新办理")
    assert services.undo.undo_label() == label


def test_undo_of_other_demand_steps_restores_the_previous_status(services, demands) -> None:
    did = register(services, demands, 41)
    demands.assign(did, "县财政局", date(2026, 11, 20))
    demands.resolve(did, "已解决", on=date(2026, 11, 10))
    demands.follow_up(did, "unsatisfied", on=date(2026, 11, 12))
    assert demands.detail(did).row.reopen_count == 1
    services.undo.undo()  # the 不满意 follow-up
    row = demands.detail(did).row
    assert (row.status, row.reopen_count, row.satisfaction) == ("resolved", 0, None)
    assert log(demands, did)[-1] == ("edit", "in_progress", "resolved", "撤销：回访")
    services.undo.undo()  # the close
    services.undo.undo()  # the assignment
    row = demands.detail(did).row
    assert row.status == "pending"
    assert log(demands, did)[-1] == ("edit", "assigned", "pending", "撤销：交办")
