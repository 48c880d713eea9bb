"""City edition: what a county sent stays the county's (issue 18 item 7); the city's own records stay editable."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from lvqi_desktop.errors import ValidationFailed
from tests.exchange.test_hostile import accepted
from tests.exchange.test_hostile import db_bytes


def test_the_city_cannot_change_a_county_firm(county_package, city, city_x):
    accepted(city_x, county_package[1])
    with city.db.unit_of_work() as uow:
        firm_id = uow.session.execute(text("SELECT id FROM enterprise ORDER BY id LIMIT 1")).scalar()
    draft = city.enterprises.draft(firm_id)
    draft.contact_phone = "0358-7777777"
    before = db_bytes(city)
    with pytest.raises(ValidationFailed) as refused:
        city.enterprises.save(draft, firm_id)
    assert "是离石区报送的数据，市中心不能直接修改或删除" in str(refused.value)
    with pytest.raises(ValidationFailed):
        city.enterprises.archive(firm_id, "市中心想删掉")
    assert db_bytes(city) == before
    again = city_x.dry_run([county_package[1]])  # the next package finds city and county still equal
    assert again.counties[0].status == "same"


def test_a_county_edits_its_own_firms_as_before(tmp_path):
    from tests.services.exchange.conftest import make_county

    county = make_county(tmp_path / "c", enterprises=2)
    with county.db.unit_of_work() as uow:
        firm_id = uow.session.execute(text("SELECT id FROM enterprise ORDER BY id LIMIT 1")).scalar()
    draft = county.enterprises.draft(firm_id)
    draft.contact_phone = "0358-7777777"
    county.enterprises.save(draft, firm_id)
    assert county.enterprises.draft(firm_id).contact_phone == "0358-7777777"
    county.db.dispose()


def test_the_city_opens_a_county_firm_read_only_before_any_save(qtbot, county_package, city, city_x, tmp_path):
    """The form says whose data it is and offers no 保存, instead of letting the clerk type and refusing at save."""
    from lvqi_desktop.ui.enterprise_form import EnterpriseDialog
    from tests.ui.ui_activity import throwaway_settings

    throwaway_settings(tmp_path)
    accepted(city_x, county_package[1])
    with city.db.unit_of_work() as uow:
        firm_id = uow.session.execute(text("SELECT id FROM enterprise ORDER BY id LIMIT 1")).scalar()
    form = EnterpriseDialog(city, firm_id)
    qtbot.addWidget(form)
    form.show()
    assert form.sent_by == "离石区"
    assert form.read_only_banner.isVisible() and "离石区报送的数据，市中心只能查看" in form.read_only_banner.text()
    assert not form.save_button.isVisible() and not form.save_button.isEnabled()
    assert not form.basic.isEnabled() and not form.years.isEnabled() and not form.size_tab.isEnabled()
    assert form.cancel_button.text() == "关闭" and form.windowTitle().startswith("查看企业")
    before = db_bytes(city)
    assert form.save() is False  # Ctrl+S goes here
    assert db_bytes(city) == before
    form.reject()  # 关闭: nothing typed, nothing asked
    assert not form.isVisible()


def test_an_import_in_the_city_takes_new_firms_and_refuses_rows_that_would_change_a_county_firm(
        county_package, city, city_x, tmp_path):
    """Refused row by row in the preview (not at the end of the write, which would refuse the whole file)."""
    from lvqi_desktop.services.imports.service import ERROR
    from lvqi_desktop.services.imports.service import NEW
    from tests.conftest import make_uscc
    from tests.sheets.county_sheets import write_rows

    accepted(city_x, county_package[1])
    with city.db.unit_of_work() as uow:
        firm_id, uscc, name = uow.session.execute(text("SELECT id, uscc, name FROM enterprise ORDER BY id")).first()
    stored = city.enterprises.draft(firm_id)
    path = write_rows(tmp_path / "企业.xlsx", [["县区", "统一社会信用代码", "企业名称", "联系电话"],
                                              ["离石区", uscc, name, "0358-7777777"],
                                              ["离石区", make_uscc(seed=901), "吕梁市新来食品有限公司", "0358-1234567"]])
    importer = city.imports
    plan = importer.dry_run(path, "enterprises")
    rows = {r.row: r for r in plan.rows}
    assert rows[2].status == ERROR and "是离石区报送的数据，市中心不能通过导入修改" in dict(rows[2].errors)["第2行"]
    assert rows[3].status == NEW
    result = importer.apply(path, "enterprises", plan=plan)
    assert (result.added, result.updated) == (1, 0)
    assert city.enterprises.draft(firm_id) == stored
