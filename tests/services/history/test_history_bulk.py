"""BulkService.set_business_status: one transaction, one history row per record plus one batch row."""

from __future__ import annotations

import json

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc


def add(services, n: int) -> list[int]:
    return [services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=i), name=f"企业{i}有限公司")).id
            for i in range(n)]


def test_bulk_change_writes_n_plus_one_rows_in_one_batch(services) -> None:
    ids = add(services, 5)
    result = services.bulk.set_business_status(ids, "revoked", "市监局吊销公告")
    assert (result.changed, result.unchanged) == (5, 0)
    assert result.label == "批量修改经营状态为“吊销”（5家）：市监局吊销公告"
    rows = services.history.list(limit=6)
    assert len({r.batch_id for r in rows}) == 1
    batch = [r for r in rows if r.is_batch]
    assert len(batch) == 1 and batch[0].summary == result.label and batch[0].table == "enterprise"
    assert json.loads(json.dumps([c.new for c in batch[0].changes])) == ["revoked", "市监局吊销公告", 5]
    per_record = [r for r in rows if not r.is_batch]
    assert sorted(r.record_id for r in per_record) == ids
    for r in per_record:
        assert [(c.field, c.old, c.new) for c in r.changes] == [("business_status", "active", "revoked")]
        assert r.summary.startswith(result.label + "：企业")
    assert {r.business_status for r in services.enterprises.list_rows()} == {"revoked"}


def test_records_already_in_the_status_are_left_alone(services) -> None:
    ids = add(services, 3)
    services.bulk.set_business_status(ids[:1], "revoked")
    before = len(services.history.list(limit=None))
    result = services.bulk.set_business_status(ids, "revoked")
    assert (result.changed, result.unchanged) == (2, 1)
    assert len(services.history.list(limit=None)) == before + 3


def test_nothing_to_change_writes_no_batch_row(services) -> None:
    ids = add(services, 2)
    before = len(services.history.list(limit=None))
    assert services.bulk.set_business_status(ids, "active").changed == 0
    assert len(services.history.list(limit=None)) == before


@pytest.mark.parametrize("status", ["moved_out", "merged", "bogus"])
def test_statuses_that_need_details_or_do_not_exist_are_refused(services, status) -> None:
    ids = add(services, 1)
    with pytest.raises(ValidationFailed):
        services.bulk.set_business_status(ids, status)
    assert services.enterprises.list_rows()[0].business_status == "active"


def test_archived_or_missing_records_refuse_the_whole_change(services) -> None:
    ids = add(services, 3)
    services.enterprises.archive(ids[1])
    with pytest.raises(ValidationFailed, match="已归档"):
        services.bulk.set_business_status(ids, "revoked")
    with pytest.raises(ValidationFailed, match="已不存在"):
        services.bulk.set_business_status([ids[0], 999], "revoked")
    assert {r.business_status for r in services.enterprises.list_rows()} == {"active"}
