"""The text an xlsx cell may hold: every writer passes its texts through `cell_text` and so never fails on one."""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_UNWRITABLE = re.compile("[\ud800-\udfff]")  # lone surrogates cannot be encoded as UTF-8 at all


def cell_text(text: str) -> str:
    """The text without what the file format forbids (C0 controls, lone surrogates); normally returned as is.

    Stored text is cleaned on entry (validation/text.py); this is the writer's own defence for anything older."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return _UNWRITABLE.sub("", text) if _UNWRITABLE.search(text) else text
