"""A computer clock set back (a dead CMOS battery): found by comparing it with the newest record and backup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from datetime import timedelta

from lvqi_desktop import clock
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage import backup_names
from lvqi_desktop.storage.unit_of_work import Database

SLACK = timedelta(hours=12)  # time zones and a clock a little off are not worth a warning


class ClockCheck:
    def __init__(self, data_dir: DataDir, db: Database, now: Callable[[], datetime] = clock.now) -> None:
        self._data_dir, self._db, self._now = data_dir, db, now

    def behind(self) -> str | None:
        """The warning when the clock reads earlier than the newest change or backup, else None."""
        now = self._now()
        with self._db.unit_of_work() as uow:
            changed = uow.history.newest_change_at()
        backups = backup_names.list_backup_files(self._data_dir.backups)
        newest = max(((changed, "最近一次修改记录"), (backups[0].created_at if backups else None, "最新的备份")),
                     key=lambda pair: pair[0] or datetime.min)
        if newest[0] is None or newest[0] - now <= SLACK:
            return None
        return (f"电脑的日期现在是 {now:%Y-%m-%d}，却早于{newest[1]}（{newest[0]:%Y-%m-%d %H:%M}）："
                "电脑时钟可能被调回了（例如主板电池没电）。现在录入或修改的记录会被记为这个错误的日期。"
                "请先在 Windows 的“日期和时间”设置中校正时钟。自动备份照常进行。")
