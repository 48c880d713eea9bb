"""The flush listener: one change_record per changed record, in the same transaction, append-only."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import ChangeRecord
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.storage.history import decode_changes
from lvqi_desktop.storage.history import record_inserted_rows
from tests.conftest import make_uscc


def draft(name: str = "吕梁某某有限公司", seed: int = 1, **kw) -> EnterpriseDraft:
    return EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, township_code="141102001", **kw)


def records(services, table: str | None = "enterprise") -> list[ChangeRecord]:
    with services.db.unit_of_work() as uow:
        stmt = select(ChangeRecord).order_by(ChangeRecord.id)
        if table:
            stmt = stmt.where(ChangeRecord.table_name == table)
        found = list(uow.session.scalars(stmt))
        uow.session.expunge_all()  # keep the loaded values after the unit of work rolls back
        return found


def diff(rec: ChangeRecord) -> dict:
    return json.loads(rec.changes)


def test_insert_writes_one_row_per_record_with_new_values_and_operator(services) -> None:
    saved = services.enterprises.save(draft(registered_on="2020-05-01",
                                            years=[YearDraft(2024, revenue="123.45", employees="12")]))
    [ent] = records(services)
    assert (ent.action, ent.record_id, ent.operator, ent.summary) == (
        "insert", saved.id, "测试员", "新增企业 吕梁某某有限公司")
    changes = diff(ent)
    assert changes["name"] == [None, "吕梁某某有限公司"]
    assert changes["registered_on"] == [None, "2020-05-01"]
    assert changes["latest_revenue_fen"] == [None, 123450000]
    assert not {"search_key", "name_pinyin", "name_initials", "name_key", "updated_at", "id"} & changes.keys()
    [year] = records(services, "enterprise_year")
    assert year.batch_id == ent.batch_id  # the child is grouped with its parent's save
    assert diff(year)["revenue_fen"] == [None, 123450000]
    assert year.summary == "新增企业年度数据 吕梁某某有限公司 2024年"
    assert ent.session_id == services.db.session_id


def test_update_records_only_changed_fields_old_to_new_in_one_row(services) -> None:
    saved = services.enterprises.save(draft(contact_phone="13800000000"))
    services.office.use_operator("李四")
    services.enterprises.save(draft(name="吕梁某某科技有限公司", contact_phone="0358-8221234"), saved.id)
    insert, update = records(services)
    assert (update.action, update.operator, update.summary) == ("update", "李四", "修改企业 吕梁某某科技有限公司")
    assert diff(update) == {"name": ["吕梁某某有限公司", "吕梁某某科技有限公司"],
                            "contact_phone": ["13800000000", "0358-8221234"]}
    assert update.batch_id != insert.batch_id


def test_saving_unchanged_values_writes_no_history(services) -> None:
    saved = services.enterprises.save(draft())
    services.enterprises.save(draft(), saved.id)
    assert [r.action for r in records(services)] == ["insert"]


def test_archive_and_restore_are_detected_from_archived_at(services) -> None:
    saved = services.enterprises.save(draft())
    services.enterprises.archive(saved.id, "已注销")
    services.enterprises.restore(saved.id)
    _insert, archive, restore = records(services)
    assert (archive.action, archive.summary) == ("archive", "归档企业 吕梁某某有限公司")
    assert diff(archive)["archive_reason"] == [None, "已注销"]
    assert diff(archive)["archived_at"][0] is None and diff(archive)["archived_at"][1]
    assert restore.action == "restore"
    assert diff(restore)["archived_at"][1] is None


def test_dates_and_datetimes_round_trip_exactly(services) -> None:
    saved = services.enterprises.save(draft(registered_on="2020-05-01"))
    services.enterprises.archive(saved.id)
    archive = records(services)[-1]
    with services.db.unit_of_work() as uow:
        stored = uow.enterprises.get(saved.id).archived_at
    assert decode_changes("enterprise", archive.changes)["archived_at"] == (None, stored)
    assert decode_changes("enterprise", records(services)[0].changes)["registered_on"][1].isoformat() == "2020-05-01"


def test_rolled_back_save_writes_no_history(services) -> None:
    with services.db.unit_of_work() as uow:
        uow.enterprises.add(Enterprise(uscc=make_uscc(seed=9), county_code="141102", name="未提交", name_key="未提交"))
        uow.flush()  # history is collected at flush but only written at commit
    with pytest.raises(ValidationFailed):
        services.enterprises.save(draft(name=""))
    assert {r.table_name for r in records(services, None)} == {"office", "operator"}  # set-up only


def test_history_is_in_the_same_transaction_as_the_change(services) -> None:
    with services.db.unit_of_work() as uow:
        uow.enterprises.add(Enterprise(uscc=make_uscc(seed=9), county_code="141102", name="甲", name_key="甲"))
        uow.session.flush()
        uow.session.commit()
        count = uow.session.scalar(select(ChangeRecord.id).where(ChangeRecord.table_name == "enterprise"))
    assert count is not None


def test_change_of_an_unloaded_attribute_still_has_its_old_value(services) -> None:
    saved = services.enterprises.save(draft(address="旧地址"))
    with services.db.unit_of_work() as uow:
        e = uow.enterprises.get(saved.id)
        uow.session.expire(e, ["address"])
        e.address = "新地址"
        uow.commit()
    assert diff(records(services)[-1]) == {"address": ["旧地址", "新地址"]}


def test_several_flushes_of_one_transaction_give_one_row_per_record(services) -> None:
    saved = services.enterprises.save(draft())
    with services.db.unit_of_work() as uow:
        e = uow.enterprises.get(saved.id)
        e.address = "一"
        uow.flush()
        e.address = "二"
        e.remarks = "备注"
        uow.flush()
        e.remarks = ""
        uow.commit()
    assert diff(records(services)[-1]) == {"address": ["", "二"]}


def test_label_action_names_the_first_row(services) -> None:
    saved = services.enterprises.save(draft())
    with services.db.unit_of_work() as uow:
        uow.label_action("更正企业名称")
        uow.enterprises.get(saved.id).remarks = "x"
        uow.commit()
    assert records(services)[-1].summary == "更正企业名称"


def test_core_inserts_can_be_recorded_per_row(services) -> None:
    with services.db.unit_of_work() as uow:
        uow.begin_batch("导入企业", "enterprise")
        record_inserted_rows(uow.session, "enterprise", [{"id": 77, "uuid": "u-77", "name": "导入一", "uscc": "X",
                                                          "search_key": "skip", "remarks": ""}],
                             title=lambda row: str(row["name"]))
        uow.commit()
    row, batch = records(services)
    assert (row.record_id, row.summary, diff(row)) == (77, "导入企业：导入一", {"name": [None, "导入一"],
                                                                                 "uscc": [None, "X"]})
    assert (batch.action, batch.record_id, batch.summary) == ("batch", None, "导入企业")


def test_change_record_rejects_update_and_delete(services, data_dir) -> None:
    services.enterprises.save(draft())
    conn = sqlite3.connect(data_dir.database)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
            conn.execute("UPDATE change_record SET operator = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
            conn.execute("DELETE FROM change_record")
    finally:
        conn.close()
    with services.db.unit_of_work() as uow:
        rec = uow.session.scalars(select(ChangeRecord)).first()
        rec.summary = "篡改"
        with pytest.raises(Exception, match="只能追加"):
            uow.commit()
    assert all(r.summary != "篡改" for r in records(services, None))


def test_office_and_operator_changes_are_recorded(blank_services) -> None:
    blank_services.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "张三")
    blank_services.office.add_operator("李四")
    tables = [(r.table_name, r.action) for r in records(blank_services, None)]
    assert ("office", "insert") in tables and ("operator", "insert") in tables
    assert tables.count(("operator", "insert")) == 2


def test_year_rows_are_child_records_of_the_same_batch(services) -> None:
    saved = services.enterprises.save(draft())
    services.enterprises.save(draft(years=[YearDraft(2023, revenue="1"), YearDraft(2024, revenue="2")]), saved.id)
    rows = records(services, None)[-3:]
    assert [r.table_name for r in rows] == ["enterprise", "enterprise_year", "enterprise_year"]
    assert len({r.batch_id for r in rows}) == 1
    with services.db.unit_of_work() as uow:
        assert {y.year for y in uow.session.scalars(select(EnterpriseYear))} == {2023, 2024}
