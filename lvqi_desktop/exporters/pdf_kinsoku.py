"""Chinese line breaking: no line may start with ，。；：”）》 and kin; fast table-cell wrapping; reportlab patched at import."""

from __future__ import annotations

from collections.abc import Sequence

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _paragraph
from reportlab.pdfbase.pdfmetrics import getFont

CANNOT_START = "，。、；：？！”’》〉」』】）…—％,.;:?!)]}%"

# reportlab's own lists lack "，" and "”"; both modules keep a copy (plain text uses textsplit, markup paragraph).
for _module in (_textsplit, _paragraph):
    _module.ALL_CANNOT_START += "".join(ch for ch in CANNOT_START if ch not in _module.ALL_CANNOT_START)  # type: ignore[attr-defined]  # module constants missing from the stubs
FORBIDDEN = frozenset(_paragraph.ALL_CANNOT_START)  # type: ignore[attr-defined]  # (as above)
_original_word_split = _textsplit.wordSplit


class Measure:
    """Character widths of one font at one size, looked up once per character (reportlab's are per call)."""

    def __init__(self, font_name: str, font_size: float) -> None:
        self._font = getFont(font_name)
        self._size = font_size
        self._widths: dict[str, float] = {}

    def char(self, ch: str) -> float:
        width = self._widths.get(ch)
        if width is None:
            width = self._widths[ch] = self._font.stringWidth(ch, self._size)
        return width

    def text(self, text: str) -> float:
        get = self._widths.get
        total = 0.0
        for ch in text:
            width = get(ch)
            total += width if width is not None else self.char(ch)
        return total


def _latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./@")


def _break_at(text: str, start: int, end: int) -> int:
    """Where a line that overflows at `end` should break: never before a forbidden character (the last
    allowed character moves down with the punctuation run), and not inside a Latin word or number when a
    break point lies in the line's second half."""
    i = end
    k = i
    while k < len(text) and text[k] == " ":  # spaces vanish at a break, so look at what follows them
        k += 1
    if k < len(text) and text[k] in FORBIDDEN:
        j = i
        while j > start + 1 and (text[j] in FORBIDDEN or text[j] == " "):
            j -= 1
        if j <= start + 1:  # the line is all punctuation: let the run hang instead
            while k < len(text) and (text[k] in FORBIDDEN or text[k] == " "):
                k += 1
            return k
        i = j
    if _latin(text[i]) and _latin(text[i - 1]):
        j = i - 1
        while j > (start + end) // 2 and _latin(text[j - 1]):
            j -= 1
        if j > (start + end) // 2 and text[j] not in FORBIDDEN:
            return j
    return i


def break_lines(text: str, measure: Measure, rooms: Sequence[float]) -> list[str]:
    """Greedy lines of `text` for widths `rooms` (the last repeats); kinsoku as in _break_at."""
    if measure.text(text) <= rooms[0]:
        return [text]
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n:
        room = rooms[min(len(lines), len(rooms) - 1)]
        used, i = 0.0, start
        while i < n:
            width = measure.char(text[i])
            if i > start and used + width > room + 1e-6:
                break
            used += width
            i += 1
        if i < n:
            i = _break_at(text, start, i)
        lines.append(text[start:i].rstrip(" ") if i < n else text[start:i])
        start = i
        while start < n and text[start] == " " and lines:
            start += 1
    return lines


def wrap_cell(text: str, measure: Measure, width: float) -> str:
    """A table cell's text with line breaks for its column width (plain strings draw far faster than Paragraphs)."""
    return "\n".join(line for part in text.splitlines() or [""] for line in break_lines(part, measure, [width]))


_MEASURES: dict[tuple[str, float], Measure] = {}


def _word_split(word: str, maxWidths: object, fontName: str, fontSize: float,  # noqa: N803 - reportlab's names
                encoding: str = "utf8") -> list[list[object]]:
    """Paragraph's single-fragment CJK path: reportlab's split, redone when a line would start badly."""
    lines = _original_word_split(word, maxWidths, fontName, fontSize, encoding)
    if not any(isinstance(text, str) and text[:1] in FORBIDDEN for _space, text in lines[1:]):
        return lines
    rooms = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
    measure = _MEASURES.setdefault((fontName, fontSize), Measure(fontName, fontSize))
    broken = break_lines(word, measure, rooms)  # type: ignore[arg-type]
    return [[rooms[min(n, len(rooms) - 1)] - measure.text(t), t] for n, t in enumerate(broken)]  # type: ignore[operator]


_paragraph.wordSplit = _word_split  # type: ignore[attr-defined]  # missing from the stubs
