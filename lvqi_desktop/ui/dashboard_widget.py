"""工作概览 on the start page: charts of DashboardService.figures, computed in the background.

Every bar, point and number emits `open_requested(page title, filter)`; `wire_dashboard` opens that page with
the filter on (e.g. the 逾期 bar → 企业诉求 showing overdue demands only).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.dashboard import DashboardFigures
from lvqi_desktop.ui.charts import AMBER
from lvqi_desktop.ui.charts import BLUE
from lvqi_desktop.ui.charts import GREEN
from lvqi_desktop.ui.charts import GREY
from lvqi_desktop.ui.charts import RED
from lvqi_desktop.ui.charts import Bar
from lvqi_desktop.ui.charts import BarChart
from lvqi_desktop.ui.charts import BarRow
from lvqi_desktop.ui.charts import Chart
from lvqi_desktop.ui.charts import LineChart
from lvqi_desktop.ui.charts import number
from lvqi_desktop.ui.county_comparison import wire_county_comparison
from lvqi_desktop.ui.start_panel import StartPanel

if TYPE_CHECKING:
    from lvqi_desktop.ui.main_window import MainWindow

DEMANDS, POOLS, VISITS, BASES, MONITORING = "企业诉求", "梯度培育库", "入企服务", "双创基地", "运行监测"
EMPTY_TEXT = ("还没有可统计的数据。在“企业库”新增企业，登记入企服务和企业诉求、设置培育目标后，"
              "这里会显示本年度的目标完成、培育库进出、诉求办理和服务情况。")
LOADING_TEXT = "正在统计…"
CLOSED = ("resolved", "explained", "signed_off")


def _link(key: str, text: str) -> str:
    return f'<a href="{key}" style="text-decoration:none">{text}</a>'


def _percent_word(percent: float | None) -> tuple[str, str]:
    if percent is None:
        return GREY, "无数据"
    if percent >= 100:
        return GREEN, "已完成"
    return (AMBER, "进行中") if percent >= 60 else (RED, "落后")


def _stacked(upper: QWidget, lower: QWidget) -> QVBoxLayout:
    """A chart and the words that go with it, one above the other, kept at the top of their grid cell."""
    box = QVBoxLayout()
    box.addWidget(upper)
    box.addWidget(lower)
    box.addStretch(1)
    return box


class DashboardWidget(StartPanel):
    open_requested = Signal(str, str)  # page title, filter ('' none; 'overdue', 'status:<code>', 'age:<bucket>', …)

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None,
                 background: bool = True) -> None:
        super().__init__(services, "工作概览", parent, today, background)
        self.figures: DashboardFigures | None = None
        self.message = QLabel(LOADING_TEXT)
        self.message.setWordWrap(True)
        self.targets = BarChart("培育目标完成情况")
        self.pools = BarChart("今年培育库进出（家）")
        self.demands = BarChart("企业诉求：逾期优先，按状态和时长（件）")
        self.visits = LineChart("入企服务：今年每月次数")
        self.served = QLabel()
        self.bases = BarChart("双创基地：按层级（个）")
        self.monitoring_label = QLabel()
        self.revenue = LineChart("运行监测：营业收入（本年累计，万元）", color=GREEN)
        for label in (self.served, self.monitoring_label):
            label.setWordWrap(True)
            label.linkActivated.connect(self._open_key)
        for chart in self.charts():
            chart.activated.connect(self._open_key)
        self.content = QWidget()
        grid = QGridLayout(self.content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.demands, 0, 0, top)
        grid.addWidget(self.targets, 0, 1, top)
        grid.addLayout(_stacked(self.visits, self.served), 1, 0)
        grid.addWidget(self.pools, 1, 1, top)
        grid.addLayout(_stacked(self.monitoring_label, self.revenue), 2, 0)
        grid.addWidget(self.bases, 2, 1, top)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.content.setVisible(False)
        layout = QVBoxLayout(self)  # shown in full: the start page scrolls as a whole, no box nested in it
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.content, 1)

    def charts(self) -> list[Chart]:
        return [self.targets, self.pools, self.demands, self.visits, self.bases, self.revenue]

    # ---- loading
    def reload(self) -> None:
        today = self.today()
        service = self.services.dashboard
        if self.figures is None:
            self.message.setText(LOADING_TEXT)
            self.message.setVisible(True)
        # every part side by side in the service's threads (aggregate queries: well under a second at city scale)
        self.count(lambda: service.figures(today.year, today), self.show_figures, "正在统计工作概览")

    def show_failure(self, exc: BaseException) -> None:
        self.message.setText(f"工作概览暂时无法统计：{exc}")
        self.message.setVisible(True)

    # ---- showing
    def show_figures(self, f: DashboardFigures) -> None:
        self.figures = f
        self.heading.setText(f"工作概览（{f.year}年，截至{f.as_of:%Y-%m-%d}）")
        if f.empty:
            self.message.setText(EMPTY_TEXT)
            self.message.setVisible(True)
            self.content.setVisible(False)
            self.loaded.emit()
            return
        self.message.setVisible(False)
        self.content.setVisible(True)
        self._show_demands(f)
        self._show_targets(f)
        self._show_visits(f)
        self._show_pools(f)
        self._show_bases(f)
        self._show_monitoring(f)
        self.content.adjustSize()
        self.updateGeometry()
        self.loaded.emit()

    def _show_demands(self, f: DashboardFigures) -> None:
        overdue_colour = RED if f.overdue else GREEN
        rows = [BarRow("逾期", (Bar("demands:overdue", f.overdue, overdue_colour,
                                    f"{f.overdue:,} 件 逾期" if f.overdue else "0 件 无逾期"),))]
        gt30 = sum(d.gt30 for d in f.demands)
        d8_30 = sum(d.d8_30 for d in f.demands)
        le7 = sum(d.le7 for d in f.demands)
        rows += [BarRow("未办结超30天", (Bar("demands:age:gt30", gt30, AMBER, f"{gt30:,} 件 超期风险"),)),
                 BarRow("未办结8–30天", (Bar("demands:age:d8_30", d8_30, BLUE),)),
                 BarRow("未办结7天内", (Bar("demands:age:le7", le7, BLUE),))]
        rows += [BarRow(d.label, (Bar(f"demands:status:{d.status}", d.total, GREEN if d.status in CLOSED else BLUE,
                                      f"{d.total:,}"),)) for d in f.demands]
        self.demands.set_rows(rows)

    def _show_targets(self, f: DashboardFigures) -> None:
        rows = []
        for t in f.targets:
            colour, word = _percent_word(t.percent)
            done = number(t.achieved)
            share = "" if t.percent is None else f"（{t.percent:g}%）"
            rows.append(BarRow(t.label, (Bar("targets:", t.target, GREY, f"目标 {number(t.target)}{t.unit}"),
                                         Bar("targets:", t.achieved or 0, colour,
                                             f"完成 {done}{t.unit}{share} {word}"))))
        self.targets.set_rows(rows, [(GREY, "目标"), (GREEN, "已完成"), (AMBER, "进行中"), (RED, "落后")])
        self.targets.setVisible(bool(rows))

    def _show_visits(self, f: DashboardFigures) -> None:
        if not f.complete:
            self.visits.set_points([(f"{m}月", None, "") for m in range(1, 13)])
            self.served.setText(f"服务企业 {_link('demands:', f'{f.enterprises_served:,} 家')}；入企服务次数正在统计…")
            return
        last = f.as_of.month if f.as_of.year == f.year else 12  # months still to come draw no point
        self.visits.set_points([(f"{m}月", float(n) if m <= last else None, f"visits:{f.year}-{m:02d}")
                                for m, n in enumerate(f.visits_by_month, 1)])
        served = f"今年入企服务 {_link('visits:', f'{f.visits:,} 次')}，服务企业 " \
                 f"{_link('demands:', f'{f.enterprises_served:,} 家')}"
        if f.served_target:
            percent = f.enterprises_served * 100 / f.served_target
            colour, word = _percent_word(percent)
            served += (f" / 目标 {f.served_target:,} 家（{percent:.0f}%，"
                       f'<span style="color:{colour}">{word}</span>）')
        else:
            served += "（未设服务企业目标）"
        self.served.setText(served)

    def _show_pools(self, f: DashboardFigures) -> None:
        self.pools.set_rows([BarRow(p.name, (Bar(f"pools:{p.pool}", p.entered, BLUE, f"新入库 {p.entered:,}"),
                                             Bar(f"pools:{p.pool}", p.recognized, GREEN, f"认定 {p.recognized:,}"),
                                             Bar(f"pools:{p.pool}", p.left, GREY, f"退库 {p.left:,}")))
                             for p in f.pools],
                            [(BLUE, "新入库"), (GREEN, "认定（达标）"), (GREY, "退库")])

    def _show_bases(self, f: DashboardFigures) -> None:
        self.bases.set_rows([BarRow(b.label, (Bar(f"bases:{b.level}", b.count, BLUE, f"{b.count:,}"),))
                             for b in f.bases])

    def _show_monitoring(self, f: DashboardFigures) -> None:
        m = f.monitoring
        if not f.complete:
            self.monitoring_label.setText("运行监测正在统计…")
            self.monitoring_label.setVisible(self.services.dashboard.has_monitoring)
            self.revenue.setVisible(False)
            return
        self.monitoring_label.setVisible(m is not None)
        self.revenue.setVisible(m is not None and any(v.value is not None for v in m.revenue_trend))
        if m is None:
            return
        missing = m.expected - m.received
        if not m.expected:
            self.monitoring_label.setText(f"运行监测 {m.period} 月报：{_link('monitoring:', '尚未建立监测样本')}")
            return
        tone = (GREEN, "已报齐") if not missing else (RED, f"未报 {missing:,} 家")
        self.monitoring_label.setText(
            f"运行监测 {m.period} 月报：应报 {_link('monitoring:', f'{m.expected:,} 家')}，已报 {m.received:,} 家"
            f"（按时 {m.on_time:,} 家），<span style=\"color:{tone[0]}\">{tone[1]}</span>")
        self.revenue.set_points([(v.period[5:].lstrip("0") + "月", v.value, "monitoring:")
                                 for v in m.revenue_trend])

    def _open_key(self, key: str) -> None:
        kind, _, rest = key.partition(":")
        page = {"demands": DEMANDS, "targets": POOLS, "pools": POOLS, "visits": VISITS, "bases": BASES,
                "monitoring": MONITORING}.get(kind)
        if page:
            self.open_requested.emit(page, f"progress:{rest}" if kind == "targets" else rest)


def open_filtered(window: MainWindow, title: str, what: str) -> None:
    """Switch to the page and set the filter the dashboard named."""
    page = window.show_page(title)
    kind, _, code = what.partition(":")
    if title == DEMANDS:
        if kind == "overdue":
            page.show_on_ledger("", "overdue")  # type: ignore[attr-defined]
        elif kind == "age":
            page.show_on_ledger("", code)  # type: ignore[attr-defined]
        elif kind == "status":
            page.show_on_ledger(code, "")  # type: ignore[attr-defined]
    elif title == POOLS:
        if kind == "progress":
            page.tabs.setCurrentWidget(page.progress_tab)  # type: ignore[attr-defined]
        elif kind:
            page.show_pool(kind)  # type: ignore[attr-defined]
    elif title == VISITS:
        page.visits.period.set_code(kind or None)  # type: ignore[attr-defined]  ('' : 全部)
    elif title == BASES and kind:
        page.bases.level.set_code(kind)  # type: ignore[attr-defined]


def wire_dashboard(window: MainWindow) -> DashboardWidget:
    """Add the dashboard to the start page; clicks open the filtered list; data changes make it reload."""
    dashboard = DashboardWidget(window.services)
    dashboard.open_requested.connect(lambda title, what: open_filtered(window, title, what))
    window.for_each_page(lambda page: page.data_changed.connect(dashboard.mark_stale))
    comparison = wire_county_comparison(window)  # city edition only
    if comparison is None:
        window.pages[0].add_section(dashboard)  # type: ignore[attr-defined]
        dashboard.reload()  # start counting now, while the window is still being shown
        return dashboard
    tabs = QTabWidget()
    tabs.setObjectName("start_tabs")
    tabs.addTab(dashboard, "全市概览")
    tabs.addTab(comparison, "各县对比")
    window.pages[0].add_section(tabs)  # type: ignore[attr-defined]
    dashboard.reload()
    return dashboard
