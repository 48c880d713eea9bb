"""The 认定条件数据 tab: per firm and year, the figures the tier rules need beyond the register's yearly
figures (细分市场年限, 新增股权融资, Ⅰ类高价值知识产权, 研发机构级别, 奖励, 市场占有率/排名, 数字化水平, 质量项目 …).

One column per year, one row per input. Numbers are typed as text so the service's message explains a bad
entry; 是/否 items are three-state check boxes (未填 → 是 → 否), because an empty answer must stay
"unknown" (the gap report then says 缺数据) rather than silently become 否."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.form_fields import ERROR_COLOUR
from lvqi_desktop.ui.form_fields import FORM_STYLE
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.read_only import show_read_only
from lvqi_desktop.ui.screen_fit import scrolled_column
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.validation.tier_inputs import CODES
from lvqi_desktop.validation.tier_inputs import COUNTS
from lvqi_desktop.validation.tier_inputs import FLAGS
from lvqi_desktop.validation.tier_inputs import TierInputDraft
from lvqi_desktop.validation.tier_inputs import clean_tier_input

# Inputs the validation names only inside its messages; the others take their labels from COUNTS/FLAGS/CODES.
EXTRA_LABELS = {"new_equity": "新增股权融资", "market_share": "主导产品全国细分市场占有率"}
UNITS = {"niche_years": "年", "new_equity": "万元", "market_share": "%", "ip_class1_high_value": "项",
         "ip_class1_own": "项", "national_award_rank": "名", "provincial_award_rank": "名", "maker_china_rank": "名",
         "market_rank": "名", "digital_level": "级", "platform_score": "分", "distinctive_points": "分"}
HINTS = {
    "niche_years": "截至该年年末，企业从事主导产品所在细分市场的年数",
    "new_equity": "该年合格机构投资者实缴的新增股权融资，单位万元；没有填 0",
    "market_share": "主导产品在全国细分市场的占有率，百分数，如 12.5",
    "market_rank": "主导产品在全国细分市场的排名；未进入排名填 0",
    "national_award_rank": "该年获国家级科技奖励的排名（第几完成单位）；该年没有获奖填 0",
    "provincial_award_rank": "该年获省级科技奖励的排名（第几完成单位）；该年没有获奖填 0",
    "maker_china_rank": "该年创客中国全国排名；没有填 0",
    "digital_level": "中小企业数字化水平评测等级（1–6级）",
    "platform_score": "国家梯度培育平台给出的专精特新发展（质量）评价得分",
    "distinctive_points": "特色化指标得分（山西省指标公布后填写，0–15分）",
    "no_veto": "已核实近三年无较大安全、质量、环境事故，无违法违规和失信记录",
}
GROUPS: list[tuple[str, list[str]]] = [
    ("专业化与市场", ["niche_years", "market_share", "market_rank", "market_leading", "product_field",
                   "key_chain_link", "strategic_emerging"]),
    ("创新能力", ["ip_class1_high_value", "ip_class1_own", "rd_institution_level", "national_award_rank",
              "provincial_award_rank", "maker_china_rank", "innovation_title"]),
    ("股权融资", ["new_equity"]),
    ("精细化与质量", ["digital_level", "info_system", "quality_award", "quality_cert", "own_brand",
                "drafted_standard"]),
    ("核实与评价得分", ["no_veto", "platform_score", "distinctive_points"]),
]
INPUT_NAMES = [f.name for f in fields(TierInputDraft) if f.name != "year"]
_grouped = {name for _title, names in GROUPS for name in names}
if any(name not in _grouped for name in INPUT_NAMES):  # an input added to the backend still gets a row
    GROUPS.append(("其他", [name for name in INPUT_NAMES if name not in _grouped]))
ROW_NAMES = [name for _title, names in GROUPS for name in names if name in INPUT_NAMES]
NOT_ENTERED, YES, NO = "未填", "是", "否"
FIELD_WIDTH = 112


def input_label(name: str) -> str:
    """The Chinese label of an input, with its unit: 从事细分市场年限（年）."""
    if name in COUNTS:
        label = COUNTS[name][0]
    elif name in FLAGS:
        label = FLAGS[name]
    elif name in CODES:
        label = CODES[name][0]
    else:
        label = EXTRA_LABELS.get(name, name)
    return f"{label}（{UNITS[name]}）" if name in UNITS else label


class YesNoBox(QCheckBox):
    """A 是/否 check box that can also be left 未填 (shown half-checked); clicking cycles 未填 → 是 → 否."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(NOT_ENTERED, parent)
        self.setTristate(True)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # a click beside the text does nothing
        self.setCheckState(Qt.CheckState.PartiallyChecked)
        self.stateChanged.connect(self._show_state)

    def nextCheckState(self) -> None:  # noqa: N802 (Qt override)
        after = {Qt.CheckState.PartiallyChecked: Qt.CheckState.Checked,
                 Qt.CheckState.Checked: Qt.CheckState.Unchecked,
                 Qt.CheckState.Unchecked: Qt.CheckState.PartiallyChecked}
        self.setCheckState(after[self.checkState()])

    def _show_state(self) -> None:
        self.setText(self.value() or NOT_ENTERED)

    def value(self) -> str:
        return {Qt.CheckState.Checked: YES, Qt.CheckState.Unchecked: NO}.get(self.checkState(), "")

    def set_value(self, text: str) -> None:
        state = {YES: Qt.CheckState.Checked, NO: Qt.CheckState.Unchecked}.get(text.strip(),
                                                                             Qt.CheckState.PartiallyChecked)
        self.setCheckState(state)
        self._show_state()


def _value(widget: QWidget) -> str:
    if isinstance(widget, YesNoBox):
        return widget.value()
    if isinstance(widget, ChoiceCombo):
        return widget.code()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


def _set_value(widget: QWidget, text: str) -> None:
    if isinstance(widget, YesNoBox):
        widget.set_value(text)
    elif isinstance(widget, ChoiceCombo):
        widget.set_code(text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.setText(text)


def _mark(widget: QWidget, state: str) -> None:
    if widget.property("issue") != state:
        widget.setProperty("issue", state)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class TierInputsWidget(QWidget):
    """Edits one enterprise's rule inputs, one column per year (the last three complete years by default);
    `保存` stores every year shown in one go, or nothing when the service refuses."""

    saved = Signal()  # after a successful save (the gap report beside it recomputes)
    edited = Signal()

    def __init__(self, services: Services, enterprise_id: int, parent: QWidget | None = None,
                 today: date | None = None, save_text: str = "保存认定条件数据") -> None:
        super().__init__(parent)
        self.services = services
        self.enterprise_id = enterprise_id
        self.today = today or clock.today()
        self.default_years = [self.today.year - 3, self.today.year - 2, self.today.year - 1]
        self._columns: dict[int, dict[str, QWidget]] = {}
        self._year_labels: dict[int, QLabel] = {}
        self._stored_years: set[int] = set()
        self._initial: list[TierInputDraft] = []
        self._marked: dict[tuple[int, str], str] = {}
        self.setStyleSheet(FORM_STYLE + f'QCheckBox[issue="error"] {{ color: {ERROR_COLOUR}; }}')
        self._build(save_text)
        self.load()
        self.sent_by = services.ownership.sent_by("enterprise", enterprise_id)  # city edition: the county's data
        if self.sent_by:  # the form holding this tab shows the banner
            show_read_only(self, None, "企业", self.sent_by, (self.scroll, self.year_box, self.add_year_button),
                           (self.save_button, self.undo_button), None)

    # ---- layout
    def _build(self, save_text: str) -> None:
        note = QLabel("这些数据用于对照专精特新各层级的条件；不清楚的请留空，对照结果会显示“缺数据”。"
                      "是/否项点击切换：未填 → 是 → 否。排名、奖励没有的填 0。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.year_box = QSpinBox()
        self.year_box.setRange(1950, self.today.year)
        self.year_box.setSuffix(" 年")
        self.add_year_button = writes(QPushButton("添加年度"))
        self.add_year_button.setAutoDefault(False)
        self.add_year_button.clicked.connect(self._on_add_year)
        tools = QHBoxLayout()
        tools.addWidget(note, 1)
        tools.addWidget(self.year_box, 0, Qt.AlignmentFlag.AlignTop)
        tools.addWidget(self.add_year_button, 0, Qt.AlignmentFlag.AlignTop)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.scroll = scrolled_column(self.grid, margins=(4, 4, 4, 4), frame=QFrame.Shape.StyledPanel)
        self._row_label_widgets: dict[str, QLabel] = {}
        self._group_labels: list[QLabel] = []
        for title, names in GROUPS:
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold; color: #2b4a6f; background: #e8edf3; padding: 2px 4px;")
            self._group_labels.append(head)
            for name in names:
                label = QLabel(input_label(name) + "：")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if name in HINTS:
                    label.setToolTip(HINTS[name])
                self._row_label_widgets[name] = label
        self.corner = QLabel("指标 ＼ 年度")
        self.corner.setStyleSheet("color: #555;")
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.messages.setVisible(False)
        self.save_button = writes(QPushButton(save_text))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("撤销未保存的修改")
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.messages)
        layout.addLayout(buttons)

    def _new_input(self, name: str) -> QWidget:
        widget: QWidget
        if name in FLAGS:
            widget = YesNoBox()
            widget.stateChanged.connect(self._on_edited)
        elif name in CODES:
            widget = ChoiceCombo()
            widget.set_choices(CODES[name][1].items(), NOT_ENTERED)
            widget.currentIndexChanged.connect(self._on_edited)
        else:
            widget = QLineEdit()
            widget.setAlignment(Qt.AlignmentFlag.AlignRight)
            widget.textChanged.connect(self._on_edited)
        if not isinstance(widget, YesNoBox):
            widget.setMinimumWidth(FIELD_WIDTH)
            widget.setMaximumWidth(FIELD_WIDTH + 60)
        if name in HINTS:
            widget.setToolTip(HINTS[name])
        return widget

    def _relayout(self) -> None:
        """Put every label and input back in the grid in year order (inputs keep what was typed)."""
        while self.grid.count():
            self.grid.takeAt(0)
        years = self.years()
        self.grid.addWidget(self.corner, 0, 0)
        for col, year in enumerate(years, start=1):
            self.grid.addWidget(self._year_labels[year], 0, col)
        row = 1
        for (_title, names), head in zip(GROUPS, self._group_labels, strict=True):
            self.grid.addWidget(head, row, 0, 1, len(years) + 1)
            row += 1
            for name in names:
                self.grid.addWidget(self._row_label_widgets[name], row, 0)
                for col, year in enumerate(years, start=1):
                    self.grid.addWidget(self._columns[year][name], row, col)
                row += 1
        for col in range(self.grid.columnCount()):
            self.grid.setColumnStretch(col, 0)
        self.grid.setColumnStretch(len(years) + 1, 1)  # spare width goes right of the last year

    # ---- years
    def years(self) -> list[int]:
        return sorted(self._columns)

    def add_year(self, year: int) -> None:
        """Add an empty column for `year` (nothing happens if it is shown already)."""
        if year in self._columns:
            return
        self._new_column(year)
        self._relayout()
        self.year_box.setValue(max(min(self.years()) - 1, self.year_box.minimum()))

    def _new_column(self, year: int) -> None:
        self._columns[year] = {name: self._new_input(name) for name in ROW_NAMES}
        label = QLabel(f"{year}年")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-weight: bold;")
        self._year_labels[year] = label

    def _on_add_year(self) -> None:
        year = self.year_box.value()
        self.add_year(year)
        self._columns[year][ROW_NAMES[0]].setFocus()
        self.edited.emit()

    def _clear_columns(self) -> None:
        for column in self._columns.values():
            for widget in column.values():
                widget.setParent(None)
                widget.deleteLater()
        for label in self._year_labels.values():
            label.setParent(None)
            label.deleteLater()
        self._columns.clear()
        self._year_labels.clear()

    # ---- values
    def input_widget(self, year: int, name: str) -> QWidget:
        return self._columns[year][name]

    def set_text(self, year: int, name: str, text: str) -> None:
        self.add_year(year)
        _set_value(self._columns[year][name], text)

    def text(self, year: int, name: str) -> str:
        return _value(self._columns[year][name]) if year in self._columns else ""

    def drafts(self) -> list[TierInputDraft]:
        """What is typed, per year; a year never stored and left empty is left out."""
        result = []
        for year in self.years():
            values = {name: _value(widget) for name, widget in self._columns[year].items()}
            if any(values.values()) or year in self._stored_years:
                result.append(TierInputDraft(year=year, **values))
        return result

    def is_dirty(self) -> bool:
        return self.drafts() != self._initial

    def load(self) -> None:
        """Show what is stored (typed changes are dropped)."""
        stored = self.services.cultivation.checks.tier_inputs(self.enterprise_id)
        self._clear_columns()
        self._stored_years = {d.year for d in stored}
        for year in sorted(self._stored_years | set(self.default_years)):
            self._new_column(year)
        for draft in stored:
            for name, widget in self._columns[draft.year].items():
                widget.blockSignals(True)
                _set_value(widget, getattr(draft, name))
                widget.blockSignals(False)
        self._relayout()
        self.year_box.setValue(max(min(self.years()) - 1, self.year_box.minimum()))
        self._initial = self.drafts()
        self.show_issues([])
        self._update_buttons()

    def _on_edited(self) -> None:
        self._update_buttons()
        self.edited.emit()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.undo_button.setEnabled(dirty)

    # ---- saving
    def save(self) -> bool:
        drafts = self.drafts()
        if not drafts:
            self._say("还没有填写任何数据。", "#555")
            return False
        try:
            self.services.cultivation.checks.save_tier_inputs(self.enterprise_id, drafts)
        except ValidationFailed as refused:
            self.show_issues(self._with_years(refused.issues, drafts))
            self._focus_first()
            return False
        except LvqiError as error:
            self.show_issues([Issue("", str(error))])
            return False
        self.load()
        self._say(f"已保存 {len(drafts)} 个年度的认定条件数据，对照结果已按新数据更新。", "#2e7d32")
        self.saved.emit()
        return True

    def _with_years(self, issues: Sequence[Issue], drafts: Sequence[TierInputDraft]) -> list[Issue]:
        """Issues whose field names no year (e.g. market_share) are tied to the year(s) they came from."""
        result: list[Issue] = []
        for issue in issues:
            if "." in issue.field or issue.field.isdigit() or issue.field not in INPUT_NAMES:
                result.append(issue)
                continue
            years = [d.year for d in drafts
                     if any(i.field == issue.field and i.message == issue.message
                            for i in clean_tier_input(d, self.today)[1])]
            result += [Issue(f"{y}.{issue.field}", f"{y}年{issue.message}", issue.blocking) for y in years] or [issue]
        return result

    def show_issues(self, issues: Sequence[Issue]) -> None:
        """Frame the inputs named by `2025.niche_years`-style fields and list every message under the grid."""
        marked: dict[tuple[int, str], str] = {}
        for issue in issues:
            year_text, _, name = issue.field.partition(".")
            if not year_text.isdigit() or int(year_text) not in self._columns:
                continue
            for row_name in [name] if name in ROW_NAMES else ROW_NAMES if not name else []:
                key = (int(year_text), row_name)
                if marked.get(key) != "error":
                    marked[key] = "error" if issue.blocking else "warning"
        for year, column in self._columns.items():
            for name, widget in column.items():
                state = marked.get((year, name), "")
                _mark(widget, state)
                messages = [i.message for i in issues if i.field == f"{year}.{name}"]
                widget.setToolTip("\n".join(messages) if messages else HINTS.get(name, ""))
        text, colour = issue_lines(issues)
        self._say(text, colour)
        self._marked = marked

    def _focus_first(self) -> None:
        for year in self.years():
            for name in ROW_NAMES:
                if self._marked.get((year, name)) == "error":
                    widget = self._columns[year][name]
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                    self.scroll.ensureWidgetVisible(widget)
                    return

    def _say(self, text: str, colour: str) -> None:
        self.messages.setText(text)
        self.messages.setStyleSheet(f"color: {colour};")
        self.messages.setVisible(bool(text))

    def message_text(self) -> str:
        return self.messages.text()
