"""Fixtures for the exporters: a sample return document with hostile cells, the poppler check, and for the 交办单
the activity services (tests/services/helpers_demands) and the in-process `lvqi` (tests/cli)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from lvqi_desktop.exporters import pdf_fonts
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import Column
from lvqi_desktop.exporters.return_model import HeaderGroup
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnDocument
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import summed_line
from tests.cli.conftest import lvqi  # noqa: F401 - fixture: `lvqi demand sheet --out`
from tests.conftest import uscc_for
from tests.services.helpers_demands.conftest import act  # noqa: F401 - fixtures of the 交办单 tests

TODAY = date(2026, 11, 26)
FORBIDDEN_STARTS = "，。；：”）》、！？"
REMARK = "企业反映：原材料价格上涨（详见附件）。“订单充足”，但流动资金紧张；需协调贷款：500万元，增长18%。"
LONG_REMARK = (REMARK * 60)[:2000]

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdftotext, pdffonts) not installed")


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    """The PDF font search starts afresh and is forgotten afterwards (`pytestmark = pytest.mark.usefixtures(...)`)."""
    pdf_fonts.forget_fonts()
    yield
    pdf_fonts.forget_fonts()


COLUMNS = (
    Column("name", "企业名称", "text", 28),
    Column("uscc", "统一社会信用代码", "text", 20, as_text=True),
    Column("revenue", "营业收入（万元）", "money", 12, total=True),
    Column("employees", "从业人员（人）", "count", 9, total=True),
    Column("share", "占比（%）", "percent", 8),
    Column("registered", "成立日期", "date", 11),
    Column("phone", "联系电话", "text", 13, as_text=True),
    Column("remarks", "备注", "text", 30, wrap=True),
)
SAMPLE = ReturnDefinition("sample", "测试企业名录", "测试用", COLUMNS,
                          header_groups=(HeaderGroup("最近年度", "revenue", "employees"),), totals=True,
                          record_column="name", frozen_columns=1, footnotes=("营业收入为最近年度数据。",))
FIRMS = ["吕梁市鑫源煤焦有限公司", '=HYPERLINK("http://x","y")', "+8613800000000", "@SUM(A1)", "-1+2",
         "山西晋商“小巨人”科技股份有限公司"]


def sample_document(rows: int = 6, remarks: str = REMARK, lines: list[ReturnLine] | None = None) -> ReturnDocument:
    if lines is None:
        lines = [ReturnLine((FIRMS[n % len(FIRMS)] if n < len(FIRMS) else f"吕梁测试{n}号有限公司",
                             uscc_for(n + 1), Decimal("1234.56") + n, 10 + n, 0.125, date(2015, 3, 1),
                             "0358-8221234", remarks), record=f"企业{n}") for n in range(rows)]
    return ReturnDocument(SAMPLE, "吕梁市离石区中小企业服务中心", "2026年第四季度", "张三", "李四", TODAY,
                          tuple(lines), summed_line(SAMPLE, lines, "合计", TOTAL), ("本表为测试数据。",),
                          "数据截至 2026-11-26 09:30，校验码 ABCDEF123456")
