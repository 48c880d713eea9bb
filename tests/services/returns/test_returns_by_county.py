"""City edition: the same returns by county (a row per county plus 全市合计; ledgers grouped by county).

Three county offices make data, send packages, the city imports them; the city's returns are compared with each
county's own export of the same data. One firm is claimed by two counties (same USCC) and must count once.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from datetime import date
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings

from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.exporters.return_model import DATA
from lvqi_desktop.exporters.return_model import SUBTOTAL
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import ReturnDocument
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import ReportDraft
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.ui.returns_page import ReturnsPage
from tests.exporters.conftest import needs_poppler
from tests.services.exchange.conftest import make_city
from tests.services.exchange.conftest import make_county

COUNTIES = (("141102", "离石区", 1), ("141121", "文水县", 2), ("141181", "孝义市", 3))
REVENUE = {"离石区": ("1000", "800"), "孝义市": ("600", "400")}  # 万元 now and a year before: +25 %, +50 %
ALL_NAMES = ("离石区", "文水县", "交城县", "兴县", "临县", "柳林县", "石楼县", "岚县", "方山县", "中阳县", "交口县",
             "孝义市", "汾阳市")
SUMMARIES = ("pool_summary", "demand_summary", "visit_summary", "monitoring_summary")
HELD = datetime(2026, 11, 20, 10, 0)  # the module's day: 2026Q3 is finished, the year 2026 is not
PERIOD = str(HELD.year)
FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _month(day: date, back: int) -> str:
    n = day.year * 12 + day.month - 1 - back
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _monitor(s, eid: int, now: str, last_year: str) -> None:
    """A monitored firm reporting 营业收入 for last month and the same month a year before."""
    today = clock.today()
    mon = MonitoringService(s.db, s.office_county, lambda: today)
    mon.add_to_sample(eid, date(today.year - 2, 1, 1))
    mon.save_report(ReportDraft(eid, _month(today, 13), {"revenue_ytd": last_year}, date.fromisoformat(
        _month(today, 12) + "-05")), confirmed=True)
    mon.save_report(ReportDraft(eid, _month(today, 1), {"revenue_ytd": now}, today.replace(day=1)), confirmed=True)


def _add_pools(s, shared_uscc: str | None, revenue: tuple[str, str] | None = None) -> str:
    """Four firms in the SRDI pool, two in 小升规, maybe one monitored firm; with `shared_uscc` the first SRDI
    firm takes that code."""
    conn = sqlite3.connect(s.data_dir.database)
    ids = [r[0] for r in conn.execute("SELECT id FROM enterprise WHERE archived_at IS NULL ORDER BY id LIMIT 7")]
    for eid in ids[:4]:
        s.cultivation.pools.add_to_pool(eid, RecordDraft(pool="srdi", tier="innovative_sme"))
    for eid in ids[4:6]:
        s.cultivation.pools.add_to_pool(eid, RecordDraft(pool="scale_up"))
    if revenue:
        _monitor(s, ids[6], *revenue)
    try:
        if shared_uscc:
            conn.execute("UPDATE enterprise SET uscc = ? WHERE id = ?", (shared_uscc, ids[0]))
            conn.commit()
        return conn.execute("SELECT uscc FROM enterprise WHERE id = ?", (ids[0],)).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module", autouse=True)
def _held_clock():
    """Packages of 2026Q3 and returns of 2026 on any day the suite runs (CI moves the wall clock)."""
    with clock.using(clock.FixedClock(HELD)):
        yield


@pytest.fixture(scope="module")
def city3(tmp_path_factory: pytest.TempPathFactory, module_backend):
    """(city services, {county name: its own documents by return id}) with one USCC claimed by 离石区 and 文水县;
    the city on a SQLite file, then on the PostgreSQL server (issue 22)."""
    root = tmp_path_factory.mktemp("city3")
    usb = root / "usb"
    usb.mkdir()
    packages, own = [], {}
    shared = None
    for code, name, seed in COUNTIES:
        s = make_county(root / code, code, name, enterprises=30, seed=seed)
        uscc = _add_pools(s, shared if name == "文水县" else None, REVENUE.get(name))
        shared = shared or uscc
        ids = [e.return_id for e in s.returns.catalogue() if e.definition.accepts("year")]
        own[name] = {d.definition.return_id: d for d in s.returns.build(ids, PERIOD)}
        packages.append(s.exchange.export_package("2026Q3", usb, with_returns=False).path)
        s.db.dispose()
    city = make_city(root / "city", module_backend)
    x = city.exchange
    x.apply(x.dry_run(packages))
    ids = [e.return_id for e in city.returns.catalogue() if e.definition.accepts("year")]
    docs = {d.definition.return_id: d for d in city.returns.build(ids, PERIOD)}
    yield city, own, docs, root
    city.db.dispose()


def _col(doc: ReturnDocument, key: str) -> int:
    return doc.definition.index(key)


def _group_of(doc: ReturnDocument, key: str) -> str:
    """The header group title above a city column."""
    keys = [c.key for c in doc.definition.columns]
    for g in doc.definition.header_groups:
        if keys.index(g.first) <= keys.index(key) <= keys.index(g.last):
            return g.title
    return ""


def test_each_summary_has_a_row_per_county_in_code_order_and_the_city_total(city3) -> None:
    _city, _own, docs, _root = city3
    for rid in SUMMARIES:
        doc = docs[rid]
        assert doc.definition.columns[0].header == "县（市、区）", rid
        assert tuple(line.values[0] for line in doc.lines) == ALL_NAMES, rid
        assert all(line.kind == DATA for line in doc.lines), rid
        assert doc.totals is not None and doc.totals.kind == TOTAL, rid
        assert doc.totals.values[0] == "全市合计（10 个县区未报送）", rid
        quiet = next(line for line in doc.lines if line.values[0] == "交城县")  # no package: says so, not zeros
        assert quiet.values[1] == "未报送" and all(v is None for v in quiet.values[2:]), rid


def test_pool_summary_rows_equal_each_county_and_the_total_counts_a_shared_firm_once(city3) -> None:
    _city, own, docs, _root = city3
    doc = docs["pool_summary"]
    row = {line.values[0]: line for line in doc.lines}
    measured = list(doc.definition.columns[1:])
    assert len({_group_of(doc, c.key) for c in measured}) == 4  # a column group per pool
    for name, _code_seed in ((n, s) for _c, n, s in COUNTIES):
        county = own[name]["pool_summary"]
        for c in measured:
            pool, key = _group_of(doc, c.key).removesuffix("（家）"), c.key.split(":")[1]
            expected = sum(line.values[_col(county, key)] for line in county.lines
                           if line.kind == DATA and line.values[0] == pool)
            assert row[name].values[_col(doc, c.key)] == expected, (name, pool, key)
    srdi_in_pool = next(c for c in measured if c.key.endswith(":in_pool") and "专精特新" in _group_of(doc, c.key))
    at = _col(doc, srdi_in_pool.key)
    assert sum(line.values[at] for line in doc.lines if line.values[1] != "未报送") == 12
    assert doc.totals.values[at] == 11  # the firm 离石区 and 文水县 both claim counts once
    assert any("去重 1 家" in note for note in doc.footnotes)


def test_demand_and_visit_summaries_equal_the_counties_own_figures(city3) -> None:
    _city, own, docs, _root = city3
    demand, visit = docs["demand_summary"], docs["visit_summary"]
    d_rows = {line.values[0]: line.values for line in demand.lines if line.values[1] != "未报送"}
    v_rows = {line.values[0]: line.values for line in visit.lines if line.values[1] != "未报送"}
    for _code, name, _seed in COUNTIES:
        county = own[name]["demand_summary"]
        sub = next(line.values for line in county.lines if line.kind == SUBTOTAL and line.values[0] == "按诉求类别")
        assert d_rows[name][1:] == sub[2:], name  # the counties' KPI figures and their own rates
        cv = own[name]["visit_summary"]
        by_channel = {line.values[1]: line.values[2] for line in cv.lines
                      if line.kind == DATA and line.values[0] == "按服务方式"}
        vsub = next(line.values for line in cv.lines if line.kind == SUBTOTAL and line.values[0] == "按服务方式")
        assert v_rows[name][1:] == (*by_channel.values(), *vsub[2:]), name
    for i, column in enumerate(demand.definition.columns[1:], start=1):
        if column.kind == "count":
            assert demand.totals.values[i] == sum(v[i] for v in d_rows.values()), column.header
    t = demand.totals.values
    assert t[_col(demand, "on_time_rate")] == pytest.approx(t[_col(demand, "on_time")] / t[_col(demand, "closed")])
    visits_at = _col(visit, "visits")
    assert visit.totals.values[visits_at] == sum(v[visits_at] for v in v_rows.values())


def test_ledgers_are_grouped_by_county_in_code_order_with_county_subtotals(city3) -> None:
    _city, own, docs, _root = city3
    for rid in ("srdi_ledger", "helper_ledger", "demand_ledger", "above_scale_register"):
        doc = docs[rid]
        assert doc.definition.columns[0].header == "县（市、区）" and doc.definition.group_column == "county"
        order = list(dict.fromkeys(line.values[0] for line in doc.lines))
        assert order == [n for n in ALL_NAMES if n in order], rid
        for _code, name, _seed in COUNTIES:
            mine = [line.values[1:] for line in doc.lines if line.values[0] == name and line.kind == DATA]
            theirs = [line.values for line in own[name][rid].lines if line.kind == DATA]
            assert mine == theirs, (rid, name)
    srdi = docs["srdi_ledger"]
    subtotals = [line.values[:2] for line in srdi.lines if line.kind == SUBTOTAL]
    assert subtotals == [("离石区", "小计（4 家）"), ("文水县", "小计（4 家）"), ("孝义市", "小计（4 家）")]
    assert srdi.totals.values[:2] == ("全市", "合计（11 家）")
    assert any("去重 1 家" in note for note in srdi.footnotes)


def _pdf_text(path: Path, first: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(first)] if first else []
    return subprocess.run(["pdftotext", *pages, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_poppler
def test_city_export_prints_the_package_fingerprint_on_the_cover_and_in_the_foot(city3, tmp_path) -> None:
    city, _own, _docs, _root = city3
    result = city.returns.export(["pool_summary", "srdi_ledger"], PERIOD, ["xlsx", "pdf"], tmp_path,
                                 package_fingerprint=FINGERPRINT)
    printed = "报送包数据指纹：9F86 D081 884C 7D65"
    pdfs = [p for p in result.paths if p.suffix == ".pdf"]
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert printed in _pdf_text(pdf, first=1)  # the cover
        assert _pdf_text(pdf).count(printed) == 2  # and the foot
    (book,) = [p for p in result.paths if p.suffix == ".xlsx"]
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
        assert any(printed in text and "校验码" in text for text in cells), ws.title
    summary = wb.worksheets[0]
    assert summary.cell(7, 1).value == "县（市、区）"


def test_without_a_package_no_fingerprint_line(city3, tmp_path) -> None:
    city, _own, _docs, _root = city3
    (doc,) = city.returns.build(["visit_summary"], PERIOD)
    assert doc.package_line == "" and "报送包" not in doc.foot_line


@pytest.fixture
def ini_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()


def test_the_city_page_says_returns_come_by_county(qtbot, city3, services, ini_settings) -> None:
    city, _own, _docs, root = city3
    page = ReturnsPage(city)
    qtbot.addWidget(page)
    page.resize(1100, 650)
    page.show()
    assert page.by_county_note.isVisible() and "按县区汇总" in page.by_county_note.text()
    page.grab().save(str(root / "returns_page_city.png"))
    county_page = ReturnsPage(services)
    qtbot.addWidget(county_page)
    county_page.show()
    assert not county_page.by_county_note.isVisible()


def test_monitoring_summary_rows_are_the_counties_and_the_city_growth_is_recomputed(city3) -> None:
    _city, own, docs, _root = city3
    doc = docs["monitoring_summary"]
    rows = {line.values[0]: line.values for line in doc.lines}
    revenue = next(g for g in doc.definition.header_groups if g.title.startswith("营业收入"))
    now_at, yoy_at = _col(doc, revenue.first), _col(doc, revenue.last)
    for name in REVENUE:
        county = own[name]["monitoring_summary"]
        expected, sent = (next(line.values for line in county.lines if line.values[:2] == ("报送情况", option))
                          for option in ("应报企业", "已报企业"))
        mine = next(line.values for line in county.lines if line.values[0] == revenue.title)
        assert rows[name][1:4] == (expected[5], sent[5], sent[6]), name
        assert (rows[name][now_at], rows[name][yoy_at]) == (mine[2], mine[4]), name
    assert rows["离石区"][yoy_at] == pytest.approx(0.25) and rows["孝义市"][yoy_at] == pytest.approx(0.5)
    assert doc.totals.values[now_at] == Decimal("1600.00")
    assert doc.totals.values[yoy_at] == pytest.approx(1600 / 1200 - 1)  # from the summed parts, not 0.25 + 0.5
    assert doc.totals.values[1:4] == (2, 2, 1.0)
    assert rows["文水县"][1:4] == (0, 0, None)


class CancelAfterTwoCounties(SilentProgress):
    """Presses Cancel while the city's first return is being built county by county."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    def raise_if_cancelled(self) -> None:
        self.checks += 1
        if self.checks == 4:  # the return's own check, then 离石区 and 文水县 are built
            self.cancel_event.set()
        super().raise_if_cancelled()


def test_cancel_between_counties_leaves_no_file(city3, tmp_path) -> None:
    city, _own, _docs, _root = city3
    progress = CancelAfterTwoCounties()
    with pytest.raises(Cancelled, match="没有留下任何文件"):
        city.returns.export(["pool_summary"], PERIOD, ["xlsx", "pdf"], tmp_path, progress=progress)
    assert progress.checks == 4 and list(tmp_path.iterdir()) == []


def test_city_returns_name_the_package_each_county_comes_from_and_the_missing_ones(city3) -> None:
    city, _own, docs, _root = city3
    notes = docs["pool_summary"].footnotes
    (used,) = [n for n in notes if n.startswith("本表依据各县（市、区）报送包汇总：")]
    for name in ("离石区", "文水县", "孝义市"):
        assert re.search(f"{name} 2026年第三季度第 \\d+ 号（[0-9A-F]{{4}}( [0-9A-F]{{4}}){{3}}）", used), name
    (missing,) = [n for n in notes if n.startswith("未报送")]
    assert "（10 个）" in missing and "交城县" in missing and "离石区" not in missing


def test_a_county_without_a_package_prints_not_sent_and_the_city_total_says_how_many(city3) -> None:
    _city, _own, docs, _root = city3
    doc = docs["visit_summary"]
    rows = {line.values[0]: line.values for line in doc.lines}
    assert rows["交城县"][1:] == ("未报送", *(None,) * (len(doc.definition.columns) - 2))
    assert rows["离石区"][1] != "未报送"
    assert doc.totals.values[0] == "全市合计（10 个县区未报送）"
