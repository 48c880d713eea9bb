"""The add/edit form of one enterprise: tabs, validation as you type, save that never loses input."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprise_rows import SavedEnterprise
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.checked_save import CheckedSave
from lvqi_desktop.ui.enterprise_basic_tab import REQUIRED
from lvqi_desktop.ui.enterprise_basic_tab import BasicInfoTab
from lvqi_desktop.ui.form_fields import FORM_STYLE
from lvqi_desktop.ui.form_fields import issue_lines
from lvqi_desktop.ui.read_only import hidden_banner
from lvqi_desktop.ui.read_only import show_read_only
from lvqi_desktop.ui.screen_fit import fit_to_screen
from lvqi_desktop.ui.size_class_tab import SizeClassTab
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.ui.year_grid import YearGrid
from lvqi_desktop.validation.enterprise import EnterpriseDraft

CHECK_DELAY_MS = 300
BASIC, YEARS, SIZE = 0, 1, 2
TAB_TITLES = ["基本信息", "年度数据", "企业规模"]


class EnterpriseDialog(CheckedSave, QDialog):
    """Add (enterprise_id None) or edit one enterprise; after accept(), `saved` says what was stored."""

    other_refusals_inline = False  # a refusal other than the checks' reaches the program's error dialog

    open_existing_requested = Signal(int)  # the duplicate named in a message; the page opens it

    def __init__(self, services: Services, enterprise_id: int | None = None, parent: QWidget | None = None,
                 archived: bool = False, today: date | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.enterprise_id = enterprise_id
        self.saved: SavedEnterprise | None = None
        self.existing_id: int | None = None
        self._touched: set[str] = set()
        self._show_all = enterprise_id is not None  # a stored record shows every finding at once
        this_year = (today or clock.today()).year
        self.basic = BasicInfoTab(services)
        self.years = YearGrid([this_year - 3, this_year - 2, this_year - 1], this_year)
        self.size_tab = SizeClassTab()
        self._tabs = QTabWidget()
        self._build(archived)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        draft = services.enterprises.draft(enterprise_id) if enterprise_id is not None else EnterpriseDraft()
        self._version = draft.version  # the save is refused if another clerk saved the record meanwhile
        self.basic.fill(draft)
        self.years.fill(draft.years)
        self.size_tab.fill(draft)
        self._initial = self.draft()
        self.basic.edited.connect(self._on_edited)
        self.years.edited.connect(lambda: self._on_edited("years"))
        self.size_tab.edited.connect(self._on_edited)
        self.setWindowTitle(self._title(draft, archived))
        self._update_save_enabled()
        self.run_check()
        self.sent_by = services.ownership.sent_by("enterprise", enterprise_id)
        if self.sent_by:  # city edition: the county corrects its firm and sends a new package
            show_read_only(self, self.read_only_banner, "企业", self.sent_by, (self.basic, self.years, self.size_tab),
                           (self.save_button,), self.cancel_button)

    # ---- layout
    def _build(self, archived: bool) -> None:
        self.setStyleSheet(FORM_STYLE)
        self.resize(940, 640)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.basic)
        for widget, title in ((scroll, TAB_TITLES[BASIC]), (self.years, TAB_TITLES[YEARS]),
                              (self.size_tab, TAB_TITLES[SIZE])):
            self._tabs.addTab(widget, title)
        self.general_messages = QLabel()
        self.general_messages.setWordWrap(True)  # stays in the layout when empty: it holds the buttons right
        self.open_existing_button = QPushButton("打开该企业")
        self.open_existing_button.setVisible(False)
        self.open_existing_button.clicked.connect(self._on_open_existing)
        self.save_button = writes(QPushButton("保存"))
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.setAutoDefault(False)  # Enter in a field must not save by surprise
        self.save_button.clicked.connect(self.save)
        cancel = self.cancel_button = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_messages, 1)
        buttons.addWidget(self.open_existing_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        if archived:
            banner = QLabel("该企业已归档（不在企业库在册名单中）。可在企业库“已归档”中恢复。")
            banner.setStyleSheet("color: #9a5b00;")
            layout.addWidget(banner)
        self.read_only_banner = hidden_banner()
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self._tabs, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        fit_to_screen(self)  # the tabs' content scrolls; 保存/取消 stay on a small screen

    def _title(self, draft: EnterpriseDraft, archived: bool) -> str:
        if self.enterprise_id is None:
            return "新增企业"
        return f"编辑企业 — {draft.name}" + ("（已归档）" if archived else "")

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a further tab (e.g. 修改记录); returns its index."""
        return self._tabs.addTab(widget, title)

    @property
    def tabs(self) -> QTabWidget:
        return self._tabs

    # ---- the draft
    def draft(self) -> EnterpriseDraft:
        """Everything as typed, as the service takes it."""
        draft = EnterpriseDraft()
        self.basic.read_into(draft)
        self.size_tab.read_into(draft)
        draft.years = self.years.drafts()
        draft.version = self._version
        return draft

    def is_dirty(self) -> bool:
        return self.draft() != self._initial

    def _on_edited(self, name: str) -> None:
        self._touched.add(name)
        self._update_save_enabled()
        self._check_timer.start()

    def _update_save_enabled(self) -> None:
        draft = self.draft()
        self.save_button.setEnabled(all(str(getattr(draft, name)).strip() for name in REQUIRED))

    # ---- checking
    def run_check(self) -> None:
        """Ask the service for every finding on the draft and show them (as the user types)."""
        draft = self.draft()
        issues, existing = self._services.enterprises.check_with_existing(draft, self.enterprise_id)
        self.size_tab.show_computed(self.basic.size_group() or None, self._services.enterprises.size_preview(draft))
        self.show_issues(issues, existing)

    def _shown(self, issue: Issue) -> bool:
        if self._show_all:
            return True
        top = "years" if issue.field.startswith("years") else issue.field
        return top in self._touched

    def show_issues(self, issues: list[Issue], existing_id: int | None = None) -> None:
        """Put each message under its field (grid cells for years.*), the rest beside the buttons."""
        issues = [i for i in issues if self._shown(i)]
        boxes = {**self.basic.boxes, **self.size_tab.boxes}
        for name, box in boxes.items():
            box.show_issues([i for i in issues if i.field == name])
        self.years.show_issues([i for i in issues if i.field.startswith("years")])
        rest = [i for i in issues if i.field not in boxes and not i.field.startswith("years")]
        text, colour = issue_lines(rest)
        self.general_messages.setText(text)
        self.general_messages.setStyleSheet(f"color: {colour};")
        self.existing_id = existing_id if any(i.field in ("uscc", "name") for i in issues) else None
        self.open_existing_button.setVisible(self.existing_id is not None)
        self._mark_tabs(issues)

    def _tab_of(self, field: str) -> int:
        if field.startswith("years"):
            return YEARS
        return SIZE if field in self.size_tab.boxes else BASIC

    def _mark_tabs(self, issues: list[Issue]) -> None:
        for tab, title in enumerate(TAB_TITLES):
            mine = [i for i in issues if self._tab_of(i.field) == tab]
            errors = sum(1 for i in mine if i.blocking)
            suffix = f"（{errors}处错误）" if errors else ("（有提示）" if mine else "")
            self._tabs.setTabText(tab, title + suffix)
            colour = "#c62828" if errors else ("#9a5b00" if mine else None)
            self._tabs.tabBar().setTabTextColor(tab, colour or self._tabs.palette().windowText().color())

    # ---- saving
    def _store(self) -> None:
        self.saved = self._services.enterprises.save(self.draft(), self.enterprise_id)

    def _show_refusal(self, refused: ValidationFailed) -> None:
        self.show_issues(refused.issues, refused.existing_id)

    def _focus_first(self, issues: list[Issue]) -> None:
        first = next((i for i in issues if i.blocking), None)
        if first is None:
            return
        tab = self._tab_of(first.field)
        self._tabs.setCurrentIndex(tab)
        if tab == YEARS:
            self.years.focus_issue(first.field)
            return
        box = {**self.basic.boxes, **self.size_tab.boxes}.get(first.field)
        if box is not None:
            box.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_open_existing(self) -> None:
        if self.existing_id is not None:
            self.open_existing_requested.emit(self.existing_id)

    def reject(self) -> None:
        """Esc, 取消 or closing the window: ask before throwing typed changes away (none in a read-only form)."""
        if self.saved is None and not self.sent_by and self.is_dirty() and not messages.confirm(
                self, "有尚未保存的修改。确定放弃这些修改吗？", "放弃修改"):
            return
        super().reject()
