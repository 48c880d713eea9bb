"""A bounded fuzz of text fields (issue 19): through the service a form calls, the CLI and the Excel import,
any text ends either stored (clean) or refused with a message, never in a traceback; everything stored
then exports to xlsx and PDF."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exporters.table_xlsx import write_table_xlsx
from lvqi_desktop.models.import_kinds import ENTERPRISES
from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.validation.import_cleaning import clean_cell
from lvqi_desktop.validation.text import invisible_count
from tests.cli.conftest import cli  # noqa: F401 - fixtures: the CLI run in-process
from tests.cli.conftest import county_cli  # noqa: F401 - fixtures: the CLI run in-process
from tests.conftest import make_uscc

HOSTILE = ["\x00", "\x1b", "\x0b", "\x7f", "\ud800", "\udc80", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066",
           "\r\n", "\t", "\u3000", "（", "=", "+", "@", "_x001B_", "吕", "梁", "有限公司", " ", "\n"]
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.characters(), st.characters(categories=["Cs", "Cf", "Cc"])),
                max_size=40).map("".join)
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SEEDS = itertools.count(1000)


def _draft(name: str, address: str, remarks: str, contact: str) -> EnterpriseDraft:
    return EnterpriseDraft(uscc=make_uscc(seed=next(SEEDS)), name=name, address=address, remarks=remarks,
                           contact_person=contact, township_code="141102001", industry_section="C",
                           above_scale=True, above_scale_since="2024-03")


def _stored_texts_are_clean_and_export(services, tmp_path) -> None:
    rows = services.enterprises.list_rows()
    drafts = [services.enterprises.draft(r.id) for r in rows]
    texts = [[d.name, d.address, d.remarks, d.contact_person] for d in drafts]
    assert not any(invisible_count(t) for row in texts for t in row)
    write_table_xlsx(tmp_path / "all.xlsx", "全部", ["名称", "地址", "备注", "联系人"], texts, set())
    back = [[c or "" for c in row] for row in load_workbook(tmp_path / "all.xlsx").active.iter_rows(
        min_row=3, values_only=True)]
    assert [r[0] for r in back] == [t[0] for t in texts]
    (tmp_path / "returns").mkdir(exist_ok=True)
    result = services.returns.export(["above_scale_register"], "2025", ["xlsx", "pdf"], tmp_path / "returns")
    assert result.paths


def test_the_form_service_stores_clean_text_or_refuses(services, tmp_path) -> None:
    @FUZZ
    @given(TEXT, TEXT, TEXT, TEXT)
    def save(name: str, address: str, remarks: str, contact: str) -> None:
        try:
            services.enterprises.save(_draft("吕梁" + name, address, remarks, contact))
        except ValidationFailed as refused:
            assert refused.issues and all(i.message for i in refused.issues)

    save()
    assert services.enterprises.list_rows()
    _stored_texts_are_clean_and_export(services, tmp_path)


def test_the_cli_answers_any_text_with_a_result_or_a_message(county_cli, tmp_path) -> None:  # noqa: F811
    @FUZZ
    @given(TEXT, TEXT)
    def add(name: str, address: str) -> None:
        ran = county_cli("enterprise", "add", "--uscc", make_uscc(seed=next(SEEDS)), "--name", "吕梁" + name,
                         "--address", address)
        assert ran.code in (0, 1, 2), ran.err
        assert "Traceback" not in ran.err
        assert ran.code == 0 or ran.err.strip()

    add()


@FUZZ
@given(st.one_of(TEXT, st.floats(allow_nan=True), st.integers(), st.booleans()))
def test_every_import_cell_is_cleaned_or_refused_never_raises(value: object) -> None:
    for f in ENTERPRISES.fields:
        cell = clean_cell(value, f)
        assert not invisible_count(cell.text)


def test_an_imported_sheet_of_hostile_names_stores_clean_text_that_exports(services, tmp_path) -> None:
    import random

    from lvqi_desktop.exporters.import_template import write_report
    from tests.sheets.test_sheet_size import _text
    from tests.sheets.test_sheet_size import build

    rng = random.Random(19)
    pieces = [*HOSTILE, "甲", "乙", "丙", "科技", "&", "<", ">", '"']

    def cell(ref: str, text: str) -> str:  # XML-escaped, and what XML cannot hold as Excel's _xHHHH_ escape
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return _text(ref, "".join(ch if ch.isprintable() or ch in "\t\n" else f"_x{ord(ch):04X}_" for ch in text))

    rows = ['<row r="1">' + _text("A1", "统一社会信用代码") + _text("B1", "企业名称") + _text("C1", "地址") + "</row>"]
    for r in range(2, 152):
        name = "吕梁" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) + f"第{r}厂"  # each name once
        address = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        rows.append(f'<row r="{r}">' + _text(f"A{r}", make_uscc(seed=5000 + r)) + cell(f"B{r}", name)
                    + cell(f"C{r}", address) + "</row>")
    path = build(tmp_path / "hostile.xlsx", iter(rows))
    importer = services.imports
    plan = importer.dry_run(path, "enterprises")
    write_report(plan, tmp_path / "report.xlsx")
    refused = [r for r in plan.rows if r.errors]
    assert not refused, [(r.row, r.errors) for r in refused[:3]]
    importer.apply(path, "enterprises")
    assert len(services.enterprises.list_rows()) == 150
    _stored_texts_are_clean_and_export(services, tmp_path)
