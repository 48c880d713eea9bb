"""Opening a data dir for a face (GUI or CLI): the database at head schema, services, writer lock."""

from __future__ import annotations

from lvqi_desktop import __version__
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import clear_saved_server
from lvqi_desktop.paths import read_saved_server
from lvqi_desktop.paths import save_server
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.bundle import build_services
from lvqi_desktop.storage.instance_lock import InstanceLock
from lvqi_desktop.storage.opening import READ_ONLY_NOTICE
from lvqi_desktop.storage.opening import ensure_writable
from lvqi_desktop.storage.opening import is_read_only
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.opening import open_read_only
from lvqi_desktop.storage.server import FORMAT_HINT
from lvqi_desktop.storage.server import driver_facts
from lvqi_desktop.storage.server import is_server_url
from lvqi_desktop.storage.server import make_server_engine
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.server import probe
from lvqi_desktop.storage.server import shown_url
from lvqi_desktop.storage.server import with_password
from lvqi_desktop.storage.unit_of_work import Database


def open_services(data_dir: DataDir, operator: str = "", *, read_only: bool = False) -> Services:
    """Open (and if needed migrate) the data dir's database; raises LvqiError subclasses on refusal.
    `read_only` opens it as it is, for reading, exporting and copying only (a read-only folder or file)."""
    if data_dir.server:
        return _open_on_server(data_dir, operator, read_only)
    engine = open_read_only(data_dir, __version__) if read_only else open_database(data_dir, __version__)
    return build_services(data_dir, Database(engine, operator, read_only=read_only))


def _open_on_server(data_dir: DataDir, operator: str, read_only: bool) -> Services:
    """The city edition on a PostgreSQL server; the local data dir keeps logs, settings and stored packages."""
    ensure_writable(data_dir.root)
    engine = open_server_database(data_dir.server or "", __version__, read_only=read_only)
    services = build_services(data_dir, Database(engine, operator, read_only=read_only))
    office = services.office_info()
    if office is not None and not office.is_city:
        services.close()
        raise DatabaseRefused(COUNTY_ON_SERVER.format(county=office.county_name))
    return services


COUNTY_ON_SERVER = ("服务器上的数据库属于{county}（县级版）。数据库服务器只供市中心使用，县（市、区）请用本机的数据文件夹"
                    "（去掉 --database 或环境变量 LVQI_DATABASE）。程序没有改动数据。")


def writer_lock(data_dir: DataDir) -> InstanceLock:
    """The lock the GUI holds while it runs and CLI writers must take first."""
    return InstanceLock(data_dir.lock_file)


def try_server(url: str, password: str = "") -> str:
    """The connection test of the city edition's server (changes nothing there); raises with the reason.
    `password`: typed in its own field, put into the address."""
    return probe(with_password(url, password), __version__)


def server_url(address: str, password: str = "") -> str:
    """The typed address (and password) as one postgresql:// URL; refuses one that is not usable, in Chinese.
    The server is not contacted."""
    url = with_password(address, password)
    if not is_server_url(url):
        raise DatabaseRefused(f"“{shown_url(url) or '（空）'}”不是数据库服务器地址。{FORMAT_HINT}")
    make_server_engine(url).dispose()  # refuses a malformed address with its Chinese message
    return url


def server_driver() -> str:
    """The PostgreSQL driver the program carries, as the smoke test reports it (e.g. "psycopg 3.3.9（binary）");
    a Chinese refusal when it has none."""
    return driver_facts()


def remember_server(data_dir: DataDir, address: str, password: str = "") -> str:
    """Save the server address for the next start (server.json in the data dir); returns it as it may be shown."""
    url = server_url(address, password)
    save_server(data_dir.root, url)
    return shown_url(url)


def forget_server(data_dir: DataDir) -> None:
    """Back to the local SQLite file from the next start."""
    clear_saved_server(data_dir.root)


def saved_server(data_dir: DataDir) -> str | None:
    """The saved server address as it may be shown (password hidden), None when none is saved or it is unusable."""
    saved, _note = read_saved_server(data_dir.server_file)
    return shown_url(saved) if saved else None


def server_address(url: str) -> str:
    """The server's address as it may be shown: the password hidden."""
    return shown_url(url)


# the faces' way to storage's opening
__all__ = ["READ_ONLY_NOTICE", "is_read_only", "open_services", "server_address", "try_server", "writer_lock"]
