"""All services of one open database, built once by app.py or the CLI and handed to the faces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.services.bulk import BulkService
from lvqi_desktop.services.clock_check import ClockCheck
from lvqi_desktop.services.cultivation import CultivationServices
from lvqi_desktop.services.cultivation import build_cultivation
from lvqi_desktop.services.dashboard import DashboardService
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.demo.service import DemoService
from lvqi_desktop.services.enterprises import EnterpriseService
from lvqi_desktop.services.exchange.keys import KeyService
from lvqi_desktop.services.exchange.service import ExchangeService
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.history import HistoryService
from lvqi_desktop.services.imports.monitoring import MonitoringImportService
from lvqi_desktop.services.imports.service import ImportService
from lvqi_desktop.services.integrity import IntegrityService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.office import OfficeService
from lvqi_desktop.services.ownership import OwnershipService
from lvqi_desktop.services.reference import ReferenceService
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.service import ReturnService
from lvqi_desktop.services.text_repair import TextRepairService
from lvqi_desktop.services.undo import UndoService
from lvqi_desktop.services.undo_policies import default_undo_policies
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.storage.unit_of_work import Database


class OfficeContext:
    """The office this database belongs to, read once and kept until it changes; every service asks it."""

    def __init__(self, office: OfficeService) -> None:
        self._office = office
        self._cache: OfficeInfo | None = None

    def office_info(self) -> OfficeInfo | None:
        if self._cache is None:
            self._cache = self._office.office()
        return self._cache

    def forget(self) -> None:
        self._cache = None

    def county(self) -> str | None:
        info = self.office_info()
        return None if info is None or info.is_city else info.county_code

    def code(self) -> str | None:
        info = self.office_info()
        return None if info is None else info.office_code


@dataclass
class Services:
    """Every service of one open database, each built once by build_services; the UI and CLI hold this, never
    the database (`db` stays for the window's lifetime: closing and reopening it after a restore)."""

    data_dir: DataDir
    db: Database
    context: OfficeContext = field(repr=False)
    office: OfficeService
    reference: ReferenceService
    enterprises: EnterpriseService
    history: HistoryService
    undo: UndoService
    bulk: BulkService
    integrity: IntegrityService
    demo: DemoService
    helpers: HelperService
    visits: VisitService
    demands: DemandService
    kpi: KpiService
    backups: BackupService
    cultivation: CultivationServices
    returns: ReturnService
    bases: BaseService
    dashboard: DashboardService
    ownership: OwnershipService
    monitoring: MonitoringService
    health: HealthService
    exchange: ExchangeService
    keys: KeyService
    imports: ImportService
    clock_check: ClockCheck
    text_repair: TextRepairService

    @property
    def read_only(self) -> bool:
        """Opened read-only (a read-only folder, or asked for): every page says so and writes nothing."""
        return self.db.read_only

    @property
    def on_server(self) -> bool:
        """The city edition on a PostgreSQL server (--database): only a city office, backed up there."""
        return self.db.on_server

    def close(self) -> None:
        """Let go of the database (at exit, before a restore replaces it, after a refused start)."""
        self.db.dispose()

    def office_info(self) -> OfficeInfo | None:
        return self.context.office_info()

    def forget_office(self) -> None:
        self.context.forget()

    def office_county(self) -> str | None:
        return self.context.county()

    def office_code(self) -> str | None:
        return self.context.code()

    def monitoring_imports(self, year: int | None = None) -> MonitoringImportService:
        """The monitoring import for one year's sheets (the year is the caller's choice, so made per import)."""
        return MonitoringImportService(self.monitoring, _backup_before_import(self.backups), year)


def _backup_before_import(backups: BackupService) -> Callable[[Progress], Path | None]:
    """What every import runs first: a backup named for it (its path, for the import's report)."""
    def backup(progress: Progress) -> Path | None:
        if backups.on_server:  # one transaction on the server, which the IT department backs up (pg_dump)
            return None
        return backups.backup("before-import", progress).path

    return backup


def build_services(data_dir: DataDir, db: Database) -> Services:
    """The one place services are built and wired to each other."""
    office = OfficeService(db)
    context = OfficeContext(office)
    info, county, code = context.office_info, context.county, context.code
    kpi, visits = KpiService(db, code), VisitService(db, code)
    demands = DemandService(db, code, office_name=lambda: getattr(info(), "name", ""))
    cultivation = build_cultivation(db, county)
    enterprises = EnterpriseService(db, county)
    bases = BaseService(db, county)
    backups = BackupService(data_dir, db)
    sources = ReturnSources(db, kpi, cultivation.targets, demands, visits)
    returns = ReturnService(sources, info)

    return Services(
        data_dir=data_dir, db=db, context=context, office=office, reference=ReferenceService(db),
        enterprises=enterprises, history=HistoryService(db), undo=UndoService(db, default_undo_policies()),
        bulk=BulkService(db), integrity=IntegrityService(db, data_dir.database), demo=DemoService(db, info),
        helpers=HelperService(db), visits=visits, demands=demands, kpi=kpi, backups=backups,
        cultivation=cultivation, returns=returns, bases=bases,
        dashboard=DashboardService(ReturnSources(db, kpi, cultivation.targets, demands, visits), info, bases,
                                   county, enterprises),
        ownership=OwnershipService(db), monitoring=MonitoringService(db, county), health=HealthService(data_dir, db),
        exchange=ExchangeService(data_dir, db, info, returns, None if db.on_server else backups), keys=KeyService(data_dir, db, info),
        imports=ImportService(db, county, backup=_backup_before_import(backups), office_code=code),
        clock_check=ClockCheck(data_dir, db), text_repair=TextRepairService(db))
