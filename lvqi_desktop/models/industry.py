"""GB/T 4754-2017 国民经济行业分类: which 门类 (section) each 大类 (division, first two digits of a class) is in."""

from __future__ import annotations

# section → (first division, last division); the 97 divisions 01–97 follow each other without gaps
SECTION_DIVISIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52), "G": (53, 60),
    "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79),
    "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}


def section_of_class(industry_class: str) -> str | None:
    """The section letter of a class code like 3311 (by its division 33), or None when no such division."""
    if len(industry_class) < 2 or not industry_class[:2].isdigit():
        return None
    division = int(industry_class[:2])
    return next((s for s, (first, last) in SECTION_DIVISIONS.items() if first <= division <= last), None)
