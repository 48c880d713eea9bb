"""One pool's tab on the 梯度培育库 page: search, filters (tier, status, township, industry, year entered), the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.services.pool_rows import PoolRecordRow
from lvqi_desktop.services.pools import RecordFilter
from lvqi_desktop.ui.county_filter import add_county_filter
from lvqi_desktop.ui.county_filter import chosen_county
from lvqi_desktop.ui.county_filter import county_names
from lvqi_desktop.ui.county_filter import with_county
from lvqi_desktop.ui.list_tab import ListTab
from lvqi_desktop.ui.pools.columns import combo
from lvqi_desktop.ui.pools.columns import record_columns
from lvqi_desktop.ui.table_models.status_table import StatusTableModel

CURRENT, ARCHIVED = "current", "archived"
SHORT_NAMES = {"scale_up": "小升规", "srdi": "专精特新", "share_reform": "股份制改造", "listing_reserve": "上市挂牌后备"}


class PoolTab(ListTab):
    """The records of one pool; filters narrow the loaded rows, the search also matches pinyin initials."""

    unit = "家"

    def __init__(self, services: Services, pool: Any, parent: QWidget | None = None) -> None:
        sections = {c.code: c.label for c in services.reference.sections()}
        columns = with_county(record_columns(pool.code, sections, bool(pool.tiers)), county_names(services),
                              lambda r: r.county_code)
        model: StatusTableModel[PoolRecordRow] = StatusTableModel(columns)
        super().__init__(model, f"pools_page/{pool.code}", "名称、拼音首字母或信用代码", parent)
        self.services = services
        self.pool = pool
        self.list.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.county = add_county_filter(self, services, self._county_changed)
        self.tier = combo([(t.code, pool.tier_label(t.code)) for t in pool.ladder()], "全部层级", 6)
        if pool.tiers:
            self.add_filter("", self.tier)
        statuses = [(s.code, s.name) for s in sorted(pool.statuses.values(), key=lambda s: s.seq)]
        self.status = self.add_filter("", combo(statuses, "全部状态", 5))
        self.township = self.add_filter("", combo([], "全部乡镇", 5))
        self._load_townships()
        self.section = self.add_filter("", combo(list(sections.items()), "全部行业", 5))
        self.year = self.add_filter("", combo([], "全部入库年份", 6))
        self.view = self.add_filter("", combo([(CURRENT, "在库"), (ARCHIVED, "已移出")], None, 3))
        for box in (self.tier, self.status, self.township, self.section, self.year):
            box.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.view.currentIndexChanged.connect(lambda *_: self.reload())
        self._search_ids: tuple[str, set[int]] = ("", set())

    def _load_townships(self) -> None:
        """The office's townships, or in the city edition those of the chosen county (none for 全部县区)."""
        county = chosen_county(self.county) if self.county is not None else self.services.office_county()
        towns = [(t.code, t.label) for t in self.services.reference.townships(county)] if county else []
        self.township.blockSignals(True)
        self.township.set_choices(towns, "全部乡镇")
        self.township.blockSignals(False)
        self.township.setVisible(bool(towns))

    def county_followed(self) -> None:
        """Another pool tab chose a county: this tab's townships follow (its rows are re-read when shown)."""
        self._load_townships()

    def _county_changed(self) -> None:
        self._load_townships()
        self.reload()

    @property
    def archived_view(self) -> bool:
        return self.view.code() == ARCHIVED

    def load(self) -> list[PoolRecordRow]:
        rows = self.services.cultivation.pools.list_records(RecordFilter(
            pool=self.pool.code, archived=self.archived_view, county_code=chosen_county(self.county)))
        years = sorted({r.entered_on.year for r in rows}, reverse=True)
        self.year.set_choices([(str(y), f"{y}年入库") for y in years], "全部入库年份")
        return rows

    def filter_combos(self) -> list[Any]:
        return [self.tier, self.status, self.township, self.section, self.year]

    def is_filtering(self) -> bool:
        return super().is_filtering() or any(c.code() for c in self.filter_combos())

    def _enterprise_matches(self, text: str) -> set[int]:
        """Enterprise ids the register's search finds (name, pinyin initials, USCC fragment), cached per text."""
        if self._search_ids[0] != text:
            ids = self.services.enterprises.matching_ids(EnterpriseFilter(search=text))
            self._search_ids = (text, set(ids))
        return self._search_ids[1]

    def passes(self, row: PoolRecordRow) -> bool:
        year = self.year.code()
        return ((not self.tier.code() or row.tier == self.tier.code())
                and (not self.status.code() or row.status == self.status.code())
                and (not self.township.code() or row.township_code == self.township.code())
                and (not self.section.code() or row.industry_section == self.section.code())
                and (not year or row.entered_on.year == int(year)))

    def apply_filter(self) -> None:
        self._timer.stop()
        if not self.is_filtering():
            self.model.set_filter_ids(None)
        else:
            text = self.search_edit.text().strip()
            found = self._enterprise_matches(text) if text else set()
            self.model.set_filter_ids({r.id for r in self.model.all_rows() if self.passes(r) and (
                not text or r.enterprise_id in found or self.matches(r, text))})
        self.update_view()

    def clear_filters(self) -> None:
        for box in self.filter_combos():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search_edit.clear()
        if chosen_county(self.county):
            self.county.setCurrentIndex(0)  # reloads with every county's rows
        self.apply_filter()

    def update_view(self) -> None:
        super().update_view()
        if self.is_filtering() and not self.model.rowCount():
            self.list.set_empty_text("没有符合条件的企业。可以换个关键词，或清除筛选条件。", "清除筛选",
                                     self.clear_filters, writes=False)

    def empty_text(self) -> tuple[str, str, Any]:
        name = SHORT_NAMES.get(self.pool.code, self.pool.name)
        if chosen_county(self.county):
            where = self.county.currentText()  # type: ignore[union-attr]
            return f"{where}没有{'移出' if self.archived_view else '在'}{name}库的企业。可以改选“全部县区”。", "", None
        if self.archived_view:
            return f"没有移出{name}库的企业。", "", None
        return (f"{name}库中还没有企业。点击“新增”从企业库中选择企业入库。", "新增", lambda: self.on_add())

    def selected_rows(self) -> list[PoolRecordRow]:
        positions = sorted({i.row() for i in self.list.table.selectionModel().selectedRows()})
        return [r for r in (self.model.row_at(p) for p in positions) if r is not None]
