"""The bases ledger: saving, level lifecycle, tenants, yearly figures, and every bad input refused unchanged."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bases import BaseFilter
from lvqi_desktop.services.bases import YearDraft
from lvqi_desktop.services.pools import RecordDraft


def messages(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return "；".join(i.message for i in exc.value.issues)


def snapshot(services) -> tuple:
    """Every base row, event, tenant and year as stored: 'nothing changed' compares two of these."""
    with services.db.unit_of_work() as uow:
        return tuple(tuple(map(tuple, uow.session.execute(
            sqlalchemy.text(f"SELECT * FROM {t} ORDER BY id")).all()))
            for t in ("incubation_base", "base_level_event", "base_tenant", "base_year"))


def test_register_list_edit_archive(bases, add_base):
    base_id = add_base(township_code="")
    rows = bases.list_bases()
    assert [(r.name, r.kind_label, r.level_label, r.floor_area_m2) for r in rows] == [
        ("离石区电商产业园", "电商产业园", "培育", 12000.5)]
    row, draft = bases.base(base_id)
    draft.services_offered = "工商代办、培训"
    draft.shared_facilities = "会议室、直播间"
    bases.save_base(draft, base_id)
    assert bases.base(base_id)[0].shared_facilities == "会议室、直播间"
    assert [e.to_label for e in bases.timeline(base_id)] == ["培育"]
    add_base("智创城孵化基地", kind="智创城")
    assert [r.name for r in bases.list_bases(BaseFilter(kind="zhichuang"))] == ["智创城孵化基地"]
    assert [r.name for r in bases.list_bases(BaseFilter(search="孵化"))] == ["智创城孵化基地"]
    bases.archive_base(base_id, "停止运营")
    assert [r.name for r in bases.list_bases()] == ["智创城孵化基地"]
    assert [r.name for r in bases.list_bases(BaseFilter(archived=True))] == ["离石区电商产业园"]
    bases.restore_base(base_id)
    assert len(bases.list_bases()) == 2


def test_history_records_changes(services, bases, add_base):
    add_base()
    with services.db.unit_of_work() as uow:
        rows = uow.session.execute(sqlalchemy.text(
            "SELECT summary FROM change_record WHERE table_name = 'incubation_base'")).all()
    assert rows and "离石区电商产业园" in rows[0][0]


def test_the_change_history_of_a_base_reads_in_chinese(services, bases, add_base):
    base_id = add_base()
    bases.change_level(base_id, "city_applied", date(2025, 3, 1))
    texts = {(c.label, c.old_text, c.new_text) for table in ("incubation_base", "base_level_event")
             for r in services.history.list(table=table) for c in r.changes}
    assert ("认定层级", "培育", "申报市级") in texts and ("新层级", "（空）", "申报市级") in texts
    assert not [t for t in texts if "city_applied" in t[1] + t[2] or "ecommerce" in t[1] + t[2]]


def test_full_level_lifecycle(bases, add_base):
    base_id = add_base()
    bases.change_level(base_id, "city_applied", date(2025, 3, 1))
    bases.change_level(base_id, "市级", date(2025, 6, 1), "吕中小企发〔2025〕8号")
    bases.change_level(base_id, "provincial_applied", date(2026, 2, 1))
    bases.change_level(base_id, "provincial", date(2026, 7, 1), "晋中小企发〔2026〕21号")
    row = bases.base(base_id)[0]
    assert (row.level_label, row.city_recognized_on, row.city_document_no) == (
        "省级", date(2025, 6, 1), "吕中小企发〔2025〕8号")
    assert (row.recognized_on, row.document_no) == (date(2026, 7, 1), "晋中小企发〔2026〕21号")
    assert [(e.from_label, e.to_label) for e in bases.timeline(base_id)] == [
        ("", "培育"), ("培育", "申报市级"), ("申报市级", "市级"), ("市级", "申报省级"), ("申报省级", "省级")]
    bases.change_level(base_id, "revoked", date(2026, 10, 1), reason="复核不合格")
    assert bases.base(base_id)[0].level_label == "撤销"


def test_not_approved_falls_back_without_a_new_document(bases, add_base):
    base_id = add_base(level="city", city_recognized_on="2024-05-01", city_document_no="吕中小企发〔2024〕3号")
    bases.change_level(base_id, "provincial_applied", date(2025, 3, 1))
    bases.change_level(base_id, "city", date(2025, 12, 1), reason="省级未通过")
    assert bases.base(base_id)[0].city_document_no == "吕中小企发〔2024〕3号"


# ---- bad input: a clear Chinese message, nothing changed

def test_recognised_without_dates_and_document_refused_on_register(services, bases, add_base):
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        add_base(level="市级")
    text = messages(refused)
    assert "市级认定日期" in text and "市级认定文号" in text
    with pytest.raises(ValidationFailed) as refused:
        add_base(level="provincial", provincial_recognized_on="2025-01-01")
    assert "省级认定文号" in messages(refused)
    assert snapshot(services) == before


def test_level_change_without_document_refused(services, bases, add_base):
    base_id = add_base()
    bases.change_level(base_id, "city_applied", date(2025, 3, 1))
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "city", date(2025, 6, 1), "")
    assert "认定为市级双创基地须填写认定文号" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "city", None, "吕中小企发〔2025〕8号")
    assert "请填写变为“市级”的日期" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "city", "2025-13-40", "吕中小企发〔2025〕8号")
    assert "日期应为日期" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "city", date(2025, 1, 1), "吕中小企发〔2025〕8号")
    assert "早于当前层级的生效日期" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "city", date(2027, 1, 1), "吕中小企发〔2025〕8号")
    assert "不能晚于今天" in messages(refused)
    assert snapshot(services) == before


def test_transition_not_allowed_refused(services, bases, add_base):
    base_id = add_base()
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "provincial", date(2025, 6, 1), "晋中小企发〔2025〕1号")
    assert messages(refused) == "不能从“培育”直接变为“省级”。当前可变为：申报市级"
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "nonsense", date(2025, 6, 1))
    assert "不存在" in messages(refused)
    with pytest.raises(ValidationFailed):
        add_base("另一个基地", level="revoked")
    assert snapshot(services) == before


def test_revoke_needs_reason(services, bases, add_base):
    base_id = add_base(level="city", city_recognized_on="2024-05-01", city_document_no="吕中小企发〔2024〕3号")
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.change_level(base_id, "revoked", date(2025, 6, 1))
    assert "须填写原因" in messages(refused)
    assert snapshot(services) == before


def test_editing_cannot_blank_the_recognition_of_the_current_level(services, bases, add_base):
    base_id = add_base(level="city", city_recognized_on="2024-05-01", city_document_no="吕中小企发〔2024〕3号")
    _row, draft = bases.base(base_id)
    draft.city_document_no = ""
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.save_base(draft, base_id)
    assert "市级认定文号" in messages(refused)
    assert snapshot(services) == before


def test_bad_base_fields_refused(services, bases, add_base):
    add_base()
    before = snapshot(services)
    cases = [
        (BaseDraft(name="", kind="ecommerce"), "请填写基地名称"),
        (BaseDraft(name="甲", kind=""), "请选择基地类型"),
        (BaseDraft(name="甲", kind="菜市场"), "不在可选范围内"),
        (BaseDraft(name="甲", kind="ecommerce", floor_area="很大"), "建筑面积应为数字"),
        (BaseDraft(name="甲", kind="ecommerce", floor_area="-5"), "建筑面积应大于 0"),
        (BaseDraft(name="甲", kind="ecommerce", operator_type="外星企业"), "运营主体性质应为"),
        (BaseDraft(name="离石区电商产业园", kind="ecommerce"), "已有名为"),
        (BaseDraft(name="甲", kind="ecommerce", opened_on="2030-01-01"), "不能晚于今天"),
        (BaseDraft(name="甲", kind="ecommerce", level="city", city_applied_on="2025-05-01",
                   city_recognized_on="2025-01-01", city_document_no="x"), "早于申报市级日期"),
    ]
    for draft, expected in cases:
        with pytest.raises(ValidationFailed) as refused:
            bases.save_base(draft)
        assert expected in messages(refused), (draft, messages(refused))
    assert snapshot(services) == before


def test_archived_tenant_refused(services, bases, add_base, add_firm):
    base_id = add_base()
    firm = add_firm("吕梁已注销商贸有限公司")
    services.enterprises.archive(firm, "已注销")
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.add_tenant(base_id, firm, date(2025, 3, 1))
    assert messages(refused) == ("“吕梁已注销商贸有限公司”已在企业库中归档，不能登记为入驻企业；"
                                 "如该企业仍在经营，请先在企业库中恢复。")
    assert snapshot(services) == before


def test_move_out_before_move_in_refused(services, bases, add_base, add_firm):
    base_id = add_base()
    firm = add_firm()
    tenant = bases.add_tenant(base_id, firm, date(2025, 3, 1))
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.move_out_tenant(tenant, date(2025, 2, 1), "搬迁")
    assert messages(refused) == "迁出日期（2025-02-01）早于入驻日期（2025-03-01），请核对"
    with pytest.raises(ValidationFailed) as refused:
        bases.add_tenant(base_id, add_firm(), "2025-03-01", "2024-12-31")
    assert "早于入驻日期" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.move_out_tenant(tenant, None)
    assert "请填写迁出日期" in messages(refused)
    assert snapshot(services)[:3] == before[:3]
    bases.move_out_tenant(tenant, date(2026, 5, 1), "扩产搬迁")
    with pytest.raises(ValidationFailed) as refused:
        bases.move_out_tenant(tenant, date(2026, 6, 1))
    assert "已于 2026-05-01 迁出" in messages(refused)


def test_tenant_twice_and_missing_firm_refused(services, bases, add_base, add_firm):
    base_id = add_base()
    firm = add_firm("吕梁重复入驻有限公司")
    bases.add_tenant(base_id, firm, date(2025, 3, 1))
    before = snapshot(services)
    with pytest.raises(ValidationFailed) as refused:
        bases.add_tenant(base_id, firm, date(2025, 4, 1))
    assert "已入驻本基地" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.add_tenant(base_id, 999_999, date(2025, 4, 1))
    assert "请选择入驻企业" in messages(refused)
    with pytest.raises(ValidationFailed) as refused:
        bases.add_tenant(base_id, add_firm(), None)
    assert "请填写入驻日期" in messages(refused)
    assert snapshot(services)[:3] == before[:3]


def test_bad_year_figures_refused(services, bases, add_base):
    base_id = add_base()
    before = snapshot(services)
    for draft, expected in [(YearDraft(year="1990", tenants="5"), "年度应为"),
                            (YearDraft(year="2025", tenants="-1"), "不能为负数"),
                            (YearDraft(year="2025", tenants="3", new_tenants="5"), "不能多于"),
                            (YearDraft(year="2025", jobs="很多"), "应为整数")]:
        with pytest.raises(ValidationFailed) as refused:
            bases.save_year(base_id, draft)
        assert expected in messages(refused)
    assert snapshot(services) == before


# ---- derived counts

def test_derived_counts_from_pools_and_above_scale(services, bases, cult, add_base, add_firm):
    base_id = add_base()
    big = add_firm("吕梁规上制造有限公司", above_scale=True, above_scale_since="2024-06")
    late = add_firm("吕梁明年入统有限公司", above_scale=True, above_scale_since="2026-02")
    srdi = add_firm("吕梁专精特新科技有限公司")
    applied = add_firm("吕梁仅申报科技有限公司")
    gone = add_firm("吕梁早已迁出有限公司", above_scale=True, above_scale_since="2020-01")
    cult.pools.add_to_pool(srdi, RecordDraft(pool="srdi", tier="srdi_provincial", status="recognized",
                                             recognized_on="2025-04-01", document_no="晋工信〔2025〕9号"))
    cult.pools.add_to_pool(applied, RecordDraft(pool="srdi", tier="srdi_provincial", status="applied"))
    for firm in (big, late, srdi, applied):
        bases.add_tenant(base_id, firm, date(2025, 3, 1))
    bases.add_tenant(base_id, gone, date(2023, 1, 1), date(2024, 6, 30))
    bases.save_year(base_id, YearDraft(year="2025", tenants="30", new_tenants="8", jobs="260"))
    f2025 = bases.figures(2025)[base_id]
    assert (f2025.tenants, f2025.new_tenants, f2025.jobs) == (30, 8, 260)
    assert (f2025.linked_tenants, f2025.linked_new, f2025.above_scale, f2025.srdi) == (4, 4, 1, 1)
    f2026 = bases.figures(2026)[base_id]
    assert (f2026.typed, f2026.linked_tenants, f2026.linked_new, f2026.above_scale, f2026.srdi) == (
        False, 4, 0, 2, 1)
    f2024 = bases.figures(2024)[base_id]
    assert (f2024.linked_tenants, f2024.above_scale) == (1, 1)
    assert [y.year for y in bases.years(base_id)] == [2026, 2025, 2024, 2023]
    tenants = bases.tenants(base_id)
    assert [t.name for t in tenants if not t.current] == ["吕梁早已迁出有限公司"]
    assert len(bases.tenants(base_id, include_moved_out=False)) == 4
    assert bases.list_bases()[0].current_tenants == 4
