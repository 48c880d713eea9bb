"""Computed monitoring figures for a month: totals, year-on-year (same firms), growth share, answer counts."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring import growth
from lvqi_desktop.services.monitoring_rows import expected_in
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.validation.monitoring_form import FormField


@dataclass(frozen=True)
class IndicatorTotal:
    """One numeric field: the month's total over reporting firms, and year-on-year over the same firms."""

    field: FormField
    total: int  # 分 for money
    firms: int  # firms that reported the figure
    matched_current: int  # the firms that also reported last year's same month
    matched_last_year: int
    matched_firms: int
    grew: int  # matched firms whose figure grew

    @property
    def yoy(self) -> float | None:
        return growth(self.matched_current, self.matched_last_year) if self.matched_firms else None

    @property
    def grew_share(self) -> float | None:
        return self.grew / self.matched_firms if self.matched_firms else None


@dataclass(frozen=True)
class AnswerCount:
    field: FormField
    option: str
    count: int
    answered: int  # reports that answered the question (for multi: every report received)

    @property
    def share(self) -> float | None:
        return self.count / self.answered if self.answered else None


@dataclass(frozen=True)
class MonthSummary:
    period: str
    expected: int
    received: int
    indicators: tuple[IndicatorTotal, ...]
    answers: tuple[AnswerCount, ...]


def month_summary(service: MonitoringService, period: str) -> MonthSummary:
    code = service.month(period).code
    last_year = shift_month(code, -12)
    with service._db.unit_of_work() as uow:
        repo = uow.monitoring
        firms = {f.enterprise_id for f in repo.sample_rows(service._county())
                 if expected_in(f.monitored_from, f.monitored_to, code)}
        current = {r.enterprise_id: json.loads(r.values) for r in repo.report_rows([code]) if r.enterprise_id in firms}
        before = {r.enterprise_id: json.loads(r.values) for r in repo.report_rows([last_year])
                  if r.enterprise_id in current}
    indicators = []
    for f in service.form.numeric_fields:
        if not f.yoy:
            continue
        total = firms_with = m_cur = m_old = matched = grew = 0
        for eid, values in current.items():
            value = values.get(f.key)
            if value is None:
                continue
            total += value
            firms_with += 1
            old = before.get(eid, {}).get(f.key)
            if old is not None:
                m_cur += value
                m_old += old
                matched += 1
                grew += value > old
        indicators.append(IndicatorTotal(f, total, firms_with, m_cur, m_old, matched, grew))
    answers: list[AnswerCount] = []
    for f in service.form.question_fields:
        counts: Counter[str] = Counter()
        answered = 0
        for values in current.values():
            value = values.get(f.key)
            if f.kind == "multi":
                answered += 1
                counts.update(value or [])
            elif value is not None:
                answered += 1
                counts[value] += 1
        answers.extend(AnswerCount(f, option, counts[option], answered) for option in f.choices)
    return MonthSummary(code, len(firms), len(current), tuple(indicators), tuple(answers))
