"""The form of one 双创基地: tabs 基本情况 · 认定层级 · 入驻企业 · 年度数据, and the small dialogs they open."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.bases import BaseDraft
from lvqi_desktop.services.bases import LevelEventRow
from lvqi_desktop.services.bases import TenantRow
from lvqi_desktop.services.bases import YearDraft
from lvqi_desktop.services.bases import YearFigures
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.date_fields import DateEdit
from lvqi_desktop.ui.date_fields import OptionalDateEdit
from lvqi_desktop.ui.enterprise_picker import EnterpriseField
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import combo
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import notes
from lvqi_desktop.ui.history_widgets import RecordHistoryWidget
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.record_dialog import RecordDialog
from lvqi_desktop.ui.record_dialog import new_form_layout
from lvqi_desktop.ui.record_dialog import run_dialog
from lvqi_desktop.ui.table_models.row_table import CENTER
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.write_guard import writes
from lvqi_desktop.validation.bases import DATE_FIELDS

LEVEL_FIELDS = ("city_applied_on", "city_recognized_on", "city_document_no", "provincial_applied_on",
                "provincial_recognized_on", "provincial_document_no")


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _parse(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def timeline_columns() -> list[Column[LevelEventRow]]:
    return [Column("生效日期", lambda r: r.effective_on, align=CENTER, width=5),
            Column("变更", lambda r: f"{r.from_label} → {r.to_label}" if r.from_label else f"登记为{r.to_label}", width=9),
            Column("文号", lambda r: r.document_no, width=11),
            Column("说明", lambda r: r.note, width=10),
            Column("操作员", lambda r: r.operator, width=4),
            Column("记录时间", lambda r: r.happened_at, align=CENTER, width=9)]


def tenant_columns() -> list[Column[TenantRow]]:
    return [Column("企业名称", lambda r: r.name + ("（已在企业库归档）" if r.enterprise_archived else ""), collate=True,
                   width=16),
            Column("统一社会信用代码", lambda r: r.uscc, export_as_text=True, width=11),
            Column("入驻日期", lambda r: r.moved_in_on, align=CENTER, width=5),
            Column("迁出日期", lambda r: r.moved_out_on, align=CENTER, width=5),
            Column("状态", lambda r: "在驻" if r.current else "已迁出", align=CENTER, width=3),
            Column("迁出原因", lambda r: r.move_out_reason, width=8)]


def year_columns() -> list[Column[YearFigures]]:
    return [Column("年度", lambda r: r.year, text=str, align=CENTER, width=3),
            Column("入驻（户）", lambda r: r.tenants, text=_count, align=RIGHT, width=4),
            Column("新入驻（户）", lambda r: r.new_tenants, text=_count, align=RIGHT, width=4),
            Column("就业（人）", lambda r: r.jobs, text=_count, align=RIGHT, width=4),
            Column("台账入驻·自动", lambda r: r.linked_tenants, align=RIGHT, width=4),
            Column("台账新入驻·自动", lambda r: r.linked_new, align=RIGHT, width=4),
            Column("规上·自动", lambda r: r.above_scale, align=RIGHT, width=4),
            Column("专精特新·自动", lambda r: r.srdi, align=RIGHT, width=4)]


class BaseDialog(RecordDialog):
    """New base (基本情况 and its level at registration) or an existing one with its timeline, tenants and years.

    保存 saves 基本情况 and the recognition dates; level changes, tenants and yearly figures are saved at once
    by their own small dialogs (each is its own change in the history)."""

    def __init__(self, services: Services, base_id: int | None = None, parent: QWidget | None = None) -> None:
        self.services = services
        self.bases = services.bases
        self.base_id = base_id
        self.changed_now = False  # something was saved by a small dialog (the page reloads)
        row, draft = self.bases.base(base_id) if base_id is not None else (None, BaseDraft())
        self._version = draft.version  # 保存 is refused if another clerk saved the base meanwhile
        super().__init__(f"双创基地 — {row.name}" if row else "新增双创基地", parent)
        self.row = row
        self.tabs = QTabWidget()
        self.body.insertWidget(0, self.tabs, 1)
        self.tabs.addTab(self.form_widget, "基本情况")
        self.body.takeAt(self.body.count() - 1)  # the stretch: the tabs take the room
        self._build_basic(draft)
        self._build_level(draft)
        if base_id is not None:
            self.tenants_tab = self._build_tenants()
            self.years_tab = self._build_years()
            self.history_tab = RecordHistoryWidget(services, "incubation_base", base_id)
            self.tabs.addTab(self.history_tab, "修改记录")
            self.reload_parts()
        else:
            for title, text in (("入驻企业", "保存基本情况后，再打开本基地登记入驻企业。"),
                                ("年度数据", "保存基本情况后，再打开本基地填报年度数据。")):
                hint = QLabel(text)
                hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.tabs.addTab(hint, title)
        self.finish_building(QSize(860, 600))
        if base_id is not None:
            self.open_read_only(services.ownership.sent_by("base", base_id), "基地",
                                [self.change_button, self.add_tenant_button, self.move_out_button,
                                 self.withdraw_button, self.year_button])

    # ---- 基本情况
    def _build_basic(self, d: BaseDraft) -> None:
        add = self.add_field
        add("name", "基地名称", line("如 离石区电商产业园", 100), required=True).setText(d.name)
        kind = add("kind", "基地类型", combo(self.bases.kind_choices(), "（请选择）"), required=True)
        kind.set_code(d.kind)
        add("operator_name", "运营主体", line("运营单位全称", 100)).setText(d.operator_name)
        types = combo([(t, t) for t in self.bases.operator_types()], "（未选择）")
        add("operator_type", "运营主体性质", types).set_code(d.operator_type)
        add("address", "地址", line("", 200)).setText(d.address)
        county = self.services.office_county() or (self.row.county_code if self.row else "")
        towns = self.services.reference.townships(county) if county else []
        add("township_code", "乡镇（街道）", combo([(t.code, t.label) for t in towns], "（未选择）")).set_code(
            d.township_code)
        add("floor_area", "建筑面积（平方米）", line("如 12000", 14)).setText(d.floor_area)
        add("opened_on", "投入运营日期", OptionalDateEdit("已投入运营", _parse(d.opened_on)))
        add("services_offered", "提供的服务", notes("如 工商代办、财税辅导、融资对接、创业培训", 2)).setPlainText(
            d.services_offered)
        add("shared_facilities", "共享设施", notes("如 会议室、直播间、检测设备、仓储", 2)).setPlainText(
            d.shared_facilities)
        add("contact_person", "联系人", line("", 40)).setText(d.contact_person)
        add("contact_phone", "联系电话", line("", 40)).setText(d.contact_phone)
        add("notes", "备注", notes("", 2)).setPlainText(d.notes)

    # ---- 认定层级
    def _build_level(self, d: BaseDraft) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = self.level_form = new_form_layout()
        rules = self.bases.level_rules()
        if self.base_id is None:
            choices = [(lv.code, lv.name) for lv in sorted(rules.levels.values(), key=lambda x: x.seq)
                       if not lv.needs_reason]
            level = self.add_field("level", "当前层级", combo(choices, None, 8), form=form)
            level.set_code(rules.first())
            level.currentIndexChanged.connect(lambda _i: self._show_level_fields())
        else:
            assert self.row is not None
            self.level_label = QLabel()
            self.level_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.change_button = writes(QPushButton("变更层级…"))
            self.change_button.setAutoDefault(False)
            self.change_button.clicked.connect(self.change_level)
            top = QHBoxLayout()
            top.addWidget(self.level_label, 1)
            top.addWidget(self.change_button)
            layout.addLayout(top)
        labels = {"city_applied_on": "申报市级日期", "city_recognized_on": "市级认定日期",
                  "city_document_no": "市级认定文号", "provincial_applied_on": "申报省级日期",
                  "provincial_recognized_on": "省级认定日期", "provincial_document_no": "省级认定文号"}
        for name in LEVEL_FIELDS:
            if name.endswith("_no"):
                self.add_field(name, labels[name], line("如 吕中小企发〔2026〕12号", 60), form=form).setText(
                    getattr(d, name))
            else:
                self.add_field(name, labels[name], OptionalDateEdit("已" + labels[name][:-2], _parse(getattr(d, name))),
                               form=form)
        layout.addLayout(form)
        if self.base_id is not None:
            layout.addWidget(QLabel("层级变更记录"))
            self.timeline = RowTableModel(timeline_columns(), parent=self)
            self.timeline_list = ListTable(self.timeline, "bases_page/timeline")
            layout.addWidget(self.timeline_list, 1)
        else:
            note = QLabel("已认定为市级、省级的基地，须填写认定日期和认定文号；以后的层级变化请在本页“变更层级”中登记。")
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
            layout.addStretch(1)
            self._show_level_fields()
        self.tabs.addTab(page, "认定层级")

    def _show_level_fields(self) -> None:
        """A new base shows the dates and numbers its chosen level needs (and those below it)."""
        if self.base_id is not None:
            return
        level = self.widget("level").code()
        shown = {"cultivating": (), "city_applied": ("city_applied_on",),
                 "city": ("city_applied_on", "city_recognized_on", "city_document_no"),
                 "provincial_applied": ("city_applied_on", "city_recognized_on", "city_document_no",
                                        "provincial_applied_on"),
                 "provincial": LEVEL_FIELDS}.get(level, LEVEL_FIELDS)
        for name in LEVEL_FIELDS:
            self.level_form.setRowVisible(self.boxes[name], name in shown)

    # ---- 入驻企业
    def _build_tenants(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.tenants = RowTableModel(tenant_columns(), parent=self)
        self.tenant_list = ListTable(self.tenants, "bases_page/tenants")
        self.tenant_list.set_empty_text("还没有登记入驻企业。点击“登记入驻”从企业库中选择。", "登记入驻", self.add_tenant)
        self.tenant_list.selection_changed.connect(self._update_tenant_buttons)
        self.tenant_count = QLabel()
        self.add_tenant_button = writes(QPushButton("登记入驻…"))
        self.move_out_button = writes(QPushButton("迁出…"))
        self.withdraw_button = writes(QPushButton("撤回误登记"))
        for button, slot in ((self.add_tenant_button, self.add_tenant), (self.move_out_button, self.move_out),
                             (self.withdraw_button, self.withdraw_tenant)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        for b in (self.add_tenant_button, self.move_out_button, self.withdraw_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.tenant_count)
        layout.addWidget(self.tenant_list, 1)
        layout.addLayout(buttons)
        self.tabs.addTab(page, "入驻企业")
        return page

    def _update_tenant_buttons(self) -> None:
        row = self.tenant_list.current_row()
        self.move_out_button.setEnabled(row is not None and row.current)
        self.withdraw_button.setEnabled(row is not None)

    # ---- 年度数据
    def _build_years(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        explain = QLabel("入驻、新入驻、就业由基地填报（户、人）；标“自动”的各列（户）由入驻企业台账和企业库、"
                         "专精特新培育库自动统计，不能修改。")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        self.years = RowTableModel(year_columns(), key=lambda r: r.year, parent=self)
        self.year_list = ListTable(self.years, "bases_page/years")
        self.year_list.set_empty_text("还没有年度数据。点击“填报年度数据”。", "填报年度数据", self.edit_year)
        self.year_list.row_activated.connect(lambda r: self.edit_year(r))
        self.year_button = writes(QPushButton("填报年度数据…"))
        self.year_button.setAutoDefault(False)
        self.year_button.clicked.connect(lambda: self.edit_year(self.year_list.current_row()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.year_button)
        buttons.addStretch(1)
        layout.addWidget(explain)
        layout.addWidget(self.year_list, 1)
        layout.addLayout(buttons)
        self.tabs.addTab(page, "年度数据")
        return page

    # ---- reading back after a change
    def reload_parts(self) -> None:
        assert self.base_id is not None
        self.row = self.bases.base(self.base_id)[0]
        level_on = f"（{self.row.level_on.isoformat()} 起）" if self.row.level_on else ""
        self.level_label.setText(f"当前层级：<b>{self.row.level_label}</b>{level_on}")
        self.change_button.setEnabled(not self.row.archived and bool(self.bases.next_levels(self.base_id)))
        self.timeline.set_rows(self.bases.timeline(self.base_id))
        self.timeline_list.update_empty()
        tenants = self.bases.tenants(self.base_id)
        self.tenants.set_rows(tenants)
        self.tenant_list.update_empty()
        current = sum(1 for t in tenants if t.current)
        self.tenant_count.setText(f"在驻 {current:,} 家，已迁出 {len(tenants) - current:,} 家")
        self._update_tenant_buttons()
        self.years.set_rows(self.bases.years(self.base_id))
        self.year_list.update_empty()
        if self.history_tab.loaded:
            self.history_tab.reload()
        _row, draft = self.bases.base(self.base_id)
        self._version = draft.version  # this clerk's own level change raised it
        for name in LEVEL_FIELDS:  # a level change fills these in: show them, and keep 保存 from undoing it
            widget = self.widget(name)
            value = getattr(draft, name)
            if isinstance(widget, OptionalDateEdit):
                widget.set_value(_parse(value))
                self._initial[name] = widget.value()
            else:
                widget.setText(value)
                self._initial[name] = value

    # ---- actions of the tabs
    def change_level(self) -> None:
        assert self.base_id is not None and self.row is not None
        dialog = LevelDialog(self.services, self.base_id, self.row.name, self)
        if run_dialog(dialog):
            self.changed_now = True
            self.reload_parts()

    def add_tenant(self) -> None:
        assert self.base_id is not None
        if run_dialog(TenantDialog(self.services, self.base_id, self)):
            self.changed_now = True
            self.reload_parts()

    def move_out(self) -> None:
        row = self.tenant_list.current_row()
        if row is not None and run_dialog(MoveOutDialog(self.services, row, self)):
            self.changed_now = True
            self.reload_parts()

    def withdraw_tenant(self) -> None:
        row = self.tenant_list.current_row()
        if row is None or not messages.confirm(
                self, f"确定撤回“{row.name}”的入驻登记吗？\n仅用于撤回误登记；企业迁出请用“迁出”。", "撤回入驻登记"):
            return
        try:
            self.bases.withdraw_tenant(row.id)
        except LvqiError as error:
            messages.show_error(self, error)
            return
        self.changed_now = True
        self.reload_parts()

    def edit_year(self, row: YearFigures | None = None) -> None:
        assert self.base_id is not None
        if run_dialog(YearDialog(self.services, self.base_id, row, self)):
            self.changed_now = True
            self.reload_parts()

    # ---- saving 基本情况
    def draft(self) -> BaseDraft:
        v = self.values()
        d = BaseDraft(**{k: ("" if v.get(k) is None else v[k]) for k in (
            "name", "kind", "operator_name", "operator_type", "address", "township_code", "floor_area",
            "services_offered", "shared_facilities", "contact_person", "contact_phone", "notes",
            "city_document_no", "provincial_document_no")})
        for name in DATE_FIELDS:
            if name in v:
                setattr(d, name, _date_text(v[name]))
        if self.base_id is None:
            d.level = v["level"]
        d.version = self._version
        return d

    def check(self) -> list[Issue]:
        return self.bases.check_base(self.draft(), self.base_id)

    def box_for(self, field: str) -> FieldBox | None:
        return self.boxes.get("floor_area" if field == "floor_area_m2" else field)

    def submit(self) -> None:
        self.base_id = self.bases.save_base(self.draft(), self.base_id)

    def show_issues(self, issues: Any) -> None:
        """Messages under their fields; on 保存, the tab holding the first blocking one comes to the front."""
        super().show_issues(issues)
        if not self._show_all:
            return
        for issue in issues:
            box = self.box_for(issue.field)
            if issue.blocking and box is not None:
                for i in range(self.tabs.count()):
                    if self.tabs.widget(i).isAncestorOf(box):
                        self.tabs.setCurrentIndex(i)
                        return


class LevelDialog(RecordDialog):
    """变更层级: to which level, on which date, under which document, and why."""

    def __init__(self, services: Services, base_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"变更层级 — {name}", parent)
        self.bases, self.base_id = services.bases, base_id
        self.add_field("level", "变为", combo(self.bases.next_levels(base_id), "（请选择）", 8), required=True)
        self.add_field("effective_on", "生效日期", DateEdit(self.bases.today()), required=True)
        self.add_field("document_no", "认定文号", line("如 吕中小企发〔2026〕12号", 60))
        self.add_field("note", "原因或说明", notes("撤销时必填", 2))
        hint = QLabel("认定为市级、省级时须填写认定文号；撤销须填写原因。")
        hint.setStyleSheet("color: #555;")
        self.form.addRow("", hint)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)
        self.finish_building()

    def check(self) -> list[Issue]:
        v = self.values()
        return self.bases.check_level(self.base_id, v["level"], v["effective_on"], v["document_no"], v["note"])

    def submit(self) -> None:
        v = self.values()
        self.bases.change_level(self.base_id, v["level"], v["effective_on"], v["document_no"], v["note"])


class TenantDialog(RecordDialog):
    """登记入驻: an enterprise of the register and its move-in date."""

    def __init__(self, services: Services, base_id: int, parent: QWidget | None = None) -> None:
        super().__init__("登记入驻企业", parent)
        self.bases, self.base_id = services.bases, base_id
        self.add_field("enterprise_id", "入驻企业", EnterpriseField(services), required=True)
        self.add_field("moved_in_on", "入驻日期", DateEdit(self.bases.today()), required=True)
        self.add_field("notes", "备注", notes("", 2))
        self.finish_building()

    def submit(self) -> None:
        v = self.values()
        self.bases.add_tenant(self.base_id, v["enterprise_id"], v["moved_in_on"], None, v["notes"])


class MoveOutDialog(RecordDialog):
    """迁出: the date (not before move-in) and the reason."""

    def __init__(self, services: Services, tenant: TenantRow, parent: QWidget | None = None) -> None:
        super().__init__(f"迁出 — {tenant.name}", parent)
        self.bases, self.tenant = services.bases, tenant
        info = QLabel(f"入驻日期：{tenant.moved_in_on.isoformat()}")
        self.form.addRow("", info)
        self.add_field("moved_out_on", "迁出日期", DateEdit(self.bases.today()), required=True)
        self.add_field("reason", "迁出原因", line("如 扩大生产迁至开发区、注销", 200))
        self.finish_building()

    def submit(self) -> None:
        v = self.values()
        self.bases.move_out_tenant(self.tenant.id, v["moved_out_on"], v["reason"])


class YearDialog(RecordDialog):
    """One year's typed figures; the derived counts are shown, not typed."""

    def __init__(self, services: Services, base_id: int, row: YearFigures | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("填报年度数据", parent)
        self.bases, self.base_id = services.bases, base_id
        today = self.bases.today()
        year = QSpinBox()
        year.setRange(2000, today.year)
        year.setValue(row.year if row else today.year)
        self.add_field("year", "年度", year, required=True)
        for name, label, value in (("tenants", "入驻企业（户）", row.tenants if row else None),
                                   ("new_tenants", "当年新入驻（户）", row.new_tenants if row else None),
                                   ("jobs", "带动就业（人）", row.jobs if row else None)):
            self.add_field(name, label, line("", 9)).setText("" if value is None else str(value))
        self.derived = QLabel()
        self.derived.setStyleSheet("color: #555;")
        self.form.addRow("自动统计", self.derived)
        year.valueChanged.connect(lambda _v: self._show_derived())
        self._show_derived()
        self.finish_building()

    def _show_derived(self) -> None:
        f = self.bases.figures(self.widget("year").value(), [self.base_id])[self.base_id]
        self.derived.setText(f"台账入驻 {f.linked_tenants} 户（当年新入驻 {f.linked_new} 户），"
                             f"其中规上 {f.above_scale} 户、专精特新 {f.srdi} 户")

    def submit(self) -> None:
        v = self.values()
        self.bases.save_year(self.base_id, YearDraft(year=str(v["year"]), tenants=v["tenants"],
                                                     new_tenants=v["new_tenants"], jobs=v["jobs"]))
