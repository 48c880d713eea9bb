"""备份到… with a password (issue 18 item 8): the copy is unreadable without it, and restore asks for it."""

from __future__ import annotations

import pytest

from lvqi_desktop.errors import BackupFailed
from lvqi_desktop.errors import DatabaseRefused
from tests.conftest import make_uscc


def test_a_locked_copy_needs_its_password_to_restore(services, tmp_path) -> None:
    from lvqi_desktop.validation.enterprise import EnterpriseDraft

    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=3), name="吕梁加密测试科技有限公司",
                                              county_code="141102", contact_phone="13912345678"))
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(BackupFailed, match="密码至少 8 位"):
        services.backups.copy_to(usb, password="short")
    assert not list(usb.iterdir())
    copy = services.backups.copy_to(usb, password="离石区2026备份")
    raw = copy.path.read_bytes()
    assert copy.path.name.endswith(".lvqi-locked") and b"SQLite" not in raw and b"\x1f\x8b" not in raw[:64]
    assert b"13912345678" not in raw
    assert copy.path.stat().st_mode & 0o077 == 0
    with pytest.raises(DatabaseRefused, match="设置了密码"):
        services.backups.verify(copy.path)
    with pytest.raises(DatabaseRefused, match="密码不对"):
        services.backups.verify(copy.path, password="wrong-password")
    assert services.backups.verify(copy.path, password="离石区2026备份").enterprises == 1
    changed = tmp_path / "changed.lvqi-locked"
    data = bytearray(raw)
    data[-5] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(DatabaseRefused, match="文件已被改动"):
        services.backups.verify(changed, password="离石区2026备份")
    result = services.backups.restore(copy.path, confirmed=True, password="离石区2026备份")
    assert result.enterprises == 1
    result.database.dispose()


def test_the_command_line_locks_and_restores(tmp_path, capsys) -> None:
    from tests.cli.conftest import run_lvqi as run

    root, usb, secret = tmp_path / "data", tmp_path / "usb", tmp_path / "pw.txt"
    usb.mkdir()
    secret.write_text("离石区2026备份\n", encoding="utf-8")
    assert run(root, capsys, "init", "--county", "141102")[0] == 0
    code, out, err = run(root, capsys, "backup", "--out", str(usb), "--password-file", str(secret))
    assert code == 0, err
    locked = next(usb.glob("*.lvqi-locked"))
    code, _out, err = run(root, capsys, "restore", str(locked), "--yes")
    assert code == 1 and "设置了密码" in err and "Traceback" not in err
    code, out, err = run(root, capsys, "restore", str(locked), "--yes", "--password-file", str(secret))
    assert code == 0, err
