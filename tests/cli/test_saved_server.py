"""The saved server address (server.json): the order flag > variable > file > local SQLite; hostile content ignored."""

from __future__ import annotations

import json

import pytest

from lvqi_desktop.paths import MAX_SERVER_FILE_BYTES
from lvqi_desktop.paths import SERVER_FILE_NAME
from lvqi_desktop.paths import resolve_data_dir
from lvqi_desktop.paths import save_server

SAVED = "postgresql://zhangsan:pw@10.12.0.5/lvqi"


@pytest.fixture(autouse=True)
def no_variable(monkeypatch):
    monkeypatch.delenv("LVQI_DATABASE", raising=False)


def test_flag_beats_variable_beats_saved_file_beats_local(tmp_path, monkeypatch) -> None:
    assert resolve_data_dir(str(tmp_path)).server is None
    save_server(tmp_path, SAVED)
    assert resolve_data_dir(str(tmp_path)).server == SAVED
    monkeypatch.setenv("LVQI_DATABASE", "postgresql://env@h/db")
    assert resolve_data_dir(str(tmp_path)).server == "postgresql://env@h/db"
    assert resolve_data_dir(str(tmp_path), "postgresql://flag@h/db").server == "postgresql://flag@h/db"


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b'{"database": 5}',
                                     b'{"database": ""}', b"[" * 5000 + b"]" * 5000,
                                     b'{"database": "' + b"x" * (MAX_SERVER_FILE_BYTES + 10) + b'"}'])
def test_hostile_saved_file_is_ignored_with_a_chinese_message(tmp_path, content, cli) -> None:
    cli.root.mkdir(parents=True)
    (cli.root / SERVER_FILE_NAME).write_bytes(content)
    data_dir = resolve_data_dir(str(cli.root))
    assert data_dir.server is None and "已忽略" in (data_dir.server_note or "")
    ran = cli("init", "--county", "141102", "--preparer", "张三")
    assert ran.code == 0 and "提示：" in ran.err and "设置 → 数据库服务器" in ran.err and "Traceback" not in ran.err
    assert cli.database.exists()  # the local file was used


@pytest.mark.postgresql
def test_lvqi_uses_the_saved_address(cli, pg_url) -> None:
    save_server(cli.root, pg_url)
    assert json.loads((cli.root / SERVER_FILE_NAME).read_text(encoding="utf-8")) == {"database": pg_url}
    ran = cli("test-server")
    assert ran.code == 0 and "连接成功" in ran.out and "数据库是空的" in ran.out
    ran = cli("init", "--city", "--preparer", "李四")
    assert ran.code == 0, ran.err
    assert not cli.database.exists()  # written on the server, not into a local file
