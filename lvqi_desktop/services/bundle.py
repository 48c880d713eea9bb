"""All services of one open database, built once by app.py or the CLI and handed to the faces."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.services.bases import BaseService
from lvqi_desktop.services.bulk import BulkService
from lvqi_desktop.services.cultivation import CultivationServices, build_cultivation
from lvqi_desktop.services.dashboard import DashboardService
from lvqi_desktop.services.demands import DemandService
from lvqi_desktop.services.demo import DemoService
from lvqi_desktop.services.enterprises import EnterpriseService
from lvqi_desktop.services.helpers import HelperService
from lvqi_desktop.services.history import HistoryService
from lvqi_desktop.services.integrity import IntegrityService
from lvqi_desktop.services.kpi import KpiService
from lvqi_desktop.services.office import OfficeInfo, OfficeService
from lvqi_desktop.services.ownership import OwnershipService
from lvqi_desktop.services.reference import ReferenceService
from lvqi_desktop.services.return_context import ReturnSources
from lvqi_desktop.services.returns import ReturnService
from lvqi_desktop.services.undo import UndoService
from lvqi_desktop.services.undo_policies import default_undo_policies
from lvqi_desktop.services.visits import VisitService
from lvqi_desktop.storage.unit_of_work import Database


@dataclass
class Services:
    data_dir: DataDir
    db: Database
    office: OfficeService
    reference: ReferenceService
    enterprises: EnterpriseService
    _office_cache: OfficeInfo | None = None
    history: HistoryService = None  # type: ignore[assignment]
    undo: UndoService = None  # type: ignore[assignment]
    bulk: BulkService = None  # type: ignore[assignment]
    integrity: IntegrityService = None  # type: ignore[assignment]
    demo: DemoService = None  # type: ignore[assignment]
    helpers: HelperService = None  # type: ignore[assignment]
    visits: VisitService = None  # type: ignore[assignment]
    demands: DemandService = None  # type: ignore[assignment]
    kpi: KpiService = None  # type: ignore[assignment]
    backups: BackupService = None  # type: ignore[assignment]
    cultivation: CultivationServices = None  # type: ignore[assignment]
    returns: ReturnService = None  # type: ignore[assignment]
    bases: BaseService = None  # type: ignore[assignment]
    dashboard: DashboardService = None  # type: ignore[assignment]
    ownership: OwnershipService = None  # type: ignore[assignment]

    def office_info(self) -> OfficeInfo | None:
        if self._office_cache is None:
            self._office_cache = self.office.office()
        return self._office_cache

    def forget_office(self) -> None:
        self._office_cache = None

    def office_county(self) -> str | None:
        info = self.office_info()
        return None if info is None or info.is_city else info.county_code

    def office_code(self) -> str | None:
        info = self.office_info()
        return None if info is None else info.office_code


def build_services(data_dir: DataDir, db: Database) -> Services:
    office = OfficeService(db)
    services = Services(data_dir, db, office, ReferenceService(db), None)  # type: ignore[arg-type]
    services.enterprises = EnterpriseService(db, services.office_county)
    services.history = HistoryService(db)
    services.undo = UndoService(db, default_undo_policies())
    services.bulk = BulkService(db)
    services.integrity = IntegrityService(db, data_dir.database)
    services.demo = DemoService(db, services.office_info)
    services.helpers = HelperService(db)
    services.visits = VisitService(db, services.office_code)
    services.demands = DemandService(db, services.office_code,
                                     office_name=lambda: getattr(services.office_info(), "name", ""))
    services.kpi = KpiService(db, services.office_code)
    services.backups = BackupService(data_dir, db)
    services.cultivation = build_cultivation(db, services.office_county)
    services.bases = BaseService(db, services.office_county)
    services.ownership = OwnershipService(db)
    services.returns = ReturnService(ReturnSources(db, services.kpi, services.cultivation.targets, services.demands,
                                                   services.visits), services.office_info)
    services.dashboard = DashboardService(ReturnSources(db, services.kpi, services.cultivation.targets, services.demands,
                                                        services.visits), services.office_info, services.bases,
                                          services.office_county, services.enterprises)
    return services
