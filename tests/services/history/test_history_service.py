"""HistoryService: a record's 修改记录, the filtered global list, drop-down choices, Chinese labels."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import pytest

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from lvqi_desktop.services.history import HistoryService
from tests.conftest import make_uscc


def draft(name: str = "吕梁某某有限公司", seed: int = 1, **kw) -> EnterpriseDraft:
    return EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, township_code="141102001", **kw)


def test_record_history_shows_who_when_what_with_chinese_labels(services) -> None:
    saved = services.enterprises.save(draft(years=[YearDraft(2024, revenue="100")]))
    services.office.use_operator("李四")
    services.enterprises.save(draft(business_status="deregistered", years=[YearDraft(2024, revenue="123.5")]),
                              saved.id)
    rows = services.history.record_history("enterprise", saved.id)
    assert [(r.table, r.action) for r in rows] == [
        ("enterprise_year", "update"), ("enterprise", "update"), ("enterprise_year", "insert"),
        ("enterprise", "insert")]
    year_change, update = rows[0], rows[1]
    assert update.operator == "李四" and update.action_label == "修改" and update.table_label == "企业"
    assert isinstance(update.at, datetime)
    by_field = {c.field: c for c in update.changes}
    status = by_field["business_status"]
    assert (status.label, status.old, status.new, status.old_text, status.new_text) == (
        "经营状态", "active", "deregistered", "在营", "注销")
    money = {c.field: c for c in year_change.changes}["revenue_fen"]
    assert (money.label, money.old_text, money.new_text) == ("营业收入（万元）", "100", "123.5")
    assert year_change.summary == "修改企业年度数据 吕梁某某有限公司 2024年"
    assert services.history.record_history("enterprise", saved.id, include_children=False)[0].table == "enterprise"


def test_record_history_of_another_record_is_separate(services) -> None:
    a = services.enterprises.save(draft("甲有限公司", 1)).id
    b = services.enterprises.save(draft("乙有限公司", 2)).id
    services.enterprises.archive(b)
    assert [r.action for r in services.history.record_history("enterprise", a)] == ["insert"]
    assert [r.action for r in services.history.record_history("enterprise", b)] == ["archive", "insert"]
    archive = services.history.record_history("enterprise", b)[0]
    assert {c.label for c in archive.changes} == {"归档时间"}


def test_list_filters_by_operator_table_dates_and_limit(services) -> None:
    services.enterprises.save(draft("甲有限公司", 1))
    services.office.use_operator("李四")
    services.enterprises.save(draft("乙有限公司", 2))
    everything = services.history.list()
    assert [r.id for r in everything] == sorted((r.id for r in everything), reverse=True)
    assert {r.operator for r in services.history.list(operator="李四")} == {"李四"}
    assert {r.table for r in services.history.list(table="enterprise")} == {"enterprise"}
    assert len(services.history.list(limit=2)) == 2
    today = clock.today()
    assert len(services.history.list(since=today, until=today)) == len(everything)
    assert services.history.list(until=today - timedelta(days=1)) == []
    assert services.history.list(since=today + timedelta(days=1)) == []


def test_filter_choices(services) -> None:
    services.enterprises.save(draft())
    services.office.use_operator("李四")
    services.enterprises.archive(services.enterprises.list_rows()[0].id)
    assert services.history.operators() == sorted(["测试员", "李四"])
    tables = {t.name: t.label for t in services.history.tables()}
    assert tables["enterprise"] == "企业" and tables["office"] == "本单位信息"


def test_resolve_table_accepts_code_or_chinese_name() -> None:
    assert HistoryService.resolve_table("企业") == "enterprise"
    assert HistoryService.resolve_table("enterprise_year") == "enterprise_year"
    with pytest.raises(LvqiError, match="不认识的表"):
        HistoryService.resolve_table("nonsense")


def test_batch_lists_a_bulk_change(services) -> None:
    ids = [services.enterprises.save(draft(f"企业{i}有限公司", i)).id for i in range(3)]
    services.bulk.set_business_status(ids, "revoked")
    newest = services.history.list(limit=1)[0]
    assert newest.is_batch and newest.action == "batch"
    rows = services.history.batch(newest.batch_id)
    assert len(rows) == 4 and rows[-1].is_batch
