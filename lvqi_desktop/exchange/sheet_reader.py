"""Reading a county's own spreadsheet (.xlsx, .xls) into a plain grid of values; no database.

python-calamine reads the cached values (fast: about 1 s for 100,000 rows). Formulas without a
cached value (files written by a program rather than saved by Excel/WPS) read as empty there, so
an .xlsx is also scanned for `<f>` cells without `<v>`: those cells are reported, never read as blank.
Every refusal is a SheetRefused with a Chinese message saying what to do.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from lvqi_desktop.errors import LvqiError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


class SheetRefused(LvqiError):
    """The file cannot be read as a spreadsheet; nothing was changed."""


@dataclass
class Sheet:
    """One worksheet: rows[i][j] is the value at Excel row i+1, column j+1 ('' for an empty cell)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False
    formula_without_value: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 1-based


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


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
            head = fh.read(8)
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
    raise SheetRefused(f"文件“{path.name}”不是Excel表格（.xlsx 或 .xls）。如果是CSV或WPS的 .et 文件，"
                       "请在Excel/WPS中打开后“另存为”Excel工作簿（.xlsx）再导入。")


def _password_message(path: Path) -> str:
    return (f"文件“{path.name}”设置了打开密码（已加密），无法读取。请在Excel/WPS中用密码打开它，"
            "取消“用密码进行加密”后另存为 .xlsx，再导入。")


def _formula_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name: cells with a formula and no cached value (an .xlsx saved by a program)."""
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" not in names:
                return out
            wb = etree.fromstring(zf.read("xl/workbook.xml"))
            rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names \
                else None
            targets = {r.get("Id"): r.get("Target") for r in rels} if rels is not None else {}
            for sheet in wb.iter(f"{_NS}sheet"):
                target = targets.get(sheet.get(f"{_REL_NS}id"), "")
                if not target:
                    continue
                member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                if member not in names:
                    continue
                with zf.open(member) as fh:
                    if b"<f" not in fh.read():
                        continue
                missing: set[tuple[int, int]] = set()
                with zf.open(member) as fh:
                    for _, c in etree.iterparse(fh, tag=f"{_NS}c"):
                        f = c.find(f"{_NS}f")
                        if f is not None:
                            v = c.find(f"{_NS}v")
                            inline = c.find(f"{_NS}is")
                            if (v is None or not (v.text or "")) and inline is None:
                                m = _CELL_REF.match(c.get("r", ""))
                                if m:
                                    missing.add((int(m.group(2)), _col_number(m.group(1))))
                        c.clear()
                if missing:
                    out[sheet.get("name", "")] = missing
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        return out
    return out


def read_workbook(path: str | Path) -> Workbook:
    """Every sheet's values; raises SheetRefused for files that are not readable spreadsheets."""
    import python_calamine as calamine

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
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise SheetRefused(_password_message(path)) from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types for bad files
        if kind == "ole":  # an encrypted .xlsx is an OLE container; so is a damaged or protected .xls
            raise SheetRefused(_password_message(path) + "（如果没有设置密码，则文件已损坏。）") from exc
        raise SheetRefused(f"文件“{path.name}”无法作为Excel表格读取（{exc}）。请用Excel/WPS打开后另存为 .xlsx 再导入。"
                           ) from exc
    formulas = _formula_cells(path) if kind == "zip" else {}
    sheets: list[Sheet] = []
    try:
        for meta in book.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue
            raw = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = [list(r) for r in raw]
            while rows and all(v == "" or v is None for v in rows[-1]):
                rows.pop()
            sheets.append(Sheet(meta.name, rows, hidden="Visible" not in str(meta.visible),
                                formula_without_value=formulas.get(meta.name, set())))
    except calamine.PasswordError as exc:
        raise SheetRefused(_password_message(path)) from exc
    except Exception as exc:  # noqa: BLE001
        raise SheetRefused(f"读取文件“{path.name}”时出错（{exc}）。请用Excel/WPS打开后另存为 .xlsx 再导入。") from exc
    finally:
        book.close()
    if not any(s.rows for s in sheets):
        raise SheetRefused(f"文件“{path.name}”中没有任何数据（所有工作表都是空的）。")
    return Workbook(path, sheets)
