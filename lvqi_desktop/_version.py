"""The program's version, read from its one source: pyproject.toml's [project] version."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "lvqi-desktop"
UNKNOWN = "0+unknown"


def program_version() -> str:
    """pyproject.toml beside a source checkout, else the installed (or frozen) package's metadata."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DISTRIBUTION:
            return str(project["version"])
    except (OSError, ValueError, KeyError):
        pass
    try:
        return metadata.version(DISTRIBUTION)  # the frozen program ships it (installer/lvqi_desktop.spec)
    except metadata.PackageNotFoundError:
        return UNKNOWN
