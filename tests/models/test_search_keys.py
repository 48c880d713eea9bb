"""The register's search rule: typing on only narrows what an earlier search found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lvqi_desktop.models.search_keys import keys_matching
from lvqi_desktop.models.search_keys import narrows
from lvqi_desktop.models.search_keys import search_key

NAMES = ["吕梁建投有限公司", "鲁梁商贸有限公司", "离石安宸商贸有限公司", "兴县煤业有限公司", "山西Lvliang国际贸易有限公司",
         "女娲科技有限公司", "南路物流有限公司", "古韵文化传媒有限公司"]
KEYS = [search_key(name, f"91141100MA0{i:05d}X")[2] for i, name in enumerate(NAMES)]
TYPED = st.text(alphabet="lvuünagsj :Ug1", max_size=8)


@given(earlier=TYPED, more=TYPED)
def test_a_search_typed_on_finds_only_what_the_shorter_search_found(earlier: str, more: str) -> None:
    later = earlier + more
    if narrows(earlier, later):
        before = keys_matching(KEYS, earlier)
        after = keys_matching(KEYS, later)
        assert all(b for a, b in zip(after, before, strict=True) if a), (earlier, later)


def test_which_edits_narrow_a_search() -> None:
    assert narrows("ll", "llj") and narrows("lu", "luliang") and narrows("lv", "lv gs")
    assert not narrows("llj", "ll")  # a letter deleted widens the search
    assert not narrows("gu", "gu:")  # "u:" turns the u into v: 'gv' is not found by 'gu'
    assert not narrows("", "l") and not narrows("  ", "l")  # nothing typed before: nothing to narrow
    assert not narrows("ll", "lx")
