"""The 检查全部 tab: runs the condition check over every firm in the background and lists who meets
their next tier and who is missing data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pool_rows import CHECK_OUTCOMES
from lvqi_desktop.services.pool_rows import CheckRow
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import BackgroundTask
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.pools.columns import check_columns
from lvqi_desktop.ui.pools.columns import combo
from lvqi_desktop.ui.table_models.status_table import StatusTableModel

OUTCOME_ORDER = {"meets": 0, "missing_data": 1, "no_conditions": 2, "not_met": 3}


def check_key(row: CheckRow) -> tuple[int, str, str, int, int]:
    """Unique per line, and in the service's order (who meets first) when the table is not sorted."""
    return (OUTCOME_ORDER.get(row.outcome, 9), row.pool, row.name, row.enterprise_id, row.record_id or 0)


class CheckTab(ListTab):
    """Results of the last 检查全部; `finished` is emitted when a run ends."""

    unit = "条"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(StatusTableModel(with_county(check_columns(), county_names(services), lambda r: r.county_code),
                                          key=check_key), "pools_page/check", "企业名称或信用代码", parent, key=check_key)
        self.services = services
        self.county = add_county_filter(self, services, self.apply_filter)  # city: filters the last run's results
        self.rows: list[CheckRow] = []
        self.ran_at: datetime | None = None
        self.task: BackgroundTask | None = None
        self.on_finished: list[Any] = []
        self.outcome = self.add_filter("", combo(list(CHECK_OUTCOMES.items()), "全部结果", 6))
        self.outcome.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.include_not_met = QCheckBox("也列出尚不符合的")
        self.include_not_met.setToolTip("勾选后，尚不符合下一层级条件的企业也列出（结果较多）")
        self.add_filter("", self.include_not_met)
        self.run_button = QPushButton("开始检查")
        self.run_button.setToolTip("对照条件检查培育库中的企业，以及未入库企业是否达到规上标准")
        self.run_button.clicked.connect(self.run_check)
        self.buttons.addWidget(self.run_button)
        self.summary = QLabel()
        self.buttons.addWidget(self.summary, 1)

    def load(self) -> list[CheckRow]:
        return self.rows

    def is_filtering(self) -> bool:
        return super().is_filtering() or bool(self.outcome.code() or chosen_county(self.county))

    def apply_filter(self) -> None:
        self._timer.stop()
        text = self.search_edit.text().strip()
        outcome, county = self.outcome.code(), chosen_county(self.county)
        if not text and not outcome and not county:
            self.model.set_filter_ids(None)
        else:
            self.model.set_filter_ids({check_key(r) for r in self.model.all_rows()
                                       if (not outcome or r.outcome == outcome)
                                       and (not county or r.county_code == county)
                                       and (not text or self.matches(r, text))})
        self.update_view()

    def empty_text(self) -> tuple[str, str, Any]:
        if self.ran_at is None:
            return ("点击“开始检查”，对照条件逐一检查培育库中的企业（各按其记录的条件版本），"
                    "并找出已达到规上标准但尚未入库的企业。", "开始检查", self.run_check)
        return ("检查完成：目前没有企业达到下一层级，也没有缺少数据的企业。"
                "可勾选“也列出尚不符合的”后重新检查。", "重新检查", self.run_check)

    def run_check(self) -> None:
        """Start 检查全部 in the background with progress and 取消."""
        if self.task is not None:
            return
        include = self.include_not_met.isChecked()
        checks = self.services.cultivation.checks
        self.run_button.setEnabled(False)
        self.summary.setText("正在检查…")
        self.task = run_in_background(self, lambda progress: checks.check_all(progress, include_not_met=include),
                                      title="正在检查全部企业…", on_success=self._done, on_failure=self._failed)

    def _done(self, rows: list[CheckRow]) -> None:
        self.task = None
        self.rows = rows
        self.ran_at = clock.now()
        self.run_button.setEnabled(True)
        self.run_button.setText("重新检查")
        self.reload()
        meets = sum(1 for r in rows if r.outcome == "meets")
        missing = sum(1 for r in rows if r.outcome == "missing_data")
        self.summary.setText(f"{self.ran_at:%Y-%m-%d %H:%M} 检查完成：已符合下一层级或规上标准 {meets:,} 家，"
                             f"缺少数据 {missing:,} 家。双击一行打开培育记录。")
        for callback in self.on_finished:
            callback(rows)

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self.summary.setText("检查已取消，结果未更新。")
            return
        self.summary.setText("检查未完成。")
        messages.show_error(self, error if isinstance(error, LvqiError) else str(error), "检查未完成")
