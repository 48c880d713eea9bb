"""Each ledger page offers 导入Excel for its own kind: the dialog opens on that kind, and after an import
the page tells the others what changed."""

from __future__ import annotations

import pytest

from lvqi_desktop.ui.demands.page import DemandsPage
from lvqi_desktop.ui.helpers.page import HelpersPage
from lvqi_desktop.ui.import_dialog import ImportDialog
from lvqi_desktop.ui.pools.page import PoolsPage
from lvqi_desktop.ui.visits_page import VisitsPage

pytestmark = pytest.mark.usefixtures("page_settings")


@pytest.mark.parametrize(("page_class", "kind", "label", "data_kind"), [
    (PoolsPage, "pools", "培育库记录", "pool"),
    (DemandsPage, "demands", "企业诉求", "demand"),
    (VisitsPage, "visits", "入企服务", "visit"),
    (HelpersPage, "helpers", "包联", "assignment"),
])
def test_import_action_opens_the_dialog_on_the_pages_kind(qtbot, services, monkeypatch, page_class, kind, label,
                                                          data_kind):
    opened: list[tuple[str, str]] = []

    def fake_exec(dialog: ImportDialog) -> int:  # the user imports a sheet
        opened.append((dialog.kind.key, dialog.kind_combo.currentText()))
        dialog.imported = True
        return 1

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    page = page_class(services)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    assert page.import_action in page.page_actions() and page.import_action.text() == "导入Excel"
    with qtbot.waitSignal(page.data_changed) as changed:
        page.import_action.trigger()
    assert opened[0][0] == kind and label in opened[0][1]
    assert changed.args == [data_kind]
