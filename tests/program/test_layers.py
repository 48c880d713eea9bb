"""Services reach storage only through the unit of work's repositories: no `.session` and no Session in services/."""

from __future__ import annotations

import ast
from pathlib import Path

import lvqi_desktop

PACKAGE = Path(lvqi_desktop.__file__).parent


def session_uses(path: Path, root: Path) -> list[str]:
    """file:line of each `.session` attribute, `Session` name and sqlalchemy import in one module."""
    where = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "session":
            found.append(f"{where}:{node.lineno}: .session")
        elif isinstance(node, ast.Name) and node.id == "Session":
            found.append(f"{where}:{node.lineno}: Session")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found.append(f"{where}:{node.lineno}: from {node.module} import")
        elif isinstance(node, ast.Import) and any(a.name.startswith("sqlalchemy") for a in node.names):
            found.append(f"{where}:{node.lineno}: import sqlalchemy")
    return found


def test_services_never_touch_a_session() -> None:
    modules = sorted((PACKAGE / "services").rglob("*.py"))
    assert len(modules) > 50  # the scan reads the real package
    found = [use for path in modules for use in session_uses(path, PACKAGE.parent)]
    assert not found, ("a service reaches storage only through the unit of work's repositories "
                       "(uow.enterprises, uow.package_records, uow.period_locks, …; storage/unit_of_work.py):\n"
                       + "\n".join(found))


def test_the_scan_names_file_and_line(tmp_path: Path) -> None:
    probe = tmp_path / "services" / "probe.py"
    probe.parent.mkdir()
    probe.write_text("from sqlalchemy.orm import Session\n\n\ndef f(uow):\n    return uow.session.add(1)\n",
                     encoding="utf-8")
    assert session_uses(probe, tmp_path) == ["services/probe.py:1: from sqlalchemy.orm import",
                                             "services/probe.py:5: .session"]
