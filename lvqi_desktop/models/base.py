"""Declarative base with constraint naming, and the mixin every record that travels to the city uses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar

from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import declared_attr
from sqlalchemy.orm import mapped_column

from lvqi_desktop import clock

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:
        __table__: ClassVar[Table]  # every model here maps one table (SQLAlchemy types it as any FromClause)


def new_uuid() -> str:
    return str(uuid.uuid4())


class TravellingRecord:
    """UUID, timestamps and an archive mark: never hard-deleted, so the city learns of removals."""

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(),
                                                 default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp(),
                                                 default=clock.now, onupdate=clock.now)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    archive_reason: Mapped[str | None] = mapped_column(String(200), default=None)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, reason: str) -> None:
        """Archive it now; `reason` is cut to 200 characters, an empty one stored as none."""
        self.archived_at, self.archive_reason = clock.now(), reason[:200] or None


class EditedInForms:
    """A version counter every save raises (SQLAlchemy's `version_id_col`): a form that read version N cannot
    overwrite what another clerk saved meanwhile (services/edit_conflict.py); local, never in a package."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    if TYPE_CHECKING:  # every class using it maps one table with an integer id
        id: Mapped[int]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 (a class-level directive)
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
