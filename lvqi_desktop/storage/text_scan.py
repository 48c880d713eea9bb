"""Every stored text of every table, for finding what an older version let in (the change history excepted)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator

from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from lvqi_desktop.models import Base
from lvqi_desktop.models.history import ChangeRecord


class TextScan:
    """The scan over a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def texts_where(self, wanted: Callable[[str], object]) -> Iterator[tuple[Base, str, str]]:
        """(row, attribute, text) of each stored text for which `wanted` holds; the change history is a record of
        what was, so it is never offered for repair. SQLite calls `wanted` on each text, so only the rows that
        hold one are loaded as objects."""
        session = self.session
        on_sqlite = session.get_bind().dialect.name == "sqlite"
        if on_sqlite:
            raw = session.connection().connection.driver_connection
            assert raw is not None  # a checked-out connection always holds its DB-API connection
            raw.create_function("lvqi_wanted", 1, lambda v: isinstance(v, str) and bool(wanted(v)), deterministic=True)
        for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
            cls = mapper.class_
            if cls is ChangeRecord:
                continue
            keys = [attr.key for attr in mapper.column_attrs if isinstance(attr.columns[0].type, String)]
            if not keys:
                continue
            columns = [getattr(cls, key) for key in keys]
            # PostgreSQL runs no Python: every row is read and `wanted` asked here (a rare, whole-database check)
            query = select(cls).where(or_(*(func.lvqi_wanted(c) for c in columns))) if on_sqlite else select(cls)
            for row in session.scalars(query.execution_options(yield_per=2000)):
                for key in keys:
                    value = getattr(row, key)
                    if isinstance(value, str) and wanted(value):
                        yield row, key, value
