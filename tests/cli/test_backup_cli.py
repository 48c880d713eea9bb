"""`lvqi backup`, `lvqi backups`, `lvqi restore`: output, JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lvqi_desktop.cli import main
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc
from tests.storage.db_damage import sha


@pytest.fixture
def root(services) -> str:
    """A data dir with an office and two enterprises; the fixture's own engine is closed."""
    for i in range(2):
        services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=13000 + i), name=f"命令行测试企业{i}有限公司",
                                                  township_code="141102001", industry_section="C"))
    services.db.dispose()
    return str(services.data_dir.root)


def lvqi(root: str, *args: str) -> int:
    return main(["--data-dir", root, *args])


def json_out(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_backup_then_list_as_json(root: str, capsys) -> None:
    assert lvqi(root, "backup") == 0
    assert "已备份：" in capsys.readouterr().out
    assert lvqi(root, "backup", "--format", "json") == 0
    made = json_out(capsys)
    assert made["reason"] == "manual" and made["file"].endswith(".sqlite3.gz") and made["size_bytes"] > 0
    assert lvqi(root, "backups", "--format", "json") == 0
    listed = json_out(capsys)
    assert listed["count"] == 2 and len(listed["items"]) == 2
    item = listed["items"][0]
    assert item["file"] == made["file"] and item["enterprises"] == 2 and item["usable"] is True
    assert item["created_at"][:4] == made["created_at"][:4] and "T" in item["created_at"]
    assert listed["last_offsite_at"] is None and listed["total_bytes"] > 0


def test_backups_as_a_table(root: str, capsys) -> None:
    assert lvqi(root, "backups") == 0
    assert "还没有备份" in capsys.readouterr().out
    lvqi(root, "backup")
    capsys.readouterr()
    assert lvqi(root, "backups") == 0
    out = capsys.readouterr().out
    assert "手动备份" in out and "共 1 份" in out and "还没有把数据拷出过这台电脑" in out


def test_backup_out_to_a_folder_records_the_offsite_date(root: str, tmp_path: Path, capsys) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    assert lvqi(root, "backup", "--out", str(stick), "--format", "json") == 0
    copy = json_out(capsys)
    assert Path(copy["path"]).parent == stick and copy["verified"] is True
    lvqi(root, "backups", "--format", "json")
    assert json_out(capsys)["last_offsite_at"] is not None


def test_backup_out_to_a_missing_folder_exits_1(root: str, tmp_path: Path, capsys) -> None:
    assert lvqi(root, "backup", "--out", str(tmp_path / "no-stick")) == 1
    assert "不存在，请先插好 U 盘" in capsys.readouterr().err


def test_restore_needs_yes_then_restores(root: str, capsys) -> None:
    lvqi(root, "backup", "--format", "json")
    name = json_out(capsys)["file"]
    db = Path(root) / "lvqi.sqlite3"
    before = sha(db)
    assert lvqi(root, "restore", name) == 2
    err = capsys.readouterr().err
    assert "未恢复" in err and "--yes" in err and "企业 2 家" in err
    assert sha(db) == before and len(list((Path(root) / "backups").glob("*before-restore*"))) == 0
    assert lvqi(root, "restore", name, "--yes", "--format", "json") == 0
    result = json_out(capsys)
    assert result["enterprises"] == 2 and "before-restore" in result["safety_backup"]


def test_restore_refusals_exit_1_with_the_reason(root: str, tmp_path: Path, capsys) -> None:
    assert lvqi(root, "restore", "lvqi-19990101-000000-manual.sqlite3.gz", "--yes") == 1
    assert "找不到备份文件" in capsys.readouterr().err
    text = tmp_path / "readme.sqlite3.gz"
    text.write_text("不是备份", encoding="utf-8")
    assert lvqi(root, "restore", str(text), "--yes") == 1
    assert "不是吕企台账的备份" in capsys.readouterr().err


def test_restore_works_when_the_live_database_will_not_open(root: str, capsys) -> None:
    lvqi(root, "backup", "--format", "json")
    name = json_out(capsys)["file"]
    db = Path(root) / "lvqi.sqlite3"
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    db.write_bytes(b"not a database " * 100)
    assert lvqi(root, "enterprise", "list") == 1  # the database cannot be opened …
    assert "不是 SQLite 文件" in capsys.readouterr().err
    assert lvqi(root, "backups") == 0  # … but its backups can be listed …
    assert name in capsys.readouterr().out
    assert lvqi(root, "restore", name, "--yes") == 0  # … and restored
    assert "原来已损坏的数据库已原样移到" in capsys.readouterr().out
    assert lvqi(root, "enterprise", "list", "--format", "json") == 0
