"""One text rule (validation/text.py): invisible characters are removed on entry and said so; writers never fail."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exporters.table_xlsx import write_table_xlsx
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.validation.text import clean_text
from lvqi_desktop.validation.text import invisible_count
from lvqi_desktop.validation.text import name_key
from tests.conftest import make_uscc

BAD = ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\ud800", "\udfff", "\u200b", "\u200d", "\ufeff",
       "\u202e", "\u202d", "\u2066", "\u2069", "\u200f"]


@pytest.mark.parametrize("char", BAD)
def test_every_invisible_character_is_removed_and_counted(char: str) -> None:
    assert invisible_count(f"吕梁{char}建投") == 1
    assert clean_text(f" 吕梁{char}建投 ") == "吕梁建投"


def test_visible_text_and_line_breaks_are_kept() -> None:
    assert clean_text("吕梁 建投（集团）有限公司·ABC") == "吕梁 建投（集团）有限公司·ABC"
    assert clean_text("第一行\r\n第二行\t末尾  ", multiline=True) == "第一行\n第二行 末尾"
    assert clean_text("第一行\n第二行") == "第一行 第二行"
    assert name_key("吕梁\u200b建投") == name_key("吕梁建投")


def _draft(name: str, seed: int, **kw: str) -> EnterpriseDraft:
    return EnterpriseDraft(uscc=make_uscc(seed=seed), name=name, township_code="141102001", industry_section="C",
                           **kw)


def test_a_saved_name_loses_its_invisible_characters_and_the_user_is_told(services) -> None:
    saved = services.enterprises.save(_draft("吕梁\u202e司公限有\x1b建投", 1, remarks="一\u200b\n二"))
    assert saved.name == "吕梁司公限有建投"
    assert any("看不见的字符" in w and "企业名称" in w for w in saved.warnings)
    assert any("备注" in w for w in saved.warnings)
    row = services.enterprises.list_rows()[0]
    assert row.name == "吕梁司公限有建投"


def test_a_zero_width_character_no_longer_hides_a_duplicate_name(services) -> None:
    services.enterprises.save(_draft("吕梁建投有限公司", 2))
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(_draft("吕梁建投\u200b有限公司", 3))
    assert "同名企业" in str(refused.value)


def test_a_long_address_is_refused_with_its_length_not_cut(services) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.enterprises.save(_draft("吕梁长地址有限公司", 4, address="吕" * 300))
    assert "地址不能超过200个字，现在是300个字" in str(refused.value)
    assert services.enterprises.list_rows() == []


def test_the_table_writer_defends_itself_against_old_dirty_text(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    write_table_xlsx(path, "标题\x1b", ["名称"], [["吕梁\x1b建投\ud800"], ["=1+1\x00"]], set())
    ws = load_workbook(path).active
    assert [ws.cell(r, 1).value for r in (1, 3, 4)] == ["标题", "吕梁建投", "=1+1"]
