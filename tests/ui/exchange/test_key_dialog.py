"""密钥登记 on the 数据报送 page: the city enrols a county's key from its first package, digits typed by hand."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from lvqi_desktop.ui import messages
from lvqi_desktop.ui.exchange_page import ExchangePage
from lvqi_desktop.ui.key_dialog import KeyDialog
from tests.conftest import open_services
from tests.exchange.keyring import give_keys
from tests.services.exchange.conftest import make_county


def test_city_enrols_a_county_from_its_first_package(qtbot, tmp_path, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: errors.append(str(text)))
    county = make_county(tmp_path / "county", enterprises=3)
    usb = tmp_path / "usb"
    usb.mkdir()
    package = county.exchange.export_package("2026Q3", usb, with_returns=False).path
    spoken = county.keys.own_digits()
    city = open_services(county.data_dir.__class__(tmp_path / "city"))
    city.office.set_up("city", None, "吕梁市中小企业服务中心", "李四")
    city.forget_office()
    give_keys(city)
    page = ExchangePage(city)
    qtbot.addWidget(page)
    dialog = page.open_keys()
    assert isinstance(dialog, KeyDialog) and dialog.isVisible()
    assert city.keys.own_digits() in dialog.own_label.text()
    dialog.offer_file(str(package))
    assert spoken in dialog.offer_label.text() and dialog.confirm_button.isEnabled()
    dialog.digits_edit.setText("1111 2222 3333 4444 5555")
    dialog.confirm_button.click()
    assert errors and "指纹与待登记的密钥不符" in errors[-1]
    dialog.digits_edit.setText(spoken)
    dialog.confirm_button.click()
    assert "已登记离石区的公钥" in dialog.offer_label.text()
    assert dialog.table.item(0, 2).text() == "已登记"
    dialog.grab().save(str(tmp_path / "key_dialog.png"))
    QTimer.singleShot(0, dialog.reject)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert city.exchange.dry_run([package]).counties[0].status == "apply"
    city.db.dispose()
    county.db.dispose()
