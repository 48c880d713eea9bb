"""The Excel renderer read back with openpyxl: values, types, merges, print set-up, and no formulas."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_xlsx import write_returns_xlsx
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.returns.pool_summary import POOL_SUMMARY
from tests.exporters.conftest import FIRMS
from tests.exporters.conftest import sample_document


@pytest.fixture
def sheet(tmp_path):
    path = write_returns_xlsx([sample_document()], tmp_path / "r.xlsx")
    workbook = openpyxl.load_workbook(path)
    yield workbook["测试企业名录"]
    workbook.close()


def test_identity_block_title_info_and_two_header_rows(sheet) -> None:
    merged = {str(r) for r in sheet.merged_cells.ranges}
    at = next(c.column for c in sheet[1] if c.value)
    first_group = sheet.col_breaks.brk[0].id
    assert 3 < at <= first_group  # at the right of the first page across
    assert [sheet.cell(r, at).value for r in range(1, 5)] == ["表　　号：", "制定机关：", "批准（备案）文号：", "有效期至："]
    # 序号 and 企业名称 (A:B) repeat on the next group's page: the title starts after them, or a cut-off piece of
    # it would print there
    assert sheet["C5"].value == "测试企业名录" and f"C5:{get_column_letter(first_group)}5" in merged
    assert sheet["A5"].value is None and sheet["B5"].value is None
    assert sheet["A6"].value == "填报单位：吕梁市离石区中小企业服务中心"
    assert [c.value for c in sheet[6] if c.value][1:] == ["期别：2026年第四季度"]  # units differ: no 计量单位
    assert [c.value for c in sheet[7]] == ["序号", "企业名称", "统一社会信用代码", "最近年度", None, "占比（%）",
                                          "成立日期", "联系电话", "备注"]
    assert sheet["D8"].value == "营业收入（万元）" and sheet["E8"].value == "从业人员（人）"
    assert {"D7:E7", "A7:A8", "B7:B8", "I7:I8"} <= merged


def test_values_and_types(sheet) -> None:
    first = sheet[9]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[1].value == "吕梁市鑫源煤焦有限公司" and first[1].data_type == "s"
    assert first[2].data_type == "s" and first[2].number_format == "@"  # USCC stays text
    assert first[3].value == pytest.approx(1234.56) and first[3].data_type == "n"
    assert first[3].number_format == "#,##0.00"
    assert first[4].value == 10 and first[4].number_format == "#,##0"
    assert first[5].value == pytest.approx(0.125) and first[5].number_format == "0.0%"
    assert first[6].value == datetime(2015, 3, 1) and first[6].number_format == "yyyy-mm-dd"
    assert first[7].value == "0358-8221234" and first[7].data_type == "s"


def test_no_user_text_becomes_a_formula(sheet) -> None:
    names = [sheet.cell(row=r, column=2) for r in range(9, 15)]
    assert [c.value for c in names] == FIRMS
    assert all(c.data_type == "s" for c in names)
    assert all(c.quotePrefix for c in names)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_totals_line_and_foot_with_seal_room(sheet) -> None:
    total = sheet[15]
    assert total[1].value == "合计" and total[0].value is None
    assert total[3].value == pytest.approx(sum(1234.56 + n for n in range(6)))
    assert total[4].value == sum(10 + n for n in range(6))
    texts = [c.value for row in sheet.iter_rows(min_row=16) for c in row if c.value]
    assert "注：本表为测试数据。" not in texts  # two notes: numbered
    assert "注1：营业收入为最近年度数据。" in texts and "注2：本表为测试数据。" in texts
    seal = next(c for row in sheet.iter_rows(min_row=16) for c in row if c.value == "填报单位（盖章）：")
    assert sheet.row_dimensions[seal.row].height >= 4 / 2.54 * 72  # at least 4 cm for the seal
    sign = next(c.value for c in sheet[seal.row + 1] if c.value)
    assert sign == "　　".join(["单位负责人：　　　　", "统计负责人：李四", "填表人：张三", "联系电话：　　　　",
                               "报出日期：2026年11月26日"])
    assert any(t.startswith("数据截至 2026-11-26 09:30") for t in texts)
    assert any(t.startswith("校验说明：校验码按本表打印的全部数值算出") for t in texts)


def test_print_setup(sheet) -> None:
    assert sheet.freeze_panes == "C9"
    assert sheet.auto_filter.ref == "A8:I14"
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # too wide for A4 landscape at 8 pt: printed at 80 % (10 pt → 8 pt) in column groups, 序号 and name repeated
    assert sheet.page_setup.scale == 80 and not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_cols == "$A:$B" and len(sheet.col_breaks.brk) == 1
    assert sheet.column_dimensions["B"].width >= 28
    assert sheet.row_dimensions[8].height >= 2 * 13.5  # "营业收入（万元）" wraps in its column


def test_a_grouped_return_repeats_the_columns_that_name_a_line_on_every_printed_group(tmp_path) -> None:
    tiers = ["科技和创新型中小企业", "省级专精特新中小企业", "省级专精特新“小巨人”企业", "国家级专精特新“小巨人”企业"]
    lines = [ReturnLine(("专精特新梯度培育库", tier, 10, 3, 4, 1, 0, 5, 11, 220.0)) for tier in tiers]
    document = replace(sample_document(), definition=POOL_SUMMARY, lines=tuple(lines), totals=None, footnotes=())
    workbook = openpyxl.load_workbook(write_returns_xlsx([document], tmp_path / "pools.xlsx"))
    sheet = workbook.active
    # 年度目标 … 完成率 print on a page of their own: 培育库 and 层级 come with them, or "5, 11" names no tier
    assert sheet.col_breaks.brk and sheet.print_title_cols == "$A:$B"
    assert sheet.freeze_panes.startswith("C")
    workbook.close()


def test_a_narrow_return_prints_portrait_fitted_at_8_pt_or_more(tmp_path) -> None:
    narrow = ReturnDefinition("narrow", "入企服务情况测试表", "测试", (
        Column("basis", "统计口径", "text", 12), Column("item", "项目", "text", 14),
        Column("visits", "服务次数（次）", "count", 12, total=True), Column("firms", "服务企业数（家）", "count", 12)),
        numbered=False, group_column="basis")
    lines = [ReturnLine(("按服务方式", way, n, n)) for n, way in enumerate(("走访", "座谈", "电话"), start=1)]
    doc = replace(sample_document(), definition=narrow, lines=tuple(lines), totals=None, footnotes=())
    book = openpyxl.load_workbook(write_returns_xlsx([doc], tmp_path / "n.xlsx"))
    ws = book.worksheets[0]
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and not ws.col_breaks.brk
    assert [c.value for c in ws[8]] == ["甲", "乙", "1", "2"]  # the 栏次 row under the header
    assert "A9:A11" in {str(r) for r in ws.merged_cells.ranges}  # the group label merged over its rows
    assert [ws.cell(r, 1).value for r in (9, 10, 11)] == ["按服务方式", None, None]


def test_one_sheet_per_return_with_unique_names(tmp_path) -> None:
    path = write_returns_xlsx([sample_document(), sample_document(2)], tmp_path / "two.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["测试企业名录", "测试企业名录(2)"]
    workbook.close()


def test_cancel_raises(tmp_path) -> None:
    progress = SilentProgress()
    progress.cancel_event.set()
    with pytest.raises(Cancelled):
        write_returns_xlsx([sample_document()], tmp_path / "c.xlsx", progress)
    assert not (tmp_path / "c.xlsx").exists()


def test_a_column_group_break_never_cuts_a_header_group() -> None:
    from lvqi_desktop.exporters.return_xlsx_print import plan

    widths = [6, 28] + [14] * 12  # too wide for A4 landscape at 8 pt
    free = plan(widths, 2)
    assert free.scale == 80 and free.column_breaks
    cut = free.column_breaks[0]
    kept = plan(widths, 2, [(cut - 2, cut + 1)])  # a header group over the columns around the free break
    assert kept.column_breaks[0] == cut - 2  # the break moves before the group
