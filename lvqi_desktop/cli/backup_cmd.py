"""`lvqi backup`, `lvqi backups`, `lvqi restore`: make, list and restore backups of the data dir.

Exit codes of `lvqi restore`: 0 restored; 1 refused or failed (the current data is unchanged);
2 usage error, including a missing --yes (nothing was done).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.backup_rows import BackupInfo
from lvqi_desktop.services.backup_rows import size_text
from lvqi_desktop.services.backups import SERVER_BACKUP
from lvqi_desktop.services.backups import BackupService

EXIT_NOT_CONFIRMED = 2


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="立即备份（或用 --out 拷到 U 盘等其他位置）",
                       description="用 SQLite 在线备份做一份经过完整性检查的压缩备份，存入数据文件夹的 backups，"
                                   "并按保留规则清理旧备份。用 --out 指定文件夹（如 U 盘）或文件名时，"
                                   "把副本写到那里并读回校验，记下“最近一次拷出本机”的日期。")
    p.add_argument("--out", metavar="PATH",
                   help="拷到这个文件夹，或这个文件（以 .sqlite3.gz 结尾为压缩，以 .sqlite3 结尾为不压缩）")
    p.add_argument("--password-file", metavar="FILE",
                   help="与 --out 一起：用这个文件第一行的密码加密副本（至少 8 位；恢复时要同一密码）")
    p.add_argument("--record", metavar="DUMP",
                   help="市中心版（数据库在服务器上）：登记信息科用 pg_dump --format=custom 做好的这份备份，"
                        "各办事员的首页会显示它；数据库在服务器上时 --out 则用本机的 pg_dump 备份到该文件夹或文件")
    printing_handler(p, run_backup)

    p = sub.add_parser("backups", help="列出备份（时间、类型、大小、企业数）",
                       description="列出数据文件夹 backups 中的备份，最新的在前。")
    printing_handler(p, run_backups)

    p = sub.add_parser("restore", help="从备份恢复（需加 --yes 确认）",
                       description="用一份备份替换当前的全部数据。恢复前会先把当前数据备份为 before-restore，"
                                   "所以恢复本身也可以撤销。损坏的、不是备份的、或由更新版本程序生成的文件会被拒绝，"
                                   "当前数据不变。",
                       epilog="退出码：0 已恢复；1 被拒绝或失败（当前数据未改动）；2 用法错误或没有加 --yes（什么也没做）。")
    p.add_argument("file", metavar="FILE", help="备份文件的路径，或 backups 文件夹中的文件名（见 lvqi backups）")
    p.add_argument("--yes", action="store_true", help="确认用这份备份替换当前的全部数据")
    p.add_argument("--password-file", metavar="FILE", help="加密副本的密码（这个文件的第一行）")
    printing_handler(p, run_restore)


def run_backup(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.services(write=False)  # a backup only reads; it may run while the window is open
    server = services.backups.server
    if args.record and server is None:
        raise LvqiError("--record 只用于数据库在服务器上的市中心版（lvqi --database 地址 backup --record 备份文件）；"
                        "本机数据库请直接运行 lvqi backup。")
    if server is not None and (args.record or args.out):
        recorded = server.record(Path(args.record)) if args.record else server.dump_to(Path(args.out))
        if args.format == "json":
            ctx.print_json(recorded.to_json())
        else:
            print(f"{'已登记' if args.record else '已用 pg_dump 备份并登记'}：{recorded.file_name}"
                  f"（{size_text(recorded.size_bytes)}）。各办事员的首页会显示这次备份。")
        return 0
    if args.out:
        copy = services.backups.copy_to(Path(args.out).expanduser(), password=_password(args))
        if args.format == "json":
            ctx.print_json(copy.to_json())
        else:
            print(f"已拷到：{copy.path}（{size_text(copy.size_bytes)}，用时 {copy.seconds:.1f} 秒），已读回校验无误。"
                  "请把这份副本放在别处保管。")
        return 0
    made = services.backups.backup("manual")
    if args.format == "json":
        ctx.print_json(made.to_json())
        return 0
    print(f"已备份：{made.path}（{size_text(made.size_bytes)}，用时 {made.seconds:.1f} 秒），已通过完整性检查。")
    if made.pruned:
        print(f"按保留规则删除了 {len(made.pruned)} 份较旧的备份。")
    if made.rotation_note:
        print(f"提示：{made.rotation_note}")
    reminder = services.backups.offsite_reminder()
    if reminder:
        print(f"提示：{reminder}（lvqi backup --out U盘文件夹）")
    return 0


def _password(args: argparse.Namespace) -> str:
    """The first line of --password-file (a file, so the password stays out of the shell history)."""
    if not getattr(args, "password_file", None):
        return ""
    try:
        return Path(args.password_file).expanduser().read_text(encoding="utf-8").splitlines()[0]
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise LvqiError(f"无法读取密码文件“{args.password_file}”：请给出一个第一行是密码的文本文件。") from exc


def _row(info: BackupInfo, with_problem: bool) -> list[str]:
    count = "" if info.enterprises is None else str(info.enterprises)
    row = [f"{info.created_at:%Y-%m-%d %H:%M:%S}", info.reason_label, size_text(info.size_bytes), count,
           info.file_name]
    return row + [info.problem or ""] if with_problem else row


def _service(ctx: CliContext, *, write: bool) -> BackupService:
    """The data dir's backup service; without settings when the live database cannot be opened,
    since listing and restoring backups is exactly what is needed then."""
    try:
        return ctx.services(write=write).backups
    except DatabaseRefused:
        return BackupService(ctx.data_dir, None)


def run_backups(ctx: CliContext, args: argparse.Namespace) -> int:
    backups = _service(ctx, write=False)
    if backups.server is not None:  # the local backups folder holds nothing of the server's database
        last = backups.server.last()
        if args.format == "json":
            ctx.print_json({"server_backup": last.to_json() if last else None})
        else:
            print(backups.describe_last_backup())
        return 0
    items = backups.list_backups()
    if args.format == "json":
        ctx.print_json({**listing([i.to_json() for i in items]), "folder": str(ctx.data_dir.backups),
                        "total_bytes": sum(i.size_bytes for i in items),
                        "last_offsite_at": _iso(backups.last_offsite_copy())})
        return 0
    if not items:
        print(f"还没有备份（{ctx.data_dir.backups}）。可运行 lvqi backup 立即备份。")
        return 0
    problems = any(i.problem for i in items)
    headers = ["时间", "类型", "大小", "企业数", "文件"] + (["不能恢复的原因"] if problems else [])
    print_table(headers, [_row(i, problems) for i in items],
                right=[False, False, True, True, False, False][:len(headers)])
    print(f"共 {len(items)} 份，合计 {size_text(sum(i.size_bytes for i in items))}，位于 {ctx.data_dir.backups}。")
    print(backups.offsite_status())
    return 0


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def run_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    if ctx.data_dir.server:  # the local backups folder is not the server's: pg_restore (docs/city-server.md)
        raise LvqiError(SERVER_BACKUP)
    if not args.yes:
        offline = BackupService(ctx.data_dir, None)
        info = offline.verify(offline.find_backup(args.file), password=_password(args))
        print(f"未恢复：恢复会用这份备份替换当前的全部数据——{info.summary()}。"
              "恢复前会自动备份当前数据。确认请加 --yes 再运行一次。", file=sys.stderr)
        return EXIT_NOT_CONFIRMED
    backups = _service(ctx, write=True)
    result = backups.restore(backups.find_backup(args.file), confirmed=True, password=_password(args))
    try:
        if args.format == "json":
            ctx.print_json(result.to_json())
        else:
            print(result.message())
    finally:
        result.database.dispose()
    return 0
