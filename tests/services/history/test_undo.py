"""UndoService: undo/redo of edits, archive, restore, insert and bulk changes, per program run."""

from __future__ import annotations

import pytest

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.undo import UndoService
from lvqi_desktop.services.undo_policies import EnterpriseUndoPolicy
from lvqi_desktop.services.undo_policies import default_undo_policies
from tests.conftest import make_uscc
from tests.conftest import open_services


def draft(name: str = "吕梁某某有限公司", seed: int = 1, **kw) -> EnterpriseDraft:
    return EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, township_code="141102001", **kw)


@pytest.fixture
def other_run(services, data_dir):
    """A second program run on the same data (its own session id), e.g. an earlier or later start."""
    other = open_services(data_dir)
    other.office.use_operator("王五")
    yield other
    other.db.dispose()


def names(services, archived: bool = False) -> list[str]:
    return [r.name for r in services.enterprises.list_rows(EnterpriseFilter(archived=archived))]


def history_count(services) -> int:
    return len(services.history.list(limit=None))


def test_nothing_to_undo_at_start(services) -> None:
    assert services.undo.undo_label() is None and services.undo.redo_label() is None
    with pytest.raises(LvqiError, match="没有可撤销"):
        services.undo.undo()
    with pytest.raises(LvqiError, match="没有可重做"):
        services.undo.redo()


def test_undo_and_redo_an_edit(services) -> None:
    saved = services.enterprises.save(draft(address="旧地址"))
    services.enterprises.save(draft("吕梁某某科技有限公司", address="新地址"), saved.id)
    assert services.undo.undo_label() == "撤销：修改企业 吕梁某某科技有限公司"
    assert services.enterprises.matching_ids(EnterpriseFilter(search="keji")) == [saved.id]
    result = services.undo.undo()
    assert result.label == "撤销：修改企业 吕梁某某科技有限公司" and result.changed == {"enterprise": (saved.id,)}
    back = services.enterprises.draft(saved.id)
    assert (back.name, back.address) == ("吕梁某某有限公司", "旧地址")
    assert services.enterprises.matching_ids(EnterpriseFilter(search="keji")) == []  # search keys follow
    assert services.enterprises.matching_ids(EnterpriseFilter(search="吕梁某某有限")) == [saved.id]
    assert services.undo.redo_label() == "重做：修改企业 吕梁某某科技有限公司"
    assert services.undo.undo_label() == "撤销：新增企业 吕梁某某有限公司"
    services.undo.redo()
    again = services.enterprises.draft(saved.id)
    assert (again.name, again.address) == ("吕梁某某科技有限公司", "新地址")
    assert services.enterprises.matching_ids(EnterpriseFilter(search="科技")) == [saved.id]
    assert services.undo.redo_label() is None


def test_undo_is_a_recorded_change(services) -> None:
    saved = services.enterprises.save(draft(address="旧地址"))
    services.enterprises.save(draft(address="新地址"), saved.id)
    edit = services.history.list(limit=1)[0]
    services.undo.undo()
    undo = services.history.list(limit=1)[0]
    assert (undo.action, undo.reverts_batch_id, undo.operator) == ("undo", edit.batch_id, "测试员")
    assert undo.summary == "撤销：修改企业 吕梁某某有限公司"
    assert [(c.field, c.old, c.new) for c in undo.changes] == [("address", "新地址", "旧地址")]
    services.undo.redo()
    redo = services.history.list(limit=1)[0]
    assert (redo.action, redo.reverts_batch_id) == ("redo", undo.batch_id)
    assert [(c.field, c.old, c.new) for c in redo.changes] == [("address", "旧地址", "新地址")]


def test_undo_and_redo_an_archive(services) -> None:
    saved = services.enterprises.save(draft())
    services.enterprises.archive(saved.id, "已注销")
    assert services.undo.undo_label() == "撤销：归档企业 吕梁某某有限公司"
    services.undo.undo()
    assert names(services) == ["吕梁某某有限公司"]
    services.undo.redo()
    assert names(services) == [] and names(services, archived=True) == ["吕梁某某有限公司"]


def test_undo_and_redo_a_restore(services) -> None:
    saved = services.enterprises.save(draft())
    services.enterprises.archive(saved.id, "误归档")
    services.enterprises.restore(saved.id)
    assert services.undo.undo_label() == "撤销：恢复企业 吕梁某某有限公司"
    services.undo.undo()
    assert names(services, archived=True) == ["吕梁某某有限公司"]
    services.undo.undo()  # and the archive before it
    assert names(services) == ["吕梁某某有限公司"]
    services.undo.redo()
    services.undo.redo()
    assert names(services) == ["吕梁某某有限公司"]


def test_undo_of_an_insert_archives_never_deletes(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2024, revenue="10")]))
    services.undo.undo()
    assert names(services) == [] and names(services, archived=True) == ["吕梁某某有限公司"]
    with services.db.unit_of_work() as uow:
        e = uow.enterprises.get(saved.id)
        assert e.archive_reason == "撤销新增"
        assert all(y.archived_at is not None for y in e.years)
    services.undo.redo()
    assert names(services) == ["吕梁某某有限公司"]
    assert [y.year for y in services.enterprises.draft(saved.id).years] == [2024]


def test_undo_of_an_edit_that_added_a_year_hides_the_year(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2023, revenue="10")]))
    services.enterprises.save(draft(years=[YearDraft(2023, revenue="10"), YearDraft(2024, revenue="20")]), saved.id)
    services.undo.undo()
    assert [y.year for y in services.enterprises.draft(saved.id).years] == [2023]
    assert services.enterprises.list_rows()[0].latest_year == 2023
    services.undo.redo()
    assert [y.year for y in services.enterprises.draft(saved.id).years] == [2023, 2024]
    services.undo.undo()
    services.enterprises.save(draft(years=[YearDraft(2023, revenue="10"), YearDraft(2024, revenue="30")]), saved.id)
    years = services.enterprises.draft(saved.id).years
    assert [(y.year, y.revenue) for y in years] == [(2023, "10"), (2024, "30")]


def test_undo_and_redo_a_bulk_status_change(services) -> None:
    ids = [services.enterprises.save(draft(f"企业{i}有限公司", i)).id for i in range(4)]
    result = services.bulk.set_business_status(ids, "revoked", "公告")
    assert services.undo.undo_label() == f"撤销：{result.label}"
    undone = services.undo.undo()
    assert sorted(undone.changed["enterprise"]) == ids
    assert {r.business_status for r in services.enterprises.list_rows()} == {"active"}
    services.undo.redo()
    assert {r.business_status for r in services.enterprises.list_rows()} == {"revoked"}


def test_several_undos_and_redos_go_back_and_forth_in_order(services) -> None:
    saved = services.enterprises.save(draft(address="一"))
    for address in ("二", "三"):
        services.enterprises.save(draft(address=address), saved.id)
    services.undo.undo()
    services.undo.undo()
    assert services.enterprises.draft(saved.id).address == "一"
    services.undo.redo()
    assert services.enterprises.draft(saved.id).address == "二"
    services.undo.redo()
    assert services.enterprises.draft(saved.id).address == "三"
    services.undo.undo()
    assert services.enterprises.draft(saved.id).address == "二"


def test_a_new_change_after_an_undo_clears_redo(services) -> None:
    saved = services.enterprises.save(draft(address="一"))
    services.enterprises.save(draft(address="二"), saved.id)
    services.undo.undo()
    assert services.undo.redo_label() is not None
    services.enterprises.save(draft(address="另改"), saved.id)
    assert services.undo.redo_label() is None
    with pytest.raises(LvqiError):
        services.undo.redo()
    services.undo.undo()
    assert services.enterprises.draft(saved.id).address == "一"


def test_undo_covers_only_this_program_run(services, other_run) -> None:
    services.enterprises.save(draft())
    assert other_run.undo.undo_label() is None
    assert services.undo.undo_label() == "撤销：新增企业 吕梁某某有限公司"


def test_a_change_that_cannot_be_undone_ends_the_undo_stack(services) -> None:
    services.enterprises.save(draft())
    services.office.add_operator("赵六")  # operators have no undo policy
    assert services.undo.undo_label() is None


def test_undo_of_an_archive_refused_when_the_name_is_taken_again(services, other_run) -> None:
    saved = services.enterprises.save(draft("吕梁某某有限公司", 1))
    services.enterprises.archive(saved.id)
    other_run.enterprises.save(draft("吕梁某某有限公司", 2))  # re-registered meanwhile
    before = history_count(services)
    with pytest.raises(ValidationFailed, match="无法撤销：已有同名企业"):
        services.undo.undo()
    assert names(services, archived=True) == ["吕梁某某有限公司"]
    assert history_count(services) == before
    assert services.undo.undo_label() == "撤销：归档企业 吕梁某某有限公司"


def test_undo_of_a_uscc_correction_refused_when_the_old_code_is_taken(services, other_run) -> None:
    old, new = make_uscc(seed=1), make_uscc(seed=2)
    saved = services.enterprises.save(EnterpriseDraft(uscc=old, name="甲有限公司"))
    services.enterprises.save(EnterpriseDraft(uscc=new, name="甲有限公司"), saved.id)
    other_run.enterprises.save(EnterpriseDraft(uscc=old, name="乙有限公司"))
    with pytest.raises(ValidationFailed, match=f"统一社会信用代码 {old} 现已登记为“乙有限公司”"):
        services.undo.undo()
    assert services.enterprises.draft(saved.id).uscc == new


def test_undo_refused_when_the_record_changed_since(services, other_run) -> None:
    saved = services.enterprises.save(draft(address="一"))
    services.enterprises.save(draft(address="二"), saved.id)
    other_run.enterprises.save(draft(address="别人改的"), saved.id)
    with pytest.raises(LvqiError, match="在此之后已被修改"):
        services.undo.undo()
    assert services.enterprises.draft(saved.id).address == "别人改的"


def test_a_registered_policy_decides_how_a_table_is_put_back(services) -> None:
    calls: list[dict] = []

    class Recording(EnterpriseUndoPolicy):
        def check(self, uow, record, target, verb):
            calls.append(dict(target))
            if target.get("address") == "禁止":
                return [Issue("address", f"无法{verb}：测试规则")]
            return super().check(uow, record, target, verb)

    policies = default_undo_policies()
    policies.register("enterprise", Recording())
    undo = UndoService(services.db, policies)
    saved = services.enterprises.save(draft(address="禁止"))
    services.enterprises.save(draft(address="允许"), saved.id)
    with pytest.raises(ValidationFailed, match="测试规则"):
        undo.undo()
    assert calls == [{"address": "禁止"}]
    assert services.enterprises.draft(saved.id).address == "允许"
