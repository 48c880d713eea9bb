"""The figures tier conditions test (营业收入, 研发强度, 细分市场年限 …), computed from one firm's facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from lvqi_desktop.models.tier_rules import INPUT_FIELDS
from lvqi_desktop.models.tier_rules import PRODUCT_FIELDS
from lvqi_desktop.models.tier_rules import RD_INSTITUTION_LEVELS
from lvqi_desktop.models.tier_rules import YEAR_FIELDS

__all__ = ["INPUT_FIELDS", "YEAR_FIELDS", "FirmFacts", "Figure", "YearFigures", "METRICS"]

FEN_PER_WAN = 1_000_000
SME_CLASSES = frozenset({"2", "3", "4"})


@dataclass(slots=True)
class YearFigures:
    """The register's figures for one year (money in 分); None = not entered."""

    revenue_fen: int | None = None
    main_revenue_fen: int | None = None
    net_profit_fen: int | None = None
    total_assets_fen: int | None = None
    total_liabilities_fen: int | None = None
    employees: int | None = None
    rd_expense_fen: int | None = None
    rd_staff: int | None = None
    ip_class1: int | None = None
    ip_class2: int | None = None




@dataclass
class FirmFacts:
    """Everything the rules may look at for one firm, as of one date; `base_year` is "last year"."""

    as_of: date
    base_year: int
    size_class: str | None = None
    registered_on: date | None = None
    high_tech_valid_until: date | None = None
    years: dict[int, YearFigures] = field(default_factory=dict)
    inputs: dict[int, dict[str, object]] = field(default_factory=dict)  # year → {INPUT_FIELDS: value}
    held_tiers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Figure:
    """A value a condition used, and the year (or years) it came from."""

    value: object
    year: str


Metric = Callable[[FirmFacts], Figure | None]


def _year(f: FirmFacts, y: int, name: str) -> int | None:
    figures = f.years.get(y)
    return None if figures is None else getattr(figures, name)


def _wan(fen: int | None) -> float | None:
    return None if fen is None else fen / FEN_PER_WAN


def _ratio(a: int | None, b: int | None) -> float | None:
    return None if a is None or not b or b <= 0 else a * 100.0 / b


def _yearly(name: str, money: bool = False) -> Metric:
    def metric(f: FirmFacts) -> Figure | None:
        v = _year(f, f.base_year, name)
        return None if v is None else Figure(_wan(v) if money else v, str(f.base_year))
    return metric


def _ratio_of(num: str, den: str, offset: int = 0) -> Metric:
    def metric(f: FirmFacts) -> Figure | None:
        y = f.base_year - offset
        v = _ratio(_year(f, y, num), _year(f, y, den))
        return None if v is None else Figure(v, str(y))
    return metric


def _growth(f: FirmFacts, name: str, y: int) -> float | None:
    now, before = _year(f, y, name), _year(f, y - 1, name)
    return None if now is None or not before or before <= 0 else (now / before - 1) * 100


def _main_growth(f: FirmFacts) -> Figure | None:
    v = _growth(f, "main_revenue_fen", f.base_year)
    return None if v is None else Figure(v, f"{f.base_year - 1}–{f.base_year}")


def _main_growth_avg_2y(f: FirmFacts) -> Figure | None:
    a, b = _growth(f, "main_revenue_fen", f.base_year), _growth(f, "main_revenue_fen", f.base_year - 1)
    return None if a is None or b is None else Figure((a + b) / 2, f"{f.base_year - 2}–{f.base_year}")


def _revenue_cagr_2y(f: FirmFacts) -> Figure | None:
    now, start = _year(f, f.base_year, "revenue_fen"), _year(f, f.base_year - 2, "revenue_fen")
    if now is None or not start or start <= 0 or now < 0:
        return None
    return Figure(((now / start) ** 0.5 - 1) * 100, f"{f.base_year - 2}–{f.base_year}")


def _two_years(values: Callable[[FirmFacts, int], float | None], combine: Callable[[list[float]], float]
               ) -> Metric:
    def metric(f: FirmFacts) -> Figure | None:
        got = [values(f, y) for y in (f.base_year - 1, f.base_year)]
        if any(v is None for v in got):
            return None
        return Figure(combine([v for v in got if v is not None]), f"{f.base_year - 1}–{f.base_year}")
    return metric


def _rd_wan(f: FirmFacts, y: int) -> float | None:
    return _wan(_year(f, y, "rd_expense_fen"))


def _rd_ratio(f: FirmFacts, y: int) -> float | None:
    return _ratio(_year(f, y, "rd_expense_fen"), _year(f, y, "revenue_fen"))


def _latest_input(f: FirmFacts, name: str, upto: int) -> tuple[object, int] | None:
    for y in sorted(f.inputs, reverse=True):
        if y <= upto and f.inputs[y].get(name) is not None:
            return f.inputs[y][name], y
    return None


def _input(name: str, scale: float = 1.0, ahead: int = 0) -> Metric:
    def metric(f: FirmFacts) -> Figure | None:
        found = _latest_input(f, name, f.base_year + ahead)
        if found is None:
            return None
        value, y = found
        return Figure(value / scale if scale != 1.0 else value, str(y))  # type: ignore[operator]
    return metric


def _niche_years(f: FirmFacts) -> Figure | None:
    found = _latest_input(f, "niche_years", f.base_year)
    if found is None:
        return None
    value, y = found
    return Figure(int(value) + (f.base_year - y), str(f.base_year))  # type: ignore[call-overload]


def _equity(years: int) -> Metric:
    def metric(f: FirmFacts) -> Figure | None:
        span = range(f.base_year - years + 1, f.base_year + 1)
        values = [f.inputs.get(y, {}).get("new_equity_fen") for y in span]
        if any(v is None for v in values):
            return None
        return Figure(sum(int(v) for v in values) / FEN_PER_WAN, f"{span[0]}–{span[-1]}")  # type: ignore[call-overload]
    return metric


def _best_rank(name: str) -> Metric:
    """Best placing in the last 3 years; 0 when every year says none, unknown if a year is missing."""
    def metric(f: FirmFacts) -> Figure | None:
        span = range(f.base_year - 2, f.base_year + 1)
        values = [f.inputs.get(y, {}).get(name) for y in span]
        placed = [int(v) for v in values if v]  # type: ignore[call-overload]
        if placed:
            return Figure(min(placed), f"{span[0]}–{span[-1]}")
        if any(v is None for v in values):
            return None
        return Figure(0, f"{span[0]}–{span[-1]}")
    return metric


def _quality_items(f: FirmFacts) -> Figure | None:
    names = ("quality_award", "quality_cert", "own_brand", "drafted_standard")
    for y in sorted(f.inputs, reverse=True):
        if y > f.base_year:
            continue
        row = f.inputs[y]
        flags = [row.get(n) for n in names]
        if all(v is None for v in flags):
            continue
        count = sum(1 for v in flags if v)
        if count >= 2 or all(v is not None for v in flags):
            return Figure(count, str(y))
        return None
    return None


def _innovation_title(f: FirmFacts) -> Figure | None:
    if f.high_tech_valid_until is not None and f.high_tech_valid_until >= f.as_of:
        return Figure(True, f"高新证书有效期至{f.high_tech_valid_until.isoformat()}")
    return _input("innovation_title")(f)


def _is_sme(f: FirmFacts) -> Figure | None:
    return None if f.size_class is None else Figure(f.size_class in SME_CLASSES, "划型")


def _years_in_business(f: FirmFacts) -> Figure | None:
    if f.registered_on is None:
        return None
    d, r = f.as_of, f.registered_on
    return Figure(d.year - r.year - ((d.month, d.day) < (r.month, r.day)), f"成立于{r.isoformat()}")


def _holds(tier: str) -> Metric:
    return lambda f: Figure(tier in f.held_tiers, "培育库记录")


# name → (Chinese label, unit, computation). Units: 万元, %, 年, 项, 分, 名, bool, code.
METRICS: dict[str, tuple[str, str, Metric]] = {
    "revenue_wan": ("营业收入", "万元", _yearly("revenue_fen", money=True)),
    "main_revenue_wan": ("主营业务收入", "万元", _yearly("main_revenue_fen", money=True)),
    "main_share_pct": ("主营业务收入占营业收入比重", "%", _ratio_of("main_revenue_fen", "revenue_fen")),
    "debt_ratio_pct": ("资产负债率", "%", _ratio_of("total_liabilities_fen", "total_assets_fen")),
    "net_margin_pct": ("净利润率", "%", _ratio_of("net_profit_fen", "revenue_fen")),
    "rd_expense_wan": ("研发费用", "万元", _yearly("rd_expense_fen", money=True)),
    "rd_ratio_pct": ("研发费用占营业收入比重", "%", _ratio_of("rd_expense_fen", "revenue_fen")),
    "rd_staff_pct": ("研发人员占比", "%", _ratio_of("rd_staff", "employees")),
    "rd_expense_min_2y_wan": ("近2年研发费用（较低一年）", "万元", _two_years(_rd_wan, min)),
    "rd_ratio_min_2y_pct": ("近2年研发强度（较低一年）", "%", _two_years(_rd_ratio, min)),
    "rd_expense_sum_2y_wan": ("近2年研发费用合计", "万元", _two_years(_rd_wan, sum)),
    "rd_expense_avg_2y_wan": ("近2年研发费用年均", "万元", _two_years(_rd_wan, lambda v: sum(v) / 2)),
    "main_growth_pct": ("主营业务收入增长率", "%", _main_growth),
    "main_growth_avg_2y_pct": ("近2年主营业务收入平均增长率", "%", _main_growth_avg_2y),
    "revenue_cagr_2y_pct": ("近2年营业收入复合增长率", "%", _revenue_cagr_2y),
    "ip_class1": ("Ⅰ类知识产权", "项", _yearly("ip_class1")),
    "ip_class2": ("Ⅱ类知识产权", "项", _yearly("ip_class2")),
    "ip_class1_high_value": ("Ⅰ类高价值知识产权", "项", _input("ip_class1_high_value")),
    "ip_class1_own": ("自主研发Ⅰ类知识产权", "项", _input("ip_class1_own")),
    "niche_years": ("从事特定细分市场年限", "年", _niche_years),
    "equity_2y_wan": ("近2年新增股权融资", "万元", _equity(2)),
    "equity_3y_wan": ("近3年新增股权融资", "万元", _equity(3)),
    "national_award_rank_3y": ("近3年国家级科技奖励（排名）", "名", _best_rank("national_award_rank")),
    "provincial_award_rank_3y": ("近3年省级科技奖励（排名）", "名", _best_rank("provincial_award_rank")),
    "maker_china_rank_3y": ("近3年创客中国全国排名", "名", _best_rank("maker_china_rank")),
    "rd_institution_level": ("研发机构级别", "code", _input("rd_institution_level")),
    "market_share_pct": ("主导产品全国细分市场占有率", "%", _input("market_share_bp", scale=100.0)),
    "market_rank": ("主导产品全国细分市场排名", "名", _input("market_rank")),
    "market_leading": ("细分市场占有率较为靠前", "bool", _input("market_leading")),
    "digital_level": ("数字化水平等级", "级", _input("digital_level")),
    "quality_items": ("质量管理项目数", "项", _quality_items),
    "quality_cert": ("管理体系或产品认证", "bool", _input("quality_cert")),
    "own_brand": ("拥有自主品牌", "bool", _input("own_brand")),
    "strategic_emerging": ("属于战略性新兴产业", "bool", _input("strategic_emerging")),
    "product_field": ("主导产品所属领域", "code", _input("product_field")),
    "key_chain_link": ("位于产业链关键环节", "bool", _input("key_chain_link")),
    "info_system": ("核心业务采用信息系统", "bool", _input("info_system")),
    "innovation_title": ("高新技术企业等有效资质", "bool", _innovation_title),
    "no_veto": ("无负面清单情形（已核实）", "bool", _input("no_veto")),
    "platform_score": ("国家平台评价得分", "分", _input("platform_score", ahead=1)),
    "distinctive_points": ("特色化指标得分", "分", _input("distinctive_points", ahead=1)),
    "is_sme": ("属于中小企业", "bool", _is_sme),
    "years_in_business": ("持续经营年限", "年", _years_in_business),
    "holds_innovative_sme": ("持有创新型中小企业称号", "bool", _holds("innovative_sme")),
    "holds_srdi_provincial": ("持有有效的省级专精特新称号", "bool", _holds("srdi_provincial")),
}
CODE_LABELS = {"rd_institution_level": RD_INSTITUTION_LEVELS, "product_field": PRODUCT_FIELDS}


def metric_label(name: str) -> str:
    return METRICS[name][0] if name in METRICS else name


def format_value(name: str, value: object) -> str:
    """A figure as the gap report shows it: 1,234.50万元, 3.20%, 是/否, 第2名, 国家级 …"""
    unit = METRICS[name][1] if name in METRICS else ""
    if isinstance(value, list):
        return "、".join(format_value(name, v) for v in value)
    if unit == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if unit == "code":
        return CODE_LABELS.get(name, {}).get(str(value), str(value))
    if unit == "名":
        return "无" if not value else f"第{value}名"
    if unit in ("万元", "%") and isinstance(value, int | float):
        return f"{value:,.2f}{unit}"
    return f"{value}{unit}"
