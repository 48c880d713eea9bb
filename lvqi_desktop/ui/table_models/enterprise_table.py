"""The enterprise register as a table: one EnterpriseRow per line, in-register or archived view."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from operator import attrgetter
from typing import Any

from PySide6.QtGui import QColor

from lvqi_desktop.models import codes
from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.validation.numbers import FEN_PER_WAN
from lvqi_desktop.validation.numbers import fen_to_wan_text

ARCHIVED_COLOUR = QColor("#8a8a8a")


def _wan(fen: int) -> float:
    """Integer 分 → 万元 as a float rounded to two decimals (what Excel shows as #,##0.00)."""
    return float((Decimal(fen) / FEN_PER_WAN).quantize(Decimal("0.01")))


def _year_text(year: int | None) -> str:
    return f"{year}年" if year else ""



def enterprise_columns(section_labels: Mapping[str, str],
                       county_names: Mapping[str, str] | None = None) -> list[Column[EnterpriseRow]]:
    """The register's columns; the city edition (county_names given) adds 县区 after the name."""
    columns: list[Column[EnterpriseRow]] = [
        Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=11),
        # pinyin order from the stored spelling (the collator per row took ~0.4 s for 65,000 firms), plain
        # ASCII comparisons; homophones by their characters
        Column("企业名称", lambda r: r.name, collate=True, sort_key=attrgetter("name_sort"),
               tie_key=attrgetter("name"), width=14),
    ]
    if county_names is not None:
        columns.append(Column("县区", lambda r: r.county_code, text=lambda c: county_names.get(c, c),
                              export=lambda c: county_names.get(c, c), width=5))
    columns += [
        Column("乡镇（街道）", lambda r: r.township_name, collate=True, width=6),
        Column("行业门类", lambda r: r.industry_section, text=lambda s: section_labels.get(s, s),
               export=lambda s: section_labels.get(s, s), width=7),
        Column("企业规模", lambda r: r.size_class, text=lambda c: codes.label(codes.SIZE_CLASSES, c),
               align=CENTER, width=4),
        Column("规上", lambda r: r.above_scale, align=CENTER, width=2),
        Column("数据年度", lambda r: r.latest_year, text=_year_text, export=_year_text, align=CENTER,
               width=3),  # the year of 营业收入 and 从业人员
        Column("营业收入（万元）", lambda r: r.latest_revenue_fen, text=fen_to_wan_text, align=RIGHT,
               export=_wan, width=8),
        Column("从业人员", lambda r: r.latest_employees, align=RIGHT, width=4),
        Column("经营状态", lambda r: r.business_status,
               text=lambda c: codes.label(codes.BUSINESS_STATUSES, c), align=CENTER, width=4),
        Column("联系人", lambda r: r.contact_person, collate=True, width=4),
        Column("联系电话", lambda r: r.contact_phone, export_as_text=True, width=6),
        Column("成立日期", lambda r: r.registered_on, align=CENTER, width=6),
    ]
    return columns


class EnterpriseTableModel(RowTableModel[EnterpriseRow]):
    """Shows either the records in the register or the archive; archived rows are greyed."""

    def __init__(self, section_labels: Mapping[str, str] | None = None,
                 county_names: Mapping[str, str] | None = None, parent: Any = None) -> None:
        super().__init__(enterprise_columns(section_labels or {}, county_names), parent=parent)
        self._archived_view = False

    @property
    def archived_view(self) -> bool:
        return self._archived_view

    def set_archived_view(self, archived: bool) -> None:
        """Switch between 在册 and 已归档; the id filter is cleared (it belonged to the other view)."""
        self._archived_view = archived
        self._ids = self._places = None
        self.refilter()

    def accepts(self, row: EnterpriseRow) -> bool:
        return row.archived == self._archived_view

    def row_foreground(self, row: EnterpriseRow) -> QColor | None:
        return ARCHIVED_COLOUR if row.archived else None
