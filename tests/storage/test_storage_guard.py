"""The storage guard: network and removable drives are refused, with injected drive detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvqi_desktop.errors import StorageRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.storage_guard import DRIVE_CDROM
from lvqi_desktop.storage.storage_guard import DRIVE_FIXED
from lvqi_desktop.storage.storage_guard import DRIVE_REMOTE
from lvqi_desktop.storage.storage_guard import DRIVE_REMOVABLE
from lvqi_desktop.storage.storage_guard import DriveInfo
from lvqi_desktop.storage.storage_guard import DriveKind
from lvqi_desktop.storage.storage_guard import check_location
from lvqi_desktop.storage.storage_guard import describe_location
from lvqi_desktop.storage.storage_guard import linux_drive
from lvqi_desktop.storage.storage_guard import windows_drive

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
/dev/sda3 /home ext4 rw 0 0
server:/export /home/user/nfs nfs4 rw,vers=4.2 0 0
//fileserver/share /mnt/share cifs rw,vers=3.0 0 0
user@host:/data /home/user/remote fuse.sshfs rw 0 0
/dev/sdb1 /media/user/KINGSTON vfat rw 0 0
/dev/sdc1 /run/media/user/U\\040DISK exfat rw 0 0
/dev/sdd1 /mnt/data ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/user/.local/share/lvqi_desktop", DriveKind.LOCAL),
    ("/home/user/nfs/lvqi", DriveKind.NETWORK),
    ("/home/user/nfsother/lvqi", DriveKind.LOCAL),  # a prefix of the name is not the mount point
    ("/mnt/share/吕企台账", DriveKind.NETWORK),
    ("/home/user/remote", DriveKind.NETWORK),
    ("/media/user/KINGSTON/lvqi", DriveKind.REMOVABLE),
    ("/run/media/user/U DISK/lvqi", DriveKind.REMOVABLE),
    ("/mnt/data/lvqi", DriveKind.LOCAL),
])
def test_linux_mounts_decide_by_the_longest_mount_point(path: str, kind: DriveKind) -> None:
    assert linux_drive(Path(path), MOUNTS).kind is kind


@pytest.mark.parametrize(("path", "drive_type", "kind"), [
    (r"C:\Users\县中心\AppData\Local\lvqi_desktop", DRIVE_FIXED, DriveKind.LOCAL),
    (r"Z:\台账", DRIVE_REMOTE, DriveKind.NETWORK),
    (r"E:\lvqi", DRIVE_REMOVABLE, DriveKind.REMOVABLE),
    (r"D:\lvqi", DRIVE_CDROM, DriveKind.REMOVABLE),
    (r"\\fileserver\share\lvqi", DRIVE_FIXED, DriveKind.NETWORK),
    (r"\\?\UNC\fileserver\share\lvqi", DRIVE_FIXED, DriveKind.NETWORK),
    (r"\\?\C:\lvqi", DRIVE_FIXED, DriveKind.LOCAL),
    ("//fileserver/share", DRIVE_FIXED, DriveKind.NETWORK),
])
def test_windows_drive_types_and_unc_paths(path: str, drive_type: int, kind: DriveKind) -> None:
    asked: list[str] = []

    def get_drive_type(root: str) -> int:
        asked.append(root)
        return drive_type

    assert windows_drive(path, get_drive_type).kind is kind
    if kind is not DriveKind.NETWORK or "Z:" in path:
        assert asked == [path.removeprefix("\\\\?\\")[:2] + "\\"]


def test_network_drive_is_refused_saying_why(tmp_path: Path) -> None:
    with pytest.raises(StorageRefused) as refused:
        check_location(tmp_path, lambda _p: DriveInfo(DriveKind.NETWORK, "cifs 网络文件系统"))
    text = str(refused.value)
    assert "网络驱动器" in text and "会损坏数据" in text and "本机磁盘" in text and "备份到" in text


def test_removable_drive_is_refused_saying_why(tmp_path: Path) -> None:
    with pytest.raises(StorageRefused) as refused:
        check_location(tmp_path, lambda _p: DriveInfo(DriveKind.REMOVABLE, "可移动磁盘"))
    assert "拔出会丢失或损坏数据" in str(refused.value)


def test_open_database_refuses_before_creating_anything(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "on-the-stick")
    with pytest.raises(StorageRefused):
        open_database(data_dir, "0.1.0", detect=lambda _p: DriveInfo(DriveKind.REMOVABLE, "可移动磁盘"))
    assert not data_dir.root.exists()


def test_unknown_drive_kinds_are_allowed(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    open_database(data_dir, "0.1.0", detect=lambda _p: DriveInfo(DriveKind.UNKNOWN, "无法判断")).dispose()
    assert data_dir.database.exists()


def test_describe_location_says_where_and_why(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    text = describe_location(data_dir, lambda _p: DriveInfo(DriveKind.LOCAL, "ext4 文件系统，挂载于 /"))
    assert text.startswith(f"数据保存在这台电脑的硬盘上：“{data_dir.root}”")
    assert "网络共享盘" in text and "备份到" in text
    assert "另行指定" in text and "默认数据文件夹" not in text  # a test folder is never the default one
    assert not [w for w in ("SQLite", "WAL", "ext4", "挂载") if w in text]  # clerks' words, not IT's
    assert "程序不会在这里打开数据库" in describe_location(
        data_dir, lambda _p: DriveInfo(DriveKind.NETWORK, "nfs"))


def test_this_machines_test_folder_is_not_refused(tmp_path: Path) -> None:
    check_location(tmp_path)  # the real detector: /tmp is on a local disk wherever tests run


def test_the_default_folder_is_called_the_default(monkeypatch, tmp_path: Path) -> None:
    from lvqi_desktop.storage import storage_guard
    monkeypatch.setattr(storage_guard, "default_data_root", lambda: tmp_path / "default")
    text = describe_location(DataDir((tmp_path / "default").resolve()), lambda _p: DriveInfo(DriveKind.LOCAL, "NTFS"))
    assert "这是本机当前用户的默认数据文件夹" in text and "另行指定" not in text
