"""Checks for the per-year inputs the tier rules need (细分市场年限, 股权融资, 高价值知识产权 …)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation

from lvqi_desktop.errors import Issue
from lvqi_desktop.models.tier_rules import PRODUCT_FIELDS
from lvqi_desktop.models.tier_rules import RD_INSTITUTION_LEVELS
from lvqi_desktop.validation.numbers import parse_count
from lvqi_desktop.validation.numbers import parse_wan_to_fen
from lvqi_desktop.validation.text import to_halfwidth

COUNTS = {"niche_years": ("从事细分市场年限", 200), "ip_class1_high_value": ("Ⅰ类高价值知识产权", 100000),
          "ip_class1_own": ("自主研发Ⅰ类知识产权", 100000), "national_award_rank": ("国家级科技奖励排名", 1000),
          "provincial_award_rank": ("省级科技奖励排名", 1000), "maker_china_rank": ("创客中国全国排名", 100000),
          "market_rank": ("全国细分市场排名", 100000), "digital_level": ("数字化水平等级", 6),
          "platform_score": ("国家平台评价得分", 100), "distinctive_points": ("特色化指标得分", 15)}
FLAGS = {"market_leading": "细分市场占有率较为靠前", "quality_award": "获省级以上质量奖",
         "quality_cert": "质量/管理体系或产品认证", "own_brand": "拥有自主品牌", "drafted_standard": "参与制定标准",
         "strategic_emerging": "属于战略性新兴产业", "key_chain_link": "位于产业链关键环节",
         "info_system": "核心业务采用信息系统", "innovation_title": "高新技术企业等有效资质",
         "no_veto": "已核实无负面清单情形"}
CODES = {"rd_institution_level": ("研发机构级别", RD_INSTITUTION_LEVELS),
         "product_field": ("主导产品所属领域", PRODUCT_FIELDS)}
_YES = {"是", "有", "y", "yes", "true", "1"}
_NO = {"否", "无", "n", "no", "false", "0"}


@dataclass
class TierInputDraft:
    """One year's rule inputs as typed; empty = not known (the condition stays 待补数据)."""

    year: int
    niche_years: str = ""
    new_equity: str = ""  # 万元, new qualified equity financing paid in during the year
    ip_class1_high_value: str = ""
    ip_class1_own: str = ""
    rd_institution_level: str = ""
    national_award_rank: str = ""  # 0 = none that year
    provincial_award_rank: str = ""
    maker_china_rank: str = ""
    market_share: str = ""  # percent
    market_rank: str = ""
    market_leading: str = ""  # 是 / 否 / empty
    digital_level: str = ""
    quality_award: str = ""
    quality_cert: str = ""
    own_brand: str = ""
    drafted_standard: str = ""
    strategic_emerging: str = ""
    product_field: str = ""
    key_chain_link: str = ""
    info_system: str = ""
    innovation_title: str = ""
    no_veto: str = ""
    platform_score: str = ""
    distinctive_points: str = ""


def _flag(text: str, field: str, label: str, issues: list[Issue]) -> bool | None:
    plain = to_halfwidth(text).strip().lower()
    if not plain:
        return None
    if plain in _YES:
        return True
    if plain in _NO:
        return False
    issues.append(Issue(field, f"{label}请填“是”或“否”（不清楚可留空）"))
    return None


def _share_bp(text: str, issues: list[Issue]) -> int | None:
    plain = to_halfwidth(text).replace("%", "").strip()
    if not plain:
        return None
    try:
        pct = Decimal(plain)
    except InvalidOperation:
        issues.append(Issue("market_share", "市场占有率应为百分数，如 12.5"))
        return None
    if not 0 <= pct <= 100:
        issues.append(Issue("market_share", "市场占有率应在 0 到 100 之间"))
        return None
    return int((pct * 100).to_integral_value())


def clean_tier_input(draft: TierInputDraft, today: date) -> tuple[dict[str, object], list[Issue]]:
    """Column values for tier_input and every issue (field names carry the year: 2025.niche_years)."""
    issues: list[Issue] = []
    prefix = f"{draft.year}年"
    if not 1950 <= draft.year <= today.year:
        issues.append(Issue(f"{draft.year}", f"年度{draft.year}不在1950年至今年之间"))
    v: dict[str, object] = {}
    for name, (label, top) in COUNTS.items():
        value = parse_count(getattr(draft, name), f"{draft.year}.{name}", prefix + label, issues)
        if value is not None and value > top:
            issues.append(Issue(f"{draft.year}.{name}", f"{prefix}{label}不能大于{top}"))
        v[name] = value
    for name, label in FLAGS.items():
        v[name] = _flag(getattr(draft, name), f"{draft.year}.{name}", prefix + label, issues)
    for name, (label, table) in CODES.items():
        raw = getattr(draft, name).strip()
        code = next((c for c, text in table.items() if raw in (c, text)), None) if raw else None
        if raw and code is None:
            issues.append(Issue(f"{draft.year}.{name}", f"{prefix}{label}请从列表中选择：{'、'.join(table.values())}"))
        v[name] = code
    v["new_equity_fen"] = parse_wan_to_fen(draft.new_equity, f"{draft.year}.new_equity", prefix + "新增股权融资",
                                           allow_negative=False, issues=issues)
    v["market_share_bp"] = _share_bp(draft.market_share, issues)
    return v, issues
