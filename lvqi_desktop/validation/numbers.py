"""Parsing of typed numbers: money in 万元 to integer 分, counts, dates; each failure is an Issue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from decimal import DecimalException
from decimal import InvalidOperation

from lvqi_desktop.errors import Issue
from lvqi_desktop.validation.text import to_halfwidth

FEN_PER_WAN = 1_000_000


def _plain(text: str) -> str:
    return to_halfwidth(text).replace(",", "").replace(" ", "").strip()


def parse_wan_to_fen(text: str, field: str, label: str, *, allow_negative: bool,
                     issues: list[Issue]) -> int | None:
    """'1,234.56' (万元) → 12345600000 分; empty → None; bad text or sign → an Issue."""
    plain = _plain(text)
    if not plain:
        return None
    try:
        value = Decimal(plain)
    except InvalidOperation:
        issues.append(Issue(field, f"{label}应为数字（单位：万元），“{text.strip()[:20]}”不是数字"))
        return None
    if not value.is_finite():
        issues.append(Issue(field, f"{label}应为数字（单位：万元）"))
        return None
    if value < 0 and not allow_negative:
        issues.append(Issue(field, f"{label}不能为负数"))
        return None
    if value.adjusted() > 10:  # more than 10^11 万元: surely a unit mistake (and avoids overflow)
        issues.append(Issue(field, f"{label}数值过大，请核对单位是否为万元"))
        return None
    try:
        fen = value * FEN_PER_WAN
        fractional = fen != fen.to_integral_value()
    except DecimalException:
        issues.append(Issue(field, f"{label}最多精确到分（万元后6位小数）"))
        return None
    if fractional:
        issues.append(Issue(field, f"{label}最多精确到分（万元后6位小数）"))
        return None
    if abs(fen) >= 10**17:
        issues.append(Issue(field, f"{label}数值过大，请核对单位是否为万元"))
        return None
    return int(fen)


def parse_count(text: str, field: str, label: str, issues: list[Issue]) -> int | None:
    """A non-negative whole number of persons or items; empty → None."""
    plain = _plain(text)
    if not plain:
        return None
    if not plain.lstrip("-").isdigit():
        issues.append(Issue(field, f"{label}应为整数，“{text.strip()[:20]}”不是整数"))
        return None
    value = int(plain)
    if value < 0:
        issues.append(Issue(field, f"{label}不能为负数"))
        return None
    if value > 10_000_000:
        issues.append(Issue(field, f"{label}数值过大，请核对"))
        return None
    return value


def parse_date(text: str, field: str, label: str, issues: list[Issue]) -> date | None:
    """ISO date 2026-11-26 (also 2026/11/26, 2026.11.26, 2026年11月26日); empty → None."""
    plain = _plain(text).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").removesuffix("日")
    if not plain:
        return None
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in plain.split("-")))
    except ValueError:
        issues.append(Issue(field, f"{label}应为日期，格式如 2026-11-26（2026年11月26日、2026.11.26 也可）"))
        return None


def fen_to_wan_text(fen: int | None) -> str:
    """Integer 分 → '1,234.56' 万元 with two decimals and a thousands separator (empty for None)."""
    if fen is None:
        return ""
    wan = (Decimal(fen) / FEN_PER_WAN).quantize(Decimal("0.01"))
    return f"{wan:,.2f}"


def fen_to_wan_input(fen: int | None) -> str:
    """Integer 分 → an editable 万元 string without losing precision ('1234.5' or '0.000001')."""
    if fen is None:
        return ""
    text = format(Decimal(fen) / FEN_PER_WAN, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


PLAUSIBLE_WAN = 10_000_000  # 1,000 亿元: no enterprise in a county register reaches this; likely 元 typed as 万元


def implausible_money(fen: int | None, field: str, label: str) -> Issue | None:
    """A warning (not a refusal) for a sum of money of 1,000 亿元 or more."""
    if fen is None or abs(fen) < PLAUSIBLE_WAN * FEN_PER_WAN:
        return None
    yi = Decimal(abs(fen)) / (FEN_PER_WAN * 10_000)
    return Issue(field, f"{label} {fen_to_wan_text(fen)} 万元（约 {yi:,.0f} 亿元）超过一千亿元，"
                        "请核对单位是否为万元（不是元）", blocking=False)
