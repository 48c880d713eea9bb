"""tests/ mirrors lvqi_desktop/ (docs/architecture.md, "Where tests live"): every test file lies in the folder of a
package, of a feature the docs name, or of one of the two cross-cutting folders; every tests/ path the docs cite exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
CROSS_CUTTING = {"faults", "program"}  # fault injection; the whole program (smoke, resources, installer, docs)
CITED = re.compile(r"tests/[\w./]*\w")


def _architecture() -> str:
    return (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _feature_folders() -> set[str]:
    """The tests/services/<feature> and tests/ui/<feature> folders named in the "Where things live" table."""
    table = [line for line in _architecture().splitlines() if line.startswith("| ")]
    return {m for line in table for m in re.findall(r"`tests/((?:services|ui)/\w+)`", line)}


def _allowed(folder: str, features: set[str]) -> bool:
    if folder in CROSS_CUTTING or folder in features:
        return True
    if folder in ("", "services", "ui"):  # a feature of its own, never loose beside the feature folders
        return False
    return (ROOT / "lvqi_desktop" / folder / "__init__.py").is_file()


def test_every_test_file_lies_in_a_mirrored_or_named_folder() -> None:
    features = _feature_folders()
    misplaced = sorted(str(path.relative_to(ROOT)) for path in TESTS.rglob("test_*.py")
                       if not _allowed(path.parent.relative_to(TESTS).as_posix(), features))
    assert misplaced == [], ("move each file to the tests/ folder of the module it is about "
                             "(docs/architecture.md, Where tests live)")


def test_the_feature_folders_the_table_names_exist_and_hold_tests() -> None:
    features = _feature_folders()
    assert {"services/returns", "services/bases", "ui/pools", "ui/window"} <= features
    assert [f for f in sorted(features) if not any((TESTS / f).glob("test_*.py"))] == []


def test_every_tests_path_the_docs_cite_exists() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    cited = {(doc.name, path) for doc in docs for path in CITED.findall(doc.read_text(encoding="utf-8"))}
    assert sorted((doc, path) for doc, path in cited if not (ROOT / path).exists()) == []
