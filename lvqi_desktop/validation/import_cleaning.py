"""Cleaning one spreadsheet cell for import: every change is reported, nothing is silently altered.

`clean_cell` turns what calamine read (str, float, date, datetime, bool) into the text a draft
takes (the same text a form would hold), plus a note for each change made (full-width folded,
spaces removed, 元 converted to 万元, a date reformatted, …), or a refusal (a USCC that Excel turned
into 9.1141E+17 has lost its digits). The rules of the record itself stay in validation/enterprise.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from decimal import InvalidOperation

from lvqi_desktop.models.import_kinds import ImportField
from lvqi_desktop.validation.text import clean_line
from lvqi_desktop.validation.text import invisible_count
from lvqi_desktop.validation.text import to_halfwidth
from lvqi_desktop.validation.text import without_invisible

EXCEL_EPOCH = date(1899, 12, 30)
_FULL_WIDTH = re.compile("[\u3000\uff01-\uff5e]")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_MONEY_UNIT = re.compile(r"^(.*?)(亿元|万元|千元|元|亿|万)$")
_COUNT_UNIT = re.compile(r"^(.*?)(人|项|个|名)$")
_PLACEHOLDERS = frozenset({"-", "--", "—", "——", "－", "/", "／", "\\"})  # what ledgers put in a cell left empty
_PLACEHOLDER_KINDS = frozenset({"money", "count", "date", "month", "year"})
YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"})
NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "无", "不是"})
UNIT_FACTOR = {"万元": Decimal(1), "万": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001"),
               "亿元": Decimal(10000), "亿": Decimal(10000)}


@dataclass
class CleanCell:
    text: str = ""
    notes: list[str] = field(default_factory=list)  # each change made, in words
    error: str | None = None  # the cell is refused
    pending: str | None = None  # taken, but a fact is still to be completed (资料待补充): a date known only to the month


def _number_text(value: float) -> str:
    """A float as calamine gives it, in its shortest exact form: 56.0 → '56', 1234.5 → '1234.5'."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def _visible(raw: str, cell: CleanCell) -> str:
    """_x001B_ escapes, zero-width and direction marks removed (the one rule of validation/text), with a note."""
    if invisible_count(raw):
        cell.notes.append(f"去掉了{invisible_count(raw)}个看不见的字符（控制符、零宽字符或文字方向符）")
        return without_invisible(raw)
    return raw


def _plain_text(raw: str, cell: CleanCell) -> str:
    raw = _visible(raw, cell)
    half = to_halfwidth(raw) if _FULL_WIDTH.search(raw) else raw
    if half != raw and half != raw.replace("\u3000", " "):  # a full-width space alone is reported as a space
        cell.notes.append(f"全角字符改为半角：“{raw.strip()[:30]}” → “{half.strip()[:30]}”")
    line = clean_line(half) if (half[:1].isspace() or half[-1:].isspace() or "  " in half or "\n" in half
                                or "\t" in half or "\u3000" in half) else half
    if line != half:
        cell.notes.append("去掉了首尾空格" if half.strip() == line else "去掉了多余的空格")
    return line


def _excel_serial(value: float) -> date | None:
    if 1 <= value < 2958466 and value == int(value):
        return EXCEL_EPOCH + timedelta(days=int(value))
    return None


def _clean_id(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, bool):
        cell.error = f"{f.label}应为文本，不是“是/否”"
        return
    if isinstance(value, int | float):
        if f.key == "uscc" or abs(value) >= 1e15:
            cell.error = (f"{f.label}被Excel存成了数字（{value:.4E}），后几位数字已经丢失，无法恢复。"
                          "请把该列设为“文本”格式，重新填写这一格后再导入。")
            return
        cell.text = _number_text(float(value))
        cell.notes.append(f"数字 {value} 按文本“{cell.text}”读取")
        return
    text = _plain_text(str(value), cell).replace(" ", "")
    if _SCIENTIFIC.match(text):
        cell.error = (f"{f.label}“{text}”是科学计数法，Excel已把后几位数字丢掉，无法恢复。"
                      "请把该列设为“文本”格式，重新填写这一格后再导入。")
        return
    cell.text = text


def _clean_money(value: object, f: ImportField, unit: str | None, cell: CleanCell) -> None:
    if isinstance(value, bool):
        cell.error = f"{f.label}应为数字"
        return
    if isinstance(value, int | float):
        number, cell_unit = Decimal(repr(float(value))), None
        raw = _number_text(float(value))
    else:
        raw = _plain_text(str(value), cell).replace(",", "").replace(" ", "")
        m = _MONEY_UNIT.match(raw)
        cell_unit = None
        try:
            if m and m.group(1):
                number, cell_unit, raw = Decimal(m.group(1)), m.group(2), m.group(1)
            else:
                number = Decimal(raw)
        except InvalidOperation:
            cell.text = raw  # the record's own check words the refusal ("…应为数字")
            return
    use = cell_unit or unit or "万元"
    if use not in UNIT_FACTOR:
        cell.text = raw
        return
    wan = number * UNIT_FACTOR[use]
    text = format(wan.normalize(), "f") if wan != 0 else "0"
    if use not in ("万元", "万"):
        where = "单元格" if cell_unit else "表头"
        cell.notes.append(f"按{where}单位“{use}”换算为万元：{raw} {use} → {text} 万元")
    elif cell_unit:
        cell.notes.append(f"去掉单元格中的单位“{cell_unit}”：{raw}")
    cell.text = text


def _clean_count(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value):
            cell.text = _number_text(float(value))  # the record's check refuses a fraction
            return
        cell.text = str(int(value))
        return
    raw = _plain_text(str(value), cell).replace(",", "").replace(" ", "")
    m = _COUNT_UNIT.match(raw)
    if m and m.group(1):
        cell.notes.append(f"去掉单元格中的单位“{m.group(2)}”：{m.group(1)}")
        raw = m.group(1)
    cell.text = raw


def _clean_date(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, datetime):
        cell.text = value.date().isoformat()
        return
    if isinstance(value, date):
        cell.text = value.isoformat()
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        d = _excel_serial(float(value))
        if d is None:
            if not _month_only(_number_text(float(value)), f, cell):
                cell.error = f"{f.label}“{value}”不是日期，格式如 2023-05-08"
            return
        cell.text = d.isoformat()
        cell.notes.append(f"Excel日期序号 {int(value)} 换算为 {cell.text}")
        return
    raw = _plain_text(str(value), cell).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                cell.error = f"{f.label}“{raw}”不是有效日期（月或日超出范围）"
                return
            cell.text = d.isoformat()
            if cell.text != raw:
                cell.notes.append(f"日期“{raw}”改写为 {cell.text}")
            return
    if _month_only(raw, f, cell):
        return
    if raw.isascii() and raw.isdigit() and len(raw) <= 6:  # not '²': a digit to Unicode, not to float()
        d = _excel_serial(float(raw))
        if d is not None:
            cell.text = d.isoformat()
            cell.notes.append(f"Excel日期序号 {raw} 换算为 {cell.text}")
            return
    cell.error = f"{f.label}“{raw[:20]}”不是日期，格式如 2023-05-08（2023.5.8、2023年5月8日、2023/05/08 也可）"


def _month_only(raw: str, f: ImportField, cell: CleanCell) -> bool:
    """A date written only to the month (2015.6, 2015年6月, 2015-06): the 1st of the month, the day to complete.
    A number 2015.1 may be January or an October that Excel shortened from 2015.10: refused as ambiguous."""
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(raw)
        if m and 1 <= int(m.group(2)) <= 12 and 1900 <= int(m.group(1)) <= 2100:
            if re.fullmatch(r"\d{4}\.1", raw):
                cell.error = (f"{f.label}“{raw}”可能是{m.group(1)}年1月，也可能是被Excel缩成“{raw}”的{m.group(1)}年10月，"
                              "无法确定；请在表中把该列设为“文本”后填写完整日期")
                return True
            cell.text = f"{m.group(1)}-{int(m.group(2)):02d}-01"
            cell.pending = (f"{f.label}只写到月（{raw}），按 {cell.text} 记录，请补充具体日期")
            cell.notes.append(f"{f.label}“{raw}”只精确到月，按 {cell.text} 记录")
            return True
    return False


def _clean_month(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, date | datetime):
        cell.text = f"{value.year}-{value.month:02d}"
        if getattr(value, "day", 1) != 1:
            cell.notes.append(f"日期 {value:%Y-%m-%d} 只取年月：{cell.text}")
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        d = _excel_serial(float(value))
        if d is None:
            cell.error = f"{f.label}“{value}”不是年月，格式如 2024-03"
            return
        cell.text = f"{d.year}-{d.month:02d}"
        cell.notes.append(f"Excel日期序号 {int(value)} 换算为 {cell.text}")
        return
    raw = _plain_text(str(value), cell).replace(" ", "")
    for pattern in (*_MONTH_PATTERNS, *_DATE_PATTERNS):
        m = pattern.match(raw)
        if m and 1 <= int(m.group(2)) <= 12:
            cell.text = f"{m.group(1)}-{int(m.group(2)):02d}"
            if cell.text != raw:
                cell.notes.append(f"年月“{raw}”改写为 {cell.text}")
            return
    cell.error = f"{f.label}“{raw[:20]}”不是年月，格式如 2024-03"


def _clean_year(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        cell.text = str(int(value))
        return
    if isinstance(value, date | datetime):
        cell.error = f"{f.label}应为四位年份（如 2025），不是日期"
        return
    raw = _plain_text(str(value), cell).replace(" ", "")
    m = re.match(r"^((?:19|20)\d{2})(年度?)?$", raw)
    if not m:
        cell.error = f"{f.label}“{raw[:20]}”不是年份，应为四位数字（如 2025）"
        return
    cell.text = m.group(1)
    if cell.text != raw:
        cell.notes.append(f"年度“{raw}”读作 {cell.text}")


def _clean_bool(value: object, f: ImportField, cell: CleanCell) -> None:
    if isinstance(value, bool):
        cell.text = "是" if value else "否"
        return
    raw = _plain_text(_number_text(value) if isinstance(value, float) else str(value), cell).replace(" ", "")
    low = raw.lower()
    if low in YES or low in NO:
        cell.text = "是" if low in YES else "否"
        if raw != cell.text:
            cell.notes.append(f"“{raw}”读作“{cell.text}”")
        return
    cell.error = f"{f.label}应填“是”或“否”（√/× 也可），“{raw[:20]}”无法识别"


def _fold(text: str) -> str:
    return to_halfwidth(text).replace(" ", "").lower()


def _label_parts(label: str) -> list[str]:
    """“用地/厂房” → 用地, 厂房; “已解释(无法解决)” → 已解释: the short words a sheet often uses instead."""
    head = re.split(r"[(（]", label, maxsplit=1)[0]
    return [p for p in re.split(r"[/／、]", head) if p and p != label]


def code_lookup(table: dict[str, str]) -> dict[str, str]:
    """Folded code and folded label → code (for "C 制造业" the letter and the name both work); a part of a
    compound label (用地 of 用地/厂房) works too unless two codes share it."""
    out: dict[str, str] = {}
    for code, label in table.items():
        for key in (code, label, f"{code}{label}", f"{code} {label}"):
            out[_fold(key)] = code
    parts: dict[str, set[str]] = {}
    for code, label in table.items():
        for part in _label_parts(label):
            parts.setdefault(_fold(part), set()).add(code)
    for key, codes in parts.items():
        if len(codes) == 1 and key not in out:
            out[key] = next(iter(codes))
    return out


def _clean_code(value: object, f: ImportField, lookup: dict[str, str] | None, cell: CleanCell) -> None:
    raw = _plain_text(_number_text(value) if isinstance(value, float) else str(value), cell)
    if lookup is None:
        cell.text = raw
        return
    key = raw.replace(" ", "").lower()
    labels = f.codes if isinstance(f.codes, dict) else None
    if key in lookup:
        cell.text = lookup[key]
        label = labels.get(cell.text) if labels else None
        if label and key not in (_fold(cell.text), _fold(label), _fold(f"{cell.text}{label}")):
            cell.notes.append(f"“{raw[:20]}”读作“{label}”")  # a ledger's own word (是否办结：是 → 已办结), never silent
        return
    choices = f"可选：{'、'.join(labels.values())}" if labels and len(labels) <= 15 else "请从下拉列表中选择"
    cell.error = f"{f.label}“{raw[:20]}”不在可选范围内，{choices}"


def clean_cell(value: object, f: ImportField, *, unit: str | None = None,
               lookup: dict[str, str] | None = None) -> CleanCell:
    """The text for a draft field, with every change noted, or a refusal."""
    cell = CleanCell()
    if value is None or (isinstance(value, str) and not value.strip()):
        if isinstance(value, str) and value:
            cell.notes.append("只有空格，按空白处理")
        return cell
    kind = f.kind
    if isinstance(value, float) and not math.isfinite(value):  # a file written by a program can hold NaN or 1e999
        cell.error = f"{f.label}的值不是有效的数字（{value}），请改为正常的数字或留空"
        return cell
    if isinstance(value, str) and kind in _PLACEHOLDER_KINDS and value.strip() in _PLACEHOLDERS:
        cell.notes.append(f"“{value.strip()}”表示未填，按空白处理")  # a ledger's dash for “none”, not a number
        return cell
    if kind == "id":
        _clean_id(value, f, cell)
    elif kind == "money":
        _clean_money(value, f, unit, cell)
    elif kind == "count":
        _clean_count(value, f, cell)
    elif kind == "date":
        _clean_date(value, f, cell)
    elif kind == "month":
        _clean_month(value, f, cell)
    elif kind == "year":
        _clean_year(value, f, cell)
    elif kind == "bool":
        _clean_bool(value, f, cell)
    elif kind == "code":
        _clean_code(value, f, lookup, cell)
    elif kind == "prose" and isinstance(value, str):  # free text keeps its Chinese punctuation and lines
        value = _visible(value, cell)
        cell.text = value.strip()
        if cell.text != value:
            cell.notes.append("去掉了首尾空格")
    else:
        if isinstance(value, float):
            cell.text = _number_text(value)
        elif isinstance(value, datetime | date):
            cell.text = value.strftime("%Y-%m-%d")
        else:
            cell.text = _plain_text(str(value), cell)
    return cell


def formula_without_value(label: str, formula: str = "") -> str:
    """A formula cell whose file holds no computed result (saved by a program that does not compute): every
    importer refuses such a value in the same words, naming the formula when it is known."""
    shown = f"“{formula[:40]}”" if formula else ""
    return (f"{label}是公式{shown}，但文件中没有保存计算结果。请在Excel/WPS中打开该文件、保存一次"
            "（或把公式改为数值）后再导入。")
