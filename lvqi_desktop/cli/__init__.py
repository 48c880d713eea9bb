"""The command line `lvqi`: a second face over the same services (no Qt). See docs/cli.md."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback

from lvqi_desktop import __version__
from lvqi_desktop.cli import commands
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.streams import configure_streams
from lvqi_desktop.errors import DiskFull
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import is_disk_full
from lvqi_desktop.logging_setup import setup_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lvqi", description="吕企台账 命令行")
    parser.add_argument("--version", action="version", version=f"lvqi {__version__}")
    parser.add_argument("--data-dir", help="数据文件夹（默认：本机用户数据目录，或环境变量 LVQI_DATA_DIR）")
    parser.add_argument("--database", metavar="URL",
                        help="市中心版：数据库在 PostgreSQL 服务器上（postgresql://角色:密码@服务器/数据库；"
                             "或环境变量 LVQI_DATABASE），见 docs/city-server.md")
    parser.add_argument("--operator", dest="acting_operator", metavar="NAME",
                        help="以此操作员（人名）身份写入修改记录（默认：本单位默认填报人）")
    parser.add_argument("--read-only", action="store_true",
                        help="以只读方式打开数据：只能查看、导出和复制（数据文件夹只读时自动如此）")
    parser.add_argument("--accept-clock", action="store_true",
                        help="电脑时钟早于最近的修改或备份时，仍按当前日期记录修改（不询问；供脚本使用）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for register in commands.REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 0 done, 1 refused (Chinese message on stderr), 2 usage error, 130 Ctrl-C."""
    configure_streams()
    argv = sys.argv[1:] if argv is None else argv
    unreadable = next((i for i, arg in enumerate(argv, start=1) if _undecodable(arg)), None)
    if unreadable is not None:
        print(f"错误：第{unreadable}个命令行参数含有无法识别的字节：终端不是 UTF-8 编码（例如 GBK）。请在 UTF-8 终端中运行"
              "（Windows 命令提示符可先执行 chcp 65001），或把中文内容写进 Excel 表后用 import-xlsx 导入。", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)  # usage errors exit 2
    ctx = CliContext(args.data_dir, args.acting_operator, read_only=args.read_only, accept_clock=args.accept_clock,
                     server=args.database)
    if ctx.data_dir.server_note:  # a damaged server.json: the local data file is used instead
        print(f"提示：{ctx.data_dir.server_note}", file=sys.stderr)
    try:
        return int(args.handler(ctx, args) or 0)
    except LvqiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n已中断：未完成的操作没有写入任何数据。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `lvqi enterprise list | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f"“{exc.filename}”" if exc.filename else ""
        if is_disk_full(exc):
            print(f"错误：{DiskFull.at(ctx.data_dir.root)}", file=sys.stderr)
            return 1
        print(f"错误：无法读写文件{where}（{exc.strerror or exc}）。请检查数据文件夹是否存在且可写，"
              "或用 --data-dir 指定其他文件夹。", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last resort: a Chinese message, the details only in the log
        return _unexpected(ctx, exc)
    finally:
        ctx.close()


def _undecodable(arg: str) -> bool:
    """Bytes the terminal's encoding could not turn into text arrive as lone surrogates (surrogateescape)."""
    return any("\ud800" <= ch <= "\udfff" for ch in arg)


def _unexpected(ctx: CliContext, exc: Exception) -> int:
    """An error nobody foresaw: logged with its traceback (SQL parameters hidden, so no row data), never shown."""
    if is_disk_full(exc, ctx.data_dir.root):
        print(f"错误：{DiskFull.at(ctx.data_dir.root, ctx.data_dir.database)}", file=sys.stderr)
        return 1
    where = "（无法写入日志）"
    try:
        where = f"“{setup_logging(ctx.data_dir.logs)}”"
        logging.getLogger("lvqi_desktop.cli").error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
    except OSError:
        pass
    print(f"错误：程序内部出错（{type(exc).__name__}），操作没有完成，没有写入任何数据。详细信息已记入日志{where}，"
          "请把该日志文件发给技术支持人员。", file=sys.stderr)
    return 1
