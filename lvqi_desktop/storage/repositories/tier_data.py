"""Queries for the tier checks: rule sets and conditions, 规上 lines, rule inputs, and bulk figure loads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import Township
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.tier_rules import INPUT_FIELDS
from lvqi_desktop.models.tier_rules import YEAR_FIELDS
from lvqi_desktop.models.tier_rules import AboveScaleLine
from lvqi_desktop.models.tier_rules import TierCondition
from lvqi_desktop.models.tier_rules import TierInput
from lvqi_desktop.models.tier_rules import TierRuleSet
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.repositories.rows import AnySelect

ENTERPRISE_COLUMNS = (
    Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.township_code,
    Township.name.label("township_name"), Enterprise.industry_section, Enterprise.industry_class,
    Enterprise.size_class, Enterprise.registered_on, Enterprise.high_tech_valid_until, Enterprise.above_scale,
    Enterprise.business_status,
)


class TierDataRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- rules
    def rule_sets(self) -> Sequence[TierRuleSet]:
        return self.session.scalars(select(TierRuleSet).order_by(TierRuleSet.applies_from)).all()

    def conditions(self) -> Sequence[TierCondition]:
        stmt = select(TierCondition).order_by(TierCondition.rule_set, TierCondition.tier, TierCondition.seq)
        return self.session.scalars(stmt).all()

    def condition(self, condition_id: int) -> TierCondition | None:
        return self.session.get(TierCondition, condition_id)

    def condition_rows(self, rule_set: str, tier: str) -> Sequence[TierCondition]:
        stmt = select(TierCondition).where(TierCondition.rule_set == rule_set, TierCondition.tier == tier)
        return self.session.scalars(stmt.order_by(TierCondition.seq)).all()

    def add_condition(self, condition: TierCondition) -> None:
        self.session.add(condition)

    def delete_condition(self, condition: TierCondition) -> None:
        self.session.delete(condition)  # reference data typed by the office; it does not travel

    def lines(self) -> Sequence[AboveScaleLine]:
        return self.session.scalars(select(AboveScaleLine)).all()

    # ---- rule inputs
    def inputs_of(self, enterprise_id: int) -> Sequence[TierInput]:
        stmt = select(TierInput).where(TierInput.enterprise_id == enterprise_id, TierInput.archived_at.is_(None))
        return self.session.scalars(stmt.order_by(TierInput.year)).all()

    def input_row(self, enterprise_id: int, year: int) -> TierInput | None:
        stmt = select(TierInput).where(TierInput.enterprise_id == enterprise_id, TierInput.year == year)
        return self.session.scalars(stmt).first()

    def add_input(self, row: TierInput) -> None:
        self.session.add(row)

    # ---- bulk loads: one query per table, for checks over every enterprise
    def _rows(self, stmt: AnySelect) -> Sequence[AnyRow]:
        # Plain column rows through the connection skip the ORM's per-row loading (3× faster here).
        return self.session.connection().execute(stmt).all()

    def enterprises(self, ids: Sequence[int] | None = None, county_code: str = "") -> Sequence[AnyRow]:
        stmt = (select(*ENTERPRISE_COLUMNS).outerjoin(Township, Township.code == Enterprise.township_code)
                .where(Enterprise.archived_at.is_(None)))
        if ids is not None:
            stmt = stmt.where(Enterprise.id.in_(ids))
        if county_code:
            stmt = stmt.where(Enterprise.county_code == county_code)
        return self._rows(stmt)

    def year_figures(self, from_year: int, ids: Sequence[int] | None = None) -> Sequence[AnyRow]:
        cols = [getattr(EnterpriseYear, name) for name in YEAR_FIELDS]
        stmt = select(EnterpriseYear.enterprise_id, EnterpriseYear.year, *cols).where(
            EnterpriseYear.year >= from_year, EnterpriseYear.archived_at.is_(None))
        if ids is not None:
            stmt = stmt.where(EnterpriseYear.enterprise_id.in_(ids))
        return self._rows(stmt)

    def revenue_figures(self, from_year: int, ids: Sequence[int] | None = None) -> Sequence[AnyRow]:
        """(enterprise_id, year, revenue_fen, main_revenue_fen) of every firm (or of `ids`): the 规上 check's
        only need."""
        y = EnterpriseYear
        stmt = select(y.enterprise_id, y.year, y.revenue_fen, y.main_revenue_fen).where(
            y.year >= from_year, y.archived_at.is_(None))
        if ids is not None:
            stmt = stmt.where(y.enterprise_id.in_(ids))
        return self._rows(stmt)

    def pooled_year_figures(self, pool: str, from_year: int) -> Sequence[AnyRow]:
        """All yearly figures of the firms with a current record in `pool`."""
        in_pool = select(CultivationRecord.enterprise_id).where(CultivationRecord.pool == pool,
                                                                CultivationRecord.archived_at.is_(None))
        cols = [getattr(EnterpriseYear, name) for name in YEAR_FIELDS]
        stmt = select(EnterpriseYear.enterprise_id, EnterpriseYear.year, *cols).where(
            EnterpriseYear.year >= from_year, EnterpriseYear.archived_at.is_(None),
            EnterpriseYear.enterprise_id.in_(in_pool))
        return self._rows(stmt)

    def input_figures(self, ids: Sequence[int] | None = None) -> Sequence[AnyRow]:
        cols = [getattr(TierInput, name) for name in INPUT_FIELDS]
        stmt = select(TierInput.enterprise_id, TierInput.year, *cols).where(TierInput.archived_at.is_(None))
        if ids is not None:
            stmt = stmt.where(TierInput.enterprise_id.in_(ids))
        return self._rows(stmt)

    def active_records(self, pools: Sequence[str], ids: Sequence[int] | None = None) -> Sequence[AnyRow]:
        r = CultivationRecord
        stmt = select(r.id, r.enterprise_id, r.pool, r.tier, r.status, r.rule_set, r.recognized_on, r.valid_until,
                      r.prerequisite_valid_until).where(r.archived_at.is_(None), r.pool.in_(pools))
        if ids is not None:
            stmt = stmt.where(r.enterprise_id.in_(ids))
        return self._rows(stmt)

