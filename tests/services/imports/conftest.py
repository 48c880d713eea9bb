"""Fixtures for the Excel import tests: an import service over the county services of tests/conftest.py, and
the bases and monitoring fixtures for the importers of those ledgers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.validation.assignments import HelperDraft
from tests.cli.conftest import Cli
from tests.conftest import uscc_for
from tests.services.bases.conftest import bases  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import add_firm  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import mon  # noqa: F401 - fixtures
from tests.services.monitoring.conftest import monitored  # noqa: F401 - fixtures
from tests.sheets.county_sheets import fill_template
from tests.sheets.county_sheets import write_rows

TODAY = date(2026, 11, 26)


@pytest.fixture
def importer(services) -> ImportService:
    return services.imports


def dated_importer(services: Services, firms: dict[int, str] | None = None, registered_on: str = "",
                   helpers: Sequence[tuple[str, str]] = (), today: date = TODAY) -> ImportService:
    """An import service judging dates by `today` (a backup before each apply, as the program's), after saving
    `firms` (n → name, USCC uscc_for(n), in 离石区) and the helpers (name, post) the sheets name."""
    for n, name in (firms or {}).items():
        services.enterprises.save(EnterpriseDraft(uscc=uscc_for(n), name=name, county_code="141102",
                                                  registered_on=registered_on))
    for name, post in helpers:
        services.helpers.save_helper(HelperDraft(name=name, post=post))
    return ImportService(services.db, services.office_county, lambda p: services.backups.backup("before-import", p).path,
                         lambda: today, services.office_code)


def cli_with_firm(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> Cli:
    """The CLI on a new 离石区 data folder holding one firm (USCC uscc_for(1), `name`), imported by the CLI."""
    cli = Cli(tmp_path / "data", capsys)
    assert cli("init", "--county", "141102", "--preparer", "张三").code == 0
    firm = write_rows(tmp_path / "e.xlsx", [["统一社会信用代码", "企业名称"], [uscc_for(1), name]])
    assert cli("import-xlsx", str(firm), "--kind", "enterprises").code == 0
    return cli


def template_sheet(importer: ImportService, kind: str, tmp_path: Path, rows: list[dict[str, object]],
                   name: str) -> Path:
    """The import template of `kind` filled with `rows` (cell → value; "n": the firm uscc_for(n), 9 if none)."""
    template = importer.write_template(kind, tmp_path / "模板.xlsx")
    return fill_template(template, [{"统一社会信用代码": uscc_for(r.pop("n", 9)), "企业名称": "x", **r} for r in rows],
                         tmp_path / name)
