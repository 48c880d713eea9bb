"""Every 统一社会信用代码 shown as an example (placeholders, README, docs, help) passes its own check."""

from __future__ import annotations

import re
from pathlib import Path

from lvqi_desktop.validation.uscc import check_uscc

ROOT = Path(__file__).resolve().parents[2]
# 18 characters from the code's alphabet with a Shanxi (14xxxx) region: what a clerk would copy from an example
_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NP-RT-UW-Y]{2}14\d{4}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Z])")


def _shown_files() -> list[Path]:
    files = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "lvqi_desktop").rglob("*.py")]
    return [*files, *(ROOT / "lvqi_desktop").rglob("*.html")]


def test_every_example_code_has_a_right_check_character() -> None:
    found = {}
    for path in _shown_files():
        for code in _CODE.findall(path.read_text(encoding="utf-8")):
            found[code] = path.relative_to(ROOT)
    assert "91141102MA0K123458" in found  # the enterprise form's placeholder
    wrong = {code: str(where) for code, where in found.items() if any(i.blocking for i in check_uscc(code))}
    assert wrong == {}
