"""Search keys stored with an enterprise: pinyin initials and full pinyin of its name."""

from __future__ import annotations

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


def search_key(name: str, uscc: str, former_names: str = "") -> tuple[str, str, str]:
    """(initials, full pinyin, combined lower-case key searched with LIKE)."""
    initials, full = pinyin_keys(name)
    parts = [name.lower(), initials, full, uscc.lower()]
    if former_names:
        former_initials, former_full = pinyin_keys(former_names)
        parts += [former_names.lower(), former_initials, former_full]
    return initials, full, "|".join(parts)
