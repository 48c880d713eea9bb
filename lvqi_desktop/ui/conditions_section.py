"""Settings section 认定条件与挂牌板块: the conditions of each tier under each rule set (national ones read-only,
with their source document; those the office entered — e.g. for 省级“小巨人”, whose conditions no national rule
defines — can be added, changed and removed), and the name of the 山西股权交易中心 display board."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableWidget
from PySide6.QtWidgets import QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.pools import VenueDef
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.tier_check import ConditionRow
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.form_fields import ERROR_COLOUR
from lvqi_desktop.ui.form_fields import FORM_STYLE
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.list_table import select_rows
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.validation.tier_metrics import CODE_LABELS
from lvqi_desktop.validation.tier_metrics import METRICS
from lvqi_desktop.validation.tier_rules import OPS

SRDI = "srdi"
LOCAL_TIER = "little_giant_provincial"  # the tier whose conditions the office enters itself
EQUITY_CENTER = "equity_center"
NUMBER_OPS = ("ge", "gt", "le", "lt", "eq")
COLUMNS = ["编号", "条件", "判定方式", "依据", "来源"]
OK_COLOUR = "#2e7d32"
NOTE = ("国家标准条件随程序提供，只能查看，旁边注明依据文件。省级“小巨人”的条件由山西省制定、程序中没有，"
        "请按省里的文件逐条录入（每条：一个指标、一个比较、一个数值）；录入前，对照结果会显示“条件尚未录入”。")


def _unit(metric: str) -> str:
    return METRICS[metric][1] if metric in METRICS else ""


def ops_for(metric: str) -> list[tuple[str, str]]:
    """The comparisons that make sense for an indicator: 是/否 and lists only “=”; rankings also “前N名”."""
    unit = _unit(metric)
    if unit in ("bool", "code"):
        return [("eq", "=")]
    codes = [*NUMBER_OPS, "rank_within"] if unit == "名" else list(NUMBER_OPS)
    return [(op, "前N名" if op == "rank_within" else OPS[op]) for op in codes]


def parse_test_text(text: str) -> tuple[str, str, str] | None:
    """(metric, op, value) back from a one-test description such as “营业收入 ≥ 5000.0万元” (None if not one)."""
    for metric in sorted(METRICS, key=lambda m: -len(METRICS[m][0])):
        label, unit = METRICS[metric][0], METRICS[metric][1]
        if not text.startswith(label):
            continue
        rest = text[len(label):]
        if rest.startswith("前") and rest.endswith("名"):
            return metric, "rank_within", rest[1:-1].strip()
        for op, symbol in OPS.items():
            if rest.startswith(f" {symbol} "):
                value = rest[len(symbol) + 2:]
                if unit not in ("bool", "code") and unit and value.endswith(unit):
                    value = value[:-len(unit)]
                return metric, op, value.strip()
    return None


class ConditionsSection(QGroupBox):
    """Pick a rule set and a tier to list its conditions; add or change the office's own; rename the board."""

    changed = Signal(str)  # a kind of data changed ("pool"): pool pages reload
    status_message = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("认定条件与挂牌板块", parent)
        self.services = services
        self.checks = services.cultivation.checks
        self.editing_id: int | None = None
        self.rows: list[ConditionRow] = []
        self.setStyleSheet(FORM_STYLE)
        self._build()
        self.refresh()

    # ---- layout
    def _build(self) -> None:
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.rule_set_combo = ChoiceCombo()
        rule_sets = sorted(self.checks.rule_sets(), key=lambda r: r.applies_from)
        self.rule_set_combo.set_choices([(r.code, r.name) for r in rule_sets], None)
        in_force = [r.code for r in rule_sets if r.applies_from <= clock.today()] or [r.code for r in rule_sets]
        self.rule_set_combo.set_code(in_force[-1] if in_force else "")
        self.tier_combo = ChoiceCombo()
        self._fill_tiers()
        self.tier_combo.set_code(LOCAL_TIER)
        self.rule_set_combo.currentIndexChanged.connect(self._on_rule_set)
        self.tier_combo.currentIndexChanged.connect(self.refresh)
        self.document_label = QLabel()
        self.document_label.setWordWrap(True)
        self.document_label.setStyleSheet("color: #555;")
        pick = QHBoxLayout()
        pick.addWidget(QLabel("条件版本："))
        pick.addWidget(self.rule_set_combo)
        pick.addSpacing(12)
        pick.addWidget(QLabel("层级："))
        pick.addWidget(self.tier_combo)
        pick.addStretch(1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col, mode in enumerate([QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.ResizeToContents]):
            header.setSectionResizeMode(col, mode)
        self.table.setMinimumHeight(220)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #9a5b00;")
        self.edit_button = writes(QPushButton("修改所选条件"))
        self.remove_button = writes(QPushButton("删除所选条件"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.readonly_hint = QLabel()
        self.readonly_hint.setStyleSheet("color: #666;")
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.readonly_hint, 1)
        row_buttons.addWidget(self.edit_button)
        row_buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(pick)
        layout.addWidget(self.document_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row_buttons)
        layout.addWidget(self._condition_form())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(self._board_row())

    def _condition_form(self) -> QWidget:
        self.form_box = QGroupBox("新增条件")
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("条件的文字说明，如：上年度营业收入不低于5000万元")
        self.metric_combo = ChoiceCombo()
        self.metric_combo.set_choices(self.checks.metric_choices(), "（请选择指标）")
        self.metric_combo.currentIndexChanged.connect(self._on_metric)
        self.op_combo = ChoiceCombo()
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("数值")
        self.value_edit.setMaximumWidth(140)
        self.value_combo = ChoiceCombo()
        self.value_combo.setVisible(False)
        self.unit_label = QLabel()
        self.source_edit = QLineEdit("本单位录入")
        self.source_edit.setPlaceholderText("依据的文件及条款，如：晋工信中小〔20XX〕X号 第X条")
        self.form_messages = QLabel()
        self.form_messages.setWordWrap(True)  # stays in the layout when empty: it holds the buttons right
        self.save_condition_button = writes(QPushButton("添加条件"))
        self.save_condition_button.setAutoDefault(False)
        self.save_condition_button.clicked.connect(self.save_condition)
        self.cancel_edit_button = QPushButton("取消修改")
        self.cancel_edit_button.setAutoDefault(False)
        self.cancel_edit_button.clicked.connect(self.clear_form)
        self.cancel_edit_button.setVisible(False)
        test = QHBoxLayout()
        test.addWidget(self.metric_combo, 3)
        test.addWidget(self.op_combo, 1)
        test.addWidget(self.value_edit, 1)
        test.addWidget(self.value_combo, 1)
        test.addWidget(self.unit_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_messages, 1)
        buttons.addWidget(self.cancel_edit_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.save_condition_button, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout(self.form_box)
        for row, (label, item) in enumerate([("条件说明：", self.text_edit), ("判定：", test),
                                             ("依据：", self.source_edit)]):
            text = QLabel(label)
            text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(text, row, 0)
            if isinstance(item, QHBoxLayout):
                grid.addLayout(item, row, 1)
            else:
                grid.addWidget(item, row, 1)
        grid.addLayout(buttons, 3, 1)
        grid.setColumnStretch(1, 1)
        self._on_metric()
        return self.form_box

    def _board_row(self) -> QHBoxLayout:
        venue = self._venue()
        self.venue_label = QLabel(f"{venue.name if venue else '山西股权交易中心'} — 板块名称：")
        self.board_edit = QLineEdit(venue.board_name if venue else "")
        self.board_edit.setPlaceholderText("如 专精特新专板（可留空）")
        self.board_edit.setMaxLength(60)  # the service explains anything over 40
        self.board_edit.returnPressed.connect(self.save_board_name)
        self.board_button = writes(QPushButton("保存板块名称"))
        self.board_button.setAutoDefault(False)
        self.board_button.clicked.connect(self.save_board_name)
        self.board_button.setEnabled(venue is not None)
        self.board_message = QLabel()
        self.board_message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.venue_label)
        row.addWidget(self.board_edit, 1)
        row.addWidget(self.board_button)
        row.addWidget(self.board_message, 1)
        return row

    # ---- the list
    def _fill_tiers(self) -> None:
        pool = self.services.cultivation.pools.catalog().pools[SRDI]
        self.tier_combo.set_choices([(t.code, pool.tier_label(t.code, self.rule_set_combo.code()))
                                     for t in pool.ladder()], None)

    def _on_rule_set(self) -> None:
        self._fill_tiers()
        self.refresh()

    def refresh(self) -> None:
        rule_set, tier = self.rule_set_combo.code(), self.tier_combo.code()
        found = next((r for r in self.checks.rule_sets() if r.code == rule_set), None)
        self.document_label.setText(f"依据：{found.document}（新申报自 {found.applies_from:%Y-%m-%d} 起适用）"
                                    if found else "")
        self.rows = self.checks.conditions(rule_set, tier) if rule_set and tier else []
        self.table.setRowCount(0)
        for row in self.rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            for col, text in enumerate([row.code, row.text, row.test_text, row.source,
                                        "本单位录入" if row.editable else "国家标准（只读）"]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 4:
                    item.setForeground(QBrush(QColor(OK_COLOUR if row.editable else "#666666")))
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()
        tier_name = self.tier_combo.currentText()
        self.empty_label.setText("" if self.rows else
                                 f"“{tier_name}”在此版本下还没有条件。可在下方逐条录入。")
        self.empty_label.setVisible(not self.rows)
        self.form_box.setTitle(f"新增条件（{tier_name}）" if self.editing_id is None else self.form_box.title())
        self._update_buttons()

    def selected(self) -> ConditionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select_code(self, code: str) -> None:
        for r, row in enumerate(self.rows):
            if row.code == code:
                select_rows(self.table, [r])

    def _update_buttons(self) -> None:
        row = self.selected()
        editable = row is not None and row.editable
        self.edit_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.readonly_hint.setText("国家标准条件不能修改或删除。" if row is not None and not row.editable else "")

    # ---- the form
    def _on_metric(self) -> None:
        metric = self.metric_combo.code()
        unit = _unit(metric)
        self.op_combo.clear()  # set_choices would keep a comparison this indicator does not offer
        self.op_combo.set_choices(ops_for(metric) if metric else [], None)
        is_choice = unit in ("bool", "code")
        self.value_combo.clear()
        if unit == "bool":
            self.value_combo.set_choices([("是", "是"), ("否", "否")], None)
        elif unit == "code":
            self.value_combo.set_choices(CODE_LABELS.get(metric, {}).items(), None)
        self.value_edit.setVisible(not is_choice)
        self.value_combo.setVisible(is_choice)
        self.unit_label.setText("" if is_choice else unit)

    def _value(self) -> str:
        if _unit(self.metric_combo.code()) in ("bool", "code"):
            return self.value_combo.code()
        return self.value_edit.text()

    def clear_form(self) -> None:
        self.editing_id = None
        self.text_edit.clear()
        self.metric_combo.set_code("")
        self.value_edit.clear()
        self.source_edit.setText("本单位录入")
        self.save_condition_button.setText("添加条件")
        self.cancel_edit_button.setVisible(False)
        self.form_box.setTitle(f"新增条件（{self.tier_combo.currentText()}）")
        self._show_form_issues([])

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None or not row.editable:
            return
        self.editing_id = row.id
        self.text_edit.setText(row.text)
        self.source_edit.setText(row.source)
        parsed = parse_test_text(row.test_text)
        if parsed is not None:
            metric, op, value = parsed
            self.metric_combo.set_code(metric)
            self.op_combo.set_code(op)
            if _unit(metric) in ("bool", "code"):
                self.value_combo.set_code(value)
            else:
                self.value_edit.setText(value[:-2] if value.endswith(".0") else value)
        self.save_condition_button.setText("保存修改")
        self.cancel_edit_button.setVisible(True)
        self.form_box.setTitle(f"修改条件 {row.code}")
        self._show_form_issues([])
        self.text_edit.setFocus()

    def save_condition(self) -> None:
        rule_set, tier = self.rule_set_combo.code(), self.tier_combo.code()
        try:
            self.checks.save_condition(rule_set, tier, self.text_edit.text(), self.metric_combo.code(),
                                       self.op_combo.code(), self._value(), self.source_edit.text() or "本单位录入",
                                       condition_id=self.editing_id)
        except ValidationFailed as refused:
            self._show_form_issues(refused.issues)
            return
        except LvqiError as error:
            self._show_form_issues([Issue("", str(error))])
            return
        was_editing = self.editing_id is not None
        text = self.text_edit.text().strip()
        self.clear_form()
        self.refresh()
        said = f"已{'修改' if was_editing else '添加'}条件：{text}"
        self.form_messages.setText(said)
        self.form_messages.setStyleSheet(f"color: {OK_COLOUR};")
        self.status_message.emit(said)
        self.changed.emit("pool")

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or not row.editable:
            return
        if not messages.confirm(self, f"删除条件 {row.code}：{row.text}？", "删除条件"):
            return
        try:
            self.checks.remove_condition(row.id)
        except LvqiError as error:
            self._show_form_issues(error.issues if isinstance(error, ValidationFailed) else [Issue("", str(error))])
            return
        if self.editing_id == row.id:
            self.clear_form()
        self.refresh()
        self.status_message.emit(f"已删除条件：{row.text}")
        self.changed.emit("pool")

    def _show_form_issues(self, issues: list[Issue]) -> None:
        text, colour = issue_lines(issues)
        self.form_messages.setText(text)
        self.form_messages.setStyleSheet(f"color: {colour};")
        fields = {i.field for i in issues if i.blocking}
        for name, widget in (("text", self.text_edit), ("metric", self.metric_combo), ("op", self.op_combo),
                             ("value", self.value_edit), ("value", self.value_combo)):
            state = "error" if name in fields else ""
            if widget.property("issue") != state:
                widget.setProperty("issue", state)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    # ---- the board name
    def _venue(self) -> VenueDef | None:
        venues = self.services.cultivation.pools.catalog().venues
        return venues.get(EQUITY_CENTER) or next((v for v in venues.values() if "股权交易中心" in v.name), None)

    def save_board_name(self) -> None:
        venue = self._venue()
        if venue is None:
            return
        try:
            self.services.cultivation.pools.set_board_name(venue.code, self.board_edit.text())
        except LvqiError as error:
            text = "；".join(i.message for i in error.issues) if isinstance(error, ValidationFailed) else str(error)
            self.board_message.setText(text)
            self.board_message.setStyleSheet(f"color: {ERROR_COLOUR};")
            return
        saved = self._venue()
        label = saved.label if saved else self.board_edit.text()
        self.board_edit.setText(saved.board_name if saved else self.board_edit.text())
        self.board_message.setText(f"已保存，显示为“{label}”")
        self.board_message.setStyleSheet(f"color: {OK_COLOUR};")
        self.status_message.emit(f"已保存挂牌板块名称：{label}")
        self.changed.emit("pool")
