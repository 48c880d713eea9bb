"""Tier rule sets, their conditions (thresholds as data), the 规上 lines, and per-year rule inputs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import TravellingRecord


class TierRuleSet(Base):
    """A versioned rule set (2022 63号, 2026 2号); `scores` holds the scoring tables as JSON."""

    __tablename__ = "tier_rule_set"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    document: Mapped[str] = mapped_column(String(120))
    applies_from: Mapped[str] = mapped_column(String(10))  # ISO date new applications use it from
    scores: Mapped[str] = mapped_column(Text, default="[]")


class TierCondition(Base):
    """One condition of a tier under a rule set: Chinese text, a test tree as JSON, and its source."""

    __tablename__ = "tier_condition"
    __table_args__ = (UniqueConstraint("rule_set", "tier", "code", name="uq_tier_condition_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_set: Mapped[str] = mapped_column(ForeignKey("tier_rule_set.code"))
    tier: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(10))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    test: Mapped[str] = mapped_column(Text)  # JSON: {"metric","op","value"} or {"all"|"any": [...]} or {"score"}
    source: Mapped[str] = mapped_column(String(200), default="")
    entered_locally: Mapped[bool] = mapped_column(Boolean, default=False)  # typed by the office, editable


class AboveScaleLine(Base):
    """The 规上/限上 line for a GB/T 4754 section (or a class prefix inside it)."""

    __tablename__ = "above_scale_line"
    section: Mapped[str] = mapped_column(String(1), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(4), primary_key=True, default="")
    category: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(20))  # main_revenue, revenue, qualification, development
    threshold_wan: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(80))


class TierInput(TravellingRecord, Base):
    """Figures the tier rules need beyond the register's yearly figures, per enterprise and year.

    None means "not entered" (the condition is then unknown); 0 or False means "none" / "no".
    """

    __tablename__ = "tier_input"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", name="uq_tier_input_enterprise_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    niche_years: Mapped[int | None] = mapped_column(Integer)  # years in the niche market by the year's end
    new_equity_fen: Mapped[int | None] = mapped_column(BigInteger)  # qualified institutions, paid in
    ip_class1_high_value: Mapped[int | None] = mapped_column(Integer)
    ip_class1_own: Mapped[int | None] = mapped_column(Integer)  # self-developed Ⅰ类
    rd_institution_level: Mapped[str | None] = mapped_column(String(12))
    national_award_rank: Mapped[int | None] = mapped_column(Integer)  # 0 = none, n = placed n-th
    provincial_award_rank: Mapped[int | None] = mapped_column(Integer)
    maker_china_rank: Mapped[int | None] = mapped_column(Integer)  # 创客中国 national ranking, 0 = none
    market_share_bp: Mapped[int | None] = mapped_column(Integer)  # basis points: 10% = 1000
    market_rank: Mapped[int | None] = mapped_column(Integer)  # national rank in the niche, 0 = unranked
    market_leading: Mapped[bool | None] = mapped_column(Boolean)
    digital_level: Mapped[int | None] = mapped_column(Integer)
    quality_award: Mapped[bool | None] = mapped_column(Boolean)
    quality_cert: Mapped[bool | None] = mapped_column(Boolean)
    own_brand: Mapped[bool | None] = mapped_column(Boolean)
    drafted_standard: Mapped[bool | None] = mapped_column(Boolean)
    strategic_emerging: Mapped[bool | None] = mapped_column(Boolean)
    product_field: Mapped[str | None] = mapped_column(String(20))
    key_chain_link: Mapped[bool | None] = mapped_column(Boolean)
    info_system: Mapped[bool | None] = mapped_column(Boolean)
    innovation_title: Mapped[bool | None] = mapped_column(Boolean)  # 高新/技术创新示范/知识产权优势或示范
    no_veto: Mapped[bool | None] = mapped_column(Boolean)  # checked: nothing on the negative list
    platform_score: Mapped[int | None] = mapped_column(Integer)  # 国家梯度培育平台 score
    distinctive_points: Mapped[int | None] = mapped_column(Integer)  # 特色化 points once Shanxi's items are known
    checked_on: Mapped[date | None] = mapped_column(Date)


RD_INSTITUTION_LEVELS = {"national": "国家级", "provincial": "省级", "city": "市级", "below_city": "市级以下",
                         "none": "无"}
PRODUCT_FIELDS = {"six_bases": "工业“六基”", "manufacturing_key": "制造强国十大重点产业领域",
                  "network_key": "网络强国重点领域", "laozihao": "中华老字号", "other": "其他"}

# Columns of tier_input the rules read, and of enterprise_year (money in 分).
INPUT_FIELDS = (
    "niche_years", "new_equity_fen", "ip_class1_high_value", "ip_class1_own", "rd_institution_level",
    "national_award_rank", "provincial_award_rank", "maker_china_rank", "market_share_bp", "market_rank",
    "market_leading", "digital_level", "quality_award", "quality_cert", "own_brand", "drafted_standard",
    "strategic_emerging", "product_field", "key_chain_link", "info_system", "innovation_title", "no_veto",
    "platform_score", "distinctive_points",
)
YEAR_FIELDS = ("revenue_fen", "main_revenue_fen", "net_profit_fen", "total_assets_fen", "total_liabilities_fen",
               "employees", "rd_expense_fen", "rd_staff", "ip_class1", "ip_class2")
