"""Cuts a table of text cells into one table per page: the header on each, a row taller than a page split by lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import LongTable
from reportlab.platypus import PageBreak
from reportlab.platypus import TableStyle
from reportlab.platypus.flowables import Flowable

from lvqi_desktop.exporters.return_model import label_runs

CELL_PADDING_Y = 2  # top and bottom padding of every cell
MIN_PIECE_LINES = 3  # a split row leaves at least this many lines on the page
SAFETY = 2.0  # points kept free at the page foot against rounding
HEAD_BACKGROUND = colors.HexColor("#E8EDF3")
SUM_BACKGROUND = colors.HexColor("#F2F2F2")


@dataclass
class BodyRow:
    """One printed row: cell texts (lines separated by newlines), shaded for subtotals, top-aligned if split."""

    cells: list[str]
    shaded: bool = False
    top: bool = False


@dataclass
class TableStyleSpec:
    """What every page table shares: font, size, column widths and alignments, header spans."""

    font: str
    font_size: float
    widths: list[float]
    aligns: list[str]  # per column: LEFT, RIGHT or CENTER for the body
    spans: Sequence[tuple[int, int, int, int]] = ()
    header_rows: int = 1
    extra: list[tuple[Any, ...]] = field(default_factory=list)
    group_at: int | None = None  # the column whose repeated labels are merged on each page

    @property
    def leading(self) -> float:
        return 1.2 * self.font_size  # reportlab splits string cells assuming this line height


def row_height(cells: Sequence[str], leading: float) -> float:
    """What reportlab computes for a row of plain strings: the most lines × leading, plus padding."""
    return max(cell.count("\n") + 1 for cell in cells) * leading + 2 * CELL_PADDING_Y


def _split(row: BodyRow, lines: int) -> tuple[BodyRow, BodyRow]:
    top, rest = [], []
    for cell in row.cells:
        parts = cell.split("\n")
        top.append("\n".join(parts[:lines]))
        rest.append("\n".join(parts[lines:]))
    if rest and not rest[0]:
        rest[0] = "（续）"  # the continued row says so where its number was
    return BodyRow(top, row.shaded, True), BodyRow(rest, row.shaded, True)


def paginate(rows: Sequence[BodyRow], header_height: float, first_room: float, room: float,
             leading: float) -> list[list[BodyRow]]:
    """Rows per page. A row that does not fit goes to the next page whole, unless it is taller than an
    empty page: then as many lines as fit stay (at least MIN_PIECE_LINES) and the rest continues."""
    pages: list[list[BodyRow]] = [[]]
    free = first_room - header_height - SAFETY
    empty = room - header_height - SAFETY
    queue = list(rows)
    queue.reverse()
    while queue:
        row = queue.pop()
        height = row_height(row.cells, leading)
        if height <= free:
            pages[-1].append(row)
            free -= height
            continue
        fits = int((free - 2 * CELL_PADDING_Y) // leading)
        if height > empty and fits >= MIN_PIECE_LINES:
            top, rest = _split(row, fits)
            pages[-1].append(top)
            queue.append(rest)
            free = 0
            continue
        if pages[-1]:
            pages.append([])
            free = empty
            queue.append(row)
        else:  # a fresh page still too short for the minimum piece: split whatever fits
            top, rest = _split(row, max(1, fits))
            pages[-1].append(top)
            queue.append(rest)
            free = 0
    return pages


def keep_with_foot(pages: list[list[BodyRow]], header_height: float, first_room: float, room: float,
                   leading: float, tail: float, keep: int) -> None:
    """When the foot (`tail` points) does not fit under the last page's rows, its last `keep` rows start a
    new page with it, so the signature block never stands alone."""
    last = pages[-1]
    free = (first_room if len(pages) == 1 else room) - header_height - SAFETY
    free -= sum(row_height(r.cells, leading) for r in last)
    if tail <= free or not last:
        return
    if len(last) > keep:
        pages[-1] = last[:-keep]
        pages.append(last[-keep:])
    elif len(pages) > 1 and len(pages[-2]) + len(last) > keep:  # the last page is short: rows from the one before
        rows = pages[-2] + last
        pages[-2], pages[-1] = rows[:-keep], rows[-keep:]


def _merge_labels(spec: TableStyleSpec, body: list[list[str]]) -> list[tuple[Any, ...]]:
    """Merge the group label over its rows on this page (blanking the repeats); the SPAN commands."""
    at, h = spec.group_at, spec.header_rows
    if at is None:
        return []
    commands: list[tuple[Any, ...]] = []
    for first, last in label_runs([row[at] for row in body]):
        for row in body[first + 1:last + 1]:
            row[at] = ""
        commands += [("SPAN", (at, h + first), (at, h + last)), ("VALIGN", (at, h + first), (at, h + last), "MIDDLE")]
    return commands


def _style(spec: TableStyleSpec, body: Sequence[BodyRow]) -> TableStyle:
    h = spec.header_rows
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), spec.font), ("FONTSIZE", (0, 0), (-1, -1), spec.font_size),
        ("LEADING", (0, 0), (-1, -1), spec.leading), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, h - 1), HEAD_BACKGROUND),
        ("ALIGN", (0, 0), (-1, h - 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y), ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
    ]
    commands += [("SPAN", (c1, r1), (c2, r2)) for c1, r1, c2, r2 in spec.spans]
    commands += [("ALIGN", (i, h), (i, -1), align) for i, align in enumerate(spec.aligns) if align != "LEFT"]
    for n, row in enumerate(body, start=h):
        if row.shaded:
            commands.append(("BACKGROUND", (0, n), (-1, n), SUM_BACKGROUND))
        if row.top:
            commands.append(("VALIGN", (0, n), (-1, n), "TOP"))
    return TableStyle(commands + spec.extra)


def page_tables(spec: TableStyleSpec, header: list[list[str]], pages: list[list[BodyRow]]) -> list[Flowable]:
    """One table per page, each with the header, separated by page breaks. Should a page still overflow
    (a rounding surprise), reportlab splits it with the header repeated rather than failing."""
    story: list[Flowable] = []
    for n, body in enumerate(pages):
        if n:
            story.append(PageBreak())
        cells = [list(row.cells) for row in body]
        merges = _merge_labels(spec, cells)
        table = LongTable(header + cells, colWidths=spec.widths, repeatRows=spec.header_rows,
                          splitByRow=1, splitInRow=int(MIN_PIECE_LINES * spec.leading + 2 * CELL_PADDING_Y))
        style = _style(spec, body)
        for command in merges:
            style.add(*command)
        table.setStyle(style)
        story.append(table)
    return story
