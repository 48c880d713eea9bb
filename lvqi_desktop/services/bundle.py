"""All services of one open database, built once by app.py or the CLI and handed to the faces."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.enterprises import EnterpriseService
from lvqi_desktop.services.office import OfficeInfo, OfficeService
from lvqi_desktop.services.reference import ReferenceService
from lvqi_desktop.storage.unit_of_work import Database


@dataclass
class Services:
    data_dir: DataDir
    db: Database
    office: OfficeService
    reference: ReferenceService
    enterprises: EnterpriseService
    _office_cache: OfficeInfo | None = None

    def office_info(self) -> OfficeInfo | None:
        if self._office_cache is None:
            self._office_cache = self.office.office()
        return self._office_cache

    def forget_office(self) -> None:
        self._office_cache = None

    def office_county(self) -> str | None:
        info = self.office_info()
        return None if info is None or info.is_city else info.county_code


def build_services(data_dir: DataDir, db: Database) -> Services:
    office = OfficeService(db)
    services = Services(data_dir, db, office, ReferenceService(db), None)  # type: ignore[arg-type]
    services.enterprises = EnterpriseService(db, services.office_county)
    return services
