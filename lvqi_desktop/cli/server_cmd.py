"""`lvqi copy-to-server URL` and `lvqi test-server URL`: the city's PostgreSQL server (docs/city-server.md)."""

from __future__ import annotations

import argparse
from typing import Any

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.server_copy import copy_to_server
from lvqi_desktop.services.startup import try_server
from lvqi_desktop.services.startup import writer_lock


def register(sub: Any) -> None:
    p = sub.add_parser("copy-to-server", help="市中心版：把本机的数据库复制到 PostgreSQL 服务器上的空数据库",
                       description="把本机数据文件夹中的市中心数据库（全部表，含修改记录）复制到服务器上的空数据库，"
                                   "复制后逐表核对记录数和内容指纹；不一致则全部撤销。本机文件只读取，不改动。")
    p.add_argument("url", metavar="URL", help="服务器上空数据库的地址：postgresql://角色:密码@服务器:5432/数据库名")
    printing_handler(p, run_copy)

    p = sub.add_parser("test-server", help="市中心版：测试能否连上 PostgreSQL 服务器（不改动服务器上的任何数据）",
                       description="连接服务器上的数据库，说明连上后会怎样（空库会建表、旧结构会升级、已是当前结构），"
                                   "或说明连不上的原因。服务器上的数据不会被改动。")
    p.add_argument("url", metavar="URL", nargs="?", help="服务器地址（默认：--database 或环境变量 LVQI_DATABASE）")
    p.set_defaults(handler=run_test)


def run_test(ctx: CliContext, args: argparse.Namespace) -> int:
    url = args.url or ctx.data_dir.server
    if not url:
        raise LvqiError("请给出服务器地址：lvqi test-server postgresql://角色:密码@服务器:5432/数据库名")
    print(try_server(url))
    return 0


def run_copy(ctx: CliContext, args: argparse.Namespace) -> int:
    lock = writer_lock(ctx.data_dir)  # the program must not change the file while it is being copied
    lock.acquire_or_refuse()
    try:
        copied = copy_to_server(ctx.data_dir, args.url)
    finally:
        lock.release()
    if args.format == "json":
        ctx.print_json([{"table": c.table, "rows": c.source_rows, "server_rows": c.server_rows,
                         "fingerprint": c.source_fingerprint, "server_fingerprint": c.server_fingerprint}
                        for c in copied])
        return 0
    print_table(["表", "本机记录数", "服务器记录数", "内容指纹", "核对"],
                [[c.table, str(c.source_rows), str(c.server_rows), c.source_fingerprint, "一致"] for c in copied],
                right=[False, True, True, False, False])  # a difference rolls the copy back and is an error
    print(f"已复制 {len(copied)} 张表、{sum(c.source_rows for c in copied)} 条记录，逐表核对一致。"
          "以后请各办事员用 --database 地址（或设置环境变量 LVQI_DATABASE）连接服务器；本机文件请留作备份。")
    return 0
