"""Backups of the city's server database: pg_dump run by the program or recorded after IT's own, and what is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop import clock
from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.backup_rows import ServerBackup
from lvqi_desktop.services.backup_rows import age_text
from lvqi_desktop.storage import server_dump
from lvqi_desktop.storage.unit_of_work import Database

SETTING_SERVER_BACKUP = "backup.server_last"  # JSON of ServerBackup.to_record(), in the server database itself
SERVER_REMIND_AFTER = timedelta(days=2)  # IT backs up nightly: two days without a record is worth a word
GUIDE = "docs/city-server.md 第 4 节“备份与恢复”"
HOW_TO_RECORD = (f"信息科每次用 pg_dump --format=custom 备份后，运行 lvqi --database 地址 backup --record 备份文件 登记，"
                 f"各办事员的首页就会显示这次备份（{GUIDE}）")
NO_PG_DUMP = ("这台电脑上没有 PostgreSQL 的 pg_dump，程序不能在这里备份服务器数据库。请由信息科在服务器上用 pg_dump 备份"
              f"（{GUIDE}），或在装有 PostgreSQL 客户端的电脑上运行 lvqi --database 地址 backup --out 文件。")


class ServerBackupService:
    """What the start page, the settings page and `lvqi backup` know of the server database's backups."""

    def __init__(self, data_dir: DataDir, db: Database, now: Callable[[], datetime] = clock.now) -> None:
        self._data_dir = data_dir
        self._db = db
        self._now = now

    def last(self) -> ServerBackup | None:
        """The last backup recorded in the server database (by any clerk or by IT), or None."""
        with self._db.unit_of_work() as uow:
            raw = uow.office.setting(SETTING_SERVER_BACKUP)
        return ServerBackup.from_json_text(raw)

    def describe(self) -> str:
        """For the start page and the settings page: the last backup of the server database, never a local file."""
        last = self.last()
        if last is None:
            return f"服务器数据库还没有登记过备份。{HOW_TO_RECORD}。"
        who = "本程序运行 pg_dump" if last.made_here else "信息科登记"
        return f"服务器数据库最近一次备份：{last.summary(self._now())}，{who}。"

    def status_text(self) -> str:
        """For the status bar: "服务器备份：1 天前" or "服务器备份：未登记"."""
        last = self.last()
        return "服务器备份：未登记" if last is None else f"服务器备份：{age_text(self._now() - last.recorded_at)}"

    def reminder(self) -> str | None:
        """A word when no backup of the server database is recorded in the last two days; None otherwise."""
        last = self.last()
        if last is not None and timedelta(0) <= self._now() - last.recorded_at < SERVER_REMIND_AFTER:
            return None
        if last is None:
            return f"没有服务器数据库的备份记录。请信息科确认每天用 pg_dump 备份，并登记（{GUIDE}）。"
        return (f"服务器数据库上次登记备份是 {last.recorded_at:%Y-%m-%d}（{(self._now() - last.recorded_at).days} 天前）。"
                f"请信息科确认 pg_dump 定时备份仍在运行，并登记最新一次（{GUIDE}）。")

    @staticmethod
    def can_dump() -> bool:
        """Whether PostgreSQL's pg_dump is on this computer (then 备份到… runs it)."""
        return server_dump.find_tool("pg_dump") is not None

    def dump_to(self, target: Path, pg_dump: Path | None = None) -> ServerBackup:
        """Run pg_dump --format=custom of the server database into `target` (a new file, or a folder to name it
        in) and record it; needs PostgreSQL's pg_dump on this computer."""
        tool = pg_dump or server_dump.find_tool("pg_dump")
        if tool is None:
            raise BackupFailed(NO_PG_DUMP)
        now = self._now()
        target = Path(target).expanduser()
        if target.is_dir():
            target = target / f"lvqi-{now:%Y%m%d-%H%M%S}.dump"
        made = server_dump.dump_database(self._data_dir.server or "", target, tool)
        return self._record(made, now, made_here=True)

    def record(self, dump: Path) -> ServerBackup:
        """Record a pg_dump IT made on its own schedule (the file must be a custom-format archive), dated now."""
        return self._record(server_dump.read_dump(Path(dump).expanduser()), self._now(), made_here=False)

    def _record(self, dump: server_dump.DumpFile, when: datetime, made_here: bool) -> ServerBackup:
        made = ServerBackup(when, dump.path.name, dump.size, self._db.operator, made_here)
        with self._db.unit_of_work() as uow:
            uow.office.set_setting(SETTING_SERVER_BACKUP, made.to_json_text())
            uow.commit()
        return made
