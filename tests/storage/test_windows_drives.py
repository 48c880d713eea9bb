"""Windows drives the drive type alone misjudges, and a typed backup target in capitals (issue 20 item 7)."""

from __future__ import annotations

import pytest

from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.backups import export_copy
from lvqi_desktop.storage.storage_guard import BUS_MMC
from lvqi_desktop.storage.storage_guard import BUS_USB
from lvqi_desktop.storage.storage_guard import DRIVE_FIXED
from lvqi_desktop.storage.storage_guard import DriveInfo
from lvqi_desktop.storage.storage_guard import DriveKind
from lvqi_desktop.storage.storage_guard import check_location
from lvqi_desktop.storage.storage_guard import describe_location
from lvqi_desktop.storage.storage_guard import windows_drive

ONEDRIVE = {"OneDrive": r"C:\Users\县中心\OneDrive"}


@pytest.mark.parametrize(("path", "bus", "environ", "kind"), [
    (r"E:\台账", BUS_USB, {}, DriveKind.REMOVABLE),  # a USB hard disk or a "fixed" USB stick
    (r"D:\lvqi", BUS_MMC, {}, DriveKind.DOUBTFUL),  # an SD card, or the laptop's own eMMC
    (r"C:\Users\县中心\OneDrive\文档\lvqi", None, ONEDRIVE, DriveKind.DOUBTFUL),
    (r"c:\users\县中心\onedrive", None, ONEDRIVE, DriveKind.DOUBTFUL),
    (r"C:\Users\县中心\OneDriveOld\lvqi", None, ONEDRIVE, DriveKind.LOCAL),
    (r"C:\Users\县中心\AppData\Local\lvqi_desktop", 0x11, ONEDRIVE, DriveKind.LOCAL),  # NVMe
])
def test_bus_type_and_onedrive_are_judged(path, bus, environ, kind) -> None:
    assert windows_drive(path, lambda _root: DRIVE_FIXED, lambda _root: bus, environ).kind is kind


def test_a_doubtful_folder_is_used_with_a_warning(tmp_path) -> None:
    doubtful = DriveInfo(DriveKind.DOUBTFUL, "在 OneDrive 同步文件夹“C:\\OneDrive”中")
    assert check_location(tmp_path, lambda _p: doubtful).kind is DriveKind.DOUBTFUL
    text = describe_location(DataDir(tmp_path), lambda _p: doubtful)
    assert text.startswith("注意：") and "OneDrive" in text and "本机磁盘" in text


def test_a_typed_target_in_capitals_is_a_plain_database_file(services, tmp_path) -> None:
    from datetime import datetime

    target = export_copy(services.data_dir.database, tmp_path / "LVQI.DB", tmp_path / "work", datetime(2026, 11, 26))
    assert target == tmp_path / "LVQI.DB"
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
