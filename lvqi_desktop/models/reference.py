"""Reference data seeded at set-up: counties, townships, GB/T 4754 sections, the 300号 size table."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from lvqi_desktop.models.base import Base


class County(Base):
    """One of Lüliang's 13 county-level units, keyed by its 6-digit division code."""

    __tablename__ = "county"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Township(Base):
    """A township, town, street or development zone, keyed by its 9-digit code (names repeat)."""

    __tablename__ = "township"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    county_code: Mapped[str] = mapped_column(ForeignKey("county.code"), index=True)


class IndustrySection(Base):
    """A GB/T 4754-2017 section letter A–T."""

    __tablename__ = "industry_section"
    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class SizeClassRule(Base):
    """One industry group of 工信部联企业〔2011〕300号: its bounds in 人 and 万元 (null = not used)."""

    __tablename__ = "size_class_rule"
    group_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    e_upper: Mapped[int | None] = mapped_column(Integer)
    r_upper: Mapped[int | None] = mapped_column(Integer)
    a_upper: Mapped[int | None] = mapped_column(Integer)
    e_medium: Mapped[int | None] = mapped_column(Integer)
    r_medium: Mapped[int | None] = mapped_column(Integer)
    a_medium: Mapped[int | None] = mapped_column(Integer)
    e_small: Mapped[int | None] = mapped_column(Integer)
    r_small: Mapped[int | None] = mapped_column(Integer)
    a_small: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(80), default="工信部联企业〔2011〕300号")
