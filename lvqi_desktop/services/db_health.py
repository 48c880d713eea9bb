"""Is the database file intact? quick_check after an unclean exit, integrity_check weekly, and recovery.

The GUI's start-up order:
    health = HealthService(data_dir)
    unclean = health.begin_session()                   # after the single-instance lock
    report = health.check_at_start(unclean)            # quick_check only after an unclean exit
    if not report.ok: show report.explanation, offer report.newest_good_backup -> health.recover(...)
    ... open_database, build_services, services.backups.backup_if_due() in a worker ...
    health = services.health
    if health.full_check_due(): health.run_full_check(progress) in a worker
    on a clean exit, after closing the database: health.end_session_clean()
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop import __version__
from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backup_rows import BackupInfo
from lvqi_desktop.services.backup_rows import RestoreResult
from lvqi_desktop.services.backups import BackupService
from lvqi_desktop.storage.file_checks import FULL
from lvqi_desktop.storage.file_checks import QUICK
from lvqi_desktop.storage.file_checks import run_check
from lvqi_desktop.storage.session_marker import SessionMarker
from lvqi_desktop.storage.unit_of_work import Database

SETTING_LAST_FULL_CHECK = "check.last_full_at"
FULL_CHECK_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class HealthReport:
    """The outcome of a check. When not ok: do not open for editing; show `explanation`, offer the backup."""

    ok: bool
    check: str  # "none" (not needed), "quick_check" or "integrity_check"
    explanation: str = ""
    finding: str | None = None
    newest_good_backup: BackupInfo | None = None


class HealthService:
    """Works with or without an open database: before opening only `check_at_start` and `recover` are used."""

    def __init__(self, data_dir: DataDir, db: Database | None = None, clock: Callable[[], datetime] = clock.now,
                 program_version: str = __version__) -> None:
        self._data_dir = data_dir
        self._db = db
        self._clock = clock
        self._version = program_version

    def _backups(self) -> BackupService:
        return BackupService(self._data_dir, self._db, self._clock, self._version)

    def begin_session(self) -> bool:
        """Mark the data dir as in use; True when the last run did not end cleanly."""
        return SessionMarker(self._data_dir).begin(self._clock())

    def end_session_clean(self) -> None:
        SessionMarker(self._data_dir).end_clean()

    def emptied(self) -> bool:
        """The database file is there but empty (0 bytes) while backups exist: lost, not new."""
        db = self._data_dir.database
        return db.exists() and db.stat().st_size == 0 and any(self._data_dir.backups.glob("lvqi-*.sqlite3*"))

    def check_at_start(self, unclean_exit: bool, progress: Progress = NO_PROGRESS) -> HealthReport:
        """quick_check only after an unclean exit (a normal start costs nothing); an emptied database always
        counts as damaged (never silently started afresh)."""
        if self.emptied():
            return self._failed("数据库文件是空的（0 字节），而备份文件夹中有备份：数据不是新的，而是丢失了", QUICK, progress)
        if not unclean_exit or not self._data_dir.database.exists():
            return HealthReport(True, "none")
        finding = run_check(self._data_dir.database, QUICK, progress)
        return HealthReport(True, QUICK) if finding is None else self._failed(finding, QUICK, progress)

    def full_check_due(self) -> bool:
        last = self._last_full_check()
        age = None if last is None else self._clock() - last
        return age is None or age >= FULL_CHECK_EVERY or age < timedelta(0)  # negative: the clock went back

    def _last_full_check(self) -> datetime | None:
        if self._db is None:
            return None
        with self._db.unit_of_work() as uow:
            raw = uow.office.setting(SETTING_LAST_FULL_CHECK)
        try:
            return datetime.fromisoformat(json.loads(raw)) if raw else None
        except (ValueError, TypeError):
            return None

    def run_full_check(self, progress: Progress = NO_PROGRESS) -> HealthReport:
        """PRAGMA integrity_check on a read-only connection (fine while the GUI edits); records the date if ok."""
        finding = run_check(self._data_dir.database, FULL, progress)
        if finding is not None:
            return self._failed(finding, FULL, progress)
        if self._db is not None:
            with self._db.unit_of_work() as uow:
                uow.office.set_setting(SETTING_LAST_FULL_CHECK,
                                       json.dumps(self._clock().isoformat(timespec="seconds")))
                uow.commit()
        return HealthReport(True, FULL)

    def newest_good_backup(self, progress: Progress = NO_PROGRESS) -> BackupInfo | None:
        """The newest backup that passes a full check (tried newest first)."""
        service = self._backups()
        for info in service.list_backups(progress):
            if not info.usable:
                continue
            try:
                return service.verify(info.path, progress)
            except LvqiError:
                continue
        return None

    def recover(self, backup: Path, progress: Progress = NO_PROGRESS) -> RestoreResult:
        """Move the damaged database aside untouched, then restore `backup` (the user has agreed)."""
        return self._backups().restore(backup, confirmed=True, current_is_damaged=True, progress=progress)

    def _failed(self, finding: str, check: str, progress: Progress) -> HealthReport:
        good = self.newest_good_backup(progress)
        shown = finding if len(finding) <= 200 else finding[:200] + "…"
        text = (f"数据库检查发现损坏（{shown}）。为了不让损坏扩大，现在不能编辑数据。"
                f"损坏的数据库文件会原样移到“{self._data_dir.quarantine}”保存，不会被改动或删除。")
        if good is not None:
            text += f"建议从最近一份完好的备份恢复：{good.summary()}。这份备份之后录入或修改的内容需要重新录入。"
        else:
            text += "没有找到完好的备份。请不要继续使用这台电脑上的数据，把数据文件夹整个复制给技术人员处理。"
        return HealthReport(False, check, text, finding, good)
