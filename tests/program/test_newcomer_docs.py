"""What a newcomer reads is true: one Debian package list for README and CI, cited docs exist, Windows command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _apt_list() -> list[str]:
    lines = (ROOT / ".ci" / "apt-packages.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def test_readme_and_ci_install_the_same_one_list() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".ci/apt-packages.txt" in run and ".ci/apt-packages.txt" in readme
    named_elsewhere = [p for p in _apt_list() if p in run or re.search(rf"apt-get install[^\n]*\b{p}\b", readme)]
    assert named_elsewhere == []  # no second copy of the list


def test_the_list_covers_what_the_desktop_needs_under_x11() -> None:
    packages = set(_apt_list())
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0", "libegl1",
            "fonts-wqy-microhei"} <= packages


def test_every_cited_doc_exists() -> None:
    texts = [(ROOT / name).read_text(encoding="utf-8") for name in ("pyproject.toml", "README.md")]
    cited = {m for text in texts for m in re.findall(r"docs/[\w./-]+\.md", text)}
    assert "docs/decisions.md" in cited
    assert [c for c in cited if not (ROOT / c).is_file()] == []


def test_the_windows_commands_use_the_py_launcher() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "py -3.12 -m venv .venv && .venv\\Scripts\\pip install -e . && .venv\\Scripts\\lvqi-desktop" in readme
