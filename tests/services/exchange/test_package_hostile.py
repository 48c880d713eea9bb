"""Issue 19 in package export: old records holding invisible characters still let the county submit (the
xlsx writers defend themselves), and a failed export is never left looking like a package sent."""

from __future__ import annotations

import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.models.exchange import SENT_FAILED
from lvqi_desktop.models.exchange import SENT_LABELS
from tests.exchange.test_package_writing import county  # noqa: F401 - the fixture: a county with 6 firms
from tests.services.exchange.conftest import opened


def test_a_name_stored_with_control_characters_before_the_rule_does_not_stop_the_package(county, tmp_path):  # noqa: F811
    with county.db.unit_of_work() as uow:  # as written by an older version, before validation/text.py
        firm = uow.enterprises.get(county.enterprises.list_rows()[0].id)
        firm.name, firm.contact_person, firm.remarks = "吕梁\x1b甲\u202e有限公司", "张\x00三", "备\x0c注"
        uow.commit()
    made = county.exchange.export_package("2026Q3", tmp_path, with_returns=True)
    assert any(n.endswith(".xlsx") for n in made.returns) and opened(made.path, with_records=False).manifest.sequence == 1


class _CancelWhileWriting:
    def __init__(self) -> None:
        self.calls = 0

    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def raise_if_cancelled(self) -> None:
        self.calls += 1
        if self.calls > 1:
            raise Cancelled()


def test_a_cancelled_export_is_listed_as_failed_not_as_awaiting_a_receipt(county, tmp_path):  # noqa: F811
    x = county.exchange
    with pytest.raises(Cancelled):
        x.export_package("2026Q3", tmp_path, progress=_CancelWhileWriting(), with_returns=False)
    [sent] = x.sent_packages()
    assert sent.status == SENT_FAILED and SENT_LABELS[sent.status] == "生成失败，未报送"
    assert not list(tmp_path.glob("*.lvqi"))
    again = x.export_package("2026Q3", tmp_path, with_returns=False)
    assert again.manifest.sequence == 2  # the failed one's number is never reused


def test_the_city_import_removes_invisible_characters_and_says_so(county, city, city_x, tmp_path):  # noqa: F811
    with county.db.unit_of_work() as uow:
        firm = uow.enterprises.get(county.enterprises.list_rows()[0].id)
        firm.name, firm.address = "吕梁\u200b己\u202e有限公司", "离石区\x1b滨河路"
        uow.commit()
    made = county.exchange.export_package("2026Q3", tmp_path, with_returns=False)
    plan = city_x.dry_run([made.path])
    assert any("2 处文字含看不见的字符" in w for w in plan.counties[0].warnings), plan.counties[0].warnings
    city_x.apply(plan)
    [stored] = [r for r in city.enterprises.list_rows() if r.name.startswith("吕梁") and "己" in r.name]
    assert stored.name == "吕梁己有限公司" and city.enterprises.draft(stored.id).address == "离石区滨河路"
