"""Option values shared by the helper, visit, demand and kpi commands, and how a refused write is reported."""

from __future__ import annotations

import sys
from datetime import date

from lvqi_desktop.errors import Issue, ValidationFailed
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.validation.numbers import parse_date


def report_refusal(refused: ValidationFailed) -> int:
    """Print each blocking issue to stderr; exit code 1."""
    for issue in refused.issues:
        if issue.blocking:
            print(f"错误：{issue.message}", file=sys.stderr)
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
    rows = [r for r in services.enterprises.list_rows(EnterpriseFilter(search=given)) if r.uscc == given.upper()]
    if not rows:
        raise ValidationFailed([Issue("enterprise", f"找不到统一社会信用代码为 {given} 的在册企业")])
    return rows[0].id


def code_of(table: dict[str, str], given: str, what: str) -> str:
    """A coded value typed as its code or its Chinese label."""
    given = given.strip()
    for code, label in table.items():
        if given in (code, label):
            return code
    raise ValidationFailed([Issue(what, f"“{given}”无效，可选：{'、'.join(table.values())}")])
