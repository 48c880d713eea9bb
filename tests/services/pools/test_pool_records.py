"""Pool records: entering, status and tier changes, the timeline, and every refusal changing nothing."""

from __future__ import annotations

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.pools import RecordFilter


def _srdi(cult, firm: int, tier: str = "innovative_sme", **kw) -> int:
    return cult.pools.add_to_pool(firm, RecordDraft(pool="srdi", tier=tier, **kw))


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as err:
        call(*args, **kwargs)
    return str(err.value)


def test_srdi_ladder_with_timeline(cult, add_firm):
    rid = _srdi(cult, add_firm(), note="首次入库")
    detail = cult.pools.record(rid)
    assert detail.row.rule_set == "2026"  # a new application after 2026-04-01
    assert detail.row.tier_label == "科技和创新型中小企业"  # the 2026 name of tier 1
    cult.pools.change_status(rid, "applied", "已提交申报材料")
    row = cult.pools.change_status(rid, "recognized", "省工信厅公告", recognized_on="2026-05-20",
                                   document_no="晋工信中小字〔2026〕12号")
    assert row.valid_until.isoformat() == "2029-05-20"
    cult.pools.change_status(rid, "valid")
    row = cult.pools.change_tier(rid, "srdi_provincial", "开始培育省级专精特新")
    assert (row.tier, row.status, row.recognized_on) == ("srdi_provincial", "cultivating", None)
    timeline = cult.pools.timeline(rid)
    assert [t.kind for t in timeline] == ["enter", "status", "status", "status", "tier"]
    assert timeline[0].note == "首次入库" and timeline[0].operator == "测试员"
    assert (timeline[1].from_status_label, timeline[1].to_status_label) == ("培育中", "已申报")
    assert "晋工信中小字〔2026〕12号" in timeline[2].detail and "2029-05-20" in timeline[2].detail
    assert timeline[4].summary.startswith("科技和创新型中小企业 → 省级专精特新中小企业")


def test_little_giant_needs_a_valid_provincial_title_or_a_reason(cult, add_firm):
    rid = _srdi(cult, add_firm(), tier="srdi_provincial")
    before = cult.pools.timeline(rid)
    message = _refused(cult.pools.change_tier, rid, "little_giant_national", "直接冲国家级")
    assert "须先持有有效的省级专精特新中小企业称号" in message
    assert cult.pools.record(rid).row.tier == "srdi_provincial" and cult.pools.timeline(rid) == before
    row = cult.pools.change_tier(rid, "little_giant_national", "特批", override_reason="市里重点推荐")
    assert row.tier == "little_giant_national"
    assert "越级理由：市里重点推荐" in cult.pools.timeline(rid)[-1].detail


def test_moving_up_from_a_held_title_carries_its_validity(cult, add_firm):
    rid = _srdi(cult, add_firm(), tier="srdi_provincial", status="valid", recognized_on="2025-03-01",
                document_no="晋工信〔2025〕3号")
    assert cult.pools.record(rid).row.rule_set == "2022"  # titles granted before 2026-04-01 are reviewed under 2022
    row = cult.pools.change_tier(rid, "little_giant_provincial", "申报省级小巨人")
    assert cult.pools.record(rid).draft.prerequisite_valid_until == "2028-03-01"
    assert row.status == "cultivating"


def test_adding_a_little_giant_directly_is_refused_without_the_prerequisite(cult, add_firm):
    firm = add_firm()
    assert "越级理由" in _refused(_srdi, cult, firm, tier="little_giant_provincial")
    assert cult.pools.list_records(RecordFilter(pool="srdi")) == []
    rid = _srdi(cult, firm, tier="little_giant_provincial", prerequisite_valid_until="2027-01-01")
    assert cult.pools.record(rid).row.tier == "little_giant_provincial"


def test_refused_transition_names_what_is_allowed(cult, add_firm):
    rid = _srdi(cult, add_firm())
    message = _refused(cult.pools.change_status, rid, "valid")
    assert "“培育中”不能直接改为“有效”" in message and "已申报" in message
    assert cult.pools.record(rid).row.status == "cultivating" and len(cult.pools.timeline(rid)) == 1


def test_recognition_dates_are_checked(cult, add_firm):
    rid = _srdi(cult, add_firm())
    cult.pools.change_status(rid, "applied")
    assert "晚于今天" in _refused(cult.pools.change_status, rid, "recognized", recognized_on="2026-12-01",
                                  document_no="X")
    assert "早于认定日期" in _refused(cult.pools.change_status, rid, "recognized", recognized_on="2026-05-01",
                                   valid_until="2026-04-30", document_no="X")
    assert "认定文号" in _refused(cult.pools.change_status, rid, "recognized", recognized_on="2026-05-01")
    assert cult.pools.record(rid).row.status == "applied" and len(cult.pools.timeline(rid)) == 2


def test_archived_enterprise_and_duplicates_are_refused(services, cult, add_firm):
    firm = add_firm()
    rid = _srdi(cult, firm)
    with pytest.raises(ValidationFailed) as err:
        _srdi(cult, firm, tier="srdi_provincial")
    assert "不能重复入库" in str(err.value) and err.value.existing_id == rid
    cult.pools.add_to_pool(firm, RecordDraft(pool="scale_up"))  # another pool is fine
    cult.pools.archive_record(rid, "企业申请退出")
    assert _srdi(cult, firm) != rid  # after leaving the pool it may come back
    gone = add_firm()
    services.enterprises.archive(gone, "注销")
    assert "已归档，不能入库" in _refused(_srdi, cult, gone)


def test_scale_up_entry_sets_the_enterprise_fact(services, cult, add_firm):
    firm = add_firm()
    rid = cult.pools.add_to_pool(firm, RecordDraft(pool="scale_up", responsible_person="王科长"))
    cult.pools.change_status(rid, "cultivating")
    cult.pools.change_status(rid, "qualified")
    assert "入统年月" in _refused(cult.pools.change_status, rid, "entered")
    assert "晚于本月" in _refused(cult.pools.change_status, rid, "entered", month="2027-01")
    cult.pools.change_status(rid, "entered", "已纳入联网直报", month="2026-10")
    draft = services.enterprises.draft(firm)
    assert draft.above_scale and draft.above_scale_since == "2026-10"
    row = cult.pools.record(rid).row
    assert row.above_scale_since == "2026-10" and row.status_label == "已入统"
    assert "入统年月 2026-10" in cult.pools.timeline(rid)[-1].detail


def test_withdrawal_needs_a_reason(cult, add_firm):
    rid = cult.pools.add_to_pool(add_firm(), RecordDraft(pool="scale_up"))
    assert "请填写原因" in _refused(cult.pools.change_status, rid, "withdrawn")
    row = cult.pools.change_status(rid, "withdrawn", "企业停产")
    assert row.status_reason == "企业停产"


def test_bulk_change_is_all_or_nothing(cult, add_firm):
    ids = [cult.pools.add_to_pool(add_firm(), RecordDraft(pool="scale_up")) for _ in range(3)]
    cult.pools.change_status(ids[2], "withdrawn", "停产")
    message = _refused(cult.pools.bulk_change_status, ids, "cultivating", "集中走访后转入培育")
    assert "“退库”不能直接改为“培育中”" in message
    assert [cult.pools.record(i).row.status for i in ids] == ["survey", "survey", "withdrawn"]
    assert cult.pools.bulk_change_status(ids[:2], "cultivating", "集中走访后转入培育") == 2
    for i in ids[:2]:
        last = cult.pools.timeline(i)[-1]
        assert (last.to_status_label, last.note) == ("培育中", "集中走访后转入培育")


def test_edit_and_follow_up_are_on_the_timeline(cult, add_firm):
    rid = _srdi(cult, add_firm())
    draft = cult.pools.record(rid).draft
    draft.responsible_person, draft.notes, draft.target_year = "李主任", "重点培育", "2027"
    cult.pools.update_record(rid, draft)
    assert cult.pools.timeline(rid)[-1].detail == "修改了：目标年份、责任人、备注"
    draft = cult.pools.record(rid).draft  # the form opened again (the one saved above is stale now)
    draft.status = "applied"
    assert "变更状态" in _refused(cult.pools.update_record, rid, draft)
    cult.pools.record_follow_up(rid, "2026-11-20", "电话了解申报准备")
    assert cult.pools.record(rid).row.last_follow_up_on.isoformat() == "2026-11-20"
    assert cult.pools.timeline(rid)[-1].kind_label == "跟进"


def test_share_reform_and_listing_fields(cult, add_firm):
    rid = cult.pools.add_to_pool(add_firm(), RecordDraft(pool="share_reform"))
    cult.pools.change_status(rid, "started")
    assert "登记为股份有限公司的日期" in _refused(cult.pools.change_status, rid, "completed")
    cult.pools.change_status(rid, "completed", completed_on="2026-06-30")
    draft = cult.pools.record(rid).draft
    draft.county_review_on, draft.city_review_on, draft.subsidy = "2026-07-10", "2026-08-01", "50"
    cult.pools.update_record(rid, draft)
    assert cult.pools.record(rid).draft.subsidy == "50"
    lid = cult.pools.add_to_pool(add_firm(), RecordDraft(pool="listing_reserve", tier="neeq_reserve",
                                                         listing_venue="equity_center"))
    cult.pools.set_board_name("equity_center", "晋兴板")
    assert cult.pools.record(lid).row.listing_venue_label == "山西股权交易中心挂牌展示（晋兴板）"
    assert "层级" in _refused(cult.pools.add_to_pool, add_firm(), RecordDraft(pool="listing_reserve"))


def test_list_filters(services, cult, add_firm):
    towns = [t.code for t in services.reference.townships("141102")][:2]
    a = add_firm(township_code=towns[0])
    b = add_firm(section="F", township_code=towns[1])
    ra = _srdi(cult, a, tier="srdi_provincial")
    rb = _srdi(cult, b, entered_on="2025-06-01")
    cult.pools.change_status(rb, "applied")
    ids = lambda **kw: [r.id for r in cult.pools.list_records(RecordFilter(pool="srdi", **kw))]  # noqa: E731
    assert ids() == [ra, rb]
    assert ids(tier="srdi_provincial") == [ra]
    assert ids(status="applied") == [rb]
    assert ids(township_code=towns[1]) == [rb]
    assert ids(industry_section="F") == [rb]
    assert ids(entered_year=2025) == [rb]


def _texts(rows) -> set[tuple[str, str, str]]:
    return {(c.label, c.old_text, c.new_text) for r in rows for c in r.changes}


def test_the_change_history_of_a_record_reads_in_chinese(services, cult, add_firm):
    firm = add_firm("吕梁历史可读有限公司")
    rid = cult.pools.add_to_pool(firm, RecordDraft(pool="scale_up"))
    cult.pools.change_status(rid, "cultivating", "已走访")
    record = _texts(services.history.record_history("cultivation_record", rid))
    assert {("企业", "（空）", "吕梁历史可读有限公司"), ("培育库", "（空）", "小升规培育库"),
            ("状态", "摸底/储备", "培育中")} <= record
    events = _texts(services.history.list(table="cultivation_event"))
    assert {("变更类型", "（空）", "状态变更"), ("新状态", "（空）", "培育中")} <= events
    every = [t for r in services.history.list() for t in _texts([r])]
    assert not [t for t in every if any(w in t[1] + t[2] for w in ("scale_up", "cultivating", "survey"))]
    assert not [t for t in every if t[0].isascii()]  # every field has its Chinese name
