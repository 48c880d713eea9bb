"""The 基本信息 tab of the enterprise form: identity, location, contacts, industry, status."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QSpacerItem
from PySide6.QtWidgets import QWidget

from lvqi_desktop.models import codes
from lvqi_desktop.models.size_class import derive_size_group
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.county_filter import is_city_edition
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import changed_signal
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.ui.form_fields import line
from lvqi_desktop.ui.form_fields import set_widget_value
from lvqi_desktop.ui.form_fields import widget_value
from lvqi_desktop.validation.enterprise import EnterpriseDraft

REQUIRED = {"uscc", "name"}


def _combo(choices: dict[str, str] | list[tuple[str, str]], empty: str | None = "") -> ChoiceCombo:
    combo = ChoiceCombo()
    combo.set_choices(choices.items() if isinstance(choices, dict) else choices, empty)
    return combo


class BasicInfoTab(QWidget):
    """Every field of the enterprise itself; `boxes` maps draft field names to their FieldBox."""

    edited = Signal(str)  # the draft field the user changed

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.is_city = is_city_edition(services)
        self._office_county = services.office_county() or ""
        self._chosen_group = ""
        self.boxes: dict[str, FieldBox] = {}
        self._line_height = max(QLineEdit().sizeHint().height(), ChoiceCombo().sizeHint().height())
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(3, 1)
        self._build()
        for name, box in self.boxes.items():
            changed_signal(box.widget).connect(lambda *_, n=name: self._on_edited(n))
        self._update_dependents()

    # ---- layout
    def _add(self, row: int, col: int, name: str, label: str, widget: QWidget, span: bool = False) -> None:
        box = FieldBox(widget)
        self.boxes[name] = box
        text = form_label(label, name in REQUIRED)
        text.setMinimumHeight(self._line_height)  # centred on the input's first line, not on input + message
        self._grid.addWidget(text, row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(box, row, col * 2 + 1, 1, 3 if span else 1, Qt.AlignmentFlag.AlignTop)

    def _build(self) -> None:
        counties = [(c.code, c.label) for c in self._services.reference.counties()]
        sections = [(c.code, c.label) for c in self._services.reference.sections()]
        self._add(0, 0, "uscc", "统一社会信用代码", line("18位，如 91141102MA0K123458", 40))
        self._add(0, 1, "registered_on", "成立日期", line("如 2015-06-18", 20))
        self._add(1, 0, "name", "企业名称", line("与营业执照一致"), span=True)
        self._add(2, 0, "former_names", "曾用名", line("有多个时用“、”分隔"), span=True)
        if self.is_city:
            self._add(3, 0, "county_code", "所属县区", _combo(counties, "（请选择）"))
        self._add(3, 1 if self.is_city else 0, "township_code", "乡镇（街道）", _combo([], "（未选择）"))
        self._add(4, 0, "address", "地址", line(), span=True)
        self._add(5, 0, "legal_representative", "法定代表人", line(max_length=40))
        self._add(5, 1, "ownership_type", "企业性质", _combo(codes.OWNERSHIP_TYPES, "（未选择）"))
        self._add(6, 0, "contact_person", "联系人", line(max_length=40))
        self._add(6, 1, "contact_phone", "联系电话", line("手机号，或 0358-8221234", 40))
        self._add(7, 0, "industry_section", "行业门类", _combo(sections, "（请选择）"))
        self._add(7, 1, "industry_class", "行业小类", line("4位代码，如 3311，可不填", 8))
        self._add(8, 0, "size_group", "划型行业", _combo(codes.SIZE_GROUPS, "（请选择）"))
        self._add(8, 1, "four_above_category", "四上类别", _combo(codes.FOUR_ABOVE_CATEGORIES, "（不属于四上）"))
        self._add(9, 0, "main_products", "主要产品", line("主要产品或服务"), span=True)
        self._add(10, 0, "above_scale", "规上企业", QCheckBox("规模以上企业（已纳入统计）"))
        self._add(10, 1, "above_scale_since", "入统年月", line("如 2026-03", 10))
        self._add(11, 0, "high_tech_cert_no", "高新技术企业证书", line("证书编号，如 GR202314000123", 40))
        self._add(11, 1, "high_tech_valid_until", "证书有效期至", line("如 2026-12-31", 20))
        self._add(12, 0, "business_status", "经营状态", _combo(codes.BUSINESS_STATUSES, None))
        moved = _combo([c for c in counties if c[0] != self._office_county], "")
        moved.setEditable(True)
        moved.lineEdit().setPlaceholderText("迁入的县区")
        self._add(12, 1, "moved_to_county", "迁入地", moved)
        remarks = QPlainTextEdit()
        remarks.setTabChangesFocus(True)
        remarks.setFixedHeight(remarks.fontMetrics().lineSpacing() * 3 + 12)
        self._add(13, 0, "remarks", "备注", remarks, span=True)
        self._grid.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding), 14, 0)
        self._load_townships()

    # ---- dependent fields
    def widget(self, name: str) -> QWidget:
        return self.boxes[name].widget

    def _county(self) -> str:
        return widget_value(self.widget("county_code")) if self.is_city else self._office_county  # type: ignore[return-value]

    def _load_townships(self) -> None:
        county = self._county()
        towns = self._services.reference.townships(county) if county else []
        combo = self.widget("township_code")
        assert isinstance(combo, ChoiceCombo)
        combo.set_choices([(t.code, t.label) for t in towns], "（未选择）")

    def derived_group(self) -> str | None:
        """The 300号 group the industry gives by itself, or None when the user must choose it."""
        section = str(widget_value(self.widget("industry_section")))
        return derive_size_group(section or None, str(widget_value(self.widget("industry_class"))).strip())

    def size_group(self) -> str:
        """The group the size class is judged in: derived, or chosen by the user."""
        return self.derived_group() or self._chosen_group

    def _update_dependents(self) -> None:
        group_combo = self.widget("size_group")
        assert isinstance(group_combo, ChoiceCombo)
        derived = self.derived_group()
        group_combo.blockSignals(True)
        group_combo.set_code(derived or self._chosen_group)
        group_combo.blockSignals(False)
        group_combo.setEnabled(derived is None)
        group_combo.setToolTip("行业门类（和小类）已能确定划型行业" if derived else
                               "该行业门类需按小类区分划型标准；未填小类时请在此选择")
        self.widget("above_scale_since").setEnabled(bool(widget_value(self.widget("above_scale"))))
        self.widget("moved_to_county").setEnabled(widget_value(self.widget("business_status")) == "moved_out")

    def _on_edited(self, name: str) -> None:
        if name == "county_code":
            self._load_townships()
        if name == "size_group" and self.widget("size_group").isEnabledTo(self):
            self._chosen_group = str(widget_value(self.widget("size_group")))
        self._update_dependents()
        self.edited.emit(name)

    # ---- draft in and out
    def fill(self, draft: EnterpriseDraft) -> None:
        for box in self.boxes.values():
            box.widget.blockSignals(True)
        try:
            if self.is_city:
                set_widget_value(self.widget("county_code"), draft.county_code)
            self._load_townships()
            self._chosen_group = draft.size_group
            for name, box in self.boxes.items():
                set_widget_value(box.widget, getattr(draft, name))
        finally:
            for box in self.boxes.values():
                box.widget.blockSignals(False)
        self._update_dependents()

    def read_into(self, draft: EnterpriseDraft) -> None:
        for name, box in self.boxes.items():
            # a field its neighbours switch off reads empty; a whole tab disabled (a read-only form) does not
            value = widget_value(box.widget) if box.widget.isEnabledTo(self) else ""
            setattr(draft, name, value if name != "above_scale" else bool(value))
        draft.size_group = "" if self.derived_group() else self._chosen_group
        draft.county_code = self._county()
