"""Text normalisation: invisible characters removed, full-width to half-width, bracket folding, whitespace."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# What no record text may hold: C0/C1 control characters (tab and line breaks are whitespace, handled below),
# lone surrogates, zero-width characters, the soft hyphen and bidirectional marks/overrides. They are invisible
# in the program, hide duplicates from the name check, turn a name around (U+202E), and make every Excel
# writer fail. The rule is to REMOVE them (they carry no meaning a ledger needs) and to say so: `removed_note`.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３，（）) and the ideographic space become their half-width forms."""
    return text if text.isascii() else text.translate(_HALFWIDTH)


def invisible_count(text: str | None) -> int:
    """How many characters `clean_text` removes from a text (0 for clean text)."""
    return len(_INVISIBLE.findall(text)) if text else 0


def without_invisible(text: str | None) -> str:
    """The text with the invisible characters taken out and nothing else changed."""
    return _INVISIBLE.sub("", text) if text and _INVISIBLE.search(text) else (text or "")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """The one rule for any text stored: invisible characters removed, trimmed; a single line folds all
    whitespace to single spaces, a multi-line text keeps its line breaks (CR LF → LF, tabs → spaces)."""
    text = without_invisible(value)
    if not multiline:
        return _SPACES.sub(" ", text.strip())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in lines).strip()


def removed_note(raw: str | None, label: str) -> str | None:
    """The message telling the user invisible characters were taken out of a field, or None."""
    count = invisible_count(raw)
    if not count:
        return None
    return (f"{label}中有{count}个看不见的字符（控制符、零宽字符或文字方向符），已自动去除；"
            "请核对保存后的内容")


def clean_line(text: str | None) -> str:
    """Trimmed single-line text with runs of whitespace folded to one space (invisible characters removed)."""
    return clean_text(text)


def name_key(name: str) -> str:
    """The form of a name used to detect duplicates: NFKC, brackets folded, no spaces."""
    folded = unicodedata.normalize("NFKC", to_halfwidth(clean_text(name)))
    folded = folded.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    return _SPACES.sub("", folded).lower()
