"""The 数据报送 page: county makes a package, the city dry-runs and imports it, receipts both ways."""

from __future__ import annotations

from datetime import datetime

from lvqi_desktop.ui.background import wait_for_background
from lvqi_desktop.ui.exchange_page import ExchangePage
from tests.services.exchange.conftest import make_county


def test_county_to_city_through_the_page(qtbot, tmp_path, city, told, fixed_clock):
    fixed_clock.set(datetime(2026, 11, 20, 10))  # the page offers 2026Q3 as a finished quarter
    county = make_county(tmp_path / "county", enterprises=5)
    usb = tmp_path / "usb"
    usb.mkdir()
    page = ExchangePage(county)
    qtbot.addWidget(page)
    assert page.title == "数据报送" and not page.is_city
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026Q3"))
    page.folder_edit.setText(str(usb))
    page.exchange.export_package = (lambda real: lambda *a, **k: real(*a, **{**k, "with_returns": False}))(
        page.exchange.export_package)
    page.export_package()
    qtbot.waitUntil(lambda: any("可以安全拔出U盘" in t for _k, t in told), timeout=30000)
    assert page.sent_table.rowCount() == 1
    package = next(usb.glob("*.lvqi"))

    city_page = ExchangePage(city)
    qtbot.addWidget(city_page)
    assert city_page.is_city and city_page.status_table.rowCount() == 13
    city_page.check_packages([str(package)])
    qtbot.waitUntil(lambda: city_page.plan is not None, timeout=30000)
    assert city_page.plan_table.item(0, 4).text() == "可导入" and city_page.apply_button.isEnabled()
    city_page.apply_plan()
    qtbot.waitUntil(lambda: any("已导入 1 个报送包" in t for _k, t in told), timeout=30000)
    wait_for_background()
    uuid = city_page.exchange.received()[0].package_uuid
    city_page.write_receipt(uuid, "accepted", [], str(usb))
    receipt = next(usb.glob("*.lvqi-receipt"))
    page.import_receipt(str(receipt))
    assert page.sent_table.item(0, 3).text() == "已接收"
    assert page.reopen_button.isVisibleTo(page) and "已锁定" in page.lock_label.text()
    county.db.dispose()
