"""Fixture sheets built in the tests, in the shapes counties send: our template, a merged-title sheet
with synonyms and a units row, a WPS-style sheet with full-width characters and mixed date formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl import load_workbook

from tests.conftest import make_uscc

USCC = [make_uscc(seed=100 + i) for i in range(10)]


def fill_template(template: Path, rows: list[dict[str, object]], out: Path) -> Path:
    """Put rows into our own template under its header (by header text), replacing the example row."""
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    headers = {c.value: c.column for c in ws[1]}
    for c in range(1, len(headers) + 1):
        ws.cell(row=2, column=c).value = None  # the example row
    for i, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=i, column=headers[header]).value = value
    wb.save(out)
    return out


def write_rows(path: Path, rows: list[list[object]], title: str | None = None, merge_to: int = 0) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.append([title])
        if merge_to:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=merge_to)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def merged_title_sheet(path: Path) -> Path:
    """A county's own ledger: merged title, a blank line, synonyms, a units row, year in the header."""
    header = ["序号", "单位名称", "社会信用代码", "县（市、区）", "法人代表", "成立时间", "2024年营业收入", "从业人数",
              "是否规上企业", "纳统时间", "备注"]
    units = ["", "", "", "", "", "", "元", "人", "", "", ""]
    rows = [
        [1, "吕梁市甲机械制造有限公司", USCC[0], "离石区", "张三", date(2015, 3, 18), 5_000_000, 56, "√", "2024.3", ""],
        [2, "吕梁市乙商贸有限公司", USCC[1], "离石", "李四", "2019.6.1", 12_345_600, 12, "×", "", "新注册"],
        ["合计", "", "", "", "", "", 17_345_600, 68, "", "", ""],
    ]
    return write_rows(path, [[""] * 11, header, units, *rows], title="离石区重点企业台账（2024年）", merge_to=11)


def wps_sheet(path: Path) -> Path:
    """Full-width headers and values, stray spaces, mixed date formats, a serial date, 万元 in cells."""
    header = ["企业全称", "统一社会信用代码", "所属县区", "成立日期", "年度", "营业收入（万元）", "从业人员（人）", "联系电话"]
    rows = [
        ["吕梁市丙化工有限公司　", USCC[2].replace("9", "９", 1), "离石区", "2023年5月8日", 2024, "１２３４．５", "３０",
         "１３９１２３４５６７８"],
        [" 吕梁市丁食品有限公司", USCC[3], "离石区", "2023/05/08", "2024年", "800万元", "45人", "0358-8221234"],
        ["吕梁市戊建材有限公司", USCC[4], "离石区", 45054, 2024, 2000, 18, ""],
    ]
    return write_rows(path, [header, *rows])
