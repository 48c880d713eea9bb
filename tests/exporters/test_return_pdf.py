"""The PDF renderer checked with poppler: text round trip, page footers, embedded subset font, line breaking."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.exporters.pdf_fonts import resolve_cjk_font
from lvqi_desktop.exporters.return_model import TOTAL
from lvqi_desktop.exporters.return_model import ReturnLine
from lvqi_desktop.exporters.return_model import summed_line
from lvqi_desktop.exporters.return_pdf import info_widths
from lvqi_desktop.exporters.return_pdf import missing_glyph_lines
from lvqi_desktop.exporters.return_pdf import write_return_pdf
from lvqi_desktop.progress import SilentProgress
from tests.conftest import uscc_for
from tests.exporters.conftest import FORBIDDEN_STARTS
from tests.exporters.conftest import LONG_REMARK
from tests.exporters.conftest import REMARK
from tests.exporters.conftest import needs_poppler
from tests.exporters.conftest import sample_document

pytestmark = needs_poppler


def text_of(path, layout: bool = False) -> str:
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pages_of(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture(scope="module")
def font():
    return resolve_cjk_font()


def test_chinese_text_round_trips(tmp_path, font) -> None:
    path = tmp_path / "r.pdf"
    write_return_pdf(sample_document(), path, font)
    text = re.sub(r"\s+", "", text_of(path))
    for expected in ["测试企业名录", "填报单位：吕梁市离石区中小企业服务中心", "期别：2026年第四季度",
                     "报出日期：2026年11月26日", "序号", "企业名称", "统一社会信用代码", "营业收入", "（万元）",
                     "最近年度", "吕梁市鑫源煤焦有限公司", "山西晋商“小巨人”科技股份有限公司",
                     '=HYPERLINK("http://x","y")', "+8613800000000", uscc_for(1), "1,234.56", "12.5%",
                     "2015-03-01", "合计", "7,422.36", "填报单位（盖章）", "填表人：张三", "统计负责人：李四",
                     "单位负责人：", "联系电话：", "表号：", "制定机关：", "批准（备案）文号：", "有效期至：",
                     "注1：营业收入为最近年度数据。", "第1页共1页"]:
        assert expected in text, expected


def test_fonts_are_embedded_subsets_only(tmp_path, font) -> None:
    path = tmp_path / "r.pdf"
    write_return_pdf(sample_document(), path, font)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
        assert re.match(r"[A-Z]{6}\+", name), line
        assert (emb, sub) == ("yes", "yes"), line
    assert not any("Helvetica" in line or "STSong" in line for line in lines)


def test_every_page_says_page_x_of_y_and_repeats_the_header(tmp_path, font) -> None:
    path = tmp_path / "long.pdf"
    write_return_pdf(sample_document(rows=120, remarks="无"), path, font)
    total = pages_of(path)
    assert total >= 3
    pages = text_of(path).split("\f")
    for n in range(1, total + 1):
        page = re.sub(r"\s+", "", pages[n - 1])
        assert f"第{n}页共{total}页" in page
        if "吕梁测试" in page:
            assert "统一社会信用代码" in page


def test_an_unfinished_period_stays_on_the_line_of_the_reporting_unit(tmp_path, font) -> None:
    path = tmp_path / "open.pdf"
    label = "2026年度（期别未结束，数据截至 2026-12-06）"
    write_return_pdf(replace(sample_document(), period_label=label), path, font)
    lines = [re.sub(r"\s+", "", line) for line in text_of(path, layout=True).splitlines()]
    info = [line for line in lines if "期别：" in line]
    assert info == [f"填报单位：吕梁市离石区中小企业服务中心期别：{label.replace(' ', '')}"]  # no 计量单位 here


def test_the_period_is_centred_unless_the_unit_name_needs_the_room() -> None:
    assert info_widths([200, 300, 60], 780) == [239.5, 301, 239.5]
    assert info_widths([100, 50, 60], 780) == [292.5, 195.0, 292.5]  # a short period keeps a quarter of the line
    left, middle, right = info_widths([500, 301, 60], 780)
    assert middle >= 302 and right >= 61 and left + middle + right == 780 and left > right
    assert info_widths([100, 900, 60], 780)[1] == 390  # a period longer than half the line wraps there


def test_long_remarks_wrap_without_a_line_starting_with_punctuation(tmp_path, font) -> None:
    path = tmp_path / "remarks.pdf"
    write_return_pdf(sample_document(rows=4, remarks=LONG_REMARK), path, font)
    text = text_of(path)
    assert "企业反映" in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bad = [line for line in lines if line[0] in FORBIDDEN_STARTS]
    assert not bad, bad[:5]
    assert pages_of(path) >= 4  # four 2,000-character remarks cannot share a page


def test_a_row_taller_than_a_page_splits(tmp_path, font) -> None:
    doc = sample_document(rows=1)
    tall = ReturnLine(("吕梁超长备注有限公司", uscc_for(9), None, None, None, date(2020, 1, 1), "",
                       "\n".join([REMARK] * 40) + "\n" + LONG_REMARK * 3), record="超长")
    path = tmp_path / "tall.pdf"
    write_return_pdf(replace(doc, lines=(doc.lines[0], tall)), path, font)
    assert pages_of(path) >= 3
    text = re.sub(r"\s+", "", text_of(path))
    assert "吕梁超长备注有限公司" in text and "（续）" in text


def test_missing_characters_print_a_placeholder_and_are_reported(tmp_path, font) -> None:
    doc = sample_document(rows=2)
    rare = ReturnLine(("吕梁𠮷祥有限公司", uscc_for(7), None, None, None, None, "", ""), record="吕梁𠮷祥有限公司")
    path = tmp_path / "rare.pdf"
    report = write_return_pdf(replace(doc, lines=(*doc.lines, rare)), path, font)
    assert report.records == {"吕梁𠮷祥有限公司": {"𠮷"}}
    assert "吕梁□祥有限公司" in text_of(path)
    message = missing_glyph_lines([("测试企业名录", report)])[0]
    assert "吕梁𠮷祥有限公司（𠮷）" in message and "□" in message


def test_empty_return_says_so_and_why_instead_of_a_total_of_zeros(tmp_path, font) -> None:
    path = tmp_path / "empty.pdf"
    doc = sample_document()
    write_return_pdf(replace(doc, lines=(), totals=summed_line(doc.definition, [], "合计", TOTAL)), path, font)
    text = re.sub(r"\s+", "", text_of(path))
    assert "本期无（2026年第四季度没有符合本表口径的记录）" in text and "合计" not in text
    write_return_pdf(replace(doc, lines=(), totals=None, empty_reason="本县本季度无新入库企业"), path, font)
    assert "本期无（本县本季度无新入库企业）" in re.sub(r"\s+", "", text_of(path))


def test_cancel_stops_the_pdf(tmp_path, font) -> None:
    progress = SilentProgress()
    progress.cancel_event.set()
    with pytest.raises(Cancelled):
        write_return_pdf(sample_document(), tmp_path / "c.pdf", font, progress)
