"""The demand board (a column per status: count, and open cases by age — overdue first, red) and the KPI strip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.demand_rows import AGE_BUCKETS
from lvqi_desktop.services.demand_rows import BoardRow
from lvqi_desktop.services.kpi import KpiFigures
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.period_choices import PERIOD_KINDS

OPEN = ("pending", "assigned", "in_progress")
BUCKET_ORDER = ("overdue", "gt30", "d8_30", "le7")  # overdue first
RED, AMBER, GREEN = "#c62828", "#9a5b00", "#2e7d32"
CARD_STYLE = ("QFrame#card { background: #ffffff; border: 1px solid #cfd6de; border-radius: 4px; }"
              "QFrame#card[closed=\"true\"] { background: #f6f8f6; }"
              "QPushButton { text-align: left; padding: 2px 6px; border: none; }"
              "QPushButton:hover { background: #e8edf3; }")


def _bucket_text(bucket: str, count: int) -> str:
    return f"{AGE_BUCKETS[bucket]}　{count:,} 件"


class StatusCard(QFrame):
    """One status column: its name and count; for open statuses the age buckets, each a filter button."""

    clicked = Signal(str, str)  # status, bucket ('' for the whole status)

    def __init__(self, row: BoardRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.status = row.status
        self.setProperty("closed", row.status not in OPEN)
        self.title_button = QPushButton(row.status_label)
        self.title_button.setStyleSheet("font-weight: bold;")
        self.title_button.clicked.connect(lambda: self.clicked.emit(self.status, ""))
        self.count_label = QLabel(f"{row.total:,}")
        self.count_label.setStyleSheet("font-size: 20pt; font-weight: bold; padding-left: 6px;")
        self.count_label.setAccessibleName(f"{row.status_label} {row.total} 件")
        unit = QLabel("件")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title_button)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label)
        count_row.addWidget(unit, 0, Qt.AlignmentFlag.AlignBottom)
        count_row.addStretch(1)
        layout.addLayout(count_row)
        self.bucket_buttons: dict[str, QPushButton] = {}
        if row.status in OPEN:
            for bucket in BUCKET_ORDER:
                count = getattr(row, bucket)
                button = QPushButton(_bucket_text(bucket, count))
                if bucket == "overdue" and count:
                    button.setStyleSheet(f"color: {RED}; font-weight: bold;")
                button.setEnabled(count > 0)
                button.clicked.connect(lambda _=False, b=bucket: self.clicked.emit(self.status, b))
                self.bucket_buttons[bucket] = button
                layout.addWidget(button)
        else:
            note = QLabel("已销号，流程结束" if row.status == "signed_off" else "待回访、销号")
            note.setStyleSheet("color: #555; padding-left: 6px;")
            layout.addWidget(note)
        layout.addStretch(1)


class DemandBoard(QWidget):
    """A card per status in lifecycle order, and a line with the open and overdue totals."""

    filter_requested = Signal(str, str)  # status, bucket

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CARD_STYLE)
        self.cards: dict[str, StatusCard] = {}
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self._row = QHBoxLayout()
        self._row.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(self._row)

    def show_rows(self, rows: list[BoardRow]) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.cards = {}
        for row in rows:
            card = StatusCard(row)
            card.clicked.connect(self.filter_requested.emit)
            self.cards[row.status] = card
            self._row.addWidget(card, 1)
        open_total = sum(r.total for r in rows if r.status in OPEN)
        overdue = sum(r.overdue for r in rows)
        total = sum(r.total for r in rows)
        if not total:
            self.summary.setText("还没有诉求。走访时可在走访记录中直接登记，或点击“新增”登记诉求。")
            return
        flag = (f'<span style="color:{RED}; font-weight:bold">逾期 {overdue:,} 件</span>' if overdue
                else f'<span style="color:{GREEN}; font-weight:bold">无逾期</span>')
        self.summary.setText(f"共 {total:,} 件诉求，在办 {open_total:,} 件，其中 {flag}。点击状态或时长可筛选下方台账。")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class KpiStrip(QFrame):
    """The KPIs of a chosen month, quarter or year, computed by the KPI service."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setObjectName("kpi")
        self.setStyleSheet("QFrame#kpi { background: #f3f6f9; border: 1px solid #d5dde5; border-radius: 4px; }")
        self.kind = combo({k: v[0] for k, v in PERIOD_KINDS.items()}, None, 3)
        self.kind.set_code("quarter")
        self.period = combo([], None, 10)
        self.figures: KpiFigures | None = None
        self.county_code = ""  # the city's chosen county ('' = all, and always in a county edition)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        titles = [("received", "受理诉求"), ("closed", "办结（含解释）"), ("on_time", "按期办结"),
                  ("resolution", "化解率"), ("satisfaction", "满意率"), ("served", "服务企业")]
        for col, (key, title) in enumerate(titles):
            caption = QLabel(title)
            caption.setStyleSheet("color: #555;")
            value = QLabel()
            value.setStyleSheet("font-size: 13pt; font-weight: bold;")
            value.setTextFormat(Qt.TextFormat.RichText)
            self.values[key] = value
            grid.addWidget(caption, 0, col)
            grid.addWidget(value, 1, col)
        grid.setColumnStretch(len(titles), 1)
        choose = QVBoxLayout()
        choose.setSpacing(2)
        choose.addWidget(self.kind)
        choose.addWidget(self.period)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("统计期"))
        layout.addLayout(choose)
        layout.addSpacing(12)
        layout.addLayout(grid, 1)
        self._fill_periods()
        self.kind.currentIndexChanged.connect(lambda *_: (self._fill_periods(), self.refresh()))
        self.period.currentIndexChanged.connect(lambda *_: self.refresh())

    def _fill_periods(self) -> None:
        self.period.blockSignals(True)
        self.period.set_choices(PERIOD_KINDS[self.kind.code()][1](self._services.demands.today()), None)
        self.period.setCurrentIndex(0)
        self.period.blockSignals(False)

    def refresh(self) -> None:
        try:
            k = self._services.kpi.kpis(self.period.code(), county_code=self.county_code)
        except LvqiError as error:
            for label in self.values.values():
                label.setText("—")
            self.setToolTip(str(error))
            return
        self.figures = k
        self.setToolTip(f"{k.period_label}（{k.start.isoformat()} 至 {k.end.isoformat()}）")
        self.values["received"].setText(f"{k.received:,} 件")
        self.values["closed"].setText(f"{k.closed:,} 件")
        self.values["on_time"].setText(f"{k.closed_on_time:,} 件 <small>（{percent(k.on_time_rate)}）</small>")
        self.values["resolution"].setText(percent(k.resolution_rate))
        self.values["satisfaction"].setText(
            f"{percent(k.satisfaction_rate)} <small>（回访 {k.followed_up:,} 件）</small>")
        self.values["served"].setText(self._served_text(k))

    @staticmethod
    def _served_text(k: KpiFigures) -> str:
        text = f"{k.enterprises_served:,} 家"
        if not k.served_target:
            return text + " <small>（未设年度目标）</small>"
        progress = f"本年累计 {k.enterprises_served_ytd:,} / 目标 {k.served_target:,} 家，{percent(k.served_progress)}"
        if k.enterprises_served_ytd >= k.served_target:
            return text + f' <small>（{progress}，<span style="color:{GREEN}">已达标</span>）</small>'
        return text + f" <small>（{progress}）</small>"
