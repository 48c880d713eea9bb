"""The three monitoring returns in the catalogue: built from hand-counted figures, written to xlsx and pdf."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from lvqi_desktop.errors import ExportError
from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.service import CATALOGUE
from lvqi_desktop.services.returns.service import ReturnService
from tests.services.monitoring.conftest import TODAY

IDS = ["monitoring_summary", "monitoring_timeliness", "statistician_assessment"]


@pytest.fixture
def returns(services) -> ReturnService:
    sources = ReturnSources(services.db, services.kpi, services.cultivation.targets, services.demands, services.visits)
    return ReturnService(sources, services.office_info, today=lambda: TODAY)


@pytest.fixture
def filled(mon, monitored):
    a, b = monitored("3", name="甲公司"), monitored("4", name="乙公司")
    mon.save_report(ReportDraft(a, "2025-10", {"revenue_ytd": "800"}, date(2025, 11, 5)))
    mon.save_report(ReportDraft(a, "2026-10", {"revenue_ytd": "1000", "operation_status": "好"}, date(2026, 11, 5)))
    mon.save_report(ReportDraft(b, "2026-10", {"revenue_ytd": "200.5", "operation_status": "差"}, date(2026, 11, 20)))
    mon.add_statistician(a, "张三", "13800000001", date(2025, 1, 1))
    return a, b


def test_the_returns_are_in_the_catalogue() -> None:
    assert [e.return_id for e in CATALOGUE if e.return_id in IDS] == IDS


def _line(doc, first: str, second: str | None = None):
    return next(line for line in doc.lines if line.values[0] == first and (second is None or line.values[1] == second))


def test_summary_timeliness_and_assessment_lines(returns, filled) -> None:
    summary, timeliness, assessment = returns.build(IDS, "2026")
    revenue = _line(summary, "营业收入（本年累计）（万元）")
    assert revenue.values[2:6] == (Decimal("1200.50"), Decimal("800.00"), pytest.approx(0.25), 2)
    assert _line(summary, "营业收入（本年累计）增长企业").values[5:] == (1, 1.0)
    assert _line(summary, "生产经营状态", "好").values[5:] == (1, 0.5)
    assert _line(summary, "报送情况", "已报企业").values[5] == 2
    assert _line(summary, "报送情况", "应报企业").values[2:6] == (None, None, None, 2)  # 应报 in its own line
    assert any("2026年10月" in f for f in summary.footnotes)
    # 2026: Jan–Oct owed by both firms (in the sample since 2025); a reported Oct on time, b late
    assert timeliness.totals.values[2:] == (20, 2, 1, 18, pytest.approx(0.1), pytest.approx(0.05))
    row = next(line for line in assessment.lines if line.values[1] == "张三")
    assert row.values[3:8] == (10, 1, pytest.approx(0.1), 0, "不合格")


def test_month_return_for_timeliness(returns, filled) -> None:
    (doc,) = returns.build(["monitoring_timeliness"], "2026-10")
    assert doc.totals.values[2:6] == (2, 2, 1, 0)


def test_timeliness_of_a_past_quarter_counts_to_its_last_month(returns, filled) -> None:
    (doc,) = returns.build(["monitoring_timeliness"], "2026Q3")  # on 11-26: Jul–Sep owed, not Oct
    assert doc.totals.values[2] == 6
    assert any("统计至2026年9月" in f for f in doc.footnotes)
    assert not any("2026年10月" in f for f in doc.footnotes)


def test_export_xlsx_and_pdf(returns, filled, tmp_path) -> None:
    result = returns.export(IDS, "2026", ["xlsx"], tmp_path)
    book = openpyxl.load_workbook(result.paths[0])
    assert len(book.sheetnames) == 3
    book.close()
    try:
        returns.resolve_font()
    except ExportError:
        pytest.skip("no CJK font for PDF on this machine")
    result = returns.export(IDS, "2026", ["pdf"], tmp_path)
    assert len(result.paths) == 3 and all(p.stat().st_size > 1000 for p in result.paths)


def test_growth_over_a_loss_prints_a_dash_with_a_note_and_whole_numbers_stay_whole(returns, mon, monitored) -> None:
    a = monitored("3", name="甲公司")
    mon.save_report(ReportDraft(a, "2025-10", {"profit_ytd": "-47.44", "employees": "120"}, date(2025, 11, 5)))
    mon.save_report(ReportDraft(a, "2026-10", {"profit_ytd": "223.22", "employees": "118"}, date(2026, 11, 5)))
    (summary,) = returns.build(["monitoring_summary"], "2026")
    profit = next(line for line in summary.lines if line.record == "利润总额（本年累计）")
    assert profit.values[2:5] == (Decimal("223.22"), Decimal("-47.44"), "—")  # never 570.6 %
    assert any("上年同期（同口径）为零或负数" in note for note in summary.footnotes)
    people = next(line for line in summary.lines if line.values[0].startswith("从业人员"))
    assert people.values[2:4] == (118, 120) and isinstance(people.values[2], int)
    unfilled = next(line for line in summary.lines if line.values[0].startswith("营业成本"))
    assert unfilled.values[2:5] == (None, None, None)  # nobody filled it: blank, not 0.00


def test_a_year_the_holiday_calendar_does_not_know_is_named_on_the_timeliness_return(services) -> None:
    from lvqi_desktop.validation.workdays import covers

    year = next(y for y in range(2026, 2100) if not covers(y))
    sources = ReturnSources(services.db, services.kpi, services.cultivation.targets, services.demands, services.visits)
    later = ReturnService(sources, services.office_info, today=lambda: date(year + 1, 3, 1))
    (doc,) = later.build(["monitoring_timeliness"], f"{year}-01")
    assert any(f"{year}年的法定节假日和调休安排尚未收录" in note for note in doc.footnotes)
    (known,) = later.build(["monitoring_timeliness"], "2026-01")
    assert not any("尚未收录" in note for note in known.footnotes)
