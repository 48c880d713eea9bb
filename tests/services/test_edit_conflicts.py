"""Two clerks editing the same record (issue 22): the second save is refused with who and when, nothing lost."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseDraft, YearDraft
from tests.conftest import Backend, make_uscc, open_services


@pytest.fixture
def clerks(tmp_path, backend: Backend):
    """Two programs on one city database (the same SQLite file, or the PostgreSQL server): 李四 and 王五."""
    first = open_services(backend.data_dir(tmp_path / "city"))
    first.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    first.forget_office()
    first.office.add_operator("王五")
    first.office.use_operator("李四")
    second = open_services(backend.data_dir(tmp_path / "city" if backend.url is None else tmp_path / "clerk2"))
    second.office.use_operator("王五")
    yield first, second
    second.close()
    first.close()


def _firm(s: Services) -> int:
    return s.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=41), name="吕梁晋新机械有限公司",
                                              county_code="141102", contact_person="赵六",
                                              years=[YearDraft(2025, revenue="1200")])).id


def _last_change_words(s: Services, firm: int) -> str:
    newest = s.history.record_history("enterprise", firm, include_children=False)[0]
    return f"{newest.operator} 于 {newest.at:%m-%d %H:%M}"


def test_the_second_save_of_the_same_firm_is_told_who_changed_it_and_writes_nothing(clerks) -> None:
    li, wang = clerks
    firm = _firm(li)
    li_form, wang_form = li.enterprises.draft(firm), wang.enterprises.draft(firm)
    wang.enterprises.save(replace(wang_form, contact_person="王五改的联系人"), firm)
    with pytest.raises(EditConflict) as told:
        li.enterprises.save(replace(li_form, contact_phone="0358-8221234"), firm)
    assert f"该记录已被 {_last_change_words(li, firm)} 修改" in str(told.value)
    assert "王五" in str(told.value) and "请关闭后重新打开" in str(told.value)
    stored = li.enterprises.draft(firm)
    assert (stored.contact_person, stored.contact_phone) == ("王五改的联系人", "")  # 王五's change kept, nothing of 李四's
    li.enterprises.save(replace(stored, contact_phone="0358-8221234"), firm)  # reopened: the save goes through
    again = wang.enterprises.draft(firm)
    assert (again.contact_person, again.contact_phone) == ("王五改的联系人", "0358-8221234")


def test_a_change_of_the_yearly_figures_alone_also_tells_the_other_clerk(clerks) -> None:
    li, wang = clerks
    firm = _firm(li)
    li_form, wang_form = li.enterprises.draft(firm), wang.enterprises.draft(firm)
    wang.enterprises.save(replace(wang_form, years=[YearDraft(2025, revenue="1200", net_profit="80")]), firm)
    with pytest.raises(EditConflict):
        li.enterprises.save(replace(li_form, remarks="李四的备注"), firm)
    assert li.enterprises.draft(firm).years[0].net_profit == "80"
    assert li.enterprises.draft(firm).remarks == ""


def test_saves_without_a_form_version_are_not_checked_and_each_save_raises_the_version(clerks) -> None:
    li, wang = clerks
    firm = _firm(li)
    first = li.enterprises.draft(firm).version
    li.enterprises.save(replace(li.enterprises.draft(firm), remarks="一", version=None), firm)  # an import's path
    assert wang.enterprises.draft(firm).version == (first or 0) + 1
