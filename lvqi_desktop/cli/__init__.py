"""The command line `lvqi`: a second face over the same services (no Qt). See docs/cli.md."""

from __future__ import annotations

import argparse
import os
import sys

from lvqi_desktop import __version__
from lvqi_desktop.cli import commands
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.streams import configure_streams
from lvqi_desktop.errors import LvqiError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lvqi", description="吕企台账 命令行")
    parser.add_argument("--version", action="version", version=f"lvqi {__version__}")
    parser.add_argument("--data-dir", help="数据文件夹（默认：本机用户数据目录，或环境变量 LVQI_DATA_DIR）")
    parser.add_argument("--operator", help="以此操作员身份写入（默认：本单位默认填报人）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for register in commands.REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 0 done, 1 refused (Chinese message on stderr), 2 usage error, 130 Ctrl-C."""
    configure_streams()
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)  # usage errors exit 2
    ctx = CliContext(args.data_dir, args.operator)
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
        print(f"错误：无法读写文件{where}（{exc.strerror or exc}）。请检查数据文件夹是否存在且可写，"
              "或用 --data-dir 指定其他文件夹。", file=sys.stderr)
        return 1
    finally:
        ctx.close()
