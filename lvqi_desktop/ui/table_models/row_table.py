"""A table model over a Python list of plain rows: columns declared once, sorts itself, filters by ids."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from itertools import compress
from itertools import islice
from operator import attrgetter
from operator import eq
from typing import Any
from typing import Generic
from typing import TypeVar

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QCollator
from PySide6.QtCore import QLocale
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

R = TypeVar("R")
ModelIndex = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignHCenter
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_CELL_ROLES = frozenset((_DISPLAY, _ALIGNMENT, _FOREGROUND, _TOOLTIP))
_VERTICAL = Qt.Orientation.Vertical
_RESET_ABOVE = 20  # upserting more rows than this resets the model instead of patching it
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # flags() is asked for every painted cell
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def plain_text(value: object) -> str:
    """How a typed value is shown when a column says nothing else: counts with separators, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, the typed value of a row (sort key), how it is shown and exported."""

    title: str
    value: Callable[[R], Any]
    text: Callable[[Any], str] = plain_text
    align: Qt.AlignmentFlag = LEFT
    export: Callable[[Any], object] | None = None  # Excel value, when it is not the value or the text
    export_as_text: bool = False  # codes and phone numbers stay text in Excel
    collate: bool = False  # Chinese text: sort in pinyin order
    sort_key: Callable[[R], Any] | None = None  # a precomputed key to sort by instead (e.g. stored pinyin)
    tie_key: Callable[[R], Any] | None = None  # orders rows whose sort_key is equal (e.g. homophones by name)
    width: int = 8  # default width in Chinese characters

    def export_value(self, row: R) -> object:
        value = self.value(row)
        if value is None:
            return None
        if self.export is not None:
            return self.export(value)
        if isinstance(value, int | float | date) and not isinstance(value, bool) and not self.export_as_text:
            return value
        return self.text(value)


@dataclass(frozen=True)
class TableSnapshot(Generic[R]):
    """What a table shows right now (filtered, sorted), detached from Qt so a worker thread can export it."""

    headers: list[str]
    columns: tuple[Column[R], ...]
    rows: list[R]

    @property
    def text_columns(self) -> set[int]:
        return {i for i, c in enumerate(self.columns) if c.export_as_text}

    def export_rows(self) -> Iterator[list[object]]:
        for row in self.rows:
            yield [c.export_value(row) for c in self.columns]

    def text_rows(self) -> Iterator[list[str]]:
        for row in self.rows:
            yield [c.text(c.value(row)) for c in self.columns]

    def alignments(self) -> list[Qt.AlignmentFlag]:
        return [c.align for c in self.columns]


def _break_ties(order: list[int], keys: list[Any], tie_key: Callable[[int], Any], descending: bool) -> None:
    """Sort each run of equal keys in `order` (indexes sorted by `keys`) by `tie_key`, in place: comparing
    short plain keys and then the few ties is about twice as fast as one sort on longer combined keys."""
    ordered = list(map(keys.__getitem__, order))
    repeats = compress(range(1, len(ordered)), map(eq, ordered, islice(ordered, 1, None)))  # same as the one before
    start = end = -1
    for place in repeats:
        if place != end + 1:  # a new run of equal keys begins at place - 1
            if end > start:
                order[start:end + 1] = sorted(order[start:end + 1], key=tie_key, reverse=descending)
            start = place - 1
        end = place
    if end > start:
        order[start:end + 1] = sorted(order[start:end + 1], key=tie_key, reverse=descending)


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Holds every cached row; shows those that pass the id filter and `accepts()`, in sort order."""

    def __init__(self, columns: Iterable[Column[R]], key: Callable[[R], Hashable] = attrgetter("id"),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._key = key
        self._all: list[R] = []  # every cached row, in the current sort order
        self._rows_revision = 0  # counts changes to which rows are cached (not their order)
        self._pool: list[R] = []  # the rows `accepts()` lets in, in order, and their ids alongside
        self._pool_keys: list[Hashable] = []
        self._pool_positions: dict[Hashable, int] | None = None  # pooled id → place, built when first needed
        self._pool_revision = 0  # counts changes to the pool's rows or their order
        self._shown: list[R] = []
        self._ids: set[Hashable] | None = None
        self._places: list[int] | None = None  # or the filter as places in the pool (kept while the pool is)
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._alignments = [int((c.align | Qt.AlignmentFlag.AlignVCenter).value) for c in self._columns]
        self._collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self._collator.setNumericMode(True)

    # ---- hooks for subclasses
    def accepts(self, row: R) -> bool:
        """Whether a row belongs in the view at all, before the id filter (e.g. archived or not)."""
        return True

    def row_foreground(self, row: R) -> QColor | None:
        return None

    # ---- the rows
    @property
    def columns(self) -> tuple[Column[R], ...]:
        return self._columns

    def set_rows(self, rows: Iterable[R]) -> None:
        """Replace the cache; the current sort and id filter are kept."""
        self.beginResetModel()
        self._rows_revision += 1
        self._all = self._sorted(list(rows))
        self._rebuild_pool()
        self._shown = self._filtered()
        self.endResetModel()

    def all_rows(self) -> list[R]:
        return list(self._all)

    @property
    def rows_revision(self) -> int:
        """Changes whenever a cached row is added or replaced: what was worked out from `all_rows()` is stale."""
        return self._rows_revision

    @property
    def pool_revision(self) -> int:
        """Changes whenever the pool's rows or their order change: places in `pool_rows()` are stale."""
        return self._pool_revision

    def pool_rows(self) -> list[R]:
        """The rows the view can show (`accepts()`), in order: what `set_filter_places` counts in."""
        return list(self._pool)

    def shown_rows(self) -> list[R]:
        return list(self._shown)

    def row_at(self, row: int) -> R | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def position_of(self, key: Hashable) -> int | None:
        """Where the row with this id is shown, or None. Unfiltered or filtered by places, the row's place in the
        pool says it (a selection followed through a keystroke walked all 65,000 shown rows); checked, and
        else (a filter by ids, a row on its way out of the pool) the shown rows are walked."""
        place = self._places_by_key().get(key) if self._ids is None else None
        if place is not None:
            position = place if self._places is None else bisect_left(self._places, place)
            if position < len(self._shown) and self._key(self._shown[position]) == key:
                return position
            if self._places is not None and (position == len(self._places) or self._places[position] != place):
                return None  # its place is not among the shown ones
        return next((i for i, r in enumerate(self._shown) if self._key(r) == key), None)

    def _places_by_key(self) -> dict[Hashable, int]:
        """Pooled id → its place in the pool, built when first needed after the pool changed."""
        if self._pool_positions is None:
            self._pool_positions = {k: i for i, k in enumerate(self._pool_keys)}
        return self._pool_positions

    def cached_count(self) -> int:
        """How many cached rows the view could show without the id filter."""
        return len(self._pool)

    def snapshot(self) -> TableSnapshot[R]:
        return TableSnapshot([c.title for c in self._columns], self._columns, list(self._shown))

    # ---- filtering
    def _visible(self, row: R) -> bool:
        return self.accepts(row) and (self._ids is None or self._key(row) in self._ids)

    def _rebuild_pool(self) -> None:
        self._places_to_ids()
        self._pool_revision += 1
        self._pool = [r for r in self._all if self.accepts(r)]
        self._pool_keys = list(map(self._key, self._pool))
        self._pool_positions = None

    def _filtered(self) -> list[R]:
        """The pool through the id filter, in C loops: a keystroke over 65,000 rows takes a few ms; a few
        hundred ids are placed by their position in the pool instead of testing every pooled row."""
        if self._places is not None:
            return list(map(self._pool.__getitem__, self._places))
        if self._ids is None:
            return list(self._pool)
        if len(self._ids) * 16 < len(self._pool):
            where = self._places_by_key()
            return list(map(self._pool.__getitem__, sorted(where[k] for k in self._ids if k in where)))
        return list(compress(self._pool, map(self._ids.__contains__, self._pool_keys)))

    def set_filter_ids(self, ids: set[Any] | None) -> None:
        """Show only rows whose id is in `ids` (None: all rows), in the current sort order; the model keeps (and
        may add to) the set it is given (a copy of 65,000 ids cost a keystroke ~1 ms)."""
        self._ids, self._places = ids, None
        self.beginResetModel()
        self._shown = self._filtered()
        self.endResetModel()

    def set_filter_places(self, places: list[int]) -> None:
        """Show only the rows at these places of `pool_rows()` (ascending), as the pool is now: a search over the
        pool's own rows hands over no ids to look up. A filter that shows the same rows as before leaves the
        view alone (no reset, no repaint: e.g. typing on a credit-code prefix every firm shares)."""
        if places == self._places or (self._places is None and self._ids is None and len(places) == len(self._pool)):
            return
        self._ids, self._places = None, places
        self.beginResetModel()
        self._shown = self._filtered()
        self.endResetModel()

    def _places_to_ids(self) -> None:
        """Before the pool changes (sort, edits, other rows), a filter by places becomes one by ids."""
        if self._places is not None:
            self._ids = set(map(self._pool_keys.__getitem__, self._places))
            self._places = None

    def refilter(self) -> None:
        """Apply `accepts()` again (a subclass changed what it lets in) and the id filter."""
        self.beginResetModel()
        self._rebuild_pool()
        self._shown = self._filtered()
        self.endResetModel()

    # ---- sorting
    def _sorted(self, rows: list[R]) -> list[R]:
        if not 0 <= self._sort_column < len(self._columns):
            return sorted(rows, key=self._key)  # type: ignore[arg-type]
        column = self._columns[self._sort_column]
        values = list(map(column.value, rows))
        present = [i for i, v in enumerate(values) if v is not None and v != ""]
        missing = [rows[i] for i, v in enumerate(values) if v is None or v == ""]
        if column.sort_key is not None:  # stored keys: plain string comparisons, no collator per row
            keys = list(map(column.sort_key, rows))
        elif column.collate:  # Chinese text in pinyin order
            keys = [None] * len(rows)
            sort_key = self._collator.sortKey
            for i in present:
                keys[i] = sort_key(values[i])
        else:
            keys = values
        present.sort(key=keys.__getitem__, reverse=self._descending())
        if column.sort_key is not None and column.tie_key is not None:
            _break_ties(present, keys, lambda i: column.tie_key(rows[i]), self._descending())  # type: ignore[misc]
        return [rows[i] for i in present] + missing  # empty values last in either direction

    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: the natural order by id); rows without a value always come last."""
        self._sort_column = column if 0 <= column < len(self._columns) else -1
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_keys = [self._key(self._shown[i.row()]) if 0 <= i.row() < len(self._shown) else None for i in old]
        self._all = self._sorted(self._all)
        self._rebuild_pool()
        self._shown = self._filtered()
        where = self._positions_of(set(old_keys))
        new = [self.index(where[k], i.column()) if k in where else QModelIndex()
               for i, k in zip(old, old_keys, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _positions_of(self, keys: set[Hashable | None]) -> dict[Hashable | None, int]:
        """Where these ids are shown now (the few rows the view holds on to: current, selected)."""
        if not keys:
            return {}
        shown_keys = list(map(self._key, self._shown))
        if len(keys) > 8:
            return {k: i for i, k in enumerate(shown_keys) if k in keys}
        found = {}
        for k in keys:
            try:
                found[k] = shown_keys.index(k)
            except ValueError:
                pass
        return found

    @property
    def sort_column(self) -> int:
        return self._sort_column

    # ---- single-row updates after an edit
    def upsert_rows(self, rows: Iterable[R]) -> None:
        """Replace rows by id or add new ones (added rows stay visible until the next filter change)."""
        rows = list(rows)
        self._rows_revision += 1
        self._places_to_ids()
        if len(rows) > _RESET_ABOVE:
            by_key = {self._key(r): r for r in rows}
            self.beginResetModel()
            kept = [by_key.pop(self._key(r), r) for r in self._all]
            self._all = kept + list(by_key.values())
            if self._ids is not None:
                self._ids |= set(by_key)
            self._rebuild_pool()
            self._shown = self._filtered()
            self.endResetModel()
            return
        for row in rows:
            self._upsert_one(row)

    def _upsert_one(self, row: R) -> None:
        key = self._key(row)
        index_all = next((i for i, r in enumerate(self._all) if self._key(r) == key), None)
        if index_all is None:
            index_all = len(self._all)
            self._all.append(row)
            if self._ids is not None:
                self._ids.add(key)
        else:
            self._all[index_all] = row
        self._rebuild_pool()
        position = self.position_of(key)
        visible = self._visible(row)
        if position is not None and visible:
            self._shown[position] = row
            self.dataChanged.emit(self.index(position, 0), self.index(position, len(self._columns) - 1))
        elif position is not None:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._shown[position]
            self.endRemoveRows()
        elif visible:
            target = sum(1 for r in self._all[:index_all] if self._visible(r))
            self.beginInsertRows(QModelIndex(), target, target)
            self._shown.insert(target, row)
            self.endInsertRows()

    # ---- Qt model interface
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called thousands of times a repaint (seven roles a cell): the roles no cell has (font, icon,
        background, check state) are turned away first; roles compared as plain ints, alignments computed once."""
        if role not in _CELL_ROLES:
            return None
        row_number = index.row()
        if not 0 <= row_number < len(self._shown) or not index.isValid():
            return None
        if role == _DISPLAY:
            column = self._columns[index.column()]
            return column.text(column.value(self._shown[row_number]))
        if role == _ALIGNMENT:
            return self._alignments[index.column()]
        if role == _FOREGROUND:
            return self.row_foreground(self._shown[row_number])
        column = self._columns[index.column()]  # the tooltip
        text = column.text(column.value(self._shown[row_number]))
        return text if len(text) > column.width else None  # the cell is probably elided

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt override)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == _VERTICAL:
            return str(section + 1) if role == _DISPLAY and 0 <= section < len(self._shown) else None
        if 0 <= section < len(self._columns):
            if role == _DISPLAY:
                return self._columns[section].title
            if role == _ALIGNMENT:
                return self._alignments[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else _NO_FLAGS
