"""How a return sheet prints on A4: portrait when narrow, never below 8 pt, column groups when too wide, foot kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BODY_PT = 10  # body text size in the sheet
MIN_PT = 8  # never printed smaller
MIN_SCALE = round(100 * MIN_PT / BODY_PT)  # 80 %
_MM = 72 / 25.4
MARGIN_X_IN, MARGIN_TOP_IN, MARGIN_BOTTOM_IN = 0.4, 0.5, 0.6
PORTRAIT = (210 * _MM - 2 * 72 * MARGIN_X_IN, 297 * _MM - 72 * (MARGIN_TOP_IN + MARGIN_BOTTOM_IN))
LANDSCAPE = (297 * _MM - 2 * 72 * MARGIN_X_IN, 210 * _MM - 72 * (MARGIN_TOP_IN + MARGIN_BOTTOM_IN))
_HEADER_FOOTER_PT = 20  # the page-number footer and rounding


POINTS_PER_CHARACTER = 7.3  # Excel draws 5.25 (Calibri's 7 px digit); LibreOffice without Calibri ~7.2: plan for both


def points(width: float) -> float:
    """An Excel column width (characters of the default font) in printed points, as the widest program draws it."""
    return width * POINTS_PER_CHARACTER


@dataclass(frozen=True)
class PrintPlan:
    """Orientation, whether Excel fits the width (never below MIN_SCALE), the fixed scale otherwise, the columns
    repeated on every column group and where the groups break (1-based column numbers a break follows)."""

    landscape: bool
    fit_width: bool
    scale: int
    title_columns: int = 0
    column_breaks: tuple[int, ...] = ()

    @property
    def page(self) -> tuple[float, float]:
        return LANDSCAPE if self.landscape else PORTRAIT

    def first_group(self, count: int) -> int:
        """How many columns print on the first page across: the title, 表号 block and foot stay within them."""
        return self.column_breaks[0] if self.column_breaks else count

    def unrepeated_first(self, span: int) -> int:
        """The first column (1-based) of the first page not repeated on every column group: where the title and the
        foot start, so no part of them prints cut off beside the next group's figures."""
        return self.title_columns + 1 if self.column_breaks and self.title_columns < span - 1 else 1

    @property
    def factor(self) -> float:
        """Printed size ÷ sheet size: an estimate for the page-break check."""
        return self.scale / 100


def plan(widths: Sequence[float], kept_columns: int, groups: Sequence[tuple[int, int]] = ()) -> PrintPlan:
    """Portrait when it fits the width at ≥ 8 pt; else landscape fitted to the width if that keeps ≥ 8 pt; else
    landscape at 80 % with the first `kept_columns` repeated on each group of columns that fits a page. A break
    never cuts a header group (`groups`: first and last column, 0-based) that can start a page of its own."""
    total = sum(points(w) for w in widths)
    if total * MIN_SCALE / 100 <= PORTRAIT[0]:  # a narrow return: portrait, fitted to the width at ≥ 8 pt
        return PrintPlan(False, True, min(100, int(100 * PORTRAIT[0] / total)))
    if total * MIN_SCALE / 100 <= LANDSCAPE[0]:
        return PrintPlan(True, True, min(100, int(100 * LANDSCAPE[0] / total)))
    room = LANDSCAPE[0] * 100 / MIN_SCALE
    kept = sum(points(w) for w in widths[:kept_columns])
    breaks: list[int] = []
    used = kept
    for i, width in enumerate(widths[kept_columns:], start=kept_columns):
        if used + points(width) > room and used > kept:
            start = next((first for first, last in groups
                          if first < i <= last and first > max([kept_columns, *breaks])), i)
            breaks.append(start)  # a break before column `start` (0-based): the first `start` columns end a group
            used = kept + sum(points(w) for w in widths[start:i])
        used += points(width)
    return PrintPlan(True, False, MIN_SCALE, kept_columns, tuple(breaks))


def rows_before_break(heights: Sequence[float], repeated: float, first_page_top: float, page: PrintPlan,
                      tail: float, keep: int) -> int | None:
    """Row index (0-based, into `heights` of the body lines) to start a new page at, so the foot (`tail` points)
    is not printed alone: None when the foot fits under the last line, or there is nothing to move."""
    room = (page.page[1] - _HEADER_FOOTER_PT) / page.factor
    free = room - first_page_top
    for height in heights:
        if height > free:
            free = room - repeated
        free -= height
    if tail <= free or len(heights) <= keep:
        return None
    return len(heights) - keep
