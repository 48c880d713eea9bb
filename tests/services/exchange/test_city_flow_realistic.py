"""What went wrong when the county → city trip was acted out by hand: a receipt for a package a newer one had
replaced, English system text in refusals, a receipt and a package mixed up, and the 数据报送 page opening on the
quarter that is not yet due."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.reader import read_package
from lvqi_desktop.exchange.receipt import read_receipt
from lvqi_desktop.services.county_comparison import package_period
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.county_comparison import CountyComparisonWidget
from lvqi_desktop.ui.exchange_page import ExchangePage
from tests.services.exchange.conftest import city_pair
from tests.services.exchange.conftest import db_state
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import opened


@pytest.fixture
def county(tmp_path):
    s = make_county(tmp_path / "county", enterprises=6)
    yield s
    s.db.dispose()


def _send(x, folder):
    folder.mkdir(exist_ok=True)
    return x.export_package("2026Q3", folder, with_returns=False)


def test_no_receipt_for_a_package_a_newer_one_replaced(tmp_path, county, city, city_x):
    x = county.exchange
    first = _send(x, tmp_path / "usb1")
    city_x.apply(city_x.dry_run([first.path]))
    second = _send(x, tmp_path / "usb2")
    city_x.apply(city_x.dry_run([second.path]))
    out = tmp_path / "receipts"
    out.mkdir()
    before = db_state(city)
    with pytest.raises(LvqiError, match="已被序号 2 的报送包取代.*请对序号 2 的报送包出具回执"):
        city_x.write_receipt(first.manifest.package_uuid, "accepted", [], out)
    assert list(out.iterdir()) == [] and db_state(city) == before
    path = city_x.write_receipt(second.manifest.package_uuid, "accepted", [], out)
    assert path.name.endswith("回执-2.lvqi-receipt")
    status = {s.county_code: s for s in city_x.submission_status("2026Q3")}
    assert status["141102"].status == "accepted" and status["141102"].sequence == 2


def test_a_package_given_as_a_receipt_is_named_as_such(tmp_path, county_package, county):
    _data, package = county_package
    x = county.exchange
    with pytest.raises(PackageError) as refused:
        x.import_receipt(package)
    text = str(refused.value)
    assert "这是数据报送包（.lvqi），不是市中心的回执" in text and "codec" not in text
    assert not x.is_period_locked("2026Q3")


def test_a_receipt_given_as_a_package_is_named_as_such(tmp_path, county, city, city_x):
    x = county.exchange
    made = _send(x, tmp_path / "usb")
    city_x.apply(city_x.dry_run([made.path]))
    receipt = city_x.write_receipt(made.manifest.package_uuid, "accepted", [], tmp_path / "usb")
    assert read_receipt(receipt, city_pair().public).sequence == 1
    before = db_state(city)
    plan = city_x.dry_run([receipt])
    refusal = plan.counties[0].refusals[0]
    assert "这是市中心出具的回执（.lvqi-receipt），不是县区的报送包" in refusal and "导入回执" in refusal
    assert db_state(city) == before


def test_a_missing_file_is_explained_in_chinese(tmp_path):
    with pytest.raises(PackageError) as refused:
        read_package(tmp_path / "U盘" / "吕梁市-离石区-2026Q3-数据报送包.lvqi")
    assert "文件不存在" in str(refused.value) and "No such file" not in str(refused.value)
    with pytest.raises(PackageError) as refused:
        read_receipt(tmp_path / "吕梁市-离石区-2026Q3-回执-1.lvqi-receipt", city_pair().public)
    assert "文件不存在" in str(refused.value) and "No such file" not in str(refused.value)
    with pytest.raises(PackageError, match="这是一个文件夹"):
        read_package(tmp_path)


def test_the_page_opens_on_the_quarter_that_is_due(qtbot, county, city):
    """Both editions start on the quarter 各县对比 chases (the last finished one), not the running quarter."""
    due = package_period(city.demands.today()).code
    city_page = ExchangePage(city)
    county_page = ExchangePage(county)
    for page in (city_page, county_page):
        qtbot.addWidget(page)
    assert city_page.status_period.currentData() == due
    assert county_page.period_combo.currentData() == due
    assert city_page.status_period.itemData(0) != due  # the running quarter stays choosable, first in the list


def test_dropping_a_receipt_or_a_text_file_on_the_city_page_says_what_to_drop(qtbot, monkeypatch, tmp_path,
                                                                              county_package, city):
    told: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: told.append(str(text)))
    page = ExchangePage(city)
    qtbot.addWidget(page)
    note = tmp_path / "说明.txt"
    note.write_text("你好", encoding="utf-8")
    page.drop_files([str(tmp_path / "吕梁市-离石区-2026Q3-回执-1.lvqi-receipt")])
    page.drop_files([str(note)])
    assert "拖入的是回执" in told[0] and "只能拖入报送包" in told[1] and page.plan is None
    _data, package = county_package
    upper = tmp_path / package.name.replace(".lvqi", ".LVQI")
    upper.write_bytes(package.read_bytes())
    page.drop_files([str(upper)])
    qtbot.waitUntil(lambda: page.plan is not None, timeout=30000)
    assert page.plan_table.item(0, 4).text() == "可导入" and len(told) == 2


def test_an_answer_to_an_older_package_never_locks_the_period(tmp_path, county, city_x):
    """Receipts travel late: the county has reopened and sent again, then an old receipt turns up (again)."""
    x = county.exchange
    out = tmp_path / "receipts"
    out.mkdir()
    first = _send(x, tmp_path / "usb1")
    city_x.apply(city_x.dry_run([first.path]))
    answer_1 = city_x.write_receipt(first.manifest.package_uuid, "accepted", [], out)
    second = _send(x, tmp_path / "usb2")  # made before the first answer came back
    text = x.import_receipt(answer_1)
    assert "本机之后已生成序号 2 的报送包" in text and "不因此锁定" in text and "已锁定" not in text
    assert not x.is_period_locked("2026Q3")
    city_x.apply(city_x.dry_run([second.path]))
    answer_2 = city_x.write_receipt(second.manifest.package_uuid, "accepted", [], out)
    assert "2026Q3 已锁定" in x.import_receipt(answer_2) and x.is_period_locked("2026Q3")
    x.reopen_period("2026Q3", "补录9月走访")
    _send(x, tmp_path / "usb3")
    assert "不因此锁定" in x.import_receipt(answer_2)  # the same old answer imported again by mistake
    assert not x.is_period_locked("2026Q3")
    assert [p.receipt or "未收到" for p in x.sent_packages()] == ["未收到", "已接收", "已接收"]


def test_one_firm_claimed_by_two_counties_is_named_by_county_and_explained(qtbot, tmp_path, county_package, city,
                                                                           city_x):
    """文水县 registers a firm 离石区 also holds: the dry run names both counties (once, not again for the name),
    the 数据报送 page keeps listing it, and 各县对比 says why its 全市 在册企业 exceeds the returns' total."""
    _data, package = county_package
    first = opened(package).tables["enterprise"][0]
    other = make_county(tmp_path / "other", code="141121", name="文水县", enterprises=4, seed=9)
    with other.db.unit_of_work() as uow:
        uow.session.execute(text("UPDATE enterprise SET uscc = :u, name = :n, name_key = :k WHERE id = 1"),
                            {"u": first["uscc"], "n": first["name"], "k": first["name_key"]})
        uow.commit()
    usb = tmp_path / "usb"
    usb.mkdir()
    second = other.exchange.export_package("2026Q3", usb, with_returns=False).path
    other.db.dispose()
    plan = city_x.dry_run([package, second])
    assert len(plan.cross_county) == 1
    claim = plan.cross_county[0]
    assert f"统一社会信用代码 {first['uscc']} 同时出现在 2 个县区" in claim
    assert f"离石区（{first['name']}）" in claim and f"文水县（{first['name']}）" in claim and "141121" not in claim
    city_x.apply(plan)
    page = ExchangePage(city)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.notes.toPlainText() == f"跨县区重复：{claim}", timeout=30000)  # off the GUI thread
    widget = CountyComparisonWidget(city, today=city.demands.today(), background=False)
    qtbot.addWidget(widget)
    widget.reload()
    total = widget.comparison.total.enterprises
    assert total == sum(r.enterprises for r in widget.comparison.rows) and widget.comparison.cross_county_firms == 1
    assert "有 1 家企业（统一社会信用代码相同）同时在两个及以上县（市、区）登记" in widget.note.text()
