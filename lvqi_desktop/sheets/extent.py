"""How big an .xlsx really is, found by scanning its sheet XML before anything loads it; far stray cells cropped.

python-calamine builds a dense grid from the first to the last used cell, so memory follows the furthest
cell, not the file size: values in A1 and XFD1048576 (a 1.6 KB file) ask for 512 GB and abort the process.
The sheets' XML is therefore read here first, in 1 MB pieces with a byte pattern (no tree), to find the used
area. A few cells far beyond the body of a sheet (a note typed in XFD1, a stray mark below the data) are
left out with a note; a sheet whose body itself is too large, or a part that unpacks too big (a zip bomb),
is refused with a message. The `<dimension>` a file declares is never trusted (it can lie).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from operator import itemgetter
from pathlib import Path
from pathlib import PurePosixPath
from typing import IO

from lxml import etree

MAX_FILE_BYTES = 300 << 20  # the file as stored
MAX_PART_BYTES = 512 << 20  # any one part unpacked: a 200,000-row, 30-column sheet is ~250 MB of XML
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELLS = 6_000_000  # the dense grid calamine builds, for all sheets together (~1 GB at the most)
STRAY_CELLS = 100  # at most this many cells beyond a gap count as stray, not as part of the table
ROW_GAP = 1000  # empty rows between the table and stray cells below it
COLUMN_GAP = 20  # empty columns between the table and stray cells right of it

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,3})(\d{0,7})["']""")
# The fast count: Excel, WPS and openpyxl write every cell as <c r="A1" …>, so the regex engine can find them by
# their literal start; a sheet written otherwise (prefixed tags, r not first, no r) is counted tag by tag.
_FILLED = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"(?:[^>]*[^/>])?>')
_EMPTY = re.compile(rb'<c r="[A-Z]{1,3}\d{1,7}"[^>]*/>')  # formatting only: calamine leaves it out
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c\s*>")
_CHUNK = 1 << 20


class TooLarge(Exception):
    """The file or one of its sheets is beyond what can be read; the message says what to do."""


@dataclass
class Extent:
    """A sheet's body: rows 1..rows and columns 1..columns hold every cell except the stray ones."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    has_stray: bool = False


@dataclass
class Cropped:
    """The file to hand to calamine (the original, or a copy without stray cells) and notes for the user."""

    path: Path
    notes: list[str] = field(default_factory=list)
    temp_dir: Path | None = None

    def discard(self) -> None:
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def sheet_members(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every sheet the workbook lists, in order."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        return []
    wb = etree.fromstring(_read_small(zf, "xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = etree.fromstring(_read_small(zf, rels_name)) if rels_name in names else None
    targets = {r.get("Id"): r.get("Target") or "" for r in rels} if rels is not None else {}
    out = []
    for sheet in wb.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        if target and member in names:
            out.append((sheet.get("name", ""), member))
    return out


def _read_small(zf: zipfile.ZipFile, member: str) -> bytes:
    if zf.getinfo(member).file_size > 16 << 20:
        raise TooLarge("工作簿目录部分异常庞大（可能是恶意构造的文件）")
    return zf.read(member)


def _pieces(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """A sheet's XML in about 1 MB pieces, each ending after a whole tag."""
    carry = b""
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            buf = carry + chunk
            cut = buf.rfind(b"<")
            if cut >= 0 and buf.find(b">", cut) < 0:
                buf, carry = buf[:cut], buf[cut:]
            else:
                carry = b""
            yield buf
    if carry:
        yield carry


def _tags(zf: zipfile.ZipFile, member: str) -> Iterator[tuple[bytes, bytes, bool]]:
    """(tag name, attributes, self-closing) of every <row> and <c> of a sheet, streamed."""
    for buf in _pieces(zf, member):
        for m in _TAG.finditer(buf):
            attrs = m.group(2)
            yield m.group(1), attrs, attrs.endswith(b"/")


def _positions(tags: Iterator[tuple[bytes, bytes, bool]]) -> Iterator[tuple[int, int, bool]]:
    """(row, column, has content) of every cell; positions without an r attribute follow the one before."""
    row = col = 0
    for name, attrs, closed in tags:
        ref = _REF.search(attrs)
        if name == b"row":
            row = int(ref.group(2)) if ref and ref.group(2) else row + 1
            col = 0
            continue
        if ref and ref.group(1):
            col = column_number(ref.group(1))
            row = int(ref.group(2)) if ref.group(2) else row
        else:
            col += 1
        yield row, col, not closed


def _counts_fast(zf: zipfile.ZipFile, member: str, sheet_name: str) -> tuple[Counter[int], Counter[int]] | None:
    """Filled cells per row and per column, counted by the regex engine (every cell has its r="A1", as Excel,
    WPS and openpyxl write them); None when some cell has no position (then `_counts_exact` is used)."""
    per_row: Counter[int] = Counter()
    per_column: Counter[int] = Counter()
    far: Counter[str] = Counter()
    for buf in _pieces(zf, member):
        filled = _FILLED.findall(buf)
        tags = buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b"<c/>")
        if b":c " in buf or b":c>" in buf or (tags != len(filled) and tags != len(filled) + len(_EMPTY.findall(buf))):
            return None
        rows = {int(row): n for row, n in Counter(map(itemgetter(1), filled)).items()}
        columns = {column_number(col): n for col, n in Counter(map(itemgetter(0), filled)).items()}
        per_row.update(rows)
        per_column.update(columns)
        far.update(rows=sum(n for row, n in rows.items() if row > MAX_ROWS),
                   columns=sum(n for col, n in columns.items() if col > MAX_COLUMNS), cells=len(filled))
        _refuse_early(far, sheet_name)
    return per_row, per_column


def _counts_exact(zf: zipfile.ZipFile, member: str, sheet_name: str) -> tuple[Counter[int], Counter[int]]:
    """The same counts, following cells that have no r attribute (they sit right of the one before)."""
    per_row: Counter[int] = Counter()
    per_column: Counter[int] = Counter()
    far: Counter[str] = Counter()
    for row, col, filled in _positions(_tags(zf, member)):
        if filled:  # formatting only: calamine leaves it out too
            per_row[row] += 1
            per_column[col] += 1
            far.update(rows=row > MAX_ROWS, columns=col > MAX_COLUMNS, cells=1)
            _refuse_early(far, sheet_name)
    return per_row, per_column


def _refuse_early(far: Counter[str], sheet_name: str) -> None:
    """TooLarge as soon as it is clear that even without stray cells the sheet is beyond reading."""
    if far["rows"] > STRAY_CELLS:
        raise TooLarge(f"工作表“{sheet_name}”超过{MAX_ROWS:,}行，无法一次导入。请把它拆成几个文件，每个不超过{MAX_ROWS:,}行")
    if far["columns"] > STRAY_CELLS:
        raise TooLarge(f"工作表“{sheet_name}”超过{MAX_COLUMNS}列，不像是台账。请删去多余的列后另存再导入")
    if far["cells"] > MAX_CELLS + STRAY_CELLS:
        raise TooLarge(f"工作表“{sheet_name}”的单元格超过{MAX_CELLS:,}个，无法一次导入。请把它拆成几个文件")


def measure(zf: zipfile.ZipFile, member: str, sheet_name: str) -> Extent:
    """The body of one sheet; TooLarge as soon as it is clear the sheet cannot be read."""
    counts = _counts_fast(zf, member, sheet_name) or _counts_exact(zf, member, sheet_name)
    per_row, per_column = counts
    if not per_column:
        return Extent()
    blocks: list[list[int]] = []  # [last row, cells] of runs of rows split where ROW_GAP empty rows lie between
    for row in sorted(per_row):
        if blocks and row <= blocks[-1][0] + ROW_GAP:
            blocks[-1][0] = row
            blocks[-1][1] += per_row[row]
        else:
            blocks.append([row, per_row[row]])
    rows = _body_end([(b[0], b[1]) for b in blocks], 0)
    columns = _body_end(sorted(per_column.items()), COLUMN_GAP)
    body = sum(count for col, count in per_column.items() if col <= columns)
    return Extent(rows, columns, body, has_stray=rows < blocks[-1][0] or columns < max(per_column))


def _body_end(used: list[tuple[int, int]], gap: int) -> int:
    """The last row (or column) of the body: (position, cells) pairs sorted; trailing groups beyond a gap of
    `gap` empty positions that hold STRAY_CELLS cells or fewer in all are stray."""
    end, stray = used[-1][0], 0
    for i in range(len(used) - 1, 0, -1):
        stray += used[i][1]
        if stray > STRAY_CELLS:
            break
        if used[i][0] - used[i - 1][0] > gap:
            end = used[i - 1][0]
    return end


def check_parts(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a file too big to read, or one whose parts unpack beyond any real workbook (a zip bomb)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TooLarge(f"文件有{path.stat().st_size / 2**20:,.0f} MB，超过可导入的{MAX_FILE_BYTES >> 20} MB。"
                       "请把表格拆成几个文件，或删去图片等无关内容后再导入")
    for info in zf.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(f"文件中的“{info.filename}”解压后有{info.file_size / 2**20:,.0f} MB，远超正常表格"
                           "（可能是被恶意构造的压缩文件）。请在Excel/WPS中打开后另存为新文件，或拆分后再导入")


def crop(path: Path, zf: zipfile.ZipFile) -> Cropped:
    """The file calamine may read safely: the original, or a copy with far stray cells left out (with notes)."""
    check_parts(path, zf)
    extents: dict[str, tuple[str, Extent]] = {}
    total = 0
    for name, member in sheet_members(zf):
        extent = measure(zf, member, name)
        total += extent.rows * extent.columns
        if extent.rows > MAX_ROWS:
            raise TooLarge(f"工作表“{name}”有{extent.rows:,}行，超过{MAX_ROWS:,}行，无法一次导入。请把它拆成几个文件")
        if extent.columns > MAX_COLUMNS:
            raise TooLarge(f"工作表“{name}”有{extent.columns}列，超过{MAX_COLUMNS}列。请删去多余的列后另存再导入")
        if total > MAX_CELLS:
            raise TooLarge(f"表格的范围太大（{extent.rows:,}行×{extent.columns}列），超过可一次导入的{MAX_CELLS:,}个单元格。"
                           "请删去表格右侧或下方多余的内容，或拆成几个文件后再导入")
        extents[member] = (name, extent)
    if not any(extent.has_stray for _, extent in extents.values()):
        return Cropped(path)
    temp_dir = Path(tempfile.mkdtemp(prefix="lvqi-sheet-"))
    copy = temp_dir / "cropped.xlsx"
    notes: list[str] = []
    try:
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in zf.infolist():
                name, extent = extents.get(info.filename, ("", Extent()))
                if not extent.has_stray:
                    with zf.open(info) as src, out.open(info.filename, "w", force_zip64=True) as dst:
                        shutil.copyfileobj(src, dst, _CHUNK)
                    continue
                with out.open(info.filename, "w", force_zip64=True) as dst:
                    left_out = _write_body(zf, info.filename, extent, dst)
                notes.append(_stray_note(name, extent, left_out))
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return Cropped(copy, notes, temp_dir)


def _stray_note(sheet: str, extent: Extent, left_out: list[str]) -> str:
    shown = "、".join(left_out[:5]) + ("等" if len(left_out) > 5 else "")
    return (f"工作表“{sheet}”在表格（A1:{column_letter(extent.columns)}{extent.rows}）以外很远处有{len(left_out)}个零散单元格"
            f"（{shown}），已忽略。如果它们是要导入的数据，请移到表格内再导入")


def _write_body(zf: zipfile.ZipFile, member: str, extent: Extent, dst: IO[bytes]) -> list[str]:
    """Copy a sheet's XML without the cells outside the body; returns the refs of the filled ones left out."""
    left_out: list[str] = []
    row = col = 0
    with zf.open(member) as fh:
        buf, written, scan, more = b"", 0, 0, True
        while True:
            m = _TAG.search(buf, scan)
            if m is None:
                if not more:
                    dst.write(buf[written:])
                    return left_out
                cut = buf.rfind(b"<", scan)
                keep = cut if cut >= 0 and buf.find(b">", cut) < 0 else len(buf)  # a tag cut in two waits
                dst.write(buf[written:keep])
                chunk = fh.read(_CHUNK)
                buf, written, scan, more = buf[keep:] + chunk, 0, 0, bool(chunk)
                continue
            scan = m.end()
            name, attrs = m.group(1), m.group(2)
            ref = _REF.search(attrs)
            if name == b"row":
                row, col = (int(ref.group(2)) if ref and ref.group(2) else row + 1), 0
                continue
            if ref and ref.group(1):
                col, row = column_number(ref.group(1)), (int(ref.group(2)) if ref.group(2) else row)
            else:
                col += 1
            if row <= extent.rows and col <= extent.columns:
                continue
            end = m.end()
            if not attrs.endswith(b"/"):
                closing = _CELL_END.search(buf, m.end())
                while closing is None and more:  # the cell ends in the next piece
                    chunk = fh.read(_CHUNK)
                    buf, more = buf + chunk, bool(chunk)
                    closing = _CELL_END.search(buf, m.end())
                end = closing.end() if closing else len(buf)
                left_out.append(f"{column_letter(col)}{row}")
            dst.write(buf[written:m.start()])
            written = scan = end
