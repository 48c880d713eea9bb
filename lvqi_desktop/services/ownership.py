"""City edition: which county sent a record, so its form opens read-only and the list pages grey out its edits."""

from __future__ import annotations

from lvqi_desktop.models import Enterprise
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.bases import IncubationBase
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.models.demands import Demand
from lvqi_desktop.models.helpers import Helper
from lvqi_desktop.models.helpers import HelperAssignment
from lvqi_desktop.models.helpers import ServiceTeam
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.models.monitoring import Statistician
from lvqi_desktop.models.visits import Visit
from lvqi_desktop.storage.county_owned import senders_of_rows
from lvqi_desktop.storage.unit_of_work import Database

KINDS: dict[str, type[TravellingRecord]] = {
    "enterprise": Enterprise, "visit": Visit, "demand": Demand, "pool_record": CultivationRecord,
    "monitoring_report": MonitoringReport, "base": IncubationBase, "helper": Helper, "team": ServiceTeam,
    "assignment": HelperAssignment, "statistician": Statistician,
}


class OwnershipService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def sent_by(self, kind: str, record_id: int | None) -> str | None:
        """The name of the county whose package brought record `record_id` of `kind` (a key of KINDS) in the
        city edition; None for the city's own records, a new record (None) and in a county edition."""
        return self.sent_any(kind, [] if record_id is None else [record_id])

    def sent_any(self, kind: str, record_ids: list[int]) -> str | None:
        """`sent_by` for a selection: the county that sent the first of these records a county sent."""
        sent = self.sent_each(kind, record_ids)
        return next((sent[i] for i in record_ids if i in sent), None)

    def sent_each(self, kind: str, record_ids: list[int]) -> dict[int, str]:
        """Record id → the county that sent it, for those of `record_ids` a county sent (city edition)."""
        if not record_ids:
            return {}
        with self._db.unit_of_work() as uow:
            return senders_of_rows(uow, KINDS[kind], record_ids)
