"""Targets the city allocates to a county travel in the signed receipt (format 3); the county takes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from lvqi_desktop import clock
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.keys import b64
from lvqi_desktop.exchange.keys import canonical
from lvqi_desktop.exchange.receipt import MAX_RECEIPT_TARGETS
from tests.services.exchange.conftest import city_pair
from tests.services.exchange.conftest import make_county

SRDI = "tier:srdi_provincial"


@pytest.fixture
def allocated(tmp_path, city):
    """离石区 sent a package with a target it typed; the city set three of its targets (that one, one the county
    typed after the package, one new) and wrote a receipt."""
    county = make_county(tmp_path / "county", enterprises=8)
    year = clock.today().year
    county.cultivation.targets.save_target("141102", SRDI, year, "4", "本县年度计划")
    usb = tmp_path / "usb"
    usb.mkdir()
    made = county.exchange.export_package("2026Q3", usb, with_returns=False)
    city.exchange.apply(city.exchange.dry_run([made.path]))
    county.cultivation.targets.save_target("141102", "scale_up_entered", year + 1, "2")  # not sent yet
    city.cultivation.targets.save_target("141102", SRDI, year, "9", "吕企发〔2026〕3号")
    city.cultivation.targets.save_target("141102", "enterprises_served", year + 1, "60")
    city.cultivation.targets.save_target("141102", "scale_up_entered", year + 1, "3")
    city.cultivation.targets.save_target("141100", SRDI, year + 1, "150")  # the city's own: not in the receipt
    path = city.exchange.write_receipt(made.manifest.package_uuid, "accepted", [], usb)
    yield county, path, year
    county.db.dispose()


def _mine(county, year: int) -> dict[tuple[str, int], Any]:
    return {(t.metric, t.year): t for t in county.cultivation.targets.list_targets(scope="141102") if t.year >= year}


def test_county_takes_the_citys_targets_with_the_receipt(allocated, city, tmp_path):
    county, path, year = allocated
    typed = _mine(county, year)[(SRDI, year)]
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["format_version"] == 3
    expected = [("enterprises_served", year + 1, 60), ("scale_up_entered", year + 1, 3), (SRDI, year, 9)]
    assert sorted((t["metric"], t["year"], t["value"]) for t in body["targets"]) == expected
    text = county.exchange.import_receipt(path)
    assert "市中心下达目标 3 项（其中 2 项替换了本县自填的目标）" in text and "已锁定" in text
    mine = _mine(county, year)
    issued = body["issued_at"][:10]
    assert (mine[(SRDI, year)].value, mine[(SRDI, year)].source) == (9, f"市中心下达（回执 {issued}）")
    assert {(m, y, mine[(m, y)].value) for m, y, _v in expected} == set(expected)
    assert mine[(SRDI, year)].id == typed.id  # the county's record now holds the city's figure
    changes = county.history.record_history("target", typed.id)
    assert changes[0].operator == "测试员" and {c.field for c in changes[0].changes} >= {"value", "source"}
    assert county.history.record_history("target", mine[("enterprises_served", year + 1)].id)[0].action == "insert"
    with pytest.raises(ValidationFailed, match="由市中心下达"):
        county.cultivation.targets.save_target("141102", SRDI, year, "5")
    with pytest.raises(ValidationFailed, match="由市中心下达"):
        county.cultivation.targets.remove_target(typed.id)
    assert "其中" not in county.exchange.import_receipt(path)  # again: nothing of the county's own is left to replace
    # the county's next package carries the city's targets back: merged onto the city's records, never doubled
    county.exchange.reopen_period("2026Q3", "补充数据")
    usb = tmp_path / "usb2"
    usb.mkdir()
    made = county.exchange.export_package("2026Q3", usb, with_returns=False)
    plan = city.exchange.dry_run([made.path])
    assert plan.to_apply and not plan.to_apply[0].refusals
    city.exchange.apply(plan)
    at_city = [(t.metric, t.year, t.value) for t in city.cultivation.targets.list_targets(scope="141102")
               if t.year >= year]
    assert sorted(at_city) == expected
    city.cultivation.targets.save_target("141102", SRDI, year, "10")  # the city's allocation stays the city's to change
    assert [t.value for t in city.cultivation.targets.list_targets("141102", year) if t.metric == SRDI] == [10]


def test_a_target_the_county_typed_after_the_citys_allocation_waits_for_the_receipt(allocated, city, tmp_path):
    county, _path, year = allocated
    county.cultivation.targets.save_target("141102", "enterprises_served", year + 1, "25", "本县自定")
    usb = tmp_path / "usb2"
    usb.mkdir()
    made = county.exchange.export_package("2026Q4", usb, with_returns=False)
    plan = city.exchange.dry_run([made.path])
    [county_plan] = plan.to_apply
    assert county_plan.warnings == [f"离石区自填的 2 项目标（{year + 1}年小升规企业新增入统、{year + 1}年服务企业数）"
                                    "市中心已另行下达，以市中心下达的为准，未导入；请出具回执，县区导入回执后即一致"]
    city.exchange.apply(plan)
    served = [t.value for t in city.cultivation.targets.list_targets("141102", year + 1) if t.metric == "enterprises_served"]
    assert served == [60]


def _resigned(path: Path, out: Path, change: Any) -> Path:
    """The receipt changed by `change(body)` and signed again with the city's key: wholly the city's."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("signature")
    change(data)
    data["signature"] = b64(city_pair().sign(canonical(data)))
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def test_a_withdrawn_allocation_is_archived_and_an_older_receipt_changes_nothing(allocated, city, tmp_path):
    county, path, year = allocated
    county.exchange.import_receipt(path)
    served = next(t for t in city.cultivation.targets.list_targets("141102", year + 1)
                  if t.metric == "enterprises_served")
    city.cultivation.targets.remove_target(served.id, "重新测算")
    package = json.loads(path.read_text(encoding="utf-8"))["package_uuid"]
    older = _resigned(path, tmp_path / "older.lvqi-receipt",
                      lambda d: d.update(issued_at="2000-01-01T08:00:00", targets=[dict(d["targets"][0], value=1)]))
    newer = city.exchange.write_receipt(package, "accepted", [], tmp_path)
    assert "市中心撤回了此前下达的目标 1 项" in county.exchange.import_receipt(newer)
    assert ("enterprises_served", year + 1) not in _mine(county, year)
    before = _mine(county, year)
    text = county.exchange.import_receipt(older)
    assert "早于本机已导入的回执，其中的下达目标未采用" in text and _mine(county, year) == before
    county.cultivation.targets.save_target("141102", "enterprises_served", year + 1, "30")  # the county's own again
    own = _mine(county, year)[("enterprises_served", year + 1)]
    assert (own.value, own.source) == (30, "")


def _set(i: int, **values: Any) -> Any:
    return lambda d: d["targets"][i].update(values)


@pytest.mark.parametrize(("change", "message"), [
    (_set(0, scope="141121"), "是给141121的，不是这份回执的县区141102"),
    (_set(0, metric="tier:unknown"), "指标“tier:unknown”本程序不认识"),
    (_set(0, value=-3), "目标值不能为负数"),
    (_set(0, value=10**12), "目标值过大"),
    (_set(0, value=2.5), "内容格式不对（目标值和年份应为整数）"),
    (_set(0, value="9"), "内容格式不对"),
    (_set(0, value=True), "内容格式不对"),
    (_set(0, year=1900), "年份 1900 不对"),
    (_set(0, extra="x"), "内容格式不对"),
    (lambda d: d.update(targets=d["targets"] * 2), "重复"),
    (lambda d: d.update(targets=[dict(d["targets"][0], year=2000 + n % 100, uuid=str(n))
                                 for n in range(MAX_RECEIPT_TARGETS + 1)]), "最多 1000 项"),
    (lambda d: d.update(targets={"a": 1}), "内容格式不对"),
    (lambda d: d.update(format_version=2), "内容格式不对"),  # version 2 carried no targets
])
def test_hostile_targets_refuse_the_whole_receipt(allocated, tmp_path, change, message):
    county, path, year = allocated
    before = _mine(county, year)
    with pytest.raises(PackageError, match=message) as err:
        county.exchange.import_receipt(_resigned(path, tmp_path / "bad.lvqi-receipt", change))
    assert "本机数据未作任何更改" in str(err.value)
    assert _mine(county, year) == before and not county.exchange.is_period_locked("2026Q3")


def test_a_tampered_target_breaks_the_signature(allocated, tmp_path):
    county, path, year = allocated
    data = json.loads(path.read_text(encoding="utf-8"))
    data["targets"][0]["value"] += 1
    bad = tmp_path / "bad.lvqi-receipt"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackageError, match="签名不是本机登记的市中心密钥所签"):
        county.exchange.import_receipt(bad)
    assert not county.exchange.is_period_locked("2026Q3")


def test_a_version_2_receipt_is_still_read(allocated, tmp_path):
    county, path, year = allocated
    before = _mine(county, year)

    def old(d: dict[str, Any]) -> None:
        d.pop("targets")
        d["format_version"] = 2
    text = county.exchange.import_receipt(_resigned(path, tmp_path / "old.lvqi-receipt", old))
    assert "已锁定" in text and "下达目标" not in text
    assert _mine(county, year) == before and county.exchange.is_period_locked("2026Q3")


def test_the_county_progress_tab_shows_the_allocated_target_and_its_source(allocated, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from lvqi_desktop.ui.pools.page import PoolsPage
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # column layouts into a throw-away ini
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    county, path, year = allocated
    county.exchange.import_receipt(path)
    county.cultivation.targets.save_target("141102", "enterprises_served", year, "20", "本县年度计划")
    page = PoolsPage(county)
    qtbot.addWidget(page)
    page.resize(1400, 700)
    page.show()
    page.on_shown()
    page.tabs.setCurrentWidget(page.progress_tab)
    tab = page.progress_tab
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())]
    row = next(r for r in tab.model.all_rows() if (r.metric, r.year) == (SRDI, year))
    shown = {h: tab.model.data(tab.model.index(tab.model.position_of(row.target_id), c)) for c, h in enumerate(headers)}
    issued = json.loads(path.read_text(encoding="utf-8"))["issued_at"][:10]
    assert (shown["范围"], shown["目标"], shown["依据"]) == ("离石区", "9", f"市中心下达（回执 {issued}）")
    tab.list.select_key(row.target_id)
    assert not tab.edit_button.isEnabled() and not tab.remove_button.isEnabled()  # the city's figure
    own = next(r for r in tab.model.all_rows() if r.scope == "141102" and not r.source.startswith("市中心下达"))
    tab.list.select_key(own.target_id)
    assert tab.edit_button.isEnabled()
