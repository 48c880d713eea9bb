"""Bulk writes of prepared helper, assignment, visit, demand and pool rows (demo data, benchmarks) in the caller's session."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from lvqi_desktop.models import Demand
from lvqi_desktop.models import DemandEvent
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import Helper
from lvqi_desktop.models import HelperAssignment
from lvqi_desktop.models import Visit
from lvqi_desktop.models import VisitParticipant
from lvqi_desktop.models.cultivation import CultivationEvent
from lvqi_desktop.models.cultivation import CultivationRecord
from lvqi_desktop.storage.id_sequences import follow_ids

TABLES = {"helper": Helper, "helper_assignment": HelperAssignment, "visit": Visit,
          "visit_participant": VisitParticipant, "demand": Demand, "demand_event": DemandEvent,
          "cultivation_record": CultivationRecord, "cultivation_event": CultivationEvent}


def next_ids(session: Session) -> dict[str, int]:
    """The first free primary key of each table (records are never deleted)."""
    return {name: (session.scalar(select(func.max(model.__table__.c.id))) or 0) + 1 for name, model in TABLES.items()}


def last_seqs(session: Session, office_code: str) -> dict[int, int]:
    """The highest demand sequence number per year for the office."""
    stmt = select(Demand.year, func.max(Demand.seq)).where(Demand.office_code == office_code).group_by(Demand.year)
    return dict(session.execute(stmt).all())


def insert_rows(session: Session, table: str, rows: Sequence[dict[str, object]]) -> None:
    """INSERT prepared rows (ids set by the caller) into one of TABLES; no commit here."""
    if rows:
        session.execute(insert(TABLES[table].__table__), list(rows))
        follow_ids(session, table)


def mark_above_scale(session: Session, months: dict[int, str]) -> None:
    """Enterprise id → YYYY-MM it entered statistics (已入统, a fact kept on the enterprise)."""
    for enterprise_id, month in months.items():
        session.execute(update(Enterprise).where(Enterprise.id == enterprise_id)
                        .values(above_scale=True, above_scale_since=month, version=Enterprise.version + 1))


def pool_members(session: Session) -> set[tuple[int, str]]:
    """(enterprise id, pool) of every cultivation record, archived ones included (one per firm and pool)."""
    return {(int(e), str(p)) for e, p in session.execute(select(CultivationRecord.enterprise_id,
                                                                 CultivationRecord.pool))}
