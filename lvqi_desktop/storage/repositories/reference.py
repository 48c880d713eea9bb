"""Queries over reference data and the office identity."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import AppMeta
from lvqi_desktop.models import County
from lvqi_desktop.models import IndustrySection
from lvqi_desktop.models import Office
from lvqi_desktop.models import Operator
from lvqi_desktop.models import Setting
from lvqi_desktop.models import SizeClassRule
from lvqi_desktop.models import Township


class ReferenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def counties(self) -> Sequence[County]:
        return self.session.scalars(select(County).order_by(County.code)).all()

    def county(self, code: str) -> County | None:
        return self.session.get(County, code)

    def townships(self, county_code: str | None = None) -> Sequence[Township]:
        stmt = select(Township).order_by(Township.code)
        if county_code:
            stmt = stmt.where(Township.county_code == county_code)
        return self.session.scalars(stmt).all()

    def township(self, code: str) -> Township | None:
        return self.session.get(Township, code)

    def sections(self) -> Sequence[IndustrySection]:
        return self.session.scalars(select(IndustrySection).order_by(IndustrySection.code)).all()

    def section(self, code: str) -> IndustrySection | None:
        return self.session.get(IndustrySection, code)

    def size_rules(self) -> Sequence[SizeClassRule]:
        return self.session.scalars(select(SizeClassRule).order_by(SizeClassRule.seq)).all()

    def size_rule(self, group_code: str) -> SizeClassRule | None:
        return self.session.get(SizeClassRule, group_code)


class OfficeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def office(self) -> Office | None:
        return self.session.get(Office, 1)

    def save_office(self, office: Office) -> None:
        office.id = 1
        self.session.add(office)

    def operators(self, active_only: bool = True) -> Sequence[Operator]:
        stmt = select(Operator).order_by(Operator.id)
        if active_only:
            stmt = stmt.where(Operator.active.is_(True))
        return self.session.scalars(stmt).all()

    def operator_by_name(self, name: str) -> Operator | None:
        return self.session.scalars(select(Operator).where(Operator.name == name)).first()

    def add_operator(self, operator: Operator) -> None:
        self.session.add(operator)

    def setting(self, key: str) -> str | None:
        row = self.session.get(Setting, key)
        return row.value if row else None

    def set_setting(self, key: str, value: str) -> None:
        row = self.session.get(Setting, key)
        if row is None:
            self.session.add(Setting(key=key, value=value))
        else:
            row.value = value

    def meta(self, key: str) -> str | None:
        row = self.session.get(AppMeta, key)
        return row.value if row else None
