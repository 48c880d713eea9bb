"""Backups of the data dir: make and rotate, copy off the laptop, list, restore (safe in a worker thread).

Long methods take a `Progress` (the GUI passes its dialog's, which can cancel). None of them
needs the Qt event loop; none leaves a partial file behind when it fails or is cancelled.
"""

from __future__ import annotations

import dataclasses
import filecmp
import json
import logging
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop import __version__
from lvqi_desktop import atomic_files
from lvqi_desktop import clock
from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import NotFound
from lvqi_desktop.models.history import ACTION_RESTORE_BACKUP
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.backup_rows import BackupInfo
from lvqi_desktop.services.backup_rows import BackupMade
from lvqi_desktop.services.backup_rows import OffsiteCopy
from lvqi_desktop.services.backup_rows import RestoreResult
from lvqi_desktop.services.backup_rows import age_text
from lvqi_desktop.services.backup_rows import info_from_details
from lvqi_desktop.services.server_backups import ServerBackupService
from lvqi_desktop.storage import backup_catalog
from lvqi_desktop.storage import backup_names
from lvqi_desktop.storage import backup_reading
from lvqi_desktop.storage import backups
from lvqi_desktop.storage import live_file
from lvqi_desktop.storage import locked_copy
from lvqi_desktop.storage.backup_rotation import DEFAULT_MAX_TOTAL_BYTES
from lvqi_desktop.storage.backup_rotation import RotationPolicy
from lvqi_desktop.storage.backup_rotation import prune
from lvqi_desktop.storage.file_checks import FULL
from lvqi_desktop.storage.file_checks import RefusalTexts
from lvqi_desktop.storage.file_checks import inspect_file
from lvqi_desktop.storage.key_store import owner_only_dir
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.server import shown_url
from lvqi_desktop.storage.storage_guard import describe_location
from lvqi_desktop.storage.unit_of_work import Database

log = logging.getLogger(__name__)

SETTING_MAX_TOTAL_MB = "backup.max_total_mb"
SETTING_LAST_OFFSITE = "backup.last_offsite_at"
STARTUP_BACKUP_AFTER = timedelta(days=1)
OFFSITE_REMIND_AFTER = timedelta(days=7)

RESTORE_TEXTS = RefusalTexts(
    not_sqlite="文件“{path}”不是吕企台账的备份（不是 SQLite 数据库），不能用来恢复。当前数据没有任何改动。"
               "请选择 backups 文件夹中以 lvqi- 开头的备份文件。",
    damaged="备份文件“{path}”已损坏（{detail}），不能用来恢复。当前数据没有任何改动，请选择另一份备份。",
    newer_program="备份文件“{path}”由更新版本的吕企台账生成，需要 {needed} 或更高版本才能使用"
                  "（当前程序版本 {version}）。当前数据没有任何改动，请先升级程序再恢复。",
    newer_schema="备份文件“{path}”的结构版本（{revision}）比本程序新，不能用来恢复。当前数据没有任何改动，"
                 "请先升级吕企台账再恢复。",
)


SERVER_BACKUP = ("数据库在市中心的 PostgreSQL 服务器上，由信息科在服务器上用 pg_dump 备份、pg_restore 恢复"
                 "（见 docs/city-server.md“备份与恢复”），本机不保存数据库副本，“立即备份”“备份到…”“从备份恢复…”"
                 "在这里不可用。装有 PostgreSQL 客户端的电脑也可以运行 lvqi --database 地址 backup --out 文件 做一份。")

class BackupService:
    """`db` may be None when the live database cannot be opened (restore still works, settings use defaults)."""

    def __init__(self, data_dir: DataDir, db: Database | None, clock: Callable[[], datetime] = clock.now,
                 program_version: str = __version__, opener: backups.Opener = backups.open_new) -> None:
        self._data_dir = data_dir
        self._db = db
        self._clock = clock
        self._version = program_version
        self._opener = opener  # tests inject a writer that runs out of space
        # on the city's server: its pg_dump backups (the local backups folder has nothing of that database)
        self.server = ServerBackupService(data_dir, db, clock) if db is not None and db.on_server else None

    # ---- settings
    def _setting(self, key: str) -> object:
        if self._db is None:
            return None
        with self._db.unit_of_work() as uow:
            raw = uow.office.setting(key)
        try:
            return json.loads(raw) if raw is not None else None
        except ValueError:
            return None

    def _set_setting(self, key: str, value: object) -> None:
        if self._db is None:
            return
        with self._db.unit_of_work() as uow:
            uow.office.set_setting(key, json.dumps(value, ensure_ascii=False))
            uow.commit()

    def max_total_bytes(self) -> int:
        value = self._setting(SETTING_MAX_TOTAL_MB)
        return int(value) * 1024 * 1024 if isinstance(value, int) and value > 0 else DEFAULT_MAX_TOTAL_BYTES

    def set_max_total_mb(self, megabytes: int) -> None:
        if megabytes < 100:
            raise LvqiError("备份总容量上限不能小于 100 MB，否则保留不了几份备份。")
        self._set_setting(SETTING_MAX_TOTAL_MB, int(megabytes))

    def policy(self) -> RotationPolicy:
        return RotationPolicy(max_total_bytes=self.max_total_bytes())

    # ---- making backups
    def backup(self, reason: str = "manual", progress: Progress = NO_PROGRESS,
               protect: Path | None = None) -> BackupMade:
        """Back up the live database now (reason: manual, startup, before-import, before-merge, …), then rotate.

        Rotation never deletes `protect` (the backup a restore is using).
        """
        if reason not in backup_names.REASONS:
            raise ValueError(f"unknown backup reason {reason!r}")
        if self._read_only():
            raise BackupFailed("数据以只读方式打开，不能在备份文件夹中新建备份。"
                               "请用“拷到U盘”（命令行：lvqi backup --out 文件夹）把副本拷到可写的文件夹或U盘。")
        db_path = self._database_to_copy()
        now = self._clock()
        folder = self._data_dir.backups
        for leftovers in (folder, self._data_dir.root):  # of killed backups, and of killed or refused restores
            backups.remove_stale_parts(leftovers, now)
        seen: list[backup_catalog.BackupDetails] = []
        started = time.perf_counter()
        made = backups.create_backup(
            db_path, folder, reason, now, opener=self._opener, progress=progress,
            on_snapshot=lambda raw: seen.append(backup_catalog.details_of_database(
                backup_names.BackupFile(raw, now, reason, 0), raw)))
        seconds = time.perf_counter() - started
        if seen:
            d = seen[0]
            backup_catalog.remember(folder, backup_catalog.BackupDetails(made, d.revision, d.min_program_version,
                                                                         d.counts, d.unreadable))
        pruned = prune(folder, now, self.policy(), frozenset({protect}) if protect else frozenset())
        log.info("backup %s (%s bytes, %.2f s), pruned %d", made.path.name, made.size, seconds, len(pruned.deleted))
        return BackupMade(made.path, now, reason, made.size, seconds, pruned.deleted, pruned.note())

    def backup_if_due(self, progress: Progress = NO_PROGRESS) -> BackupMade | None:
        """The start-up backup: only when the newest backup is older than a day (or there is none, or it is
        dated after now: the clock went back, and backups must not stop)."""
        age = self.last_backup_age()
        if age is not None and timedelta(0) <= age < STARTUP_BACKUP_AFTER:
            return None
        if not self._data_dir.database.exists() or self._read_only():  # nothing can be written: no backup
            return None
        return self.backup("startup", progress)

    def last_backup(self) -> backup_names.BackupFile | None:
        found = backup_names.list_backup_files(self._data_dir.backups)
        return found[0] if found else None

    def last_backup_age(self) -> timedelta | None:
        """How long ago the newest backup in the data dir was made; None when there is none."""
        newest = self.last_backup()
        return None if newest is None else self._clock() - newest.created_at

    def describe_last_backup(self) -> str:
        if self.server is not None:
            return self.server.describe()
        newest = self.last_backup()
        if newest is None:
            return "还没有备份。"
        return (f"最近一次备份：{newest.created_at:%Y-%m-%d %H:%M}（{age_text(self._clock() - newest.created_at)}，"
                f"{newest.reason_label}）。")

    def location_text(self) -> str:
        """For the settings page: where the data is kept, on what kind of drive, and why."""
        if self._data_dir.server:
            return (f"数据库在 PostgreSQL 服务器上：{shown_url(self._data_dir.server)}（多位办事员共用）。"
                    f"本机数据文件夹 {self._data_dir.root} 只保存日志、界面设置、收到的报送包和本机密钥。")
        return describe_location(self._data_dir)

    # ---- copies off the laptop ("备份到…")
    def copy_to(self, destination: Path, progress: Progress = NO_PROGRESS, password: str = "") -> OffsiteCopy:
        """Write a verified copy to a folder (or a file path ending .sqlite3.gz / .sqlite3) and remember the date.
        With a `password` the copy is encrypted (`….sqlite3.gz.lvqi-locked` in the folder; restore asks for it)."""
        db_path = self._database_to_copy()
        now = self._clock()
        started = time.perf_counter()
        if password:
            target = self._locked_copy(db_path, Path(destination), password, now, progress)
        else:
            target = backups.export_copy(db_path, Path(destination), self._work_dir(), now,
                                         opener=self._opener, progress=progress)
        if not self._read_only():  # a read-only database cannot remember the date; the copy is still made
            self._set_setting(SETTING_LAST_OFFSITE, now.isoformat(timespec="seconds"))
        return OffsiteCopy(target, now, target.stat().st_size, target.name.endswith(".gz"),
                           time.perf_counter() - started)

    @property
    def on_server(self) -> bool:
        """The database is on the city's PostgreSQL server: backed up there with pg_dump (docs/city-server.md)."""
        return self._db is not None and self._db.on_server

    def _database_to_copy(self) -> Path:
        """The database file a backup or a copy is made of; refused on the server or before there is one."""
        if self.on_server:
            raise BackupFailed(SERVER_BACKUP)
        db_path = self._data_dir.database
        if not db_path.exists():
            raise NotFound("还没有数据库，无需备份。")
        return db_path

    def _read_only(self) -> bool:
        return self._db is not None and self._db.read_only

    def _work_dir(self) -> Path:
        """Where a copy's temporary snapshot goes: the backups folder, or the system's temp folder when the data
        folder is read-only."""
        return Path(tempfile.gettempdir()) if self._read_only() else self._data_dir.backups

    @staticmethod
    def needs_password(path: Path) -> bool:
        """Whether a backup file is a password-protected copy (restore must then be given the password)."""
        try:
            return locked_copy.is_locked(Path(path))
        except OSError:
            return False

    def _locked_copy(self, db_path: Path, folder: Path, password: str, now: datetime, progress: Progress) -> Path:
        """The compressed copy made in a private folder, encrypted into `folder`, read back and compared."""
        if not folder.is_dir():
            raise BackupFailed(f"文件夹“{folder}”不存在，请先插好 U 盘或选择一个存在的文件夹。")
        scratch = self._work_dir() if self._read_only() else owner_only_dir(self._data_dir.root / "tmp")
        work = Path(tempfile.mkdtemp(prefix="lock-", dir=scratch))
        try:
            plain = backups.export_copy(db_path, work, self._work_dir(), now, opener=self._opener,
                                        progress=progress)
            target = folder / (plain.name + locked_copy.SUFFIX)
            locked_copy.lock(plain, target, password)
            back = work / "read-back"
            locked_copy.unlock(target, back, password)
            if not filecmp.cmp(plain, back, shallow=False):
                atomic_files.discard(target)
                raise BackupFailed(f"拷到“{folder}”的加密副本读回校验不一致，已删除。请换一个 U 盘再试。")
            return target
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def last_offsite_copy(self) -> datetime | None:
        value = self._setting(SETTING_LAST_OFFSITE)
        try:
            return datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def offsite_status(self) -> str:
        """For the start page: when the data last left this laptop (nothing to say when it lives on a server)."""
        if self.on_server:
            return ""
        last = self.last_offsite_copy()
        if last is None:
            return "还没有把数据拷出过这台电脑。"
        return f"最近一次拷出本机：{last:%Y-%m-%d}（{age_text(self._clock() - last)}）。"

    def offsite_reminder(self) -> str | None:
        """A weekly reminder to copy the data off the laptop; None when a copy is recent (or nothing to copy)."""
        if self.server is not None:
            return self.server.reminder()
        last = self.last_offsite_copy()
        if last is not None and self._clock() - last < OFFSITE_REMIND_AFTER:
            return None
        if last is None:
            if self._db is None or not self._has_records():
                return None
            return ("还没有把数据拷出过这台电脑。电脑丢失、被盗或硬盘损坏时，本机上的自动备份会一起丢失。"
                    "请用“备份到…”拷一份到 U 盘，并把 U 盘放在别处保管。")
        days = (self._clock() - last).days
        return (f"上次把数据拷出这台电脑是 {last:%Y-%m-%d}（{days} 天前）。请用“备份到…”再拷一份到 U 盘，"
                "并把 U 盘放在别处保管。")

    def _has_records(self) -> bool:
        assert self._db is not None
        with self._db.unit_of_work() as uow:
            return uow.enterprises.count_all() > 0

    # ---- listing and checking backups
    def list_backups(self, progress: Progress = NO_PROGRESS) -> list[BackupInfo]:
        """Backups in the data dir, newest first, with date, size, kind and record counts."""
        return [info_from_details(d, self._version)
                for d in backup_catalog.describe_folder(self._data_dir.backups, progress)]

    def find_backup(self, name_or_path: str | Path) -> Path:
        """A path as given, or a file name inside the backups folder."""
        path = Path(name_or_path).expanduser()
        if path.is_file():
            return path.resolve()
        inside = self._data_dir.backups / Path(name_or_path).name
        if inside.is_file():
            return inside
        raise NotFound(f"找不到备份文件“{name_or_path}”。可用 lvqi backups 列出备份，或给出文件的完整路径。")

    def _stage(self, source: Path, staged: Path, progress: Progress, password: str = "") -> BackupInfo:
        """Unpack `source` to `staged` and refuse it unless it is a whole, usable backup."""
        if not source.is_file():
            raise NotFound(f"找不到备份文件“{source}”。当前数据没有任何改动。")
        if locked_copy.is_locked(source):
            if not password:
                raise DatabaseRefused(f"备份“{source.name}”设置了密码，请输入密码后再恢复（命令行加 --password-file）。"
                                      "当前数据没有任何改动。")
            unlocked = staged.with_name(staged.name + ".unlocked")
            try:
                locked_copy.unlock(source, unlocked, password)
                return dataclasses.replace(self._stage(unlocked, staged, progress), path=source)
            finally:
                atomic_files.discard(unlocked)
        try:
            backup_reading.unpack(source, staged, progress)
        except DatabaseRefused as exc:
            raise DatabaseRefused(RESTORE_TEXTS.not_sqlite.format(path=source)) from exc
        except OSError as exc:
            if backups.is_full_disk(exc):
                raise BackupFailed(f"磁盘空间不足，无法解压备份“{source.name}”。当前数据没有任何改动，"
                                   "请清理磁盘空间后重试。") from exc
            raise DatabaseRefused(RESTORE_TEXTS.damaged.format(path=source, detail=f"无法解压：{exc}")) from exc
        except (EOFError, zlib.error) as exc:
            raise DatabaseRefused(RESTORE_TEXTS.damaged.format(path=source, detail=f"无法解压：{exc}")) from exc
        try:
            facts = inspect_file(staged, self._version, RESTORE_TEXTS, check=FULL, shown_as=source, private=True,
                                 progress=progress)
            counts = backup_reading.read_counts(staged)
        except BaseException:
            atomic_files.discard(staged)
            raise
        parsed = backup_names.parse_backup_name(source.name)
        created, reason = (parsed[0], parsed[1]) if parsed else (None, "")
        return BackupInfo(source, created or datetime.fromtimestamp(source.stat().st_mtime), reason,
                          backup_names.REASONS.get(reason, "备份文件"), source.stat().st_size, counts.enterprises,
                          counts.archived_enterprises, counts.tables, facts.revision, None)

    def verify(self, source: Path, progress: Progress = NO_PROGRESS, password: str = "") -> BackupInfo:
        """Fully check a backup (unpack, integrity_check, versions) without restoring; raises when refused."""
        staged = self._data_dir.root / f".lvqi-verify-{uuid.uuid4().hex[:12]}.sqlite3.part"
        try:
            return self._stage(Path(source), staged, progress, password)
        finally:
            atomic_files.discard(staged)

    # ---- restoring
    def restore(self, source: Path, *, confirmed: bool, current_is_damaged: bool = False,
                progress: Progress = NO_PROGRESS, password: str = "") -> RestoreResult:
        """Replace the live database by a backup, after backing up the current state (so it can be undone).

        Refused unless `confirmed`. A backup that is not SQLite, is damaged or too new is refused and
        nothing changes. `current_is_damaged`: move the live file aside untouched instead of backing it up.
        The old engine is closed; build new services on `result.database`.
        """
        source = Path(source)
        if self.on_server:
            raise BackupFailed(SERVER_BACKUP)
        if not confirmed:
            raise LvqiError("恢复会用备份替换当前的全部数据，必须先确认（命令行请加 --yes）。当前数据没有任何改动。")
        now = self._clock()
        live = self._data_dir.database
        backups.remove_stale_parts(self._data_dir.root, now)
        staged = self._data_dir.root / f".lvqi-restore-{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.sqlite3.part"
        info = self._stage(source, staged, progress, password)
        try:
            offsite = self.last_offsite_copy()
            safety, quarantined = self._secure_current(live, now, current_is_damaged, source, progress)
            progress.update(0, 0, "正在替换数据库…")
            if self._db is not None:
                self._db.dispose()
            if live.exists() and not live_file.checkpoint(live):
                raise LvqiError("数据库正被另一个程序（另一个吕企台账窗口或命令行）使用，没有恢复。"
                                "请关闭它后重试；当前数据没有任何改动。")
            try:
                live_file.replace_live_database(staged, live)
            except OSError as exc:
                raise LvqiError(f"无法替换数据库文件（{exc.strerror or exc}），可能还有程序在使用它。没有恢复，"
                                "当前数据没有任何改动；请关闭其他吕企台账窗口或命令行后重试。") from exc
        finally:
            atomic_files.discard(staged)
        operator = self._db.operator if self._db is not None else ""
        self._db = Database(open_database(self._data_dir, self._version, clock=self._clock), operator)
        if offsite is not None and (self.last_offsite_copy() or datetime.min) < offsite:
            self._set_setting(SETTING_LAST_OFFSITE, offsite.isoformat(timespec="seconds"))
        self._record_restore(self._db, info, safety)
        log.info("restored %s (safety backup %s, quarantined %s)", source, safety, quarantined)
        return RestoreResult(source, info.created_at, info.enterprises or 0, info.archived_enterprises or 0,
                             safety, quarantined, self._db)

    def _secure_current(self, live: Path, now: datetime, damaged: bool, source: Path,
                        progress: Progress) -> tuple[Path | None, Path | None]:
        """Back up the live database before it is replaced; an unreadable one is moved aside instead."""
        if not live.exists():
            return None, None
        if not damaged:
            try:
                return self.backup("before-restore", progress, protect=source).path, None
            except DatabaseRefused as exc:
                log.warning("live database unreadable before restore, moving it aside: %s", exc)
                why = f"恢复备份前无法读取（{exc}）"
            except BackupFailed as exc:
                raise BackupFailed(f"恢复前需要先备份当前数据，但备份没有做成，所以没有恢复。{exc}") from exc
        else:
            why = "数据库检查发现损坏，恢复备份前移出"
        if self._db is not None:
            self._db.dispose()
        return None, live_file.quarantine(live, self._data_dir.quarantine, now, why)

    def _record_restore(self, db: Database, restored: BackupInfo, safety_backup: Path | None) -> None:
        """The restored database's history gains one record of this restore (who, when, from which file)."""
        summary = f"从备份恢复：{restored.file_name}（{restored.created_at:%Y-%m-%d %H:%M} 的备份）"
        changes = {"backup": [None, restored.file_name],
                   "safety_backup": [None, safety_backup.name if safety_backup else None]}
        with db.unit_of_work() as uow:
            uow.history.append_event(ACTION_RESTORE_BACKUP, summary, changes=changes)
            uow.commit()
