"""Importing monthly monitoring figures from xlsx: one sheet per month, firms by USCC, the month grid's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl import load_workbook
from sqlalchemy import select

from lvqi_desktop.models.history import ChangeRecord
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.services.imports.monitoring import MonitoringImportService
from lvqi_desktop.services.imports.service import ImportRefused
from lvqi_desktop.services.monitoring import MonitoringService
from tests.cli.conftest import Cli
from tests.conftest import uscc_for

HEAD = ["统一社会信用代码", "企业名称", "本月营业收入", "营业收入（本年累计）", "从业人员期末人数", "国内订单"]
UNITS = ["", "", "万元", "元", "人", ""]


def book(path: Path, months: dict[str, list[list[object]]]) -> Path:
    """One sheet per month: a merged title, the header, a units row, then the rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in months.items():
        ws = wb.create_sheet(name)
        ws.append([f"中小企业运行监测月报（{name}）"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
        ws.append(HEAD)
        ws.append(UNITS)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def importer(mon, services) -> MonitoringImportService:
    backups: list[int] = []

    def backup(progress: object) -> None:
        backups.append(1)

    service = MonitoringImportService(mon, backup)
    service.backups = backups  # type: ignore[attr-defined]
    return service


def _uscc(services, eid: int) -> str:
    return next(r.uscc for r in MonitoringService(services.db, services.office_county).sample()
                if r.enterprise_id == eid)


def test_two_months_import(importer, mon, monitored, services, tmp_path: Path) -> None:
    a, b = monitored(), monitored()
    ua, ub = _uscc(services, a), _uscc(services, b)
    path = book(tmp_path / "m.xlsx", {
        "2026-09": [[ua, "", 100, 9_000_000, 50, "增加"], [ub, "", 80, 7_000_000, 30, "持平"], ["合计", "", 180, "", "", ""]],
        "2026年10月": [[ua, "", 110, 10_100_000, 51, "持平"], [ub, "", 82, 7_820_000, 30, "减少"]],
    })
    plan = importer.dry_run(path)
    assert plan.summary["new"] == 4 and not plan.has_errors, plan.rows
    assert plan.skipped_rows == ["2026-09!6"]
    assert any("万元" in note for r in plan.rows for _, note in r.notes)  # 元 → 万元 noted
    assert mon.report_values(a, "2026-09") is None  # a dry run writes nothing
    result = importer.apply(path, all_or_nothing=True)
    assert (result.added, result.updated) == (4, 0) and importer.backups == [1]
    oct_a = mon.report_values(a, "2026-10")
    assert oct_a["revenue"] == 110 * 1_000_000 and oct_a["revenue_ytd"] == 1010 * 1_000_000  # 分
    assert oct_a["employees"] == 51 and oct_a["domestic_orders"] == "持平"
    # the same file again: unchanged
    again = importer.dry_run(path)
    assert again.summary["unchanged"] == 4 and again.summary["new"] == 0


def test_bad_row_reported_with_its_cell_and_nothing_written(importer, mon, monitored, services,
                                                            tmp_path: Path) -> None:
    a, b = monitored(), monitored()
    ua, ub = _uscc(services, a), _uscc(services, b)
    path = book(tmp_path / "m.xlsx", {
        "2026-09": [[ua, "", 100, 9_000_000, 50, "增加"], [ub, "", 80, 7_000_000, 30, "持平"]],
        "2026-10": [[ua, "", 110, 8_000_000, 51, "持平"], [ub, "", 82, 7_820_000, 30, "很好"]],
    })
    plan = importer.dry_run(path)
    bad = [r for r in plan.rows if r.status == "error"]
    assert len(bad) == 2
    assert bad[0].errors[0][0] == "2026-10!D4" and "低于上月累计" in bad[0].errors[0][1]
    assert bad[1].errors[0][0] == "2026-10!F5" and "国内订单" in bad[1].errors[0][1]
    with pytest.raises(ImportRefused):
        importer.apply(path, all_or_nothing=True)
    assert mon.report_values(a, "2026-09") is None and mon.report_values(b, "2026-09") is None


def test_update_keeps_history_and_refusals(importer, mon, monitored, services, tmp_path: Path) -> None:
    a = monitored()
    ua = _uscc(services, a)
    importer.apply(book(tmp_path / "1.xlsx", {"2026-10": [[ua, "", 100, 9_000_000, 50, "增加"]]}))
    path = book(tmp_path / "2.xlsx", {"2026-10": [[ua, "", 105, 9_000_000, 50, "增加"],
                                                  [uscc_for(9999), "", 1, 1, 1, ""]],
                                      "2026-12": [[ua, "", 1, 1, 1, ""]]})
    plan = importer.dry_run(path)
    update = plan.rows[0]
    assert update.status == "update" and update.changes[0].old == "100" and update.changes[0].new == "105"
    assert plan.rows[1].status == "error" and "不在本地运行监测样本" in plan.rows[1].errors[0][1]
    assert plan.rows[2].status == "error" and "2026年12月" in plan.rows[2].errors[0][1]
    result = importer.apply(path)
    assert result.updated == 1 and mon.report_values(a, "2026-10")["revenue"] == 105 * 1_000_000
    with services.db.unit_of_work() as uow:
        report = uow.session.scalars(select(MonitoringReport).where(MonitoringReport.enterprise_id == a)).one()
        assert report.corrections == 1
        changes = uow.session.scalars(select(ChangeRecord).where(ChangeRecord.table_name == "monitoring_report",
                                                                 ChangeRecord.record_id == report.id)).all()
        assert len(changes) == 2 and "100000000" in changes[1].changes and "105000000" in changes[1].changes


def test_warning_rows_need_confirmation(importer, mon, monitored, services, tmp_path: Path) -> None:
    a = monitored()
    ua = _uscc(services, a)
    importer.apply(book(tmp_path / "1.xlsx", {"2026-09": [[ua, "", 100, 9_000_000, 50, "增加"]]}))
    path = book(tmp_path / "2.xlsx", {"2026-10": [[ua, "", 300, 12_000_000, 50, "增加"]]})
    plan = importer.dry_run(path)
    assert plan.rows[0].status == "confirm" and "50%" in plan.rows[0].warnings[0][1]
    assert importer.apply(path).added == 0 and mon.report_values(a, "2026-10") is None
    assert importer.apply(path, confirm_warnings=True).added == 1


def test_template_has_month_sheet_notes_and_dropdowns(importer, tmp_path: Path) -> None:
    path = importer.write_template("monitoring", tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "2026-10" and "填写说明" in wb.sheetnames
    assert wb["2026-10"].data_validations.dataValidation
    assert importer.dry_run(path).rows[0].status == "error"  # the example firm is not in the sample


def test_cli_dry_run_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    path = book(tmp_path / "m.xlsx", {"2026-09": [[uscc_for(8888), "", 100, 9_000_000, 50, "增加"]]})
    ran = cli("import-xlsx", str(path), "--kind", "monitoring", "--dry-run")
    assert ran.code == 1 and "有错误 1" in ran.out and "2026-09!A4" in ran.out
    ran = cli("import-xlsx", str(path), "--kind", "monitoring", "--dry-run", "--format", "json")
    assert ran.code == 1 and ran.json()["summary"]["error"] == 1
    assert cli("import-template", "--kind", "monitoring", str(tmp_path / "t.xlsx")).code == 0
    assert "填写说明" in load_workbook(tmp_path / "t.xlsx").sheetnames


def test_import_dialog_offers_the_monitoring_kind(qtbot, importer, mon, monitored, services, monkeypatch,
                                                  tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from lvqi_desktop.ui import messages
    from lvqi_desktop.ui.import_dialog import ImportDialog

    monkeypatch.setattr(messages, "inform", lambda *a, **k: None)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    a = monitored()
    path = book(tmp_path / "m.xlsx", {"2026-10": [[_uscc(services, a), "", 100, 9_000_000, 50, "增加"]]})
    dialog = ImportDialog(None, importer, "monitoring", str(path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.layout_ is not None and dialog.task is None, timeout=10000)
    assert dialog.field_combo("C").currentData() == "revenue" and dialog.confirm_warnings.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.task is None, timeout=10000)
    assert dialog.preview_model.data(dialog.preview_model.index(0, 1)) == "新增"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported and dialog.task is None, timeout=10000)
    assert mon.report_values(a, "2026-10")["revenue"] == 100 * 1_000_000
