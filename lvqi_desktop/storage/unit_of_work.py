"""Unit of work: one session per use case; leaving without commit() rolls everything back."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from lvqi_desktop.errors import DiskFull
from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ReadOnlyData
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.errors import is_disk_full
from lvqi_desktop.models.base import EditedInForms
from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.storage.database import make_session_factory
from lvqi_desktop.storage.enrolled_keys import EnrolledKeys
from lvqi_desktop.storage.exchange_log import ExchangeLog
from lvqi_desktop.storage.history import current_batch
from lvqi_desktop.storage.repositories.bases import BaseRepository
from lvqi_desktop.storage.repositories.dashboard_counts import DashboardCounts
from lvqi_desktop.storage.repositories.demands import DemandRepository
from lvqi_desktop.storage.repositories.demo_rows import DemoRows
from lvqi_desktop.storage.repositories.enterprises import EnterpriseRepository
from lvqi_desktop.storage.repositories.helpers import HelperRepository
from lvqi_desktop.storage.repositories.history import HistoryRepository
from lvqi_desktop.storage.repositories.import_sources import ImportSources
from lvqi_desktop.storage.repositories.integrity import IntegrityChecks
from lvqi_desktop.storage.repositories.monitoring import MonitoringRepository
from lvqi_desktop.storage.repositories.package_records import PackageRecords
from lvqi_desktop.storage.repositories.period_locks import PeriodLocks
from lvqi_desktop.storage.repositories.pool_counts import PoolCounts
from lvqi_desktop.storage.repositories.pools import PoolRepository
from lvqi_desktop.storage.repositories.reference import OfficeRepository
from lvqi_desktop.storage.repositories.reference import ReferenceRepository
from lvqi_desktop.storage.repositories.return_sources import ReturnSourceRepository
from lvqi_desktop.storage.repositories.targets import TargetRepository
from lvqi_desktop.storage.repositories.tier_data import TierDataRepository
from lvqi_desktop.storage.repositories.visits import VisitRepository
from lvqi_desktop.storage.server import explain
from lvqi_desktop.storage.server import login_role
from lvqi_desktop.storage.text_scan import TextScan


class UnitOfWork:
    """`with uow:` opens a session tagged with the operator; `uow.commit()` makes the work stick.

    Services reach storage only through the repositories below, never through `session` itself
    (tests/program/test_layers.py holds it)."""

    session: Session
    enterprises: EnterpriseRepository
    reference: ReferenceRepository
    office: OfficeRepository
    helpers: HelperRepository
    visits: VisitRepository
    demands: DemandRepository
    history: HistoryRepository

    def __init__(self, session_factory: sessionmaker[Session], operator: str, session_id: str = "") -> None:
        self._factory = session_factory
        self.operator = operator
        self.session_id = session_id

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self._versioned: list[tuple[EditedInForms, int]] = []  # raise_version: (record, version when read)
        self.session.info["operator"] = self.operator
        self.session.info["session_id"] = self.session_id
        self.enterprises = EnterpriseRepository(self.session)
        self.reference = ReferenceRepository(self.session)
        self.office = OfficeRepository(self.session)
        self.helpers, self.visits, self.demands = (HelperRepository(self.session), VisitRepository(self.session),
                                                   DemandRepository(self.session))
        self.history = HistoryRepository(self.session)
        self.exchange_log, self.enrolled_keys = ExchangeLog(self.session), EnrolledKeys(self.session)
        self.bases = BaseRepository(self.session)
        self.dashboard_counts = DashboardCounts(self.session)
        self.import_sources = ImportSources(self.session)
        self.monitoring = MonitoringRepository(self.session)
        self.pools = PoolRepository(self.session)
        self.return_sources = ReturnSourceRepository(self.session)
        self.pool_counts = PoolCounts(self.session)
        self.targets = TargetRepository(self.session)
        self.tier_data = TierDataRepository(self.session)
        self.integrity, self.text_scan = IntegrityChecks(self.session), TextScan(self.session)
        self.package_records, self.period_locks = PackageRecords(self.session), PeriodLocks(self.session)
        self.demo_rows = DemoRows(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        bind = self.session.get_bind()
        database = bind.engine.url.database
        try:
            self.session.rollback()
            self.session.close()
        except DBAPIError:  # the server went away: it rolls the transaction back itself
            if exc is None or bind.dialect.name == "sqlite":
                raise
        if isinstance(exc, StaleDataError):  # the version changed between this session's read and its write
            raise EditConflict() from exc  # rolled back: nothing written
        if isinstance(exc, DBAPIError) and bind.dialect.name != "sqlite":
            raise ServerTrouble(explain(exc, bind.engine.url.render_as_string())) from exc  # rolled back: nothing written
        if exc is not None and not isinstance(exc, LvqiError) and database and is_disk_full(exc):
            raise DiskFull.at(Path(database).parent, Path(database)) from None  # rolled back: nothing written
        if exc is not None and not isinstance(exc, LvqiError) and ReadOnlyData.caused(exc):
            raise ReadOnlyData() from None

    def commit(self) -> None:
        if self._versioned:
            self.session.flush()
            if current_batch(self.session).pending:  # some recorded row changed in this transaction
                for record, read in self._versioned:
                    if record.version == read:  # the record's own row was not updated: its children were
                        flag_modified(record, "uuid")  # an UPDATE of the same uuid: the version rises with it
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()

    def raise_version(self, record: EditedInForms) -> None:
        """If this transaction changes anything, the record's version rises even when only its child rows (years,
        participants) change; a save that changes nothing leaves it (and its updated_at) alone."""
        self._versioned.append((record, record.version))

    # ---- naming the user's action in the change history (storage/history.py writes the rows)
    def label_action(self, label: str) -> None:
        """Summary of this transaction's first history row instead of the inferred "修改企业 …"."""
        current_batch(self.session).label = label

    def begin_batch(self, label: str, table: str = "", details: Mapping[str, Any] | None = None) -> None:
        """Bulk work: rows read "label：name", and one more 'batch' row (summary label) names the batch."""
        batch = current_batch(self.session)
        batch.label, batch.bulk, batch.bulk_table = label, True, table
        batch.bulk_changes = {k: [None, v] for k, v in (details or {}).items()}

    def begin_revert(self, action: str, reverts_batch_id: str, label: str,
                     row_summaries: Mapping[tuple[str, int], str] | None = None) -> None:
        """Undo or redo of a batch: every row carries `action` and the batch it reverts."""
        batch = current_batch(self.session)
        batch.action, batch.reverts, batch.label = action, reverts_batch_id, label
        batch.row_summaries = dict(row_summaries or {})


class Database:
    """The open database: engine, session factory and the operator whose name changes are recorded under."""

    def __init__(self, engine: Engine, operator: str = "", *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only  # opened with SQLite's mode=ro: every write fails
        self.on_server = engine.dialect.name != "sqlite"  # the city edition on PostgreSQL (storage/server.py)
        self.session_factory = make_session_factory(engine)
        self._chosen = operator
        # On the server each clerk logs in with a role of their own: that, not a name picked at start-up, is who
        # the history records (docs/city-server.md §2); on SQLite the operator chosen at start-up.
        self.server_role = login_role(engine) if self.on_server else ""
        self.session_id = new_uuid()  # this program run: the undo stack is per run

    @property
    def operator(self) -> str:
        """Whose name changes are recorded under: the server's login role, else the operator chosen."""
        return self.server_role or self._chosen

    @operator.setter
    def operator(self, name: str) -> None:
        self._chosen = name  # on the server the login role still wins

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.operator, self.session_id)

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        return self.unit_of_work

    def dispose(self) -> None:
        self.engine.dispose()
