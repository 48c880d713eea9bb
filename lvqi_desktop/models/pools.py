"""Cultivation pools as reference data (pools, tiers, statuses, allowed transitions, listing venues)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import Boolean
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base


class Pool(Base):
    """One kind of pool (小升规, 专精特新, 股改, 上市挂牌后备), seeded from cultivation_pools.json."""

    __tablename__ = "pool"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    initial_status: Mapped[str] = mapped_column(String(20))
    annual_update_due: Mapped[str] = mapped_column(String(5), default="")  # MM-DD, empty = none
    annual_update_remind_days: Mapped[int] = mapped_column(Integer, default=0)


class PoolTier(Base):
    """A tier of a pool in ladder order; `prerequisite` names a tier whose valid title it needs."""

    __tablename__ = "pool_tier"
    pool_code: Mapped[str] = mapped_column(ForeignKey("pool.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    name_2026: Mapped[str] = mapped_column(String(40), default="")
    valid_years: Mapped[int] = mapped_column(Integer, default=0)
    prerequisite: Mapped[str] = mapped_column(String(30), default="")


class PoolStatus(Base):
    """A status of a pool and what entering it requires (a reason, a month, a recognition date)."""

    __tablename__ = "pool_status"
    pool_code: Mapped[str] = mapped_column(ForeignKey("pool.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    holds_title: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_reason: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_month: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_recognition: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    terminal: Mapped[bool] = mapped_column(Boolean, default=False)


class PoolTransition(Base):
    """One allowed status change within a pool."""

    __tablename__ = "pool_transition"
    pool_code: Mapped[str] = mapped_column(ForeignKey("pool.code"), primary_key=True)
    from_status: Mapped[str] = mapped_column(String(20), primary_key=True)
    to_status: Mapped[str] = mapped_column(String(20), primary_key=True)


class ListingVenue(Base):
    """Where a firm is shown or listed; `board_name` is editable (e.g. the equity center's board)."""

    __tablename__ = "listing_venue"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    board_name: Mapped[str] = mapped_column(String(40), default="")
    listed: Mapped[bool] = mapped_column(Boolean, default=False)  # 新三板 or an exchange, not display only


@dataclass(frozen=True)
class TierDef:
    code: str
    seq: int
    name: str
    name_2026: str
    valid_years: int
    prerequisite: str


@dataclass(frozen=True)
class StatusDef:
    code: str
    seq: int
    name: str
    holds_title: bool
    needs_reason: bool
    needs_month: bool
    needs_recognition: bool
    needs_completion: bool
    terminal: bool


@dataclass(frozen=True)
class PoolDef:
    """One pool with its tiers, statuses and transitions, as plain data for rules and pages."""

    code: str
    name: str
    initial_status: str
    annual_update_due: str
    annual_update_remind_days: int
    tiers: dict[str, TierDef] = field(default_factory=dict)
    statuses: dict[str, StatusDef] = field(default_factory=dict)
    transitions: frozenset[tuple[str, str]] = frozenset()

    def allows(self, from_status: str, to_status: str) -> bool:
        return (from_status, to_status) in self.transitions

    def next_statuses(self, from_status: str) -> list[str]:
        found = [to for (frm, to) in self.transitions if frm == from_status]
        return sorted(found, key=lambda code: self.statuses[code].seq)

    def tier_label(self, code: str | None, rule_set: str | None = None) -> str:
        tier = self.tiers.get(code or "")
        if tier is None:
            return code or ""
        return tier.name_2026 if rule_set == "2026" and tier.name_2026 else tier.name

    def status_label(self, code: str) -> str:
        status = self.statuses.get(code)
        return status.name if status else code

    def ladder(self) -> list[TierDef]:
        return sorted(self.tiers.values(), key=lambda t: t.seq)


@dataclass(frozen=True)
class VenueDef:
    code: str
    name: str
    board_name: str
    listed: bool

    @property
    def label(self) -> str:
        return f"{self.name}（{self.board_name}）" if self.board_name else self.name


@dataclass(frozen=True)
class PoolCatalog:
    """Every pool and listing venue; loaded from the reference tables once per use case."""

    pools: dict[str, PoolDef]
    venues: dict[str, VenueDef]

    def pool(self, code: str) -> PoolDef | None:
        return self.pools.get(code)

    def pool_label(self, code: str) -> str:
        pool = self.pools.get(code)
        return pool.name if pool else code

    def venue_label(self, code: str | None) -> str:
        venue = self.venues.get(code or "")
        return venue.label if venue else ""


def tiers_above(pool: PoolDef, code: str | None) -> list[str]:
    """The tiers above `code` in ladder order (all tiers when `code` is empty)."""
    current = pool.tiers.get(code or "")
    return [t.code for t in pool.ladder() if current is None or t.seq > current.seq]
