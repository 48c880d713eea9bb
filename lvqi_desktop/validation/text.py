"""Text normalisation: full-width to half-width, bracket folding, whitespace."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３，（）) and the ideographic space become their half-width forms."""
    return text if text.isascii() else text.translate(_HALFWIDTH)


def clean_line(text: str | None) -> str:
    """Trimmed single-line text with runs of whitespace folded to one space."""
    return _SPACES.sub(" ", (text or "").strip())


def name_key(name: str) -> str:
    """The form of a name used to detect duplicates: NFKC, brackets folded, no spaces."""
    folded = unicodedata.normalize("NFKC", to_halfwidth(name))
    folded = folded.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    return _SPACES.sub("", folded).lower()
