"""ReturnService: the catalogue, exporting both formats, and bad input that changes nothing."""

from __future__ import annotations

import errno
import os
import shutil

import openpyxl
import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import ExportError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exporters import return_xlsx
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.returns import service as returns_module
from tests.exporters.conftest import needs_poppler

ALL = ["pool_summary", "srdi_ledger", "scale_up_ledger", "share_reform_ledger", "listing_reserve_ledger",
       "helper_ledger", "demand_ledger", "demand_summary", "visit_summary", "above_scale_register",
       "incubation_bases", "monitoring_summary", "monitoring_timeliness", "statistician_assessment"]


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    return folder


def test_catalogue_lists_every_return_once(office) -> None:
    entries = office.returns.catalogue()
    assert [e.return_id for e in entries] == ALL
    assert len({e.title for e in entries}) == len(ALL)
    assert all(e.definition.description for e in entries)
    assert office.services.returns is not None  # registered in the bundle


@needs_poppler
def test_export_writes_one_workbook_and_a_pdf_per_return(activity, out) -> None:
    result = activity.returns.export(ALL, "2026Q4", ["xlsx", "pdf"], out, "王五", "赵六")
    names = sorted(p.name for p in result.paths)
    assert "吕梁市离石区中小企业服务中心报表（2026年第四季度）.xlsx" in names
    assert "梯度培育企业汇总表（2026年第四季度）.pdf" in names
    assert len(names) == 1 + len(ALL)
    assert sorted(os.listdir(out)) == names  # no temporary file left behind
    workbook = openpyxl.load_workbook(next(p for p in result.paths if p.suffix == ".xlsx"))
    assert len(workbook.sheetnames) == len(ALL)
    workbook.close()
    assert result.summary.startswith(f"已导出2026年第四季度报表 {len(ALL)} 张")
    assert result.warnings == ("2026年第四季度尚未结束（至 2026-12-31），报表数字为截至 2026-11-26 的数据，"
                               "标题已注明“期别未结束”；期末后请重新导出正式报表。",)  # exported on 11-26


def test_single_return_is_named_after_it(activity, out) -> None:
    result = activity.returns.export(["demand_ledger"], "2026-11", ["xlsx"], out)
    assert [p.name for p in result.paths] == ["企业诉求办理台账（2026年11月）.xlsx"]


@pytest.mark.parametrize("period, words", [("2026Q5", "无法识别"), ("2026-13", "月份应在 1–12 之间"),
                                           ("2027", "尚未开始"), ("2026年11月", "无法识别"), ("", "无法识别")])
def test_bad_or_future_period_is_refused(office, out, period, words) -> None:
    with pytest.raises(ValidationFailed) as caught:
        office.returns.export(["demand_ledger"], period, ["xlsx"], out)
    assert words in str(caught.value)
    assert os.listdir(out) == []


def test_period_kind_a_return_does_not_take(office, out) -> None:
    with pytest.raises(ValidationFailed, match="《梯度培育企业汇总表》按季、年填报，不能按月导出"):
        office.returns.export(["pool_summary"], "2026-10", ["xlsx"], out)


def test_unknown_return_and_no_format(office, out) -> None:
    with pytest.raises(ValidationFailed, match="没有编号为“nope”的报表"):
        office.returns.export(["nope"], "2026Q4", ["xlsx"], out)
    with pytest.raises(ValidationFailed, match="请至少选择一种格式"):
        office.returns.export(["demand_ledger"], "2026Q4", ["doc"], out)


def test_missing_or_unwritable_or_full_folder(office, out, monkeypatch) -> None:
    with pytest.raises(ExportError, match="不存在（U盘是否已拔出？）"):
        office.returns.export(["demand_ledger"], "2026Q4", ["xlsx"], out / "gone")
    (out / "a-file").write_text("x")
    with pytest.raises(ExportError, match="不存在"):
        office.returns.export(["demand_ledger"], "2026Q4", ["xlsx"], out / "a-file")

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(returns_module.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match="没有权限"):
        office.returns.export(["demand_ledger"], "2026Q4", ["xlsx"], out)
    monkeypatch.undo()
    monkeypatch.setattr(returns_module.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10, 9, 1))
    with pytest.raises(ExportError, match="剩余空间不足"):
        office.returns.export(["demand_ledger"], "2026Q4", ["xlsx"], out)
    assert os.listdir(out) == ["a-file"]


def test_disk_full_while_writing_leaves_nothing(activity, out, monkeypatch) -> None:
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(return_xlsx, "write_returns_xlsx", full)
    with pytest.raises(ExportError, match="空间已满"):
        activity.returns.export(["demand_ledger", "demand_summary"], "2026Q4", ["pdf", "xlsx"], out)
    assert os.listdir(out) == []


class CancelWhileRendering(SilentProgress):
    """Cancels as soon as the rendering share (above 300 of 1000) reports."""

    def update(self, done: int, total: int, message: str = "") -> None:
        if done > 300:
            self.cancel_event.set()


def test_cancel_leaves_no_file(activity, out) -> None:
    with pytest.raises(Cancelled, match="没有留下任何文件"):
        activity.returns.export(ALL, "2026Q4", ["xlsx", "pdf"], out, progress=CancelWhileRendering())
    assert os.listdir(out) == []


def test_preparer_defaults_to_the_office_default(office) -> None:
    doc = office.returns.build(["demand_ledger"], "2026Q4")[0]
    assert (doc.preparer, doc.reviewer, doc.reporting_unit) == ("测试员", "", "吕梁市离石区中小企业服务中心")
    assert doc.fingerprint.startswith("数据截至 2026-11-26 09:30，校验码 ")


def test_font_setting_is_checked(office, out) -> None:
    with pytest.raises(ValidationFailed, match="不存在"):
        office.returns.set_font_path(str(out / "none.ttf"))
    assert office.returns.font_path() == ""
