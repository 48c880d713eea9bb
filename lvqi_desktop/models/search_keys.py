"""Search keys stored with an enterprise: pinyin initials and full pinyin of its name (also its sort key)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    """pypinyin, loaded when a name is first spelled (its dictionaries cost ~0.2 s: not at start-up), with the
    local place names it reads wrongly by default (polyphones)."""
    import pypinyin

    pypinyin.load_phrases_dict({
        "兴县": [["xīng"], ["xiàn"]],
        "长治": [["cháng"], ["zhì"]],
        "大宁": [["dà"], ["níng"]],
    })
    return pypinyin


def _keep(chars: str) -> list[str]:
    return [chars.lower()]


@lru_cache(maxsize=65536)
def _spelled(name: str) -> tuple[str, str]:
    """(initials, syllables with a space between them): ('lljt', 'lv liang jian tou') for 吕梁建投."""
    pypinyin = _pypinyin()
    initials = "".join(pypinyin.lazy_pinyin(name, style=pypinyin.Style.FIRST_LETTER, errors=_keep))
    syllables = " ".join(pypinyin.lazy_pinyin(name, errors=_keep))
    return initials.lower(), syllables.lower()


def pinyin_keys(name: str) -> tuple[str, str]:
    """('lljt', 'lvliangjiantou') for 吕梁建投; other characters kept in lower case."""
    initials, syllables = _spelled(name)
    return initials, syllables.replace(" ", "")


def sort_spelling(name: str) -> str:
    """The name's pinyin, a space between syllables: sorting by it puts names in pinyin order as a dictionary
    does (安宸 'an chen' before 安诚 'an cheng', which the run-together 'anchen…'/'ancheng…' would not)."""
    return _spelled(name)[1]


def search_key(name: str, uscc: str, former_names: str = "",
               name_parts: Sequence[str] | None = None) -> tuple[str, str, str]:
    """(initials, sort spelling, combined lower-case key searched with LIKE).

    `name_parts`, pieces that join to `name` (e.g. place + 字号 + industry + 有限公司), lets bulk callers
    reuse the cached pinyin of each piece instead of converting every whole name.
    """
    pieces = name_parts if name_parts is not None and "".join(name_parts) == name else [name]
    spelled = [_spelled(piece) for piece in pieces]
    initials, spelling = "".join(s[0] for s in spelled), " ".join(s[1] for s in spelled if s[1])
    parts = [name.lower(), initials, spelling.replace(" ", ""), uscc.lower()]
    if former_names:
        former_initials, former_full = pinyin_keys(former_names)
        parts += [former_names.lower(), former_initials, former_full]
    return initials, spelling, "|".join(parts)


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


def search_terms(text: str) -> list[str]:
    """The words of a search, in lower case; a record must contain every one."""
    return [t for t in text.lower().split() if t]


def keys_matching(keys: Sequence[str], text: str) -> list[bool]:
    """Which stored search keys contain every word of `text` in one of its typed spellings.

    The register's search over rows it already holds (no query per keystroke); storage runs the same rule as
    SQL LIKE (repositories/enterprises.py `_key_matches`), and a test holds the two to the same answers.
    """
    hits: list[bool] | None = None
    for term in search_terms(text):
        spellings = typed_spellings(term)
        if len(spellings) == 1:
            spelling = spellings[0]
            found = [spelling in key for key in keys]
        else:
            found = [any(s in key for s in spellings) for key in keys]
        hits = found if hits is None else [a and b for a, b in zip(hits, found, strict=True)]
    return [True] * len(keys) if hits is None else hits


def narrows(earlier: str, later: str) -> bool:
    """Whether every key matching `later` also matches `earlier`, so a search typed on can look only among the
    earlier hits: `later` continues `earlier` (typed further, or a word added), with no "u:" spelling that
    could turn an earlier u into v."""
    return bool(search_terms(earlier)) and later.lower().startswith(earlier.lower()) and ":" not in later
