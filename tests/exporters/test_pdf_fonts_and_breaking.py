"""Font resolution order and refusal, and the line-breaking rules."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lvqi_desktop.errors import ExportError
from lvqi_desktop.exporters import pdf_fonts
from lvqi_desktop.exporters.pdf_kinsoku import FORBIDDEN
from lvqi_desktop.exporters.pdf_kinsoku import Measure
from lvqi_desktop.exporters.pdf_kinsoku import break_lines
from lvqi_desktop.exporters.pdf_kinsoku import wrap_cell

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


pytestmark = pytest.mark.usefixtures("fresh_fonts")


def test_found_through_fontconfig_and_cached() -> None:
    font = pdf_fonts.resolve_cjk_font()
    assert font.has("吕") and font.has("（") and not font.has("𠮷")
    assert pdf_fonts.resolve_cjk_font() is font


def test_windows_fonts_come_before_fontconfig(tmp_path, monkeypatch) -> None:
    if not WQY.exists():
        pytest.skip("fonts-wqy-microhei not installed")
    (tmp_path / "Fonts").mkdir()
    (tmp_path / "Fonts" / "msyh.ttc").symlink_to(WQY)
    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert pdf_fonts.resolve_cjk_font().path == str(tmp_path / "Fonts" / "msyh.ttc")


def test_a_user_font_that_cannot_be_embedded_is_skipped_with_a_note(tmp_path) -> None:
    fake = tmp_path / "NotoSansCJK-Regular.otf"
    fake.write_bytes(b"OTTO" + bytes(200))  # CFF outlines: reportlab refuses to embed them
    font = pdf_fonts.resolve_cjk_font(str(fake))
    assert font.path != str(fake)
    assert any("无法嵌入" in note for note in font.notes)


def test_no_font_at_all_is_refused_in_chinese(monkeypatch) -> None:
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.setattr(pdf_fonts, "_fontconfig_candidates", lambda: [])
    with pytest.raises(ExportError) as caught:
        pdf_fonts.resolve_cjk_font("/nowhere/font.ttf")
    message = str(caught.value)
    assert "fonts-wqy-microhei" in message and "宋体" in message and "微软雅黑" in message
    assert "不存在" in message  # the user's setting is named


def test_breaking_never_starts_a_line_with_forbidden_punctuation() -> None:
    measure = Measure(pdf_fonts.resolve_cjk_font().name, 9)
    rng = random.Random(7)
    alphabet = "吕梁企业服务中心贷款资金" + "，。；：”）》、" * 3 + "“（《" + "AB12 "
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(5, 120)))
        lines = break_lines(text, measure, [rng.choice([30.0, 45.0, 80.0])])
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not [line for line in lines[1:] if line[:1] in FORBIDDEN], (text, lines)


def test_wrap_keeps_paragraphs_and_short_text() -> None:
    measure = Measure(pdf_fonts.resolve_cjk_font().name, 9)
    assert wrap_cell("合计", measure, 100) == "合计"
    assert wrap_cell("第一段\n第二段", measure, 100) == "第一段\n第二段"
    assert wrap_cell("订单充足”，但流动资金紧张", measure, 9 * 5).split("\n")[1][0] not in FORBIDDEN


def test_the_foot_never_starts_a_page_alone() -> None:
    from lvqi_desktop.exporters.pdf_pages import BodyRow
    from lvqi_desktop.exporters.pdf_pages import keep_with_foot
    from lvqi_desktop.exporters.pdf_pages import row_height

    rows = [BodyRow([f"{n}", "企业"]) for n in range(30)]
    height = row_height(rows[0].cells, 10)
    room = 30 * height + 50  # header 50 pt, all 30 rows fit, nothing left for a 120 pt foot
    pages = [list(rows)]
    keep_with_foot(pages, 48, room, room, 10, 120, 2)
    assert [len(p) for p in pages] == [28, 2]  # the last two rows go over with the foot
    pages = [list(rows)]
    keep_with_foot(pages, 48, room + 200, room + 200, 10, 120, 2)
    assert [len(p) for p in pages] == [30]  # room enough: nothing moves
    pages = [rows[:29], rows[29:]]  # one row on the last page and no room for the foot there either
    keep_with_foot(pages, 48, room, 48 + height + 60, 10, 120, 2)
    assert [len(p) for p in pages] == [28, 2]
