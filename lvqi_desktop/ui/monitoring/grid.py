"""The month grid of 运行监测: one row per monitored firm, the form's fields as columns, typed as text.

Keyboard-fast: typing starts editing, Enter saves the cell and moves down, Tab moves right. Cells with
an error are red with the message as tooltip; warnings amber; the state column says it in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtCore import QAbstractTableModel
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QStyledItemDelegate
from PySide6.QtWidgets import QStyleOptionViewItem
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.services.monitoring_rows import GridRow
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.ui.form_fields import ERROR_FILL
from lvqi_desktop.ui.form_fields import WARNING_FILL
from lvqi_desktop.ui.read_only import why_greyed
from lvqi_desktop.validation.monitoring_form import FormDefinition
from lvqi_desktop.validation.monitoring_form import FormField

FIXED = ("企业名称", "报送状态")
OK_FILL, STATUS_COLOURS = "#e3f4e3", {"on_time": "#e3f4e3", "late": WARNING_FILL, "overdue": ERROR_FILL, "open": ""}
Index = QModelIndex | QPersistentModelIndex


def header_text(f: FormField) -> str:
    """营业收入 / （本年累计） / （万元） on three short lines, so columns stay narrow."""
    label = f.label.replace("（", "\n（", 1)
    return f"{label}\n（{f.unit}）" if f.unit else label


class MonthGridModel(QAbstractTableModel):
    """Rows of a month; edits kept as typed text until saved; issues by (enterprise id, field key)."""

    def __init__(self, form: FormDefinition, parent: QWidget | None = None,
                 counties: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.counties = counties  # the city edition shows a 县区 column after the firm's name
        self.fixed = (FIXED[0], "县区", FIXED[1]) if counties is not None else FIXED
        self.state_column = len(self.fixed) - 1
        self.rows: list[GridRow] = []
        self.edits: dict[tuple[int, str], str] = {}
        self.issues: dict[tuple[int, str], list[Issue]] = {}
        self.locked: dict[int, str] = {}  # city edition: enterprise id → the county whose firm it is (not editable)

    def set_rows(self, rows: Sequence[GridRow]) -> None:
        self.beginResetModel()
        self.rows, self.edits, self.issues = list(rows), {}, {}
        self.endResetModel()

    # ---- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.fixed) + len(self.form.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section < len(self.fixed):
            return self.fixed[section]
        return header_text(self.form.fields[section - len(self.fixed)])

    def key(self, column: int) -> str | None:
        return None if column < len(self.fixed) else self.form.fields[column - len(self.fixed)].key

    def text(self, row: int, key: str) -> str:
        r = self.rows[row]
        return self.edits.get((r.enterprise_id, key), r.values.get(key, ""))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        r = self.rows[index.row()]
        key = self.key(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return r.name
            if index.column() == self.state_column:
                return self._state(r)
            if key is None:
                return (self.counties or {}).get(r.county_code, r.county_code)
            return self.text(index.row(), key)  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.column() == self.state_column:
                colour = ERROR_FILL if self._row_issues(r, True) else (
                    WARNING_FILL if self._row_issues(r, False) else STATUS_COLOURS[r.status])
                return QBrush(QColor(colour)) if colour else None
            found = self.issues.get((r.enterprise_id, key or ""), [])
            if found:
                return QBrush(QColor(ERROR_FILL if any(i.blocking for i in found) else WARNING_FILL))
            if (r.enterprise_id, key) in self.edits:
                return QBrush(QColor("#eef4ff"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self.issues.get((r.enterprise_id, key or ""), [])
            if found:
                return "\n".join(("" if i.blocking else "提示：") + i.message for i in found)
            if index.column() == self.state_column and r.warnings:
                return "已核实：" + r.warnings
            return why_greyed(self.locked[r.enterprise_id]) if r.enterprise_id in self.locked else None
        if role == Qt.ItemDataRole.TextAlignmentRole and key and self.form.field(key).numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _row_issues(self, r: GridRow, blocking: bool) -> bool:
        return any(i.blocking == blocking for (eid, _k), found in self.issues.items() if eid == r.enterprise_id
                   for i in found)

    def _state(self, r: GridRow) -> str:
        if self._row_issues(r, True):
            return "有错误，未保存"
        if self._row_issues(r, False):
            return "待核实"
        if any(eid == r.enterprise_id for eid, _k in self.edits):
            return "已修改，未保存"
        return r.status_label

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        editable = index.column() >= len(self.fixed) and self.rows[index.row()].enterprise_id not in self.locked
        return base | Qt.ItemFlag.ItemIsEditable if editable else base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        key = self.key(index.column())
        if key is None or role != Qt.ItemDataRole.EditRole:
            return False
        r = self.rows[index.row()]
        text = str(value).strip()
        if text == r.values.get(key, ""):
            self.edits.pop((r.enterprise_id, key), None)
        else:
            self.edits[(r.enterprise_id, key)] = text
        self.issues.pop((r.enterprise_id, key), None)
        self.dataChanged.emit(self.index(index.row(), 1), index)
        return True

    # ---- saving
    def drafts(self, period: str) -> list[ReportDraft]:
        """Every edited row as a whole report (typed text for every field of the row)."""
        changed = dict.fromkeys(eid for eid, _k in self.edits)
        out = []
        for row, r in enumerate(self.rows):
            if r.enterprise_id in changed:
                values = {f.key: self.text(row, f.key) for f in self.form.fields if self.text(row, f.key)}
                out.append(ReportDraft(r.enterprise_id, period, values, version=r.version))  # refused if changed since
        return out

    def show_issues(self, issues: Sequence[Issue]) -> None:
        self.beginResetModel()
        self.issues = {}
        for issue in issues:
            eid, _, key = issue.field.partition(".")
            if eid.isdigit():
                self.issues.setdefault((int(eid), key if key in self.form.by_key else "_row"), []).append(issue)
        self.endResetModel()


class AnswerDelegate(QStyledItemDelegate):
    """Questionnaire columns: a drop-down of the definition's options (first entry empty = not answered).
    A digit picks the option by number (1 = the first option), so answers stay keyboard-fast."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        combo.addItem("")
        combo.addItems(list(self.choices))
        combo.setToolTip("  ".join(f"{n}={c}" for n, c in enumerate(self.choices, start=1)))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        combo: QComboBox = editor  # type: ignore[assignment]
        found = combo.findText(text)
        if found < 0 and text:  # typed before the drop-down existed: keep it, the service will judge it
            combo.addItem(text)
            found = combo.count() - 1
        combo.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]

    def eventFilter(self, editor: object, event: object) -> bool:  # noqa: N802
        if isinstance(editor, QComboBox) and isinstance(event, QKeyEvent) and event.type() == event.Type.KeyPress:
            text = event.text()
            if text.isdigit() and 0 <= int(text) <= len(self.choices):
                editor.setCurrentIndex(int(text))
                return True
        return super().eventFilter(editor, event)  # type: ignore[arg-type]


class MonthGridView(QTableView):
    """Enter commits and moves down; typing anywhere starts editing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setDefaultSectionSize(24)

    def use_answer_delegates(self, form: FormDefinition) -> None:
        """Drop-downs for the questionnaire's single-choice columns."""
        for column, f in enumerate(form.fields, start=len(getattr(self.model(), "fixed", FIXED))):
            if f.kind == "choice":
                self.setItemDelegateForColumn(column, AnswerDelegate(f.choices, self))

    def move_down(self) -> None:
        index = self.currentIndex()
        if index.isValid() and index.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(index.row() + 1, index.column()))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in the editor
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.move_down()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_down()
            return
        super().keyPressEvent(event)
