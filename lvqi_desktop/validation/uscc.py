"""统一社会信用代码 (GB 32100-2015): normalisation and the MOD 31-3 check character."""

from __future__ import annotations

from lvqi_desktop.errors import Issue
from lvqi_desktop.validation.text import to_halfwidth

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FIELD = "uscc"


def normalise_uscc(raw: str | None) -> str:
    """Upper case, half-width, with spaces and separators removed."""
    text = to_halfwidth(raw or "").upper()
    return "".join(ch for ch in text if ch not in " -_\t\r\n")


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (all from CHARSET)."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def check_uscc(code: str, home_prefix: str = "1411") -> list[Issue]:
    """Issues for an already normalised code: blocking errors, or a warning for a non-local region."""
    if not code:
        return [Issue(FIELD, "请填写统一社会信用代码（18位）")]
    if len(code) != 18:
        return [Issue(FIELD, f"统一社会信用代码应为18位，现在是{len(code)}位，请核对")]
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        shown = "、".join(bad)
        return [Issue(FIELD, f"统一社会信用代码不能含有字符 {shown}（代码不使用 I、O、S、V、Z），请核对")]
    if code[0] not in "123456789ANY":
        return [Issue(FIELD, f"统一社会信用代码第1位“{code[0]}”不是有效的登记管理部门代码，请核对")]
    expected = check_character(code[:17])
    if code[17] != expected:
        return [Issue(FIELD, f"统一社会信用代码校验位应为 {expected}，请核对")]
    if not code[2:8].startswith(home_prefix):
        return [Issue(FIELD, f"第3–8位行政区划码为 {code[2:8]}，不在吕梁市（{home_prefix}xx）范围内，"
                             "请确认是否为外地登记的企业", blocking=False)]
    return []
