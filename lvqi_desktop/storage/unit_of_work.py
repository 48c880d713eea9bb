"""Unit of work: one session per use case; leaving without commit() rolls everything back."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lvqi_desktop.storage.database import make_session_factory
from lvqi_desktop.storage.repositories.enterprises import EnterpriseRepository
from lvqi_desktop.storage.repositories.reference import OfficeRepository, ReferenceRepository


class UnitOfWork:
    """`with uow:` opens a session tagged with the operator; `uow.commit()` makes the work stick."""

    session: Session
    enterprises: EnterpriseRepository
    reference: ReferenceRepository
    office: OfficeRepository

    def __init__(self, session_factory: sessionmaker[Session], operator: str) -> None:
        self._factory = session_factory
        self.operator = operator

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.session.info["operator"] = self.operator
        self.enterprises = EnterpriseRepository(self.session)
        self.reference = ReferenceRepository(self.session)
        self.office = OfficeRepository(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()


class Database:
    """The open database: engine, session factory and the operator whose name changes are recorded under."""

    def __init__(self, engine: Engine, operator: str = "") -> None:
        self.engine = engine
        self.session_factory = make_session_factory(engine)
        self.operator = operator

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.operator)

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        return self.unit_of_work

    def dispose(self) -> None:
        self.engine.dispose()
