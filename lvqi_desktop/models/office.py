"""The installation's identity, its operators, settings and database metadata (all travel in backups)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base

OFFICE_KIND_COUNTY = "county"
OFFICE_KIND_CITY = "city"
CITY_CODE = "141100"
CITY_CENTER_NAME = "吕梁市中小企业服务中心"


class Office(Base):
    """The single row saying which office this installation is (a county, or the city center)."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("county.code"))
    name: Mapped[str] = mapped_column(String(100))
    default_preparer: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    @property
    def office_code(self) -> str:
        return self.county_code or CITY_CODE


class Operator(Base):
    """A person who works with the program; changes are recorded under their name."""

    __tablename__ = "operator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Setting(Base):
    """A named setting stored as JSON text."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AppMeta(Base):
    """Facts about the database file itself, e.g. the minimum program version that can open it."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
