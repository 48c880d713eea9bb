"""The register's filter line: county (city edition), township, industry, size, 规上, 资料待补充, 在册/已归档."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QWidget

from lvqi_desktop.models import codes
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.ui.county_filter import is_city_edition
from lvqi_desktop.ui.flow_layout import FlowLayout
from lvqi_desktop.ui.flow_layout import labelled
from lvqi_desktop.ui.form_fields import combo

ALL = "全部"
SIZE_CHOICES = [*codes.SIZE_CLASSES.items(), ("none", "未划型")]
ABOVE_SCALE_CHOICES = [("yes", "是"), ("no", "否")]
COMPLETENESS_CHOICES = [("incomplete", "资料待补充")]


class RegistryFilterBar(QWidget):
    """Drop-downs on one line; `changed` fires on any change, `filter_for(search)` builds the query."""

    changed = Signal()
    archived_toggled = Signal(bool)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.is_city = is_city_edition(services)
        self._office_county = services.office_county() or ""
        layout = FlowLayout(self)  # wraps to a second line on a small screen
        self.county = combo([(c.code, c.label) for c in services.reference.counties()], "全部县区", 6)  # as every page
        self.township = combo([], ALL, 7)
        self.section = combo([(c.code, c.label) for c in services.reference.sections()], ALL, 9)
        self.size = combo(SIZE_CHOICES, ALL, 3)
        self.above_scale = combo(ABOVE_SCALE_CHOICES, ALL, 2)
        self.completeness = combo(COMPLETENESS_CHOICES, ALL, 5)
        pairs = [("县区", self.county)] if self.is_city else []
        pairs += [("乡镇（街道）", self.township), ("行业门类", self.section), ("企业规模", self.size),
                  ("规上", self.above_scale), ("资料", self.completeness)]
        for label, box in pairs:
            layout.addWidget(labelled(label, box))
            box.currentIndexChanged.connect(self._on_combo_changed)
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self.current_button = QPushButton("在册")
        self.archived_button = QPushButton("已归档")
        group = QButtonGroup(self)
        pair = QWidget()  # 在册 · 已归档 stay together when the line wraps
        pair_layout = QHBoxLayout(pair)
        pair_layout.setContentsMargins(0, 0, 0, 0)
        pair_layout.setSpacing(0)
        for button in (self.current_button, self.archived_button):
            button.setCheckable(True)
            group.addButton(button)
            pair_layout.addWidget(button)
        layout.addWidget(pair)
        self.current_button.setChecked(True)
        self.archived_button.toggled.connect(self.archived_toggled.emit)
        self._load_townships()
        self._update_clear()

    def _load_townships(self) -> None:
        county = self.county.code() if self.is_city else self._office_county
        towns = self._services.reference.townships(county) if county else []
        self.township.set_choices([(t.code, t.label) for t in towns], ALL)
        self.township.setEnabled(bool(county))

    def _on_combo_changed(self) -> None:
        if self.sender() is self.county:
            self._load_townships()
        self._update_clear()
        self.changed.emit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.is_filtering())

    def is_filtering(self) -> bool:
        combos = (self.county, self.township, self.section, self.size, self.above_scale, self.completeness)
        return any(c.code() for c in combos)

    @property
    def archived(self) -> bool:
        return self.archived_button.isChecked()

    def set_archived(self, archived: bool) -> None:
        (self.archived_button if archived else self.current_button).setChecked(True)

    def clear(self) -> None:
        for box in (self.county, self.township, self.section, self.size, self.above_scale, self.completeness):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self._load_townships()
        self._update_clear()
        self.changed.emit()

    def filter_for(self, search: str) -> EnterpriseFilter:
        above = self.above_scale.code()
        return EnterpriseFilter(
            search=search.strip(), county_code=self.county.code() if self.is_city else "",
            township_code=self.township.code(), industry_section=self.section.code(),
            size_class=self.size.code(), above_scale=None if not above else above == "yes",
            archived=self.archived, incomplete=self.completeness.code() == "incomplete")
