"""The 交办单 (hand-over sheet) a demand prints as: the data only; the PDF writer consumes this dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

TITLE = "企业诉求交办单"
SIGNATURE_LINES = ("交办单位（盖章）", "交办人", "责任单位签收人", "签收日期")
FEEDBACK_NOTE = "请责任单位在办理时限内办理，并将办理结果书面反馈交办单位；无法解决的，请说明原因并向企业做好解释。"


@dataclass(frozen=True)
class HandoverSheet:
    """Everything printed on one hand-over sheet, as display text and dates."""

    title: str
    issuing_office: str
    number: str
    enterprise_name: str
    uscc: str
    enterprise_contact: str  # person and phone
    helper: str  # 包联领导, if any
    category: str
    source: str
    urgency: str
    received_on: date
    description: str
    suggestion: str
    responsible_unit: str
    co_units: tuple[str, ...]
    unit_contact: str
    assigned_on: date | None
    due_on: date | None
    issued_on: date
    note: str = FEEDBACK_NOTE
    signature_lines: tuple[str, ...] = SIGNATURE_LINES
