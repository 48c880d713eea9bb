"""What every printed return takes from Settings: the 表号 block (per return) and the foot's names and phone."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exporters.return_model import FormIdentity
from lvqi_desktop.exporters.return_model import FormIssuer
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.text import clean_line

SETTING_KEY = "return_form"
MAX_LENGTH = 60
_PHONE = re.compile(r"^[0-9０-９ ()（）+\-—、/转]*$")
LABELS = {"issuer": "制定机关", "approval": "批准（备案）文号", "valid_until": "有效期至", "unit_head": "单位负责人",
          "statistician": "统计负责人", "phone": "联系电话"}


@dataclass(frozen=True)
class ReturnFormSettings(FormIssuer):
    """The office's values for the top-right block and the foot line; `form_numbers` maps a return id to its 表号."""

    unit_head: str = ""
    statistician: str = ""
    phone: str = ""
    form_numbers: Mapping[str, str] = field(default_factory=dict)

    def identity(self, return_id: str) -> FormIdentity:
        return FormIdentity(self.issuer, self.approval, self.valid_until, form_no=self.form_numbers.get(return_id, ""))


def load(uow: UnitOfWork) -> ReturnFormSettings:
    """The stored values; defaults (all empty) when none are stored or the stored text is unreadable."""
    try:
        data = json.loads(uow.office.setting(SETTING_KEY) or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    values = {k: str(data.get(k, "")) for k in LABELS}
    numbers = data.get("form_numbers", {})
    numbers = {str(k): str(v) for k, v in numbers.items()} if isinstance(numbers, dict) else {}
    return ReturnFormSettings(**values, form_numbers=numbers)


def cleaned(settings: ReturnFormSettings, known_ids: set[str]) -> ReturnFormSettings:
    """The settings with whitespace tidied; ValidationFailed naming each field too long or a phone with letters."""
    values = {k: clean_line(getattr(settings, k)) for k in LABELS}
    numbers = {k: clean_line(v) for k, v in settings.form_numbers.items() if k in known_ids and clean_line(v)}
    issues = [Issue(k, f"{LABELS[k]}不能超过{MAX_LENGTH}个字") for k, v in values.items() if len(v) > MAX_LENGTH]
    issues += [Issue(f"form_no:{k}", f"表号“{v[:20]}…”不能超过{MAX_LENGTH}个字")
               for k, v in numbers.items() if len(v) > MAX_LENGTH]
    if not _PHONE.match(values["phone"]):
        issues.append(Issue("phone", "联系电话只能包含数字、空格、括号、“-”和“转”，如 0358-8221234"))
    if issues:
        raise ValidationFailed(issues)
    return ReturnFormSettings(**values, form_numbers=numbers)


def save(uow: UnitOfWork, settings: ReturnFormSettings) -> None:
    data = {k: getattr(settings, k) for k in LABELS} | {"form_numbers": dict(settings.form_numbers)}
    uow.office.set_setting(SETTING_KEY, json.dumps(data, ensure_ascii=False, sort_keys=True))
