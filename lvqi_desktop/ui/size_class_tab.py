"""The 企业规模 tab: the size class the 300号 rules give, and a manual override that needs a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QSizePolicy
from PySide6.QtWidgets import QWidget

from lvqi_desktop.models import codes
from lvqi_desktop.ui.form_fields import ChoiceCombo
from lvqi_desktop.ui.form_fields import FieldBox
from lvqi_desktop.ui.form_fields import changed_signal
from lvqi_desktop.ui.form_fields import form_label
from lvqi_desktop.validation.enterprise import EnterpriseDraft

NOTE = ("依据《中小企业划型标准规定》（工信部联企业〔2011〕300号），按最近一个数据齐全年度的从业人员、"
        "营业收入（部分行业还需资产总额）计算。确需改变划型结果时，可人工指定并写明理由。")


class SizeClassTab(QWidget):
    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.computed_label = QLabel("—")
        self.computed_label.setWordWrap(True)
        self.effective_label = QLabel("—")
        override = ChoiceCombo()
        override.set_choices(codes.SIZE_CLASSES.items(), "（不指定，按计算结果）")
        reason = QLineEdit()
        reason.setPlaceholderText("人工指定时必填，如：集团内部核定、数据口径不同")
        reason.setMaxLength(200)
        self.boxes = {"size_class_override": FieldBox(override), "size_class_override_reason": FieldBox(reason)}
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.computed_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(form_label("按数据计算"), self.computed_label)
        form.addRow(form_label("人工指定"), self.boxes["size_class_override"])
        form.addRow(form_label("指定理由"), self.boxes["size_class_override_reason"])
        form.addRow(form_label("最终采用"), self.effective_label)
        form.addRow("", note)
        for name, box in self.boxes.items():
            changed_signal(box.widget).connect(lambda *_, n=name: self._on_edited(n))
        self._computed: str | None = None
        self._update()

    @property
    def override_combo(self) -> ChoiceCombo:
        widget = self.boxes["size_class_override"].widget
        assert isinstance(widget, ChoiceCombo)
        return widget

    @property
    def reason_edit(self) -> QLineEdit:
        widget = self.boxes["size_class_override_reason"].widget
        assert isinstance(widget, QLineEdit)
        return widget

    def show_computed(self, group: str | None, computed: str | None) -> None:
        """Show the class the rules give and the group it was judged in (or why there is none)."""
        self._computed = computed
        if not group:
            self.computed_label.setText("暂无法判定：请先在“基本信息”中选择行业门类（必要时选择划型行业）")
        elif computed is None:
            self.computed_label.setText(f"暂无法判定：请在“年度数据”中填写从业人员、营业收入等数据"
                                        f"（按“{codes.label(codes.SIZE_GROUPS, group)}”标准）")
        else:
            self.computed_label.setText(f"{codes.label(codes.SIZE_CLASSES, computed)}"
                                        f"（按“{codes.label(codes.SIZE_GROUPS, group)}”标准判定）")
        self._update()

    def _on_edited(self, name: str) -> None:
        self._update()
        self.edited.emit(name)

    def _update(self) -> None:
        override = self.override_combo.code()
        self.reason_edit.setEnabled(bool(override) or bool(self.reason_edit.text()))
        if override:
            self.effective_label.setText(f"{codes.label(codes.SIZE_CLASSES, override)}（人工指定）")
        elif self._computed:
            self.effective_label.setText(f"{codes.label(codes.SIZE_CLASSES, self._computed)}（按数据计算）")
        else:
            self.effective_label.setText("未划型")

    def fill(self, draft: EnterpriseDraft) -> None:
        for box in self.boxes.values():
            box.widget.blockSignals(True)
        self.override_combo.set_code(draft.size_class_override)
        self.reason_edit.setText(draft.size_class_override_reason)
        for box in self.boxes.values():
            box.widget.blockSignals(False)
        self._update()

    def read_into(self, draft: EnterpriseDraft) -> None:
        draft.size_class_override = self.override_combo.code()
        draft.size_class_override_reason = self.reason_edit.text()
