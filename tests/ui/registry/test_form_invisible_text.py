"""The register form and invisible characters (issue 19): what is typed or pasted is shown as a warning
under the field while typing, and the saved name is without them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lvqi_desktop.ui.form_fields import WARNING_COLOUR
from tests.conftest import make_uscc
from tests.ui.registry.test_enterprise_form import discard_without_asking  # noqa: F401 - fixtures and the typing helpers of the form tests
from tests.ui.registry.test_enterprise_form import form  # noqa: F401 - fixtures and the typing helpers of the form tests
from tests.ui.registry.test_enterprise_form import settle
from tests.ui.registry.test_enterprise_form import type_into


def test_a_pasted_direction_override_is_named_under_the_name_and_removed_on_save(qtbot, form, tmp_path):  # noqa: F811
    dialog = form()
    type_into(qtbot, dialog.basic.widget("uscc"), make_uscc(seed=3))
    dialog.basic.widget("name").setText("吕梁\u202e司公限有\u200b建投")  # as pasted from a web page
    dialog.basic.widget("township_code").set_code("141102001")
    dialog.basic.widget("industry_section").set_code("C")
    settle(qtbot)
    box = dialog.basic.boxes["name"]
    assert box.message.isVisible() and "2个看不见的字符" in box.message.text()
    assert WARNING_COLOUR in box.message.styleSheet()
    dialog.grab().save(str(tmp_path / "form.png"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.saved.name == "吕梁司公限有建投"
