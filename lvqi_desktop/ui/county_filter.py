"""The city edition's 县区 drop-down and 县区 column for the list pages; a county edition shows neither."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.table_models.row_table import Column

ALL_COUNTIES = "全部县区"
R = TypeVar("R")


def is_city_edition(services: Services) -> bool:
    info = services.office_info()
    return bool(info and info.is_city)


def county_names(services: Services) -> dict[str, str] | None:
    """County code → name in the city edition (the 13 counties), None in a county edition."""
    if not is_city_edition(services):
        return None
    return {c.code: c.label for c in services.reference.counties()}


def county_combo(services: Services) -> ChoiceCombo | None:
    """“全部县区” and the 13 counties, as the register's 县区 filter looks; None in a county edition."""
    names = county_names(services)
    if names is None:
        return None
    box = ChoiceCombo()
    box.set_choices(list(names.items()), ALL_COUNTIES)
    box.setMinimumContentsLength(8)
    box.setSizeAdjustPolicy(ChoiceCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setToolTip("只看所选县（市、区）的记录")
    return box


def add_county_filter(tab: Any, services: Services, on_change: Callable[[], None]) -> ChoiceCombo | None:
    """Put the 县区 drop-down first on a list tab's filter line (city edition only)."""
    box = county_combo(services)
    if box is not None:
        tab.add_filter("县区", box)
        box.currentIndexChanged.connect(lambda *_: on_change())
    return box


def chosen_county(box: ChoiceCombo | None) -> str:
    """The county chosen in the drop-down ("" for 全部县区 or in a county edition)."""
    return box.code() if box is not None else ""


def county_suffix(box: ChoiceCombo | None) -> str:
    """“（孝义市）” for an exported or printed table's title when one county is chosen, else ""."""
    return f"（{box.currentText()}）" if chosen_county(box) else ""  # type: ignore[union-attr]


def county_column(names: dict[str, str], value: Callable[[R], str]) -> Column[R]:
    """A 县区 column showing the county's name for the code `value` gives (several codes joined with 、)."""
    def text(codes: str) -> str:
        return "、".join(names.get(c, c) for c in codes.split(",") if c)
    return Column("县区", lambda r: text(value(r)), collate=True, width=5)


def with_county(columns: list[Column[R]], names: dict[str, str] | None, value: Callable[[R], str],
                after: int = 1) -> list[Column[R]]:
    """The columns with a 县区 column inserted after column `after` when `names` is given (city edition)."""
    if names is None:
        return columns
    return [*columns[:after], county_column(names, value), *columns[after:]]


def link_counties(tabs: list[Any]) -> None:
    """One county choice for a page's tabs: choosing it on one tab sets the others (re-read when shown)."""
    boxes = [(tab, tab.county) for tab in tabs if getattr(tab, "county", None) is not None]
    for tab, box in boxes:
        box.currentIndexChanged.connect(lambda _i, source=tab: _follow(source, boxes))


def _follow(source: Any, boxes: list[tuple[Any, ChoiceCombo]]) -> None:
    code = source.county.code()
    for tab, box in boxes:
        if tab is source or box.code() == code:
            continue
        box.blockSignals(True)
        box.set_code(code)
        box.blockSignals(False)
        follow = getattr(tab, "county_followed", None)
        if follow is not None:
            follow()
        tab.loaded = False
