"""Option values shared by the helper, visit, demand and kpi commands, and how a refused write is reported."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.validation.numbers import parse_date


def report_refusal(refused: ValidationFailed, existing_hint: str = "") -> int:
    """Print each blocking issue to stderr (and the record a duplicate names); exit code 1. Every command's
    refused write is reported here, in the same words."""
    for issue in refused.issues:
        if issue.blocking:
            print(f"错误：{issue.message}", file=sys.stderr)
    if refused.existing_id is not None:
        print(f"（已有记录编号 {refused.existing_id}{existing_hint}）", file=sys.stderr)
    print("未保存，数据库没有改动。", file=sys.stderr)
    return 1


def day(text: str | None, label: str) -> date | None:
    """A date option such as 2026-11-26; ValidationFailed when it is not a date."""
    issues: list[Issue] = []
    value = parse_date(text or "", label, label, issues)
    if issues:
        raise ValidationFailed(issues)
    return value


def enterprise_id(services: Services, given: str) -> int:
    """An enterprise from its id or its USCC."""
    given = given.strip()
    if given.isdigit() and len(given) < 18:
        return int(given)
    return services.enterprises.id_by_uscc(given)


def code_of(options: Mapping[str, str] | Iterable[tuple[str, str]], given: str, field: str, what: str = "", *,
            blank: bool = False, unknown_passes: bool = False) -> str:
    """A coded value typed as its code or its Chinese label: every command's one parser. `blank`: an empty
    value means "any" (""); `unknown_passes`: anything else goes on for the service's own rule to refuse."""
    pairs = list(options.items()) if isinstance(options, Mapping) else list(options)
    given = given.strip()
    if blank and not given:
        return ""
    for code, label in pairs:
        if given in (code, label):
            return code
    if unknown_passes:
        return given
    raise ValidationFailed([Issue(field, f"{what}“{given}”不在可选范围内，可选：{'、'.join(label for _c, label in pairs)}")])
