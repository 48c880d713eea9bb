"""Opening a data dir for a face (GUI or CLI): the database at head schema, services, writer lock."""

from __future__ import annotations

from lvqi_desktop import __version__
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services, build_services
from lvqi_desktop.storage.instance_lock import InstanceLock
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.unit_of_work import Database


def open_services(data_dir: DataDir, operator: str = "") -> Services:
    """Open (and if needed migrate) the data dir's database; raises LvqiError subclasses on refusal."""
    return build_services(data_dir, Database(open_database(data_dir, __version__), operator))


def writer_lock(data_dir: DataDir) -> InstanceLock:
    """The lock the GUI holds while it runs and CLI writers must take first."""
    return InstanceLock(data_dir.lock_file)
