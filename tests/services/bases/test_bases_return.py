"""双创基地情况表: in the catalogue, lines and totals equal a hand count, written as xlsx and pdf."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.services.bases import YearDraft
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.service import ReturnService
from lvqi_desktop.services.visits import VisitService
from tests.services.bases.conftest import TODAY


@pytest.fixture
def returns(services) -> ReturnService:
    clock = lambda: TODAY  # noqa: E731
    sources = ReturnSources(services.db, KpiService(services.db, services.office_code, clock),
                            build_cultivation(services.db, services.office_county, clock).targets,
                            DemandService(services.db, services.office_code, clock),
                            VisitService(services.db, services.office_code, clock))
    return ReturnService(sources, services.office_info, today=clock, now=lambda: datetime(2026, 11, 26, 9, 30))


@pytest.fixture
def ledger(bases, cult, add_base, add_firm):
    """Three current bases and one archived; hand count for 2025 below."""
    provincial = add_base("吕梁智创城", kind="zhichuang", level="provincial", provincial_recognized_on="2024-09-01",
                          provincial_document_no="晋中小企发〔2024〕30号", city_recognized_on="2023-05-01",
                          city_document_no="吕中小企发〔2023〕5号")
    city = add_base("离石区返乡创业园", kind="returnee", level="city", city_recognized_on="2025-05-01",
                    city_document_no="吕中小企发〔2025〕7号")
    city2 = add_base("离石区电商产业园", level="city", city_recognized_on="2024-05-01",
                     city_document_no="吕中小企发〔2024〕2号")
    cultivating = add_base("信义镇扶贫车间", kind="poverty_workshop")
    gone = add_base("已关闭的园区")
    bases.archive_base(gone, "关闭")
    bases.save_year(provincial, YearDraft(year="2025", tenants="40", new_tenants="12", jobs="600"))
    bases.save_year(city, YearDraft(year="2025", tenants="15", new_tenants="5", jobs="120"))
    bases.save_year(city2, YearDraft(year="2025", tenants="22", new_tenants="3", jobs="180"))
    bases.save_year(gone, YearDraft(year="2025", tenants="99", new_tenants="99", jobs="999"))
    a = add_firm(above_scale=True, above_scale_since="2025-03")
    b = add_firm(above_scale=True, above_scale_since="2023-01")
    c = add_firm()
    cult.pools.add_to_pool(c, RecordDraft(pool="srdi", tier="innovative_sme", status="recognized",
                                          recognized_on="2025-06-01", document_no="晋工信〔2025〕3号"))
    bases.add_tenant(provincial, a, date(2024, 1, 1))
    bases.add_tenant(provincial, c, date(2025, 1, 1))
    bases.add_tenant(city, b, date(2025, 2, 1))
    return {"provincial": provincial, "city": city, "city2": city2, "cultivating": cultivating}


def test_in_catalogue(returns) -> None:
    entry = next(e for e in returns.catalogue() if e.return_id == "incubation_bases")
    assert entry.title == "双创基地情况表" and entry.periods_label == "季、年"


def test_lines_and_totals_equal_hand_count(returns, ledger) -> None:
    (doc,) = returns.build(["incubation_bases"], "2025")
    data = [line.values for line in doc.lines if line.kind == "data"]
    assert [(v[0], v[1]) for v in data] == [("省级", "吕梁智创城"), ("市级", "离石区电商产业园"),
                                            ("市级", "离石区返乡创业园"), ("培育", "信义镇扶贫车间")]
    cols = [c.key for c in doc.definition.columns]
    at = {k: cols.index(k) for k in cols}
    smart = data[0]
    assert smart[at["recognized_on"]] == date(2024, 9, 1) and smart[at["document_no"]] == "晋中小企发〔2024〕30号"
    assert (smart[at["above_scale"]], smart[at["srdi"]]) == (1, 1)  # a: 规上 from 2025-03; c: 创新型 2025-06
    assert (data[2][at["above_scale"]], data[2][at["srdi"]]) == (1, 0)
    assert data[3][at["tenants"]] is None  # not typed: blank, named in a footnote
    assert any("信义镇扶贫车间" in n for n in doc.footnotes)
    subtotals = [line.values for line in doc.lines if line.kind == SUBTOTAL]
    assert len(subtotals) == 1 and subtotals[0][at["tenants"]] == 15 + 22  # the two 市级 bases
    total = doc.totals
    assert total is not None and total.kind == TOTAL
    # hand count: 40+15+22 tenants, 12+5+3 new, 600+120+180 jobs; the archived base is left out
    assert (total.values[at["tenants"]], total.values[at["new_tenants"]], total.values[at["jobs"]]) == (77, 20, 900)
    assert (total.values[at["above_scale"]], total.values[at["srdi"]]) == (2, 1)
    assert total.values[at["area"]] == Decimal("48002.00")
    assert total.values[:3] == ("合计", "共 4 个基地", "")


def test_service_and_return_agree(returns, bases, ledger) -> None:
    (doc,) = returns.build(["incubation_bases"], "2025")
    figures = bases.figures(2025)
    assert doc.totals.values[12] == sum(f.above_scale for f in figures.values())
    assert doc.totals.values[13] == sum(f.srdi for f in figures.values())


def test_exports_xlsx_and_pdf(returns, ledger, tmp_path) -> None:
    result = returns.export(["incubation_bases"], "2025", ["xlsx", "pdf"], tmp_path, "张三", "李四")
    names = sorted(p.name for p in result.paths)
    assert names == ["双创基地情况表（2025年度）.pdf", "双创基地情况表（2025年度）.xlsx"]
    sheet = openpyxl.load_workbook(next(p for p in result.paths if p.suffix == ".xlsx")).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "吕梁智创城" in text and "共 4 个基地" in text and "已关闭的园区" not in text
    assert next(p for p in result.paths if p.suffix == ".pdf").read_bytes()[:5] == b"%PDF-"


def test_month_refused(returns, ledger) -> None:
    from lvqi_desktop.errors import ValidationFailed
    with pytest.raises(ValidationFailed) as refused:
        returns.build(["incubation_bases"], "2025-11")
    assert "按季、年填报" in str(refused.value)
