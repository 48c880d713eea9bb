"""What a CLI command needs: the data dir, the open services, the writer lock, output helpers."""

from __future__ import annotations

import json
import sys
from typing import Any
from typing import Protocol

from lvqi_desktop import clock
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.paths import DataDir
from lvqi_desktop.paths import resolve_data_dir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.startup import READ_ONLY_NOTICE
from lvqi_desktop.services.startup import is_read_only
from lvqi_desktop.services.startup import open_services
from lvqi_desktop.services.startup import writer_lock


class _WriterLock(Protocol):
    """What the CLI needs of storage's instance lock (the CLI may not import storage)."""

    def acquire_or_refuse(self) -> None: ...
    def release(self) -> None: ...


class CliContext:
    def __init__(self, data_dir: str | None, operator: str | None, *, read_only: bool = False,
                 accept_clock: bool = False, server: str | None = None) -> None:
        self.data_dir: DataDir = resolve_data_dir(data_dir, server)
        self._operator = operator
        self._asked_read_only = read_only
        self._accept_clock = accept_clock
        self._clock_behind = False
        self._services: Services | None = None
        self._lock: _WriterLock | None = None

    def services(self, *, write: bool) -> Services:
        """Open the database; writers first make sure the GUI does not hold it.
        A read-only folder or file (or --read-only) opens it for reading only and refuses writers."""
        read_only = self._asked_read_only or is_read_only(self.data_dir)
        if write and read_only:
            raise LvqiError(self._read_only_refusal())
        if write and self._lock is None:
            lock = writer_lock(self.data_dir)
            lock.acquire_or_refuse()
            self._lock = lock
        if self._services is None:
            services = open_services(self.data_dir, read_only=read_only)
            if read_only:
                print(f"提示：{READ_ONLY_NOTICE}", file=sys.stderr)
            office = services.office_info()
            if write and self._operator and office is not None and self._operator not in services.office.operators():
                known = "、".join(services.office.operators()) or "（无）"
                services.close()
                raise LvqiError(f"操作员“{self._operator}”没有登记，不能以此身份写入。已登记的操作员：{known}。"
                                "请用其中一个，或先在程序的“设置”页添加此操作员。")
            services.office.use_operator(self._operator or (office.default_preparer if office else "命令行"))
            self._services = services
            unfinished = services.exchange.unfinished_import() if write else None  # writers hold the lock
            if unfinished:
                print(f"提示：{unfinished}", file=sys.stderr)
            behind = services.clock_check.behind()
            self._clock_behind = behind is not None
            if behind is not None:
                print(f"提示：{behind}", file=sys.stderr)
        if write and self._clock_behind and not self._accept_clock:
            self._date_from_that_clock()
            self._accept_clock = True  # asked once per command
        return self._services

    def _date_from_that_clock(self) -> None:
        """A writer dates what it writes from the clock: on a terminal ask first; a script must say --accept-clock."""
        today = clock.today()
        if sys.stdin is None or not sys.stdin.isatty():
            raise LvqiError(f"电脑时钟可能不对，本命令会把修改记为 {today:%Y-%m-%d}，因此没有执行。请先校正时钟后再运行；"
                            "如确认按这个日期记录，请在命令前加 --accept-clock（例如 lvqi --accept-clock …）。")
        print(f"是否仍按 {today:%Y-%m-%d} 记录？[y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes", "是"):
            raise LvqiError("没有执行：请先校正电脑时钟后再运行本命令（或加 --accept-clock 按当前日期记录）。")

    def _read_only_refusal(self) -> str:
        if self._asked_read_only:
            return "这是修改数据的命令，而本次用 --read-only 以只读方式打开了数据。请去掉 --read-only 后再运行。"
        return (f"数据文件夹“{self.data_dir.root}”（或其中的数据库文件）是只读的（例如只读U盘、光盘，或没有写入权限），"
                "不能修改数据。请把整个数据文件夹复制到本机可写的文件夹，再用 --data-dir 指定它运行；"
                "或请管理员开放写入权限。查看、导出和 lvqi backup --out 可以照常使用。")

    def office_services(self, *, write: bool) -> Services:
        """The services of a data folder whose office is set up: what every ledger command works on."""
        services = self.services(write=write)
        if services.office_info() is None:
            raise LvqiError("本数据文件夹还没有设置所属单位。请先运行：lvqi init --county 县区代码（或 --city）")
        return services

    @staticmethod
    def print_json(obj: Any) -> None:
        # one write: json.dump's many small writes cost a system call each on an unbuffered stdout
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
        if self._lock is not None:
            self._lock.release()
