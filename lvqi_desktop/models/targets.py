"""Targets of the cultivation plan (培育目标) per scope (city or county), metric and year."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import TravellingRecord

# metric code → (Chinese label, unit). 'tier:<code>' metrics count firms holding that SRDI tier or above.
METRICS: dict[str, tuple[str, str]] = {
    "tier:innovative_sme": ("创新型中小企业（含以上层级）", "户"),
    "tier:srdi_provincial": ("省级专精特新中小企业（含以上层级）", "户"),
    "tier:little_giant_provincial": ("省级专精特新“小巨人”企业（含以上层级）", "户"),
    "tier:little_giant_national": ("国家级专精特新“小巨人”企业", "户"),
    "srdi_display_share": ("专精特新企业挂牌展示比例", "%"),
    "little_giant_listed": ("“小巨人”企业新三板挂牌或上市", "户"),
    "scale_up_entered": ("小升规企业新增入统", "户"),
    "share_reform_completed": ("完成规范化股份制改造", "户"),
    "enterprises_served": ("服务企业数", "户"),
}


ALLOCATED = "市中心下达"  # how the source of a target the city allocated to a county begins (it came in a receipt)
YEARS = range(2000, 2101)  # the years a target may be due
MAX_VALUE = 10_000_000  # as a count is bounded anywhere


def value_problem(metric: str, value: int) -> str | None:
    """Why `value` cannot be the target of `metric` (None: it can)."""
    if value < 0:
        return "目标值不能为负数"
    if metric_unit(metric) == "%" and value > 100:
        return "比例目标不能超过100%"
    if value > MAX_VALUE:
        return "目标值过大，请核对"
    return None


def metric_label(code: str) -> str:
    return METRICS.get(code, (code, ""))[0]


def metric_unit(code: str) -> str:
    return METRICS.get(code, ("", ""))[1]


class Target(EditedInForms, TravellingRecord, Base):
    """One goal: scope (141100 for the city or a county code), metric, the year it is due, the value."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("scope", "metric", "year", name="uq_target_scope_metric_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(6))
    metric: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column()
    value: Mapped[int] = mapped_column()  # 户 or whole percent, per METRICS
    source: Mapped[str] = mapped_column(String(200), default="")

    @property
    def allocated(self) -> bool:
        """Set by the city for a county (a county edition does not change it)."""
        return (self.source or "").startswith(ALLOCATED)
