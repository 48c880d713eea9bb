"""Helpers for the helper/visit/demand page tests: services with a fixed 'today', dialogs driven like a user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.ui import record_dialog
from lvqi_desktop.validation.assignments import HelperDraft
from tests.conftest import make_uscc

TODAY = date(2026, 11, 26)


def fix_today(services: Services, today: date = TODAY) -> Services:
    """Rebuild the activity services with a fixed clock so ages, overdue and periods are predictable."""
    clock = lambda: today  # noqa: E731
    services.helpers = HelperService(services.db, clock)
    services.visits = VisitService(services.db, services.office_code, clock)
    services.demands = DemandService(services.db, services.office_code, clock,
                                     office_name=lambda: "吕梁市离石区中小企业服务中心")
    services.kpi = KpiService(services.db, services.office_code, clock)
    return services


def throwaway_settings(tmp_path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()


def enterprise(services: Services, name: str, seed: int, registered_on: str = "2015-03-01") -> int:
    return services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=seed), name=name,
                                                     registered_on=registered_on)).id


def helper(services: Services, name: str, post: str = "副区长") -> int:
    return services.helpers.save_helper(HelperDraft(name=name, post=post, unit="离石区人民政府"))


def drive_dialogs(monkeypatch, **behaviours: Callable[[QDialog], object]) -> list[QDialog]:
    """Replace exec(): each dialog is shown and handed to the behaviour named after its class.

    A behaviour returns True to accept, or None to leave the dialog's own result (set by clicking 保存)."""
    opened: list[QDialog] = []

    def run(dialog: QDialog) -> int:
        opened.append(dialog)
        dialog.show()
        outcome = behaviours[type(dialog).__name__](dialog)
        if outcome is True:
            dialog.accept()
        return dialog.result()

    monkeypatch.setattr(record_dialog, "exec_dialog", run)
    return opened


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
