"""Plain rows for the demand ledger, its board, a case's detail and log (no ORM objects leave a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from lvqi_desktop.models import codes
from lvqi_desktop.models.demands import AGE_BUCKETS
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_STATUSES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import EVENT_KINDS
from lvqi_desktop.models.demands import SATISFACTIONS


@dataclass(frozen=True, slots=True)
class DemandRow:
    """One line of the demand ledger with its computed flags."""

    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    uscc: str
    source: str
    category: str
    description: str
    urgency: str
    received_on: date
    status: str
    responsible_unit: str
    co_units: str
    due_on: date | None
    closed_on: date | None
    first_closed_on: date | None
    reopen_count: int
    satisfaction: str | None
    result: str
    visit_id: int | None
    helper_name: str
    archived: bool
    overdue: bool
    age_days: int  # days open so far, or days it took to close
    age_bucket: str  # '' for closed cases
    closed_on_time: bool | None  # judged on the first closing
    allowed_actions: tuple[str, ...]
    county_code: str = ""  # the enterprise's county
    helper_id: int | None = None  # the 包联领导 who collected or follows the case

    @property
    def status_label(self) -> str:
        return codes.label(DEMAND_STATUSES, self.status)

    @property
    def category_label(self) -> str:
        return codes.label(DEMAND_CATEGORIES, self.category)

    @property
    def source_label(self) -> str:
        return codes.label(DEMAND_SOURCES, self.source)

    @property
    def urgency_label(self) -> str:
        return codes.label(DEMAND_URGENCIES, self.urgency)

    @property
    def satisfaction_label(self) -> str:
        return codes.label(SATISFACTIONS, self.satisfaction)

    @property
    def age_bucket_label(self) -> str:
        return codes.label(AGE_BUCKETS, self.age_bucket)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of a demand's progress log."""

    id: int
    kind: str
    happened_on: date
    recorded_at: datetime
    from_status: str
    to_status: str
    note: str
    satisfaction: str | None
    operator: str

    @property
    def kind_label(self) -> str:
        return codes.label(EVENT_KINDS, self.kind)

    @property
    def satisfaction_label(self) -> str:
        return codes.label(SATISFACTIONS, self.satisfaction)


@dataclass(frozen=True)
class DemandDetail:
    """A whole case: its ledger row, the fields only the detail view shows, and the log."""

    row: DemandRow
    suggestion: str
    unit_contact: str
    assigned_on: date | None
    followed_up_on: date | None
    followed_up_by: str
    signed_off_on: date | None
    events: list[EventRow]


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One status column of the demand board; the buckets split open cases by age (overdue first)."""

    status: str
    total: int
    le7: int
    d8_30: int
    gt30: int
    overdue: int

    @property
    def status_label(self) -> str:
        return codes.label(DEMAND_STATUSES, self.status)


@dataclass(frozen=True)
class SavedDemand:
    id: int
    number: str
    status: str
