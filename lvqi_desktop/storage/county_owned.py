"""In the city edition, records that came in a county's package are the county's: a flush listener refuses
changing or deleting them (the county corrects its own data and sends a new package; issue 18 item 7).

The city's merge writes with Core statements, which this listener does not see; the city's own records
(city-wide targets, its own entries) stay editable, and so do the targets it allocates to a county. Whether a record came from a county is read from
`origin_map` (one text row per county): a few records are looked up by substring, more at once by loading
the counties' record lists once per transaction.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import County
from lvqi_desktop.models import Office
from lvqi_desktop.models.base import Base
from lvqi_desktop.models.base import TravellingRecord
from lvqi_desktop.models.history import table_label
from lvqi_desktop.models.targets import Target
from lvqi_desktop.storage.history import record_title
from lvqi_desktop.storage.portable_sql import text_position

_CITY_KEY = "county_owned_is_city"
_FEW = 20


def _is_city(session: Session) -> bool:
    if _CITY_KEY not in session.info:
        session.info[_CITY_KEY] = session.connection().execute(
            select(Office.kind).where(Office.kind == "city").limit(1)).first() is not None
    return bool(session.info[_CITY_KEY])


def _owners(session: Session, uuids: list[str]) -> dict[str, str]:
    """uuid → the county whose package brought it, for those of `uuids` that came in a package."""
    conn = session.connection()
    if len(uuids) <= _FEW:
        out = {}
        for uuid in uuids:
            row = conn.execute(select(text("county_code")).select_from(text("origin_map"))
                               .where(text_position(text("entries"), uuid + "\t") > 0).limit(1)).first()
            if row is not None:
                out[uuid] = row[0]
        return out
    wanted, out = set(uuids), {}
    for county, entries in conn.execute(text("SELECT county_code, entries FROM origin_map")):
        for line in entries.split("\n"):
            uuid = line[:line.find("\t")]
            if uuid in wanted:
                out[uuid] = county
    return out


def _county_name(session: Session, code: str) -> str:
    return session.connection().execute(select(County.name).where(County.code == code)).scalar() or code


def _before_flush(session: Session, _ctx: object, _instances: object) -> None:
    """Refuse the flush when it changes or deletes a record a county sent (city edition only)."""
    if not (session.dirty or session.deleted) or not _is_city(session):
        return
    touched = [o for o in (*session.dirty, *session.deleted)
               if isinstance(o, TravellingRecord) and isinstance(o, Base) and (o in session.deleted or session.is_modified(o))
               and not (isinstance(o, Target) and o.allocated)]  # the city allocates a county's targets
    if not touched:
        return
    owners = _owners(session, [o.uuid for o in touched])
    for obj in touched:
        county = owners.get(obj.uuid)
        if county is None:
            continue
        name = _county_name(session, county)
        title = record_title(session, obj)
        what = f"{table_label(obj.__table__.name)}“{title}”" if title else table_label(obj.__table__.name)
        raise ValidationFailed([Issue("county_owned", f"{what}是{name}报送的数据，市中心不能直接修改或删除。"
                                                      f"请联系{name}在本县区修改后重新报送，市中心以新的报送包为准。")])


def senders_of_rows(uow: object, model: type[TravellingRecord], record_ids: list[int]) -> dict[int, str]:
    """City edition: id → the name of the county whose package brought it, for those rows of `model` a county
    sent (forms open them read-only, list pages grey out their edits); empty in a county edition."""
    session: Session = uow.session  # type: ignore[attr-defined]
    if not record_ids or not _is_city(session):
        return {}
    rows = [r for i in range(0, len(record_ids), 500) for r in session.execute(
        select(model.id, model.uuid).where(model.id.in_(record_ids[i:i + 500])))]  # type: ignore[attr-defined]
    owners = _owners(session, [uuid for _id, uuid in rows])
    names = {code: _county_name(session, code) for code in set(owners.values())}
    return {record_id: names[owners[uuid]] for record_id, uuid in rows if uuid in owners}


def install_county_owned(factory: sessionmaker[Session]) -> None:
    """Keep county-sent records read-only in every session the factory makes."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_commit", lambda s: s.info.pop(_CITY_KEY, None))
    event.listen(factory, "after_rollback", lambda s: s.info.pop(_CITY_KEY, None))
