"""各县对比 on the city edition's start page: a sortable row per county with 全市 kept last, and late packages.

Figures come from DashboardService.county_comparison; packages from ExchangeService.submission_status for the
last finished quarter. A double-click opens the list behind the column, filtered to that county where the page
has a 县区 filter (the register otherwise); 导出Excel… writes the table as shown.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.county_comparison import CountyComparison
from lvqi_desktop.services.county_comparison import CountyFigures
from lvqi_desktop.services.county_comparison import package_deadline
from lvqi_desktop.services.county_comparison import package_period
from lvqi_desktop.services.exchange.rows import CountySubmission
from lvqi_desktop.ui.charts import AMBER
from lvqi_desktop.ui.charts import GREEN
from lvqi_desktop.ui.charts import RED
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.start_panel import StartPanel
from lvqi_desktop.ui.table_export import export_view_to_xlsx
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel

if TYPE_CHECKING:
    from lvqi_desktop.ui.main_window import MainWindow

REGISTRY, POOLS, DEMANDS, VISITS, MONITORING, BASES = "企业库", "梯度培育库", "企业诉求", "入企服务", "运行监测", "双创基地"
TITLE = "各县（市、区）对比"
TIER_TITLES = ("创新型中小企业", "省级专精特新", "省级“小巨人”", "国家级“小巨人”")
LATE_STATUSES = ("missing",)
EMPTY_TEXT = ("还没有各县（市、区）的数据可以对比。在“数据报送”导入各县的数据报送包后，这里会按县列出企业、培育、"
              "诉求、服务、运行监测和双创基地情况；下方是各县本期报送包的报送情况。")


def _count(value: object) -> str:
    return "" if value is None else f"{value:,}"


def _tier_text(value: tuple[int, int]) -> str:
    achieved, target = value
    return f"{achieved:,} / {target:,}" if target >= 0 else f"{achieved:,}"


def _percent_text(value: float | None) -> str:
    return "无样本" if value is None else f"{value:g}%"


def comparison_columns() -> list[Column[CountyFigures]]:
    """The table's columns; the page each opens is in COLUMN_PAGES."""
    def tier(i: int) -> Column[CountyFigures]:
        return Column(TIER_TITLES[i],
                      lambda r: (r.tiers[i].achieved, -1 if r.tiers[i].target is None else r.tiers[i].target),
                      _tier_text, RIGHT, export=_tier_text, width=9)
    return [Column("县（市、区）", lambda r: r.county_name, collate=True, width=6),
            Column("在册企业", lambda r: r.enterprises, _count, RIGHT, width=6),
            *(tier(i) for i in range(len(TIER_TITLES))),
            Column("未办结诉求", lambda r: r.open_demands, _count, RIGHT, width=6),
            Column("其中逾期", lambda r: r.overdue, _count, RIGHT, width=5),
            Column("今年入企服务（次）", lambda r: r.visits, _count, RIGHT, width=8),
            Column("运行监测报送率", lambda r: r.monitoring_percent, _percent_text, RIGHT,
                   export=lambda v: "" if v is None else v, width=7),
            Column("双创基地（个）", lambda r: r.bases, _count, RIGHT, width=6)]


COLUMN_PAGES = (REGISTRY, REGISTRY, POOLS, POOLS, POOLS, POOLS, DEMANDS, DEMANDS, VISITS, MONITORING, BASES)


class ComparisonModel(RowTableModel[CountyFigures]):
    """Sorts the counties by any column; the 全市 row always stays at the bottom, in bold."""

    def __init__(self) -> None:
        super().__init__(comparison_columns(), key=lambda r: r.county_code)

    def _sorted(self, rows: list[CountyFigures]) -> list[CountyFigures]:
        return super()._sorted([r for r in rows if not r.is_total]) + [r for r in rows if r.is_total]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if role == Qt.ItemDataRole.FontRole and row is not None and row.is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row is not None and index.column() == 7 and row.overdue:
            return QColor(RED)
        return super().data(index, role)


def _submission_colour(s: CountySubmission) -> str:
    if s.status in LATE_STATUSES or s.status == "rejected":
        return RED
    return AMBER if s.late or s.status in ("not_due", "received") else GREEN


def _doubled_text(firms: int) -> str:
    """Why 全市 在册企业 can exceed the firms in the city's returns: one USCC held by two counties."""
    if not firms:
        return ""
    return (f"\n注意：有 {firms:,} 家企业（统一社会信用代码相同）同时在两个及以上县（市、区）登记，"
            "在各县行和“全市”在册企业中都计入；全市报表的合计只计一次。请在“数据报送”页核实归属。")


class CountyComparisonWidget(StartPanel):
    open_requested = Signal(str, str, str)  # page title, county code ('' : every county), what ('overdue', '')

    def __init__(self, services: Services, parent: QWidget | None = None, today: date | None = None,
                 background: bool = True) -> None:
        super().__init__(services, TITLE, parent, today, background)
        self.comparison: CountyComparison | None = None
        self.submissions: list[CountySubmission] = []
        self.note = QLabel("正在统计…")
        self.note.setWordWrap(True)
        self.export_button = QPushButton("导出Excel…")
        self.export_button.clicked.connect(self.export)
        self.model = ComparisonModel()
        self.table = self._make_table()
        self.packages_label = QLabel()
        self.packages_label.setWordWrap(True)
        self.packages_label.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addWidget(self.packages_label)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicatorClearable(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setToolTip("双击一行，打开该县（市、区）对应的列表")
        table.doubleClicked.connect(self._double_clicked)
        return table

    # ---- loading
    def reload(self) -> None:
        today = self.today()
        dashboard, exchange = self.services.dashboard, self.services.exchange
        period = package_period(today)
        self.count(lambda: (dashboard.county_comparison(today.year, today), exchange.submission_status(period.code)),
                   lambda r: self.show_figures(*r), "正在统计各县对比")

    def show_failure(self, exc: BaseException) -> None:
        self.note.setText(f"各县对比暂时无法统计：{exc}")

    # ---- showing
    def show_figures(self, comparison: CountyComparison, submissions: list[CountySubmission]) -> None:
        self.comparison, self.submissions = comparison, submissions
        self.model.set_rows([*comparison.rows, comparison.total])
        self.heading.setText(f"{TITLE}（{comparison.year}年，截至{comparison.as_of:%Y-%m-%d}）")
        month = f"运行监测报送率为 {comparison.monitoring_period} 月报已报÷应报；" if comparison.monitoring_period else ""
        self.note.setText(EMPTY_TEXT if comparison.empty else
                          f"点列标题排序，“全市”始终在最后；培育层级为持有该层级或更高层级称号的企业数，"
                          f"“/”后为目标（未设目标时只显示企业数）；{month}双击一行打开该县（市、区）的列表。"
                          f"{_doubled_text(comparison.cross_county_firms)}")
        self.table.setVisible(not comparison.empty)
        self.export_button.setEnabled(not comparison.empty)
        rows = self.table.verticalHeader().defaultSectionSize() * self.model.rowCount()
        self.table.setMinimumHeight(rows + self.table.horizontalHeader().sizeHint().height() + 24)  # all 14 rows
        self.packages_label.setText(self._packages_text(submissions))
        self.loaded.emit()

    def _packages_text(self, submissions: list[CountySubmission]) -> str:
        period = package_period(self.today())
        due = package_deadline(period)
        missing = sum(s.status in LATE_STATUSES for s in submissions)
        late = sum(s.late and s.status not in (*LATE_STATUSES, "not_due") for s in submissions)
        sent = sum(s.sequence is not None for s in submissions)
        counts = (f'<span style="color:{RED if missing else GREEN}">逾期未报 {missing} 个</span>，'
                  f'<span style="color:{AMBER if late else GREEN}">逾期报送 {late} 个</span>，已报送 {sent} 个')
        cells = "".join(f'<td style="padding:2px 10px 2px 0">{s.county_name}　'
                        f'<span style="color:{_submission_colour(s)}">{s.status_label}</span></td>'
                        + ("</tr><tr>" if i % 5 == 4 else "") for i, s in enumerate(submissions))
        return (f"<b>数据报送包（{period.label}，应于 {due:%Y-%m-%d} 前报送）</b>：{counts}"
                f"<table><tr>{cells}</tr></table>")

    # ---- actions
    def export(self) -> None:
        year = self.comparison.year if self.comparison else self.today().year
        export_view_to_xlsx(self, self.model, f"各县（市、区）对比-{year}年")

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is None:
            return
        county = "" if row.is_total else row.county_code
        column = index.column() if 0 <= index.column() < len(COLUMN_PAGES) else 0
        self.open_requested.emit(COLUMN_PAGES[column], county, "overdue" if column == 7 else "")


def _county_combo(holder: object) -> ChoiceCombo | None:
    box = getattr(holder, "county", None)
    return box if isinstance(box, ChoiceCombo) else None


def open_county(window: MainWindow, title: str, county: str, what: str = "") -> str:
    """Show the page filtered to `county`; the register (which always has a 县区 filter) when the page has none.
    Returns the title of the page shown."""
    page = window.show_page(title)
    holder: object = page
    if title == POOLS:
        holder = page.show_pool("srdi")  # type: ignore[attr-defined]
    elif title == DEMANDS:
        page.show_on_ledger("", what)  # type: ignore[attr-defined]
        holder = page.ledger  # type: ignore[attr-defined]
    elif title in (VISITS, BASES):
        holder = getattr(page, "visits" if title == VISITS else "bases", page)
    box = _county_combo(holder)
    if box is None and title != REGISTRY:
        return open_county(window, REGISTRY, county)
    if box is None:
        box = page.filters.county  # type: ignore[attr-defined]
    box.set_code(county)
    return title


def wire_county_comparison(window: MainWindow) -> CountyComparisonWidget | None:
    """City edition: the comparison widget (the caller places it); double-clicks open the filtered list."""
    info = window.services.office_info()
    if info is None or not info.is_city:
        return None
    widget = CountyComparisonWidget(window.services)
    widget.open_requested.connect(lambda title, county, what: open_county(window, title, county, what))
    window.for_each_page(lambda page: page.data_changed.connect(widget.mark_stale))
    return widget
