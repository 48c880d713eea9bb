"""Two clerks editing the same record (issue 22): the second save is refused with who and when, nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import psycopg
import pytest

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.validation.assignments import AssignmentDraft
from lvqi_desktop.validation.assignments import HelperDraft
from lvqi_desktop.validation.demands import DemandDraft
from lvqi_desktop.validation.pools import RecordDraft
from lvqi_desktop.validation.visits import VisitDraft
from tests.conftest import Backend
from tests.conftest import make_uscc
from tests.conftest import open_services

WANG = "王五"  # the second clerk's name in the history: picked on a file, the login role on the server


def _role_url(url: str, role: str, password: str) -> str:
    """The superuser's address with a clerk's role and password instead (the server's part of the address kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}:{password}@{parts.netloc.rpartition('@')[2]}"))


def _server_clerk(url: str) -> str:
    """A login role for the second clerk, with the rights docs/city-server.md §2 grants clerks."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in ("DROP ROLE IF EXISTS wangwu", "CREATE ROLE wangwu LOGIN PASSWORD 'w-pw'",
                    f'GRANT CONNECT ON DATABASE "{name}" TO wangwu', "GRANT USAGE ON SCHEMA public TO wangwu",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO wangwu",
                    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO wangwu",
                    "REVOKE UPDATE, DELETE, TRUNCATE ON change_record FROM wangwu"):
            conn.execute(sql)
    return _role_url(url, "wangwu", "w-pw")


@pytest.fixture
def clerks(tmp_path, backend: Backend):
    """Two programs on one city database: 李四 and 王五 on the same SQLite file; on the PostgreSQL server the
    owner's role and 王五's own role `wangwu`. Returns (first, second, the second's name in the history)."""
    first = open_services(backend.data_dir(tmp_path / "city"))
    first.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    first.forget_office()
    first.office.add_operator(WANG)
    first.office.use_operator("李四")
    if backend.url is None:
        second = open_services(backend.data_dir(tmp_path / "city"))
    else:
        second = open_services(DataDir(tmp_path / "clerk2", _server_clerk(backend.url)))
    second.office.use_operator(WANG)
    yield first, second, WANG if backend.url is None else "wangwu"
    second.close()
    first.close()


def _firm(s: Services) -> int:
    return s.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=41), name="吕梁晋新机械有限公司",
                                              county_code="141102", contact_person="赵六",
                                              years=[YearDraft(2025, revenue="1200")])).id


def _last_change_words(s: Services, firm: int) -> str:
    newest = s.history.record_history("enterprise", firm, include_children=False)[0]
    return f"{newest.operator} 于 {newest.at:%Y-%m-%d %H:%M}"


def test_the_second_save_of_the_same_firm_is_told_who_changed_it_and_writes_nothing(clerks) -> None:
    li, wang, wang_name = clerks
    firm = _firm(li)
    li_form, wang_form = li.enterprises.draft(firm), wang.enterprises.draft(firm)
    wang.enterprises.save(replace(wang_form, contact_person="王五改的联系人"), firm)
    with pytest.raises(EditConflict) as told:
        li.enterprises.save(replace(li_form, contact_phone="0358-8221234"), firm)
    assert f"该记录已被 {_last_change_words(li, firm)} 修改" in str(told.value)
    assert wang_name in str(told.value) and "请关闭后重新打开" in str(told.value)
    stored = li.enterprises.draft(firm)
    assert (stored.contact_person, stored.contact_phone) == ("王五改的联系人", "")  # 王五's change kept, nothing of 李四's
    li.enterprises.save(replace(stored, contact_phone="0358-8221234"), firm)  # reopened: the save goes through
    again = wang.enterprises.draft(firm)
    assert (again.contact_person, again.contact_phone) == ("王五改的联系人", "0358-8221234")


def test_a_change_of_the_yearly_figures_alone_also_tells_the_other_clerk(clerks) -> None:
    li, wang, wang_name = clerks
    firm = _firm(li)
    li_form, wang_form = li.enterprises.draft(firm), wang.enterprises.draft(firm)
    wang.enterprises.save(replace(wang_form, years=[YearDraft(2025, revenue="1200", net_profit="80")]), firm)
    with pytest.raises(EditConflict):
        li.enterprises.save(replace(li_form, remarks="李四的备注"), firm)
    assert li.enterprises.draft(firm).years[0].net_profit == "80"
    assert li.enterprises.draft(firm).remarks == ""


def test_saves_without_a_form_version_are_not_checked_and_each_save_raises_the_version(clerks) -> None:
    li, wang, _name = clerks
    firm = _firm(li)
    first = li.enterprises.draft(firm).version
    li.enterprises.save(replace(li.enterprises.draft(firm), remarks="一", version=None), firm)  # an import's path
    raised = wang.enterprises.draft(firm).version
    assert (raised or 0) > (first or 0)
    touched = li.enterprises.rows_by_ids([firm])[0].updated_at
    li.enterprises.save(li.enterprises.draft(firm), firm)  # 保存 with nothing changed: nobody else is refused
    assert wang.enterprises.draft(firm).version == raised
    assert li.enterprises.rows_by_ids([firm])[0].updated_at == touched


def test_visits_demands_and_pool_records_refuse_the_stale_form_too(clerks) -> None:
    li, wang, wang_name = clerks
    firm = _firm(li)
    visit = li.visits.log_visit(VisitDraft(firm, date(2026, 11, 2), visitors="李四", remarks="初次走访")).visit_id
    demand = li.demands.register(DemandDraft(enterprise_id=firm, source="visit", category="finance",
                                             description="流动资金紧张", received_on=date(2026, 11, 2))).id
    record = li.cultivation.pools.add_to_pool(firm, RecordDraft(pool="scale_up"))
    li_visit, li_demand = li.visits.draft_of(visit), li.demands.draft(demand)
    li_record = li.cultivation.pools.record(record).draft
    wang.visits.update_visit(visit, replace(wang.visits.draft_of(visit), firm_reported="订单增加"))
    wang.demands.update(demand, replace(wang.demands.draft(demand), suggestion="协调银行"))
    wang.cultivation.pools.update_record(record, replace(wang.cultivation.pools.record(record).draft,
                                                         responsible_person="王五"))
    for save in (lambda: li.visits.update_visit(visit, replace(li_visit, remarks="李四改的")),
                 lambda: li.demands.update(demand, replace(li_demand, description="李四改的")),
                 lambda: li.cultivation.pools.update_record(record, replace(li_record, notes="李四改的"))):
        with pytest.raises(EditConflict, match=f"该记录已被 {wang_name} 于 .* 修改"):
            save()
    assert li.visits.draft_of(visit).firm_reported == "订单增加" and li.visits.draft_of(visit).remarks == "初次走访"
    assert li.demands.draft(demand).description == "流动资金紧张"
    assert li.cultivation.pools.record(record).draft.notes == ""
    fresh = li.visits.draft_of(visit)  # reopened: the clerk's change goes in on top of the other's
    li.visits.update_visit(visit, replace(fresh, remarks="李四改的"))
    assert (wang.visits.draft_of(visit).firm_reported, wang.visits.draft_of(visit).remarks) == ("订单增加", "李四改的")


def test_a_county_base_edited_by_two_clerks_keeps_the_first_save(tmp_path) -> None:
    county = DataDir(tmp_path / "county")
    zhang = open_services(county)
    zhang.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
    zhang.forget_office()
    zhang.office.use_operator("张三")
    zhao = open_services(county)
    zhao.office.add_operator("赵六")
    zhao.office.use_operator("赵六")
    try:
        base = zhang.bases.save_base(BaseDraft(name="离石区电商产业园", kind="ecommerce", operator_name="吕梁某运营有限公司",
                                               operator_type="民营企业", address="离石区滨河北路1号", floor_area="1200"))
        zhang_form, zhao_form = zhang.bases.base(base)[1], zhao.bases.base(base)[1]
        zhao.bases.save_base(replace(zhao_form, contact_person="赵六"), base)
        with pytest.raises(EditConflict, match="该记录已被 赵六 于"):
            zhang.bases.save_base(replace(zhang_form, floor_area="1500"), base)
        stored = zhang.bases.base(base)[1]
        assert (stored.contact_person, stored.floor_area) == ("赵六", "1200")
    finally:
        zhao.close()
        zhang.close()


def test_a_save_racing_another_between_its_read_and_its_write_is_refused_too(clerks) -> None:
    """The version check is also in the UPDATE itself (WHERE version = the one read): no window for a lost write."""
    li, wang, wang_name = clerks
    firm = _firm(li)
    # SQLite: the UPDATE finds another version; the server refuses the second write itself (repeatable read)
    with pytest.raises((EditConflict, ServerTrouble), match="刚被其他人修改|刚刚同时修改"), li.db.unit_of_work() as uow:
        record = uow.enterprises.get(firm)  # 李四's save has read the record ...
        assert record is not None
        wang.enterprises.save(replace(wang.enterprises.draft(firm), remarks="王五先存"), firm)  # ... 王五 saves ...
        record.remarks = "李四后存"
        uow.commit()  # ... and 李四's write finds another version
    assert li.enterprises.draft(firm).remarks == "王五先存"


def _target_row(s: Services, target: int):
    return next(r for r in s.cultivation.targets.progress(year=2027) if r.target_id == target)


def test_a_county_target_changed_by_two_city_clerks_keeps_the_first_change(clerks) -> None:
    li, wang, wang_name = clerks
    target = li.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "40", "吕企发〔2022〕22号")
    li_row, wang_row = _target_row(li, target), _target_row(wang, target)  # both open 修改目标 on 40
    wang.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "60", "", wang_row.version)
    with pytest.raises(EditConflict, match=f"该记录已被 {wang_name} 于 .* 修改"):
        li.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "50", "", li_row.version)
    assert _target_row(li, target).target == 60  # 王五's value stands; 李四's is not written over it
    fresh = _target_row(li, target)  # reopened on 60: 李四's change goes through
    li.cultivation.targets.save_target("141102", "scale_up_entered", 2027, "50", "", fresh.version)
    assert _target_row(wang, target).target == 50


def test_an_assignment_ended_by_one_clerk_is_not_handed_on_by_another_with_a_stale_list(clerks) -> None:
    li, wang, wang_name = clerks
    firm = _firm(li)
    zhang = li.helpers.save_helper(HelperDraft(name="张三", post="副县长", unit="县政府", level="county"))
    zhao = li.helpers.save_helper(HelperDraft(name="赵六", post="局长", unit="县工信局", level="county"))
    pair = li.helpers.assign(AssignmentDraft(firm, zhang, role="lead", from_date=date(2026, 1, 1)))
    li_row = li.helpers.assignments(enterprise_id=firm)[0]  # 李四's list, read before 王五 acts
    wang.helpers.end_assignment(pair, date(2026, 10, 31), wang.helpers.assignments(enterprise_id=firm)[0].version)
    with pytest.raises(EditConflict, match=f"该记录已被 {wang_name} 于 .* 修改"):
        li.helpers.reassign(pair, date(2026, 11, 1), helper_id=zhao, version=li_row.version)
    with pytest.raises(EditConflict):
        li.helpers.end_assignment(pair, date(2026, 12, 31), li_row.version)
    rows = li.helpers.assignments(enterprise_id=firm)
    assert [(r.helper_name, r.to_date) for r in rows] == [("张三", date(2026, 10, 31))]  # 王五's end stands alone
