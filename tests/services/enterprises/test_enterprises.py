"""The enterprise register service on a temporary SQLite file: save, refuse, search, archive."""

from __future__ import annotations

import pytest

from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.enterprises import YearDraft
from tests.conftest import make_uscc


def draft(name: str = "吕梁建投有限公司", uscc: str | None = None, **kw) -> EnterpriseDraft:
    fields = {"township_code": "141102001", "industry_section": "C", **kw}
    return EnterpriseDraft(uscc=uscc or make_uscc(seed=1), name=name, **fields)


def test_saved_enterprise_is_listed_with_its_township(services) -> None:
    saved = services.enterprises.save(draft())
    rows = services.enterprises.list_rows()
    assert [(r.id, r.name, r.township_name, r.county_code) for r in rows] == [
        (saved.id, "吕梁建投有限公司", "滨河街道", "141102")]


def test_search_by_pinyin_initials_full_pinyin_and_uscc_fragment(services) -> None:
    uscc = make_uscc(seed=2)
    a = services.enterprises.save(draft("吕梁建投有限公司", uscc)).id
    services.enterprises.save(draft("汾阳杏花村酒业有限公司", make_uscc(seed=3)))
    for text in ("lljt", "LLJT", "lvliangjiantou", uscc[8:14].lower(), "建投"):
        assert services.enterprises.matching_ids(EnterpriseFilter(search=text)) == [a], text


def test_u_umlaut_may_be_typed_as_u_v_or_umlaut(services) -> None:
    lv = services.enterprises.save(draft("吕梁建投有限公司", make_uscc(seed=2))).id
    lu = services.enterprises.save(draft("鲁梁商贸有限公司", make_uscc(seed=3))).id
    for text in ("lvliang", "lüliang", "LÜLIANG", "lu:liang"):
        assert services.enterprises.matching_ids(EnterpriseFilter(search=text)) == [lv], text
    assert services.enterprises.matching_ids(EnterpriseFilter(search="luliang")) == [lv, lu]
    assert services.enterprises.matching_ids(EnterpriseFilter(search="luliangjiantou")) == [lv]


def test_the_demo_draws_from_current_firms_in_id_order_not_the_search_index_order(services) -> None:
    # saved in reverse pinyin order: the covering search index would list them backwards
    names = ["郑州重工有限公司", "太原钢铁有限公司", "汾阳酒业有限公司", "安泰建材有限公司"]
    ids = [services.enterprises.save(draft(name, make_uscc(seed=20 + n))).id for n, name in enumerate(names)]
    services.enterprises.archive(ids[2], "已注销")
    assert services.enterprises.current_ids() == [ids[0], ids[1], ids[3]]


def test_search_terms_are_anded_and_like_wildcards_are_literal(services) -> None:
    services.enterprises.save(draft("吕梁建投有限公司"))
    assert services.enterprises.matching_ids(EnterpriseFilter(search="lljt fyxhc")) == []
    assert services.enterprises.matching_ids(EnterpriseFilter(search="%")) == []
    assert services.enterprises.matching_ids(EnterpriseFilter(search="_")) == []


def test_the_register_s_search_on_loaded_rows_finds_what_the_database_finds(services) -> None:
    """One rule, two runners: SQL LIKE for the CLI and filters, keys_matching for a keystroke in the register."""
    from lvqi_desktop.models.search_keys import keys_matching

    for seed, name in enumerate(["吕梁建投有限公司", "鲁梁商贸有限公司", "离石安宸商贸有限公司", "兴县煤业有限公司",
                                 "100%纯净水有限公司", "A_B科技有限公司", "山西Lvliang国际贸易有限公司"], start=70):
        services.enterprises.save(draft(name, make_uscc(seed=seed)))
    rows = services.enterprises.list_rows()
    for text in ("lvliang", "lüliang", "LÜLIANG", "luliang", "lu:liang", "lljt", "ll gs", "xingxian", "%", "_",
                 "a_b", "100%", "煤业", "安宸", "14110", "shang mao", "qq", "", "  "):
        in_memory = {r.id for r, hit in zip(rows, keys_matching([r.search_key for r in rows], text), strict=True)
                     if hit}
        assert in_memory == set(services.enterprises.matching_ids(EnterpriseFilter(search=text))), text


def test_duplicate_uscc_names_the_existing_enterprise(services) -> None:
    first = services.enterprises.save(draft("吕梁建投有限公司")).id
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(draft("另一家有限公司"))
    assert "已登记为“吕梁建投有限公司”" in str(refused.value)
    assert refused.value.existing_id == first
    assert len(services.enterprises.list_rows()) == 1


def test_same_name_with_other_brackets_counts_as_duplicate(services) -> None:
    services.enterprises.save(draft("吕梁某某（集团）有限公司", make_uscc(seed=5)))
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(draft("吕梁某某(集团)有限公司", make_uscc(seed=6)))
    assert "同名企业" in str(refused.value)


def test_same_uscc_in_another_county_is_allowed_for_the_city(blank_services) -> None:
    blank_services.office.set_up("city", None, "吕梁市中小企业服务中心", "市中心")
    blank_services.forget_office()
    code = make_uscc(seed=9)
    blank_services.enterprises.save(EnterpriseDraft(uscc=code, name="甲公司", county_code="141102"))
    blank_services.enterprises.save(EnterpriseDraft(uscc=code, name="甲公司", county_code="141181"))
    assert len(blank_services.enterprises.list_rows()) == 2


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "请填写企业名称"),
    ({"name": "字" * 10000}, "不能超过100个字"),
    ({"contact_phone": "12345"}, "联系电话"),
    ({"registered_on": "2099-01-01"}, "成立日期不能晚于今天"),
    ({"registered_on": "昨天"}, "成立日期应为日期"),
    ({"years": [YearDraft(2025, employees="-3")]}, "从业人员不能为负数"),
    ({"years": [YearDraft(2025, revenue="三千万")]}, "营业收入应为数字"),
    ({"years": [YearDraft(2025, revenue="-1")]}, "营业收入不能为负数"),
    ({"township_code": "141181100"}, "不属于该县"),
    ({"size_class_override": "2"}, "必须填写理由"),
    ({"industry_class": "9999"}, "行业小类“9999”不存在"),
    ({"industry_class": "3311", "industry_section": "F"}, "行业小类 3311 属于门类 C，与所选门类 F 不符"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(services, changes, message) -> None:
    d = draft()
    for key, value in changes.items():
        setattr(d, key, value)
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(d)
    assert message in str(refused.value)
    assert services.enterprises.list_rows() == []


def test_liabilities_above_assets_warn_but_save(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2025, total_assets="100", total_liabilities="150")]))
    assert any("负债总额大于资产总额" in w for w in saved.warnings)


def test_a_class_of_the_chosen_section_is_taken(services) -> None:
    saved = services.enterprises.save(draft(industry_section="F", industry_class="5212"))
    assert services.enterprises.draft(saved.id).industry_class == "5212"


def test_implausible_liabilities_warn_but_save(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2025, total_assets="2000", total_liabilities="1e9")]))
    assert "2025年负债总额 1,000,000,000.00 万元（约 100,000 亿元）超过一千亿元，请核对单位是否为万元（不是元）" in saved.warnings
    assert services.enterprises.draft(saved.id).years[0].total_liabilities == "1000000000"


def test_a_code_registered_in_another_county_warns_but_saves(services) -> None:
    saved = services.enterprises.save(draft(uscc=make_uscc("141181", seed=4)))
    assert any("表示在孝义市登记，而企业填在离石区" in w for w in saved.warnings), saved.warnings
    city_level = services.enterprises.save(draft("吕梁市级登记有限公司", uscc=make_uscc("141100", seed=4)))
    assert not any("登记" in w for w in city_level.warnings), city_level.warnings


def test_money_is_stored_exactly_in_fen(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2025, revenue="1234.567891")]))
    assert services.enterprises.list_rows()[0].latest_revenue_fen == 1234567891
    assert services.enterprises.draft(saved.id).years[0].revenue == "1234.567891"


def test_size_class_is_computed_from_newest_figures_and_override_needs_reason(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2024, revenue="100", employees="5"),
                                                   YearDraft(2025, revenue="3000", employees="350")]))
    assert saved.size_class == "2"
    d = services.enterprises.draft(saved.id)
    d.size_class_override, d.size_class_override_reason = "3", "统计局划型结果为小型"
    again = services.enterprises.save(d, saved.id)
    assert (again.size_class, again.size_class_computed) == ("3", "2")


def test_ambiguous_section_uses_the_chosen_group(services) -> None:
    saved = services.enterprises.save(draft(industry_section="F", size_group="retail",
                                            years=[YearDraft(2025, revenue="600", employees="60")]))
    assert saved.size_class == "2"


def test_archive_and_restore(services) -> None:
    eid = services.enterprises.save(draft()).id
    services.enterprises.archive(eid, "已注销")
    assert services.enterprises.list_rows() == []
    archived = services.enterprises.list_rows(EnterpriseFilter(archived=True))
    assert [r.id for r in archived] == [eid] and archived[0].archived
    services.enterprises.restore(eid)
    assert [r.id for r in services.enterprises.list_rows()] == [eid]


def test_archived_uscc_cannot_be_registered_again(services) -> None:
    eid = services.enterprises.save(draft()).id
    services.enterprises.archive(eid)
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(draft("新名字有限公司"))
    assert "已归档" in str(refused.value)


def test_refused_update_leaves_the_record_unchanged(services) -> None:
    eid = services.enterprises.save(draft()).id
    d = services.enterprises.draft(eid)
    d.name, d.contact_phone = "改了名字有限公司", "not a phone"
    with pytest.raises(ValidationFailed):
        services.enterprises.save(d, eid)
    assert services.enterprises.draft(eid).name == "吕梁建投有限公司"


def test_unknown_id_is_not_found(services) -> None:
    with pytest.raises(NotFound):
        services.enterprises.draft(999)


def test_office_cannot_change_once_records_exist(services) -> None:
    services.enterprises.save(draft())
    with pytest.raises(ValidationFailed) as refused:
        services.office.set_up("county", "141181", "孝义市中心", "张三")
    assert "不能再更改所属单位" in str(refused.value)


def test_office_can_change_while_empty(services) -> None:
    services.office.set_up("county", "141181", "孝义市中心", "张三")
    services.forget_office()
    assert services.office_info().county_code == "141181"
