"""Spreadsheets that lie about their size: read within 2 GB and 60 s, or refused with a message; stray far cells
are left out with a note. Each file is built here, cell XML written directly as a hostile program would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.sheets.reader import read_workbook

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
         'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>')
_TAIL = "</sheetData></worksheet>"
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def build(path: Path, rows, tail: str = "") -> Path:
    """An .xlsx whose one sheet holds the given <row> elements (streamed, so a big sheet costs no memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _PARTS.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_HEAD.encode())
            for row in rows:
                fh.write(row.encode())
            fh.write((_TAIL + tail).encode())
    return path


def ledger_rows(count: int, far: str = ""):
    yield f'<row r="1">{_text("A1", "企业名称")}{_text("B1", "统一社会信用代码")}{far}</row>'
    for r in range(2, count + 2):
        yield f'<row r="{r}">{_text(f"A{r}", f"企业{r}")}<c r="B{r}"><v>{r}</v></c></row>'


def read_bounded(path: Path) -> subprocess.CompletedProcess[str]:
    """read_workbook in a child process limited to 2 GB of address space (an abort must not take pytest along)."""
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from lvqi_desktop.sheets.reader import SheetRefused, read_workbook
        try:
            book = read_workbook({str(path)!r})
        except SheetRefused as exc:
            print("REFUSED", exc)
        else:
            sheet = book.sheets[0]
            print("READ", len(sheet.rows), max(len(r) for r in sheet.rows), "|".join(book.notes))
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])


def test_values_in_a1_and_the_far_corner_read_the_table_and_say_the_corner_was_left_out(tmp_path: Path) -> None:
    path = build(tmp_path / "corner.xlsx", iter([f'<row r="1">{_text("A1", "企业名称")}</row>',
                                                 f'<row r="1048576">{_text("XFD1048576", "备注")}</row>']))
    assert path.stat().st_size < 5000
    done = read_bounded(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("READ 1 1 ")
    assert "XFD1048576" in done.stdout and "已忽略" in done.stdout


def test_a_stray_note_in_xfd1_no_longer_makes_an_8000_row_import_slow(tmp_path: Path) -> None:
    path = build(tmp_path / "note.xlsx", ledger_rows(8000, far=_text("XFD1", "制表人：张三")))
    started = time.perf_counter()
    book = read_workbook(path)
    assert time.perf_counter() - started < 5
    rows = book.sheets[0].rows
    assert (len(rows), max(len(r) for r in rows)) == (8001, 2)
    assert rows[8000][:1] == ("企业8001",)
    assert book.notes and "XFD1" in book.notes[0] and "1个零散单元格" in book.notes[0]


def test_a_million_rows_are_refused_quickly_with_how_to_split_them(tmp_path: Path) -> None:
    path = build(tmp_path / "million.xlsx", ledger_rows(1_048_574))
    started = time.perf_counter()
    with pytest.raises(SheetRefused, match="超过200,000行.*拆成几个文件"):
        read_workbook(path)
    assert time.perf_counter() - started < 10  # it stops reading just past the 200,000th row


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    padding = "<!--" + " " * (1 << 20) + "-->"
    path = build(tmp_path / "bomb.xlsx", ledger_rows(10), tail=padding * 600)
    assert path.stat().st_size < 5 << 20
    done = read_bounded(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED") and "解压后有" in done.stdout and "恶意构造" in done.stdout


def test_cells_without_positions_are_placed_like_excel_places_them(tmp_path: Path) -> None:
    rows = iter(['<row><c t="inlineStr"><is><t>名称</t></is></c><c><v>1</v></c></row>', "<row><c><v>2</v></c></row>"])
    book = read_workbook(build(tmp_path / "implicit.xlsx", rows))
    assert book.sheets[0].rows == [("名称", 1.0), (2.0, "")] and not book.notes


def test_prefixed_tags_are_counted_tag_by_tag_and_their_stray_cell_left_out(tmp_path: Path) -> None:
    rows = (f'<x:row r="{r}"><x:c r="A{r}"><x:v>{r}</x:v></x:c></x:row>' for r in range(1, 51))
    path = build(tmp_path / "prefixed.xlsx", rows)
    text = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    text = text.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=").replace("</worksheet>", "</x:worksheet>")
    text = text.replace("<sheetData>", "<x:sheetData>").replace("</sheetData>", "</x:sheetData>")
    text = text.replace("<dimension ", "<x:dimension ").replace("</x:sheetData>",
                                                                '<x:row r="900000"><x:c r="ZZ900000"><x:v>9</x:v>'
                                                                "</x:c></x:row></x:sheetData>")
    with zipfile.ZipFile(path, "w") as zf:
        for name, part in _PARTS.items():
            zf.writestr(name, part)
        zf.writestr("xl/worksheets/sheet1.xml", text)
    book = read_workbook(path)
    assert len(book.sheets[0].rows) == 50 and max(len(r) for r in book.sheets[0].rows) == 1
    assert "ZZ900000" in book.notes[0]


def test_an_escaped_control_character_and_a_far_note_are_cleaned_reported_and_the_report_still_writes(
        services, tmp_path: Path) -> None:
    from lvqi_desktop.exporters.import_template import write_report
    from tests.sheets.county_sheets import USCC

    head = "".join(_text(f"{c}1", t) for c, t in zip("ABC", ["统一社会信用代码", "企业名称", "联系人"], strict=True))
    row = (_text("A2", USCC[0]) + _text("B2", "吕梁市_x001B_甲\u200b机械有限公司") + _text("C2", "张\u202e三"))
    path = build(tmp_path / "dirty.xlsx", iter([f'<row r="1">{head}{_text("XFA1", "制表：李四")}</row>',
                                               f'<row r="2">{row}</row>']))
    importer = services.imports
    layout = importer.open_sheet(path, "enterprises")
    assert any("XFA1" in note and "已忽略" in note for note in layout.notes)
    plan = importer.dry_run(path, "enterprises")
    notes = [what for _, what in plan.rows[0].notes]
    assert sum("看不见的字符" in n for n in notes) == 2
    write_report(plan, tmp_path / "报告.xlsx")
    importer.apply(path, "enterprises")
    stored = services.enterprises.list_rows()[0]
    assert stored.name == "吕梁市甲机械有限公司"
