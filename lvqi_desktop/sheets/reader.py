"""Reading a county's own spreadsheet (.xlsx, .xls) into a plain grid of values; no database.

python-calamine reads the cached values of .xlsx and .xls alike (about 2 s for 100,000 rows).
Rows are plain tuples, and the repeated texts and numbers of a column (县区, 是/否, 年度) share
one object. Read with `head`, a sheet longer than that keeps only its first rows (enough to find the
header); its data rows are streamed from the file again by `Sheet.data` (a 100,000-row sheet then
never sits in memory as 75 MB of tuples, only as calamine's grid while a pass runs). Formulas without a
cached value (files written by a program rather than saved by Excel/WPS) read as empty there, so
an .xlsx is also scanned for `<f>` cells without `<v>`: those cells are reported, never read as blank.
Every refusal is a SheetRefused with a Chinese message saying what to do.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from typing import TypeVar
from typing import cast

from lxml import etree

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.sheets.extent import MAX_FILE_BYTES  # column_letter: also for column_mapping
from lvqi_desktop.sheets.extent import Cropped  # column_letter: also for column_mapping
from lvqi_desktop.sheets.extent import TooLarge  # column_letter: also for column_mapping
from lvqi_desktop.sheets.extent import column_letter  # column_letter: also for column_mapping
from lvqi_desktop.sheets.extent import crop  # column_letter: also for column_mapping
from lvqi_desktop.sheets.extent import sheet_members  # column_letter: also for column_mapping

if TYPE_CHECKING:  # python-calamine itself is imported on first use (it is not needed to start the program)
    from python_calamine import CalamineSheet
    from python_calamine import CalamineWorkbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_FORMULA_MARK = b"f>"  # in every <f>…</f> (also </x:f>); a rare false alarm only costs the closer look
_NO_CACHED_VALUE = etree.XPath("x:c[x:f and not(x:is) and not(string(x:v))]",
                               namespaces={"x": _NS.strip("{}")})  # a row's formula cells without a result
_CHUNK = 1 << 20
HEAD_ROWS = 1000  # a streamed sheet's rows kept whole: the header within the first 30 and 500 rows sampled below
SHARED_VALUES_PER_COLUMN = 2000  # a column with more distinct values (names, codes) is not worth sharing

Row = tuple[object, ...]


class SheetRefused(LvqiError):
    """The file cannot be read as a spreadsheet; nothing was changed."""


@dataclass(frozen=True)
class RowSource:
    """Where a streamed sheet's rows are read again: the file as it was first read (its SHA-256) and sheet."""

    path: Path
    kind: str
    sheet: str
    digest: str
    pad_top: int  # empty rows calamine leaves out above the data
    total: int  # rows from A1 to the last


@dataclass
class Sheet:
    """One worksheet: rows[i][j] is the value at Excel row i+1, column j+1 ('' for an empty cell).

    A streamed sheet (`source` set) holds only its first rows here; `data` gives all of them."""

    name: str
    rows: list[Row]
    hidden: bool = False
    formula_without_value: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col), 1-based → "=…"
    source: RowSource | None = None

    def data(self, first_row: int) -> DataRows:
        """The rows from Excel row `first_row` to the end, to be iterated (more than once)."""
        return DataRows(self, first_row)


class DataRows:
    """A sheet's data rows. A streamed sheet is read again from its file on the first pass (refused if the
    file changed since its header was read) and kept as calamine's grid until this object is dropped."""

    def __init__(self, sheet: Sheet, first_row: int) -> None:
        self._sheet, self._skip = sheet, max(first_row - 1, 0)
        self._grid: CalamineSheet | None = None

    def __len__(self) -> int:
        source = self._sheet.source
        return max((source.total if source else len(self._sheet.rows)) - self._skip, 0)

    def __iter__(self) -> Iterator[Row]:
        source = self._sheet.source
        if source is None:
            return islice(self._sheet.rows, self._skip, None)
        if self._grid is None:
            self._grid = _reload(source)
        return islice(_iter_rows(self._grid, source.pad_top), self._skip, None)


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # what was left out while reading (stray far cells)


def cell_name(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except FileNotFoundError as exc:
        raise SheetRefused(f"找不到文件“{path}”。请确认文件位置。") from exc
    except OSError as exc:
        raise SheetRefused(f"无法打开文件“{path}”（{exc.strerror or exc}）。如果它正在Excel中打开，请先关闭。") from exc
    if not head:
        raise SheetRefused(f"文件“{path.name}”是空文件（0 字节），没有可导入的内容。")
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00").startswith(b"<"):
        raise SheetRefused(f"文件“{path.name}”实际上是网页（HTML/XML）格式，只是扩展名像Excel表格（一些系统导出的“.xls”是这样）。"
                           "请在Excel/WPS中打开后“另存为”Excel工作簿（.xlsx）再导入。")
    raise SheetRefused(f"文件“{path.name}”不是Excel表格（.xlsx 或 .xls）。如果是CSV或WPS的 .et 文件，"
                       "请在Excel/WPS中打开后“另存为”Excel工作簿（.xlsx）再导入。")


def _password_message(path: Path) -> str:
    return (f"文件“{path.name}”设置了打开密码（已加密），无法读取。请在Excel/WPS中用密码打开它，"
            "取消“用密码进行加密”后另存为 .xlsx，再导入。")


def _has_formula(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet's XML has any <f> element, read in 1 MB pieces (a 100,000-row sheet is ~40 MB)."""
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            if _FORMULA_MARK in tail + chunk:
                return True
            tail = chunk[-1:]
    return False


def _missing_values(zf: zipfile.ZipFile, member: str) -> dict[tuple[int, int], str]:
    """(row, col) → formula text of one sheet's formula cells without a cached value; each row is freed once read."""
    missing: dict[tuple[int, int], str] = {}
    with zf.open(member) as fh:
        for _, row in etree.iterparse(fh, tag=f"{_NS}row"):
            for c in _NO_CACHED_VALUE(row):
                m = _CELL_REF.match(str(c.get("r", "")))
                if m:
                    missing[(int(m.group(2)), _col_number(m.group(1)))] = "=" + (c.findtext(f"{_NS}f") or "")
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]  # type: ignore[union-attr]  # lxml-stubs: a row inside sheetData always has one
    return missing


def _formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name: cells with a formula and no cached value (an .xlsx saved by a program)."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, member in sheet_members(zf):
                if not _has_formula(zf, member):
                    continue
                missing = _missing_values(zf, member)
                if missing:
                    out[name] = missing
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        return out
    return out


def _pad_top(sheet: CalamineSheet) -> int:
    """How many empty rows above the data calamine leaves out (in some versions none: it starts at A1)."""
    start = sheet.start
    if start is None or not start[0]:
        return 0
    return start[0] if sum(1 for _ in sheet.iter_rows()) == sheet.height else 0


def _iter_rows(sheet: CalamineSheet, pad_top: int) -> Iterator[Row]:
    """The sheet's rows from A1 as tuples, one row at a time, with repeated values shared."""
    start = sheet.start
    if start is None:
        return
    width = sheet.width
    shared: list[dict[object, object] | None] = []
    yield from [()] * pad_top
    for raw in sheet.iter_rows():
        if len(raw) == width and start[1]:  # calamine leaves out the empty columns left of the data
            raw = [""] * start[1] + raw
        if len(shared) < len(raw):
            shared.extend({} for _ in range(len(raw) - len(shared)))
        for col, value in enumerate(raw):
            if (type(value) is str or type(value) is float) and shared[col] is not None:
                raw[col] = _shared(value, shared, col)
        yield tuple(raw)


def _sheet_rows(sheet: CalamineSheet, pad_top: int, head: int | None = None) -> list[Row]:
    """The sheet's rows from A1 (the first `head` only, if given); no empty rows at the end."""
    rows = list(islice(_iter_rows(sheet, pad_top), head))
    while rows and all(v == "" or v is None for v in rows[-1]):
        rows.pop()
    return rows


_V = TypeVar("_V")


def _shared(value: _V, shared: list[dict[object, object] | None], col: int) -> _V:
    """One object for equal texts or floats of a column (only those: ints and bools would mix, 1 == 1.0 == True)."""
    seen = shared[col]
    assert seen is not None
    kept = seen.setdefault(value, value)
    if len(seen) > SHARED_VALUES_PER_COLUMN:
        shared[col] = None  # mostly distinct (names, codes): stop sharing this column
    return cast(_V, kept)  # the equal value kept first: same type


def _is_encrypted_xlsx(path: Path) -> bool:
    """An .xlsx with an opening password is an OLE container holding an “EncryptionInfo” stream."""
    marker, tail = "EncryptionInfo".encode("utf-16-le"), b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker):]
    return False


def _damaged_message(path: Path, exc: Exception) -> str:
    return (f"文件“{path.name}”已损坏或不完整，无法作为Excel表格读取。请用Excel/WPS打开它（如提示修复请选择修复），"
            f"另存为 .xlsx 后再导入。（技术信息：{exc}）")


def _open_book(path: Path, kind: str) -> CalamineWorkbook:
    """calamine's workbook; chosen by the content, so a renamed .xls (or .xlsx) still opens."""
    import python_calamine as calamine

    if kind == "ole" and _is_encrypted_xlsx(path):
        raise SheetRefused(_password_message(path))
    named_right = path.suffix.lower() in ((".xls",) if kind == "ole" else (".xlsx", ".xlsm"))
    try:
        if named_right:  # calamine picks .xls or .xlsx by the name; only then can it tell a password apart
            return calamine.CalamineWorkbook.from_path(str(path))
        with path.open("rb") as fh:
            return calamine.CalamineWorkbook.from_filelike(fh)
    except calamine.PasswordError as exc:
        raise SheetRefused(_password_message(path)) from exc
    except Exception as exc:
        if kind == "ole" and not named_right:
            raise SheetRefused(_password_message(path) + "（如果没有设置密码，则文件已损坏。）") from exc
        raise SheetRefused(_damaged_message(path, exc)) from exc


def read_workbook(path: str | Path, head: int | None = None) -> Workbook:
    """Every sheet's values; raises SheetRefused for files that are not readable spreadsheets. With `head`, a
    sheet of more rows keeps only its first `head` here and streams the rest (`Sheet.data`)."""
    path = Path(path)
    kind = _sniff(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                listed = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise SheetRefused(f"文件“{path.name}”已损坏（压缩包结构不完整），无法读取。请用Excel/WPS打开修复后另存再导入。"
                               ) from exc
        if "xl/workbook.xml" not in listed:
            raise SheetRefused(f"文件“{path.name}”不是Excel表格（可能是Word文档或其他压缩文件）。请选择 .xlsx 或 .xls 文件。")
    digest = _digest(path) if head is not None else ""
    cropped = _bounded(path, kind)
    try:
        return _read_sheets(path, kind, cropped, head, digest)
    finally:
        cropped.discard()


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
    except OSError as exc:
        raise SheetRefused(f"无法读取文件“{path.name}”（{exc.strerror or exc}）。如果它正在Excel中打开，请先关闭。") from exc
    return h.hexdigest()


def _reload(source: RowSource) -> CalamineSheet:
    """The streamed sheet's grid, read again from the same file; SheetRefused if the file changed meanwhile."""
    path = source.path
    if _digest(path) != source.digest:
        raise SheetRefused(f"文件“{path.name}”在读取表头之后被修改过（或被替换了），没有导入任何数据。"
                           "请关闭Excel/WPS中的这个文件，再重新选择它导入。")
    cropped = _bounded(path, source.kind)
    try:
        with _opened(path, source.kind, cropped) as book:
            return book.get_sheet_by_name(source.sheet)
    finally:
        cropped.discard()


def _bounded(path: Path, kind: str) -> Cropped:
    """The file calamine may read without running out of memory (see sheet_extent), or SheetRefused."""
    try:
        if kind != "zip":
            if path.stat().st_size > MAX_FILE_BYTES:
                raise TooLarge(f"文件超过{MAX_FILE_BYTES >> 20} MB，请拆成几个文件后再导入")
            return Cropped(path)
        with zipfile.ZipFile(path) as zf:
            return crop(path, zf)
    except TooLarge as exc:
        raise SheetRefused(f"文件“{path.name}”无法导入：{exc}。") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, KeyError, EOFError, ValueError,
            zlib.error) as exc:
        raise SheetRefused(_damaged_message(path, exc)) from exc
    except OSError as exc:
        raise SheetRefused(f"无法读取文件“{path.name}”（{exc.strerror or exc}）。如果它正在Excel中打开，请先关闭。") from exc


def _read_sheets(path: Path, kind: str, cropped: Cropped, head: int | None, digest: str) -> Workbook:
    import python_calamine as calamine

    formulas = _formula_cells(path) if kind == "zip" else {}
    sheets: list[Sheet] = []
    with _opened(path, kind, cropped) as book:
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            grid = book.get_sheet_by_name(meta.name)
            pad_top = _pad_top(grid)
            rows = _sheet_rows(grid, pad_top, head)
            total = pad_top + grid.height if grid.start is not None else 0
            source = RowSource(path, kind, meta.name, digest, pad_top, total) \
                if head is not None and total > head else None
            del grid
            sheets.append(Sheet(meta.name, rows, hidden=meta.visible != calamine.SheetVisibleEnum.Visible,
                                formula_without_value=formulas.get(meta.name, {}), source=source))
    if not any(s.rows for s in sheets):
        raise SheetRefused(f"文件“{path.name}”中没有任何数据（所有工作表都是空的）。")
    return Workbook(path, sheets, cropped.notes)


@contextmanager
def _opened(path: Path, kind: str, cropped: Cropped) -> Iterator[CalamineWorkbook]:
    """calamine's workbook on `cropped` (the file as it may be read), closed after; what goes wrong while its
    sheets are read is a SheetRefused naming `path`."""
    import python_calamine as calamine

    book = _open_book(cropped.path, kind) if cropped.path == path else _open_book_copy(path, cropped.path)
    try:
        yield book
    except calamine.PasswordError as exc:
        raise SheetRefused(_password_message(path)) from exc
    except SheetRefused:
        raise
    except Exception as exc:
        raise SheetRefused(f"读取文件“{path.name}”时出错（{exc}）。请用Excel/WPS打开后另存为 .xlsx 再导入。") from exc
    finally:
        book.close()


def _open_book_copy(path: Path, copy: Path) -> CalamineWorkbook:
    """calamine's workbook on the cropped copy of `path` (errors name the user's file)."""
    import python_calamine as calamine

    try:
        return calamine.CalamineWorkbook.from_path(str(copy))
    except Exception as exc:
        raise SheetRefused(_damaged_message(path, exc)) from exc
