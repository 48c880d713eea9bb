"""Reading .xls (Excel 97–2003, as many counties still save): same rows, header and dry run as the .xlsx.

The .xls files are committed under tests/sheets/fixtures/xls/, converted once by LibreOffice from the sheets built
here (`python -m tests.sheets.test_sheet_reader_xls` builds them again). Without a fixture the test converts in
a temporary folder, and skips only if LibreOffice is missing too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from lvqi_desktop.models.import_kinds import ENTERPRISES
from lvqi_desktop.services.imports.rows import ERROR
from lvqi_desktop.services.imports.rows import NEW
from lvqi_desktop.sheets.column_mapping import choose_layout
from lvqi_desktop.sheets.reader import SheetRefused
from lvqi_desktop.sheets.reader import read_workbook
from tests.sheets.county_sheets import merged_title_sheet
from tests.sheets.county_sheets import wps_sheet
from tests.sheets.county_sheets import write_rows

FIXTURES = Path(__file__).parent / "fixtures" / "xls"
TEXT_USCC = "911411021234567831"  # all digits, stored as text: must stay 18 characters


def ids_sheet(path: Path) -> Path:
    """An ID typed as text and one Excel turned into a number, formulas, a real date, a hidden list sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(["统一社会信用代码", "企业名称", "成立日期", "年度", "营业收入（万元）", "从业人员（人）", "联系电话"])
    ws.append([TEXT_USCC, "吕梁市己有限公司", date(2020, 2, 29), 2024, 100.5, "=10+2", "03588221234"])
    ws.append([911411021234567831, "吕梁市庚有限公司", "2021.1.5", 2024, "=E2*2", 7, 13912345678])
    ws["A2"].number_format = "@"
    ws["C2"].number_format = "yyyy-mm-dd"
    hidden = wb.create_sheet("代码表")
    hidden.append(["离石区", "141102"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def offset_sheet(path: Path) -> Path:
    """A sheet whose table starts at C4, below a title in C2 (columns A–B and row 1 empty)."""
    wb = Workbook()
    ws = wb.active
    ws["C2"] = "企业名单"
    for col, value in enumerate(["企业名称", "统一社会信用代码", "年度"], start=3):
        ws.cell(row=4, column=col, value=value)
    for col, value in enumerate(["吕梁市辛有限公司", TEXT_USCC, 2024], start=3):
        ws.cell(row=5, column=col, value=value)
    wb.save(path)
    return path


def empty_sheet(path: Path) -> Path:
    Workbook().save(path)
    return path


BUILDERS = {"ledger": merged_title_sheet, "wps": wps_sheet, "ids": ids_sheet, "offset": offset_sheet,
            "empty": empty_sheet}


def convert_to_xls(sources: list[Path], out_dir: Path) -> None:
    """One LibreOffice run (about 5 s) converting every source; a private profile so runs never collide."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xls",
                        "--outdir", str(out_dir), *map(str, sources)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def build_fixtures(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = [build(Path(tmp) / f"{name}.xlsx") for name, build in BUILDERS.items()]
        convert_to_xls(sources, out_dir)


@pytest.fixture(scope="module")
def xls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if all((FIXTURES / f"{name}.xls").exists() for name in BUILDERS):
        return FIXTURES
    if shutil.which("soffice") is None:
        pytest.skip("no committed .xls fixtures and no LibreOffice (soffice) to convert them")
    out = tmp_path_factory.mktemp("xls")
    build_fixtures(out)
    return out


@pytest.fixture
def importer(services):
    return services.imports


def xlsx_twin(name: str, tmp_path: Path) -> Path:
    return BUILDERS[name](tmp_path / f"{name}.xlsx")


@pytest.mark.parametrize("name", ["ledger", "wps", "offset"])
def test_xls_reads_the_same_values_as_the_xlsx(xls_dir: Path, tmp_path: Path, name: str) -> None:
    xls = read_workbook(xls_dir / f"{name}.xls").sheets[0]
    xlsx = read_workbook(xlsx_twin(name, tmp_path)).sheets[0]
    assert xls.rows == xlsx.rows  # 56 (xls) == 56.0 (xlsx): the cleaning layer treats both as numbers


def test_header_below_a_merged_title_and_units_row_in_xls(xls_dir: Path) -> None:
    layout = choose_layout(read_workbook(xls_dir / "ledger.xls"), ENTERPRISES)
    assert layout is not None
    assert (layout.header_row, layout.units_row, layout.first_data_row) == (3, 4, 5)
    by_header = {c.header: c for c in layout.columns}
    assert by_header["单位名称"].field == "name" and by_header["社会信用代码"].field == "uscc"
    revenue = by_header["2024年营业收入"]
    assert (revenue.field, revenue.year, revenue.unit) == ("revenue", 2024, "元")


def test_table_away_from_a1_keeps_its_cell_positions(xls_dir: Path, tmp_path: Path) -> None:
    for path in (xls_dir / "offset.xls", xlsx_twin("offset", tmp_path)):
        rows = read_workbook(path).sheets[0].rows
        assert rows[1][2] == "企业名单"  # C2
        assert rows[3][2:5] == ("企业名称", "统一社会信用代码", "年度")  # C4:E4
        assert rows[4][3] == TEXT_USCC
        layout = choose_layout(read_workbook(path), ENTERPRISES)
        assert layout is not None and layout.header_row == 4
        assert [c.letter for c in layout.columns if c.field] == ["C", "D", "E"]


@pytest.mark.parametrize("name", ["ledger", "wps"])
def test_dry_run_of_the_xls_matches_the_xlsx(xls_dir: Path, tmp_path: Path, importer, name: str) -> None:
    xls = importer.dry_run(xls_dir / f"{name}.xls", "enterprises")
    xlsx = importer.dry_run(xlsx_twin(name, tmp_path), "enterprises")
    assert xls.summary_text() == xlsx.summary_text()
    assert [(r.row, r.status, r.errors, r.notes) for r in xls.rows] == \
           [(r.row, r.status, r.errors, r.notes) for r in xlsx.rows]
    assert xls.summary[NEW] >= 2


def test_ids_stored_as_text_formulas_and_dates_in_xls(xls_dir: Path) -> None:
    book = read_workbook(xls_dir / "ids.xls")
    rows = book.sheets[0].rows
    assert rows[1][0] == TEXT_USCC  # text stays text: all 18 digits
    assert isinstance(rows[2][0], float)  # the number Excel made of it: digits lost
    assert rows[1][2] == date(2020, 2, 29)
    assert rows[1][5] == 12 and rows[2][4] == 201  # cached formula results
    assert rows[1][6] == "03588221234"
    assert [(s.name, s.hidden) for s in book.sheets] == [("企业", False), ("代码表", True)]


def test_dry_run_of_ids_xls_refuses_only_the_mangled_code(xls_dir: Path, importer) -> None:
    plan = importer.dry_run(xls_dir / "ids.xls", "enterprises")
    by_row = {r.row: r for r in plan.rows}
    assert by_row[2].status == NEW and by_row[2].uscc == TEXT_USCC
    assert by_row[3].status == ERROR
    assert by_row[3].errors[0][0] == "A3" and "后几位数字已经丢失" in by_row[3].errors[0][1]


def _with_filepass(xls: bytes) -> bytes:
    """The .xls with its WRITEACCESS record replaced by FILEPASS (RC4), as Excel writes for an opening password."""
    data = bytearray(xls)
    at = data.find(b"\x5c\x00\x70\x00")  # WRITEACCESS, 112 bytes, right after the workbook's BOF
    assert at > 0
    record = b"\x2f\x00\x36\x00" + b"\x01\x00\x01\x00\x01\x00" + b"\x11" * 48  # FILEPASS, 54 bytes
    filler = b"\xef\x00" + (112 - len(record)).to_bytes(2, "little") + b"\x00" * (112 - len(record))
    data[at:at + 116] = record + filler
    return bytes(data)


def test_password_protected_xls(xls_dir: Path, tmp_path: Path, importer) -> None:
    path = tmp_path / "加密.xls"
    path.write_bytes(_with_filepass((xls_dir / "ledger.xls").read_bytes()))
    with pytest.raises(SheetRefused, match="设置了打开密码.*取消“用密码进行加密”"):
        read_workbook(path)
    with pytest.raises(SheetRefused, match="设置了打开密码"):
        importer.dry_run(path, "enterprises")


def test_password_protected_xlsx_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"  # what Excel writes: an OLE container with EncryptionInfo and EncryptedPackage
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
                     + b"\x00" * 2000)
    with pytest.raises(SheetRefused, match="设置了打开密码（已加密）"):
        read_workbook(path)


def test_damaged_xls(xls_dir: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "半截.xls"
    truncated.write_bytes((xls_dir / "ledger.xls").read_bytes()[:3000])
    junk = tmp_path / "乱码.xls"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00junk" * 200)
    for path in (truncated, junk):
        with pytest.raises(SheetRefused, match="已损坏或不完整.*另存为 .xlsx 后再导入"):
            read_workbook(path)


def test_empty_xls(xls_dir: Path) -> None:
    with pytest.raises(SheetRefused, match="没有任何数据"):
        read_workbook(xls_dir / "empty.xls")


def test_renamed_files_are_read_by_their_content(xls_dir: Path, tmp_path: Path) -> None:
    xls_named_xlsx = tmp_path / "台账.xlsx"
    shutil.copy(xls_dir / "ledger.xls", xls_named_xlsx)
    xlsx_named_xls = tmp_path / "名单.xls"
    shutil.copy(merged_title_sheet(tmp_path / "src.xlsx"), xlsx_named_xls)
    for path in (xls_named_xlsx, xlsx_named_xls):
        layout = choose_layout(read_workbook(path), ENTERPRISES)
        assert layout is not None and layout.header_row == 3


def test_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.xls"
    path.write_text("<html><body><table><tr><td>企业名称</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(SheetRefused, match="网页（HTML/XML）格式.*另存为"):
        read_workbook(path)


def test_only_formulas_without_a_saved_result_are_reported(tmp_path: Path) -> None:
    """C2 was saved with its result (as Excel/WPS do), C3 by a program without one: only C3 is reported."""
    source = write_rows(tmp_path / "src.xlsx", [["企业名称", "信用代码", "营业收入"], ["甲", "x", "=1+1"],
                                                ["乙", "y", "=2+2"]])
    path = tmp_path / "公式.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
            out.writestr(item, data)
    sheet = read_workbook(path).sheets[0]
    assert set(sheet.formula_without_value) == {(3, 3)}
    assert sheet.rows[1][2] == 2


def test_numbers_booleans_and_texts_keep_their_kind(tmp_path: Path) -> None:
    """Equal-looking cells of one column (1, 1.0, TRUE, "1") stay what they were for the cleaning layer."""
    path = write_rows(tmp_path / "x.xlsx", [["是否规上"], [1.0], [True], [1], ["1"], [1.0], [False]])
    column = [r[0] for r in read_workbook(path).sheets[0].rows[1:]]
    assert [type(v).__name__ for v in column] == ["float", "bool", "float", "str", "float", "bool"]
    assert column == [1.0, True, 1.0, "1", 1.0, False]


if __name__ == "__main__":  # python -m tests.sheets.test_sheet_reader_xls: rebuild the committed fixtures
    build_fixtures(FIXTURES)
    print("\n".join(f"{p.name}: {p.stat().st_size:,} bytes" for p in sorted(FIXTURES.glob("*.xls"))), file=sys.stderr)
