"""Moving the city's SQLite database onto its PostgreSQL server (`lvqi copy-to-server`), verified table by table."""

from __future__ import annotations

from lvqi_desktop import __version__
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.server import open_server_database
from lvqi_desktop.storage.server_copy import TableCopied
from lvqi_desktop.storage.server_copy import copy_database


def copy_to_server(data_dir: DataDir, url: str, progress: Progress = NO_PROGRESS) -> list[TableCopied]:
    """Copy the data dir's database (the city's, brought to the head schema first) into the empty database at
    `url`; returns each table's counts and fingerprints on both sides. All or nothing on the server; the local
    file is only read (and stays the one to use until the IT department switches the clerks over)."""
    if data_dir.server:
        raise LvqiError("复制的来源是本机的数据文件夹：请去掉 --database（和环境变量 LVQI_DATABASE），"
                        "把服务器地址写在 copy-to-server 后面。")
    source = open_database(data_dir, __version__)
    try:
        server = open_server_database(url, __version__)
        try:
            return copy_database(source, server, url, progress)
        finally:
            server.dispose()
    finally:
        source.dispose()


__all__ = ["TableCopied", "copy_to_server"]
