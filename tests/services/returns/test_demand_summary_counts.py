"""诉求办理情况统计表: a category (or unit) with a single demand shows counts (1, 0), never 是/否 — seen in a
county's 2026Q3 return and the package that carried it."""

from __future__ import annotations

from datetime import date

import openpyxl


def _row(ws, label: str) -> list[object]:
    for row in ws.iter_rows(values_only=True):
        if label in row:
            return list(row)
    raise AssertionError(label)


def test_lone_category_shows_counts_not_yes_no(office, tmp_path) -> None:
    firm = office.enterprise("吕梁单件诉求有限公司")
    office.demand(firm, date(2026, 10, 8), "tech_talent")
    office.demand(firm, date(2026, 10, 9))
    office.demand(firm, date(2026, 10, 10))
    result = office.returns.export(["demand_summary"], "2026Q4", ["xlsx"], tmp_path)
    ws = openpyxl.load_workbook(result.paths[0]).worksheets[0]
    tech = _row(ws, "科技/人才")
    figures = tech[tech.index("科技/人才") + 1:][:6]
    assert figures == [1, 0, 0, 0, 0, 0]
    assert "是" not in tech and "否" not in tech
    finance = _row(ws, "融资")
    assert finance[finance.index("融资") + 1] == 2
