"""Checks for an enterprise as typed in a form, the CLI or an import; one place for each rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal

from lvqi_desktop.errors import Issue
from lvqi_desktop.models import codes
from lvqi_desktop.models.industry import section_of_class
from lvqi_desktop.validation.numbers import FEN_PER_WAN
from lvqi_desktop.validation.numbers import implausible_money
from lvqi_desktop.validation.numbers import parse_count
from lvqi_desktop.validation.numbers import parse_date
from lvqi_desktop.validation.numbers import parse_wan_to_fen
from lvqi_desktop.validation.text import clean_line
from lvqi_desktop.validation.text import clean_text
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.text import removed_note
from lvqi_desktop.validation.text import to_halfwidth
from lvqi_desktop.validation.uscc import check_uscc
from lvqi_desktop.validation.uscc import normalise_uscc

NAME_MAX = 100
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")

MONEY_FIELDS = {
    "revenue": "营业收入", "main_revenue": "主营业务收入", "net_profit": "净利润",
    "total_assets": "资产总额", "total_liabilities": "负债总额", "rd_expense": "研发费用",
}
COUNT_FIELDS = {"employees": "从业人员", "rd_staff": "研发人员", "ip_class1": "Ⅰ类知识产权",
                "ip_class2": "Ⅱ类知识产权"}


@dataclass
class YearDraft:
    """One year's figures as typed: money in 万元 as text, counts as text."""

    year: int
    revenue: str = ""
    main_revenue: str = ""
    net_profit: str = ""
    total_assets: str = ""
    total_liabilities: str = ""
    employees: str = ""
    rd_expense: str = ""
    rd_staff: str = ""
    ip_class1: str = ""
    ip_class2: str = ""


@dataclass
class EnterpriseDraft:
    """An enterprise as typed; every field is text so nothing typed is lost when a save is refused."""

    uscc: str = ""
    name: str = ""
    former_names: str = ""
    county_code: str = ""
    township_code: str = ""
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    registered_on: str = ""
    ownership_type: str = ""
    industry_section: str = ""
    industry_class: str = ""
    size_group: str = ""
    size_class_override: str = ""
    size_class_override_reason: str = ""
    main_products: str = ""
    four_above_category: str = ""
    above_scale: bool = False
    above_scale_since: str = ""
    high_tech_cert_no: str = ""
    high_tech_valid_until: str = ""
    business_status: str = "active"
    moved_to_county: str = ""
    remarks: str = ""
    years: list[YearDraft] = field(default_factory=list)
    version: int | None = None  # the stored record's version when the form read it; None: not checked


@dataclass(slots=True)
class CleanYear:
    year: int
    values: dict[str, int | None]  # column name (revenue_fen, employees, …) → value


@dataclass(slots=True)
class CleanEnterprise:
    """Typed, normalised values ready for storage."""

    values: dict[str, object]
    years: list[CleanYear]


def check_phone(raw: str, issues: list[Issue]) -> str:
    phone = to_halfwidth(raw).replace(" ", "").strip()
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        issues.append(Issue("contact_phone", "联系电话应为11位手机号，或带区号的固定电话（如 0358-8221234）"))
    return phone


def check_name(raw: str, issues: list[Issue]) -> str:
    name = clean_line(to_halfwidth(raw).replace("(", "（").replace(")", "）"))
    if not name:
        issues.append(Issue("name", "请填写企业名称"))
    elif len(name) > NAME_MAX:
        issues.append(Issue("name", f"企业名称不能超过{NAME_MAX}个字，现在是{len(name)}个字"))
    return name


def _check_code(value: str, table: dict[str, str], field_name: str, label: str,
                issues: list[Issue]) -> str | None:
    if not value:
        return None
    if value not in table:
        issues.append(Issue(field_name, f"{label}“{value}”不在可选范围内，请从列表中选择"))
        return None
    return value


_FEN_KEYS = {key: f"{key}_fen" for key in MONEY_FIELDS}  # one key object for every year of every firm


def _check_year(draft: YearDraft, today: date, issues: list[Issue]) -> CleanYear:
    prefix = f"{draft.year}年"
    values: dict[str, int | None] = {}
    if not 1950 <= draft.year <= today.year:
        issues.append(Issue(f"years.{draft.year}", f"年度{draft.year}不在1950年至今年之间"))
    for key, label in MONEY_FIELDS.items():
        values[_FEN_KEYS[key]] = parse_wan_to_fen(getattr(draft, key), f"years.{draft.year}.{key}",
                                                prefix + label, allow_negative=(key == "net_profit"),
                                                issues=issues)
        warning = implausible_money(values[_FEN_KEYS[key]], f"years.{draft.year}.{key}", prefix + label)
        if warning is not None:
            issues.append(warning)
    for key, label in COUNT_FIELDS.items():
        values[key] = parse_count(getattr(draft, key), f"years.{draft.year}.{key}", prefix + label, issues)
    assets, debts = values["total_assets_fen"], values["total_liabilities_fen"]
    if assets is not None and debts is not None and debts > assets:
        issues.append(Issue(f"years.{draft.year}.total_liabilities",
                            f"{prefix}负债总额大于资产总额（资不抵债），请确认数据无误", blocking=False))
    main, total = values["main_revenue_fen"], values["revenue_fen"]
    if main is not None and total is not None and main > total:
        issues.append(Issue(f"years.{draft.year}.main_revenue",
                            f"{prefix}主营业务收入大于营业收入，请核对", blocking=False))
    return CleanYear(draft.year, values)


def check_year_figures(year: int, figures: dict[str, int | None], today: date) -> list[Issue]:
    """The rules of one year's stored figures (money in 分) as the county's form applies them (city import)."""
    def text(value: int | None) -> str:
        return "" if value is None else str(Decimal(value) / FEN_PER_WAN)

    draft = YearDraft(year, **{key: text(figures.get(f"{key}_fen")) for key in MONEY_FIELDS},
                      **{key: "" if figures.get(key) is None else str(figures[key]) for key in COUNT_FIELDS})
    issues: list[Issue] = []
    _check_year(draft, today, issues)
    return issues


def _check_above_scale_month(raw: str, issues: list[Issue]) -> str | None:
    text = to_halfwidth(raw).strip()
    if not text:
        return None
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        issues.append(Issue("above_scale_since", "入统年月格式应为 2026-03"))
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _check_industry_class(industry_class: str, section: str | None, issues: list[Issue]) -> None:
    """A 4-digit class whose division exists in GB/T 4754 and lies in the chosen section."""
    if not industry_class:
        return
    if not (len(industry_class) == 4 and industry_class.isdigit()):
        issues.append(Issue("industry_class", "行业小类代码应为4位数字（如 3311），可不填"))
        return
    own = section_of_class(industry_class)
    if own is None:
        issues.append(Issue("industry_class", f"行业小类“{industry_class}”不存在：GB/T 4754 的大类（前两位）为 01–97，"
                                              "请按营业执照或统计登记核对，可不填"))
    elif section and own != section:
        issues.append(Issue("industry_class", f"行业小类 {industry_class} 属于门类 {own}，与所选门类 {section} 不符，"
                                              "请核对门类或小类"))


TEXT_LIMITS: dict[str, tuple[str, int | None]] = {  # field → (label, most characters its column holds)
    "name": ("企业名称", None), "former_names": ("曾用名", None), "address": ("地址", 200),  # name: check_name
    "legal_representative": ("法定代表人", 40), "contact_person": ("联系人", 40),
    "size_class_override_reason": ("人工划型理由", 200), "main_products": ("主要产品", None),
    "high_tech_cert_no": ("高新技术企业证书编号", 40), "remarks": ("备注", None),
}


def _check_texts(draft: EnterpriseDraft, values: dict[str, object], issues: list[Issue]) -> None:
    """Too-long texts refused with their length (never cut); removed invisible characters reported (a warning)."""
    for key, (label, limit) in TEXT_LIMITS.items():
        note = removed_note(getattr(draft, key), label)
        if note:
            issues.append(Issue(key, note, blocking=False))
        length = len(str(values[key] or ""))
        if limit is not None and length > limit:
            issues.append(Issue(key, f"{label}不能超过{limit}个字，现在是{length}个字，请删减后再保存"))


def clean_enterprise(draft: EnterpriseDraft, today: date, home_prefix: str = "1411"
                     ) -> tuple[CleanEnterprise, list[Issue]]:
    """Normalise and check a draft; blocking issues mean it must not be saved."""
    issues: list[Issue] = []
    uscc = normalise_uscc(draft.uscc)
    issues += check_uscc(uscc, home_prefix)
    values: dict[str, object] = {
        "uscc": uscc,
        "name": check_name(draft.name, issues),
        "former_names": clean_line(draft.former_names),
        "county_code": draft.county_code.strip(),
        "township_code": draft.township_code.strip() or None,
        "address": clean_line(draft.address),
        "legal_representative": clean_line(draft.legal_representative),
        "contact_person": clean_line(draft.contact_person),
        "contact_phone": check_phone(draft.contact_phone, issues),
        "ownership_type": _check_code(draft.ownership_type, codes.OWNERSHIP_TYPES, "ownership_type",
                                      "企业性质", issues),
        "industry_section": draft.industry_section.strip().upper() or None,
        "industry_class": to_halfwidth(draft.industry_class).strip(),
        "size_group": _check_code(draft.size_group, codes.SIZE_GROUPS, "size_group", "划型行业", issues),
        "size_class_override": _check_code(draft.size_class_override, codes.SIZE_CLASSES,
                                           "size_class_override", "人工划型", issues),
        "size_class_override_reason": clean_line(draft.size_class_override_reason),
        "main_products": clean_text(draft.main_products, multiline=True),
        "four_above_category": _check_code(draft.four_above_category, codes.FOUR_ABOVE_CATEGORIES,
                                           "four_above_category", "四上类别", issues),
        "above_scale": bool(draft.above_scale),
        "above_scale_since": _check_above_scale_month(draft.above_scale_since, issues),
        "high_tech_cert_no": clean_line(to_halfwidth(draft.high_tech_cert_no)),
        "business_status": _check_code(draft.business_status or "active", codes.BUSINESS_STATUSES,
                                       "business_status", "经营状态", issues) or "active",
        "moved_to_county": draft.moved_to_county.strip() or None,
        "remarks": clean_text(draft.remarks, multiline=True),
    }
    _check_texts(draft, values, issues)
    _check_industry_class(str(values["industry_class"]), values["industry_section"], issues)  # type: ignore[arg-type]
    if values["size_class_override"] and not values["size_class_override_reason"]:
        issues.append(Issue("size_class_override_reason", "人工指定企业规模时必须填写理由"))
    if values["above_scale"] and not values["above_scale_since"]:
        issues.append(Issue("above_scale_since", "已标记为规上企业，请填写入统年月（如 2026-03）"))
    if values["business_status"] == "moved_out" and not values["moved_to_county"]:
        issues.append(Issue("moved_to_county", "经营状态为“迁出”时，请填写迁入地（县区代码或名称）"))
    registered = parse_date(draft.registered_on, "registered_on", "成立日期", issues)
    if registered and registered > today:
        issues.append(Issue("registered_on", "成立日期不能晚于今天"))
    values["registered_on"] = registered
    values["high_tech_valid_until"] = parse_date(draft.high_tech_valid_until, "high_tech_valid_until",
                                                 "高新技术企业证书有效期", issues)
    values["name_key"] = name_key(str(values["name"]))
    seen_years: set[int] = set()
    years: list[CleanYear] = []
    for year_draft in draft.years:
        if year_draft.year in seen_years:
            issues.append(Issue(f"years.{year_draft.year}", f"{year_draft.year}年的数据填写了两次"))
            continue
        seen_years.add(year_draft.year)
        years.append(_check_year(year_draft, today, issues))
    return CleanEnterprise(values, years), issues
