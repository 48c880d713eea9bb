"""Search keys stored with an enterprise: pinyin initials and full pinyin of its name."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# Local place names pypinyin reads wrongly by default (polyphones).
load_phrases_dict({
    "兴县": [["xīng"], ["xiàn"]],
    "长治": [["cháng"], ["zhì"]],
    "大宁": [["dà"], ["níng"]],
})


def _keep(chars: str) -> list[str]:
    return [chars.lower()]


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """('lljt', 'lvliangjiantou') for 吕梁建投; other characters kept in lower case."""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors=_keep))
    full = "".join(lazy_pinyin(name, errors=_keep))
    return initials.lower(), full.lower()


def _joined_keys(parts: Sequence[str]) -> tuple[str, str]:
    """pinyin_keys of a name built from pieces, each piece looked up (and cached) on its own."""
    keys = [pinyin_keys(part) for part in parts]
    return "".join(k[0] for k in keys), "".join(k[1] for k in keys)


def search_key(name: str, uscc: str, former_names: str = "",
               name_parts: Sequence[str] | None = None) -> tuple[str, str, str]:
    """(initials, full pinyin, combined lower-case key searched with LIKE).

    `name_parts`, pieces that join to `name` (e.g. place + 字号 + industry + 有限公司), lets bulk callers
    reuse the cached pinyin of each piece instead of converting every whole name.
    """
    if name_parts is not None and "".join(name_parts) == name:
        initials, full = _joined_keys(name_parts)
    else:
        initials, full = pinyin_keys(name)
    parts = [name.lower(), initials, full, uscc.lower()]
    if former_names:
        former_initials, former_full = pinyin_keys(former_names)
        parts += [former_names.lower(), former_initials, former_full]
    return initials, full, "|".join(parts)


_MAX_AMBIGUOUS = 4  # syllables read both ways; 2**4 spellings at most


def typed_spellings(term: str) -> list[str]:
    """The stored spellings a typed search term may mean: ü is stored as v (吕 lv), and typed as ü, v or u.

    'lüliang' and 'lvliang' → ['lvliang']; 'luliang' → ['luliang', 'lvliang'] (鲁梁 or 吕梁).
    """
    text = term.lower().replace("ü", "v").replace("u:", "v")
    pieces = [""]
    for i, ch in enumerate(text):
        ambiguous = ch == "u" and i > 0 and text[i - 1] in "ln" and len(pieces) < 2 ** _MAX_AMBIGUOUS
        pieces = [p + c for p in pieces for c in (("u", "v") if ambiguous else (ch,))]
    return pieces
