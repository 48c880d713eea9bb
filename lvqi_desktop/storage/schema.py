"""Version facts about the database file: the minimum program version that can open the head schema."""

from __future__ import annotations

# Raise this in the same commit as a migration that an older program could not work with.
MIN_PROGRAM_VERSION = "0.1.0"
MIN_VERSION_KEY = "min_program_version"


def version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)
